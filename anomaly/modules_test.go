package anomaly_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/module"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/soup"
)

// TestLookupModules: the fixture database's four advisories of
// baseline.test/vuln, looked up at module level, kept only for the
// versions their ranges affect (govulncheck's query mode returns all
// four), each with the version that fixes it; modules the database does
// not know, and versions that are not semver, give none.
func TestLookupModules(t *testing.T) {
	var progress []string
	opts := anomaly.Options{DB: fixtureDB, Progress: func(m string) { progress = append(progress, m) }}
	res, err := anomaly.LookupModules(context.Background(), opts, []module.Version{
		{Path: "baseline.test/vuln", Version: "v1.0.0"},
		{Path: "baseline.test/vuln", Version: "v1.1.0"},
		{Path: "baseline.test/vuln", Version: "v0.8.0"},
		{Path: "baseline.test/greet", Version: "v1.0.0"},
		{Path: "example.com/local", Version: ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range res.Advisories {
		if a.Evidence != soup.ModuleRequired || a.Summary == "" || a.URL == "" || len(a.Aliases) == 0 {
			t.Errorf("%s %s@%s: evidence %q, summary %q, URL %q, aliases %v", a.ID, a.Module, a.Version, a.Evidence, a.Summary, a.URL, a.Aliases)
		}
		got = append(got, a.Module+"@"+a.Version+" "+a.ID+" fixed "+a.FixedVersion)
	}
	want := []string{
		"baseline.test/vuln@v0.8.0 GO-2024-9001 fixed v1.1.0",
		"baseline.test/vuln@v0.8.0 GO-2024-9002 fixed v1.1.0",
		"baseline.test/vuln@v0.8.0 GO-2024-9003 fixed ",
		"baseline.test/vuln@v0.8.0 GO-2024-9004 fixed v0.9.0",
		"baseline.test/vuln@v1.0.0 GO-2024-9001 fixed v1.1.0",
		"baseline.test/vuln@v1.0.0 GO-2024-9002 fixed v1.1.0",
		"baseline.test/vuln@v1.0.0 GO-2024-9003 fixed ",
		"baseline.test/vuln@v1.1.0 GO-2024-9003 fixed ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("advisories:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(progress) == 0 {
		t.Error("no progress reported")
	}
	// Joined with a scan's result, the stronger evidence of the same
	// advisory wins.
	scanned := &anomaly.Result{Advisories: []anomaly.Advisory{{ID: "GO-2024-9001", Module: "baseline.test/vuln", Version: "v1.0.0", Evidence: soup.SymbolReached}}}
	u := anomaly.Union(scanned, res)
	if a := u.For("baseline.test/vuln", "v1.0.0"); len(a) != 3 || a[0].ID != "GO-2024-9001" || a[0].Evidence != soup.SymbolReached {
		t.Errorf("Union: %+v", a)
	}
	// Nothing to look up: no advisories, no error; a bad database is an
	// error.
	if res, err := anomaly.LookupModules(context.Background(), opts, nil); err != nil || len(res.Advisories) != 0 {
		t.Errorf("LookupModules(nil) = %v, %v", res, err)
	}
	if _, err := anomaly.LookupModules(context.Background(), anomaly.Options{DB: "file:///nonexistent"}, []module.Version{{Path: "baseline.test/vuln", Version: "v1.0.0"}}); err == nil {
		t.Error("LookupModules: no error for a missing database")
	}
}
