package gocmd

import (
	"slices"
	"testing"
)

func TestGOFLAGS(t *testing.T) {
	for _, tc := range []struct {
		goflags string
		tags    []string
		mod     string
	}{
		{"", nil, ""},
		{"-tags=a,b -mod=vendor", []string{"a", "b"}, "vendor"},
		{"--tags=a", []string{"a"}, ""},
		{"'-tags=foo baz'", []string{"foo", "baz"}, ""},
		{`"-tags=foo baz" -mod=mod`, []string{"foo", "baz"}, "mod"},
		{"-tags=a -tags=b,,c", []string{"b", "c"}, ""}, // the last wins
		{"  -mod=readonly\t-tags=x  ", []string{"x"}, "readonly"},
		{"'-tags=a", nil, ""}, // unterminated: the go command reports it
	} {
		if got := GOFLAGSTags(tc.goflags); !slices.Equal(got, tc.tags) {
			t.Errorf("GOFLAGSTags(%q) = %q, want %q", tc.goflags, got, tc.tags)
		}
		if got := modFlag(tc.goflags); got != tc.mod {
			t.Errorf("modFlag(%q) = %q, want %q", tc.goflags, got, tc.mod)
		}
	}
	for goflags, want := range map[string]string{
		"-mod=mod":                      "GOFLAGS=-mod=readonly",
		"'-tags=a b' -mod=mod -x":       "GOFLAGS='-tags=a b' -mod=readonly -x",
		`"-ldflags=-X 'a=b'" --mod=mod`: `GOFLAGS="-ldflags=-X 'a=b'" -mod=readonly`,
	} {
		got := ReadonlyGOFLAGS(goflags)
		if len(got) != 1 || got[0] != want {
			t.Errorf("ReadonlyGOFLAGS(%q) = %q, want %q", goflags, got, want)
		}
	}
	if got := ReadonlyGOFLAGS("-mod=readonly"); got != nil {
		t.Errorf("ReadonlyGOFLAGS(-mod=readonly) = %q, want no change", got)
	}
	for _, tc := range []struct {
		goflags string
		tags    []string
		want    string
	}{
		{"", nil, ""},
		{"", []string{"a", "b"}, "-tags=a,b"},
		{"-tags=foo -mod=mod", []string{"bar"}, "-mod=readonly -tags=bar"},
		{"'-tags=foo baz' -x", nil, "'-tags=foo baz' -x"},
		{"'-tags=foo baz' --tags=q -x", []string{"bar"}, "-x -tags=bar"},
		{`"-ldflags=-X 'a=b'"`, []string{"t"}, `"-ldflags=-X 'a=b'" -tags=t`},
		{"---mod=mod", nil, "---mod=mod"},   // rejected by the go command: kept for it to say so
		{"'-tags=a -x", nil, "'-tags=a -x"}, // malformed: the same
		{"--mod=mod", nil, "-mod=readonly"},
	} {
		got := BuildGOFLAGS(tc.goflags, tc.tags)
		if got != tc.want {
			t.Errorf("BuildGOFLAGS(%q, %q) = %q, want %q", tc.goflags, tc.tags, got, tc.want)
		}
		// What it writes reads back as the go command would read it.
		if _, err := SplitGOFLAGS(tc.goflags); err != nil {
			continue // malformed: nothing to read back
		}
		if fields, err := SplitGOFLAGS(got); err != nil || len(tc.tags) > 0 && !slices.Equal(GOFLAGSTags(got), tc.tags) {
			t.Errorf("BuildGOFLAGS(%q, %q) = %q reads back as %q (%v)", tc.goflags, tc.tags, got, fields, err)
		}
	}
}
