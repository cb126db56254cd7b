package inventory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestPlaceholder(t *testing.T) {
	for v, want := range map[string]bool{
		"v0.0.0-00010101000000-000000000000": true,
		"v2.0.0-00010101000000-000000000000": true,
		"v0.0.0-20240102030405-abcdefabcdef": false,
		"v0.0.0-00010101000000-abcdefabcdef": false,
		"v1.2.3":                             false,
		"":                                   false,
	} {
		if got := Placeholder(v); got != want {
			t.Errorf("Placeholder(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestSortAndLookup(t *testing.T) {
	inv := &Inventory{
		MainID: "example.com/app",
		Components: []Component{
			{ID: "stdlib", Kind: Stdlib},
			{ID: "example.com/b", Kind: Module},
			{ID: "example.com/app", Kind: Main},
			{ID: "example.com/a", Kind: Module},
		},
		Dependencies: map[string][]string{
			"example.com/app": {"stdlib", "example.com/b", "example.com/a", "example.com/b"},
			"example.com/a":   {},
		},
	}
	inv.Sort()
	var ids []string
	for _, c := range inv.Components {
		ids = append(ids, c.ID)
	}
	if want := []string{"example.com/a", "example.com/app", "example.com/b", "stdlib"}; !slices.Equal(ids, want) {
		t.Errorf("sorted IDs = %v, want %v", ids, want)
	}
	if got, want := inv.Dependencies["example.com/app"], []string{"example.com/a", "example.com/b", "stdlib"}; !slices.Equal(got, want) {
		t.Errorf("deps = %v, want %v", got, want)
	}
	if _, ok := inv.Dependencies["example.com/a"]; ok {
		t.Error("an empty dependency list was kept")
	}
	if inv.Main() == nil || inv.Main().Kind != Main {
		t.Errorf("Main() = %v", inv.Main())
	}
	if inv.Component("example.com/zzz") != nil {
		t.Error("Component found a missing ID")
	}
	var soup []string
	for _, c := range inv.SOUP() {
		soup = append(soup, c.ID)
	}
	if want := []string{"example.com/a", "example.com/b", "stdlib"}; !slices.Equal(soup, want) {
		t.Errorf("SOUP() = %v, want %v", soup, want)
	}
}

func TestEffective(t *testing.T) {
	c := Component{Path: "example.com/a", Version: "v1.0.0", Replace: &Replacement{Path: "example.com/fork", Version: "v1.0.1"}}
	if p, v := c.Effective(); p != "example.com/fork" || v != "v1.0.1" {
		t.Errorf("module replacement: Effective() = %s %s", p, v)
	}
	if p, v := c.Built(); p != "example.com/fork" || v != "v1.0.1" {
		t.Errorf("module replacement: Built() = %s %s", p, v)
	}
	c.Replace = &Replacement{Path: "../a", Local: true}
	if p, v := c.Effective(); p != "example.com/a" || v != "v1.0.0" {
		t.Errorf("directory replacement: Effective() = %s %s", p, v)
	}
	if p, v := c.Built(); p != "example.com/a" || v != "" {
		t.Errorf("directory replacement: Built() = %s %q, want no version", p, v)
	}
}

func TestModuleZip(t *testing.T) {
	for _, tc := range []struct {
		c    Component
		want string // path@version, "" for none
	}{
		{Component{Kind: Module, Path: "example.com/a", Version: "v1.0.0"}, "example.com/a@v1.0.0"},
		{Component{Kind: Module, Path: "example.com/a", Version: "v1.0.0", Replace: &Replacement{Path: "example.com/fork", Version: "v1.0.1"}}, "example.com/fork@v1.0.1"},
		{Component{Kind: Module, Path: "example.com/a", Version: "v0.0.0-00010101000000-000000000000", Replace: &Replacement{Path: "../a", Local: true}}, ""},
		{Component{Kind: Module, Path: "example.com/a", Version: "v0.0.0-00010101000000-000000000000"}, ""},
		{Component{Kind: Module, Path: "example.com/a"}, ""},
		{Component{Kind: Main, Path: "example.com/app", Version: "v1.2.3"}, ""},
		{Component{Kind: Stdlib, Path: "stdlib", Version: "v1.26.8"}, ""},
	} {
		p, v, ok := tc.c.ModuleZip()
		got := ""
		if ok {
			got = p + "@" + v
		}
		if got != tc.want || (!ok && (p != "" || v != "")) {
			t.Errorf("%+v: ModuleZip = %q %q %v, want %q", tc.c, p, v, ok, tc.want)
		}
	}
}

// TestWriteJSON: WriteJSON writes the bytes of json.MarshalIndent and a
// newline, for inventories of no, one and many components (more than a
// processor's chunk), with HTML and escapes in strings.
func TestWriteJSON(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 63, 64, 65, 1000} {
		inv := &Inventory{Mode: Packages, MainID: "example.com/<app>", Warnings: []string{"a & b", "\u2028"}}
		if n >= 0 {
			inv.Components = []Component{}
		}
		for i := range n {
			id := fmt.Sprintf("example.com/m%04d", i)
			inv.Components = append(inv.Components, Component{ID: id, Kind: Module, Path: id, Version: "v1.0.0",
				Licenses: []string{"MIT"}, Copyright: []string{`Copyright "<x>" & \ y`}, Time: time.Unix(int64(i), 0).UTC()})
			if i > 0 {
				inv.Dependencies = map[string][]string{id: {inv.Components[0].ID}}
			}
		}
		want, err := json.MarshalIndent(inv, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := inv.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), append(want, '\n')) {
			t.Errorf("%d components: WriteJSON\n%s\nwant\n%s", n, got.Bytes(), want)
		}
	}
}
