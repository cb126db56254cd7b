package discover

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
		if got := goflagsTags(tc.goflags); !slices.Equal(got, tc.tags) {
			t.Errorf("goflagsTags(%q) = %q, want %q", tc.goflags, got, tc.tags)
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
		got := safeGOFLAGS(goflags)
		if len(got) != 1 || got[0] != want {
			t.Errorf("safeGOFLAGS(%q) = %q, want %q", goflags, got, want)
		}
	}
	if got := safeGOFLAGS("-mod=readonly"); got != nil {
		t.Errorf("safeGOFLAGS(-mod=readonly) = %q, want no change", got)
	}
}
