package anomaly_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/inventory"
)

// A govulncheck JSON stream (govulncheck -format json) read into a
// result: each advisory at the strongest evidence its findings give.
func ExampleDecodeJSON() {
	stream := `{"config":{"protocol_version":"v1.0.0","db":"https://vuln.go.dev","db_last_modified":"2024-05-23T12:00:00Z","go_version":"go1.26.8"}}
{"osv":{"id":"GO-2024-9001","aliases":["CVE-2024-99001"],"summary":"Unbounded recursion in Parse","modified":"2024-05-20T12:00:00Z","published":"2024-05-15T12:00:00Z","database_specific":{"url":"https://pkg.go.dev/vuln/GO-2024-9001"}}}
{"finding":{"osv":"GO-2024-9001","fixed_version":"v1.1.0","trace":[{"module":"baseline.test/vuln","version":"v1.0.0"}]}}
{"finding":{"osv":"GO-2024-9001","fixed_version":"v1.1.0","trace":[{"module":"baseline.test/vuln","version":"v1.0.0","package":"baseline.test/vuln/parse"}]}}
{"finding":{"osv":"GO-2024-9001","fixed_version":"v1.1.0","trace":[{"module":"baseline.test/vuln","version":"v1.0.0","package":"baseline.test/vuln/parse","function":"Parse"},{"module":"example.com/app","package":"example.com/app","function":"main","position":{"filename":"main.go","line":10,"column":27}}]}}
`
	res, err := anomaly.DecodeJSON(strings.NewReader(stream))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Database)
	for _, a := range res.Advisories {
		fmt.Println(a.ID, a.Aliases, a.Module, a.Version, "fixed in", a.FixedVersion)
		fmt.Println(a.EvidenceText())
	}
	// Output:
	// https://vuln.go.dev (modified 2024-05-23T12:00:00Z)
	// GO-2024-9001 [CVE-2024-99001] baseline.test/vuln v1.0.0 fixed in v1.1.0
	// govulncheck: symbol reached: example.com/app.main -> baseline.test/vuln/parse.Parse
}

// A module that the build requires but does not link (in modules mode,
// inventory.Optional), looked up at module level in a local copy of the
// database: only the advisories whose ranges contain v1.0.0.
func ExampleLookupModules() {
	db, err := anomaly.DBURL(filepath.Join("..", "testdata", "vulndb"))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := anomaly.LookupModules(context.Background(), anomaly.Options{DB: db},
		[]module.Version{{Path: "baseline.test/vuln", Version: "v1.0.0"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Advisories {
		fmt.Println(a.ID, a.Module, a.Version, "fixed in", a.FixedVersion, "-", a.Evidence)
	}
	// Output:
	// GO-2024-9001 baseline.test/vuln v1.0.0 fixed in v1.1.0 - module-required
	// GO-2024-9002 baseline.test/vuln v1.0.0 fixed in v1.1.0 - module-required
	// GO-2024-9003 baseline.test/vuln v1.0.0 fixed in  - module-required
}

// The modules a modules-mode inventory lists that its build does not link
// (scope optional), which LookupModules looks up: directory replacements
// and linked modules are left out.
func ExampleUnlinkedModules() {
	inv := &inventory.Inventory{Mode: inventory.Modules, Components: []inventory.Component{
		{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app"},
		{ID: "golang.org/x/text", Kind: inventory.Module, Path: "golang.org/x/text", Version: "v0.3.0", Scope: inventory.Required},
		{ID: "golang.org/x/image", Kind: inventory.Module, Path: "golang.org/x/image", Version: "v0.25.0", Scope: inventory.Optional},
		{ID: "example.com/local", Kind: inventory.Module, Path: "example.com/local", Version: "v1.0.0", Scope: inventory.Optional,
			Replace: &inventory.Replacement{Path: "../local", Local: true}},
	}}
	fmt.Println(anomaly.UnlinkedModules(inv))
	// Output:
	// [golang.org/x/image@v0.25.0]
}
