package sbom

import (
	"bytes"
	"crypto/sha256"
	"hash"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	spdxjson "github.com/spdx/tools-golang/json"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

func digestOf(v any) [32]byte {
	h := sha256.New()
	digest(h, v)
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}

// TestDigest: equal content gives equal digests (map order, time zones,
// unexported fields aside); any difference in exported content, nil
// against empty included, gives another.
func TestDigest(t *testing.T) {
	type T struct {
		S      string
		L      []string
		M      map[string]int
		P      *int
		When   time.Time
		hidden int
		Where  string   `json:"-"`
		Opt    []string `json:"opt,omitempty"`
	}
	one := 1
	base := T{S: "a", L: []string{"x"}, M: map[string]int{"a": 1, "b": 2, "c": 3}, P: &one, When: time.Unix(5, 0)}
	same := base
	same.M = map[string]int{"c": 3, "b": 2, "a": 1}
	same.When = time.Unix(5, 0).In(time.FixedZone("X", 3600))
	same.hidden, same.Where, same.Opt = 7, "/home/x", []string{} // omitempty: nil and empty alike
	if digestOf(base) != digestOf(same) {
		t.Error("equal content, different digests")
	}
	// A type that has only the fields that hold content digests alike:
	// adding a field that holds none (such as Options.CacheDir) changes
	// no document's identity.
	type content struct {
		S    string
		L    []string
		M    map[string]int
		P    *int
		When time.Time
		Opt  []string `json:"opt,omitempty"`
	}
	if digestOf(content{base.S, base.L, base.M, base.P, base.When, nil}) != digestOf(base) {
		t.Error("fields that hold no content changed the digest")
	}
	for name, v := range map[string]T{
		"string":    {S: "b", L: base.L, M: base.M, P: base.P, When: base.When},
		"nil list":  {S: "a", L: nil, M: base.M, P: base.P, When: base.When},
		"empty":     {S: "a", L: []string{}, M: base.M, P: base.P, When: base.When},
		"split":     {S: "a", L: []string{"", "x"}, M: base.M, P: base.P, When: base.When},
		"nil ptr":   {S: "a", L: base.L, M: base.M, When: base.When},
		"time":      {S: "a", L: base.L, M: base.M, P: base.P, When: time.Unix(6, 0)},
		"zero time": {S: "a", L: base.L, M: base.M, P: base.P},
	} {
		if digestOf(v) == digestOf(base) {
			t.Errorf("%s: a different value gives the same digest", name)
		}
	}
	if digestOf(T{L: []string{}}) == digestOf(T{}) {
		t.Error("an empty list and no list give the same digest")
	}
}

// TestDigestIdentity: digestIdentity gives the digest of the inventory
// with its components' publication times zeroed, which identity below
// copies it to make (as the serial number was derived before), and no
// other field is left out.
func TestDigestIdentity(t *testing.T) {
	identity := func(inv *inventory.Inventory) *inventory.Inventory {
		cp := *inv
		cp.Components = make([]inventory.Component, len(inv.Components))
		for i, c := range inv.Components {
			c.Time = time.Time{}
			cp.Components[i] = c
		}
		return &cp
	}
	sum := func(f func(hash.Hash, any), v any) [32]byte {
		h := sha256.New()
		f(h, v)
		return [32]byte(h.Sum(nil))
	}
	inv := fixtureInventory()
	for i := range inv.Components {
		inv.Components[i].Time = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	}
	opts := fixtureOptions(0)["full"]
	doc := func(inv *inventory.Inventory) any {
		return struct {
			Inv  *inventory.Inventory
			Opts Options
		}{inv, opts}
	}
	want := sum(digest, doc(identity(inv)))
	if got := sum(digestIdentity, doc(inv)); got != want {
		t.Error("digestIdentity differs from the digest of the inventory with zero times")
	}
	if sum(digest, doc(inv)) == want {
		t.Error("the times do not change the plain digest")
	}
	changed := fixtureInventory()
	changed.Components[0].Version = "v1.0.1"
	if sum(digestIdentity, doc(changed)) == want {
		t.Error("digestIdentity leaves out a component's version")
	}
}

// TestEncodeWithoutConversion: from 1.6 the BOM is encoded without
// cyclonedx-go's copy and conversion, to the same bytes.
func TestEncodeWithoutConversion(t *testing.T) {
	for _, spec := range CycloneDXSpecs() {
		if spec < cdx.SpecVersion1_6 {
			continue
		}
		for name, opts := range fixtureOptions(spec) {
			for _, ff := range []cdx.BOMFileFormat{cdx.BOMFileFormatJSON, cdx.BOMFileFormatXML} {
				bom := CycloneDX(fixtureInventory(), opts)
				var a, b bytes.Buffer
				ea, eb := cdx.NewBOMEncoder(&a, ff), cdx.NewBOMEncoder(&b, ff)
				ea.SetPretty(true).SetEscapeHTML(false)
				eb.SetPretty(true).SetEscapeHTML(false)
				if err := ea.EncodeVersion(bom, spec); err != nil {
					t.Fatal(err)
				}
				if err := encodeVersion(eb, bom, spec); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Errorf("%v %v %s: the encoding without conversion differs", spec, ff, name)
				}
			}
		}
	}
}

