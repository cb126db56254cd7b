package anomaly

import (
	"encoding/json"
	"testing"

	"golang.org/x/mod/module"
)

// TestAffects: OSV's affected ranges, as the Go vulnerability database
// writes them (versions without "v"), events in any order.
func TestAffects(t *testing.T) {
	parse := func(s string) []osvAffected {
		var a []osvAffected
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	twoRanges := parse(`[{"package": {"name": "m"}, "ranges": [{"type": "SEMVER", "events": [{"fixed": "1.2.5"}, {"introduced": "1.2.0"}, {"fixed": "1.0.3"}, {"introduced": "0"}]}]}]`)
	for _, tc := range []struct {
		name     string
		affected []osvAffected
		version  string
		fixed    string
		ok       bool
	}{
		{"before the first fix", twoRanges, "v1.0.0", "v1.0.3", true},
		{"at the first fix", twoRanges, "v1.0.3", "", false},
		{"between the ranges", twoRanges, "v1.1.0", "", false},
		{"in the second range", twoRanges, "v1.2.0", "v1.2.5", true},
		{"pre-release in the second range", twoRanges, "v1.2.5-rc.1", "v1.2.5", true},
		{"after the last fix", twoRanges, "v1.3.0", "", false},
		{"pseudo-version before a fix", twoRanges, "v1.0.3-0.20240101000000-abcdefabcdef", "v1.0.3", true},
		{"no fix", parse(`[{"package": {"name": "m"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.5.0"}]}]}]`), "v2.0.0", "", true},
		{"before the introduction", parse(`[{"package": {"name": "m"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.5.0"}]}]}]`), "v0.4.0", "", false},
		{"no ranges", parse(`[{"package": {"name": "m"}}]`), "v9.9.9", "", true},
		{"no SEMVER range", parse(`[{"package": {"name": "m"}, "ranges": [{"type": "GIT", "events": [{"introduced": "abc"}]}]}]`), "v1.0.0", "", true},
		{"another module", parse(`[{"package": {"name": "other"}}]`), "v1.0.0", "", false},
	} {
		fixed, ok := affects(tc.affected, module.Version{Path: "m", Version: tc.version})
		if fixed != tc.fixed || ok != tc.ok {
			t.Errorf("%s: affects(%s) = %q, %v; want %q, %v", tc.name, tc.version, fixed, ok, tc.fixed, tc.ok)
		}
	}
}