func fixtureInventory() *inventory.Inventory {
	inv := &inventory.Inventory{Mode: inventory.Packages, MainID: "example.com/app", EdgesKnown: true,
		Dependencies: map[string][]string{"example.com/app": {"example.com/a", "stdlib"}}}
	inv.Components = []inventory.Component{
		{ID: "example.com/a", Kind: inventory.Module, Path: "example.com/a", Version: "v1.0.0", PURL: "pkg:golang/example.com/a@v1.0.0",
			Hashes:   []inventory.Hash{{Algorithm: "SHA-256", Value: "ab"}, {Algorithm: "SHA-512", Value: "cd"}},
			Licenses: []string{"Apache-2.0", "MIT"}, Copyright: []string{"Copyright 2020 A"}, Scope: inventory.Required},
		{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app", PURL: "pkg:golang/example.com/app"},
		{ID: "stdlib", Kind: inventory.Stdlib, Path: "stdlib", Version: "v1.26.8", PURL: "pkg:golang/stdlib@v1.26.8", Licenses: []string{"BSD-3-Clause"}},
	}
	return inv
}

func fixtureOptions(spec cdx.SpecVersion) map[string]Options {
	reg := &soup.Register{Items: []soup.Item{
		{ID: "SOUP-001", Module: "example.com/a", Version: "v1.0.0", License: "Apache-2.0 OR MIT", Manufacturer: "A Corp", Website: "https://a.example"},
		{ID: "SOUP-002", Title: "Debian", Kind: soup.OS, Version: "12", License: "LicenseRef-Debian"},
	}}
	ts := time.Unix(1700000000, 0)
	return map[string]Options{
		"plain": {Spec: spec, Timestamp: ts},
		"full": {Spec: spec, Timestamp: ts, ToolVersion: "v9", Register: reg, License: "LicenseRef-Proprietary", Website: "https://app.example",
			Authors:      []Party{{Name: "Jane", Email: "jane@example.com", Person: true}, {Name: "Org", URL: "https://org.example"}},
			Manufacturer: &Party{Name: "M", URL: "https://m.example"}, Supplier: &Party{Name: "S", Email: "s@example.com"}},
	}
}

// TestIndentation: the encoders' output is what the libraries' own
// indentation gives (jsonstream's TestIndenter tests the indenter alone).
func TestIndentation(t *testing.T) {
	for name, opts := range fixtureOptions(cdx.SpecVersion1_6) {
		inv := fixtureInventory()
		var a, b bytes.Buffer
		if err := EncodeCycloneDX(&a, inv, opts); err != nil {
			t.Fatal(err)
		}
		enc := cdx.NewBOMEncoder(&b, cdx.BOMFileFormatJSON)
		enc.SetPretty(true).SetEscapeHTML(false)
		if err := enc.EncodeVersion(CycloneDX(inv, opts), cdx.SpecVersion1_6); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: CycloneDX JSON differs from cyclonedx-go's own indentation", name)
		}
		a.Reset()
		b.Reset()
		if err := EncodeSPDXJSON(&a, inv, opts); err != nil {
			t.Fatal(err)
		}
		if err := spdxjson.Write(SPDX(inv, opts), &b, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: SPDX JSON differs from tools-golang's own indentation:\n%s\n---\n%s", name, a.Bytes()[:200], b.Bytes()[:200])
		}
	}
}
