package soup_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// A register is checked against the inventory discovery returns
// (discover.Packages and friends); here the inventory is written by hand.
func ExampleReconcile() {
	reg, err := soup.ParseRegister("soup.yaml", []byte(`version: 1
ids:
  prefix: SOUP-
  width: 3
items:
  - id: SOUP-001
    title: github.com/google/uuid
    kind: go-module
    module: github.com/google/uuid
    version: v1.5.0
    manufacturer: Google LLC
    safety_class: A
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	inv := &inventory.Inventory{Components: []inventory.Component{
		{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app"},
		{ID: "github.com/google/uuid", Kind: inventory.Module, Path: "github.com/google/uuid", Version: "v1.6.0"},
		{ID: "stdlib", Kind: inventory.Stdlib, Path: "stdlib", Version: "v1.26.8"},
	}}
	rep := soup.Reconcile(reg, inv, soup.ReconcileOptions{Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	rep.WriteText(os.Stdout)
	// Output:
	// soup.yaml:10: SOUP-001 github.com/google/uuid: version-drift: version: the register says v1.5.0, the build uses v1.6.0 (8.1.2 c)
	// soup.yaml: stdlib: undeclared: the build uses v1.26.8, but no item of the register declares it (baseline soup sync adds it)
	// soup.yaml: 2 findings (1 undeclared, 1 version-drift)
}

// A register read from its YAML text; every problem is reported with its
// file, line and field.
func ExampleParseRegister() {
	_, err := soup.ParseRegister("soup.yaml", []byte(`version: 1
ids: {prefix: SOUP-, width: 3}
items:
  - id: SOUP-001
    title: github.com/google/uuid
    kind: go-module
    module: github.com/google/uuid
    version: v1.6.0
    license: Apache2.0
    safety_class: D
`))
	fmt.Println(err)
	reg, err := soup.ParseRegister("soup.yaml", []byte(`version: 1
ids: {prefix: SOUP-, width: 3}
items:
  - id: SOUP-001
    title: github.com/google/uuid
    kind: go-module
    module: github.com/google/uuid
    version: v1.6.0
    manufacturer: "TODO: confirm: Google LLC"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	it := reg.Items[0]
	fmt.Println(it.ID, it.Module, it.Version, it.Class(), it.TODOs())
	// Output:
	// soup.yaml:9: license: licence expression "Apache2.0": "Apache2.0" is not an SPDX licence identifier (did you mean Apache-2.0?)
	// soup.yaml:10: safety_class: "D" is not allowed (want A, B, C)
	// SOUP-001 github.com/google/uuid v1.6.0 C [{manufacturer TODO: confirm: Google LLC}]
}

// Sync on the register's text: a new component gets an item with what
// discovery knows and TODO markers for the rest; comments are kept.
func ExampleSyncData() {
	src := []byte(`# Our SOUP register.
version: 1
ids:
  prefix: SOUP-
  width: 3
items: []   # none yet
`)
	inv := &inventory.Inventory{Components: []inventory.Component{
		{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app"},
		{ID: "github.com/google/uuid", Kind: inventory.Module, Path: "github.com/google/uuid", Version: "v1.6.0",
			PURL: "pkg:golang/github.com/google/uuid@v1.6.0", Licenses: []string{"BSD-3-Clause"}},
	}}
	out, changes, err := soup.SyncData("soup.yaml", src, inv, soup.SyncOptions{Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		fmt.Println(c)
	}
	lines := strings.SplitAfter(string(out), "\n")
	fmt.Print(strings.Join(lines[:11], ""))
	// Output:
	// added SOUP-001 github.com/google/uuid v1.6.0: fill in its 16 TODO fields (manufacturer, used_by, safety_class, requirements, required_hw_sw, hazards, risk_controls, anomaly_evaluation, verification)
	// # Our SOUP register.
	// version: 1
	// ids:
	//   prefix: SOUP-
	//   width: 3
	//   last_issued: 1
	// items:   # none yet
	//   - id: SOUP-001
	//     title: github.com/google/uuid
	//     kind: go-module
	//     module: github.com/google/uuid
}

// The SOUP list an auditor reads, here its summary: the status of each
// item is decided by the register alone.
func ExampleRegister_WriteMarkdown() {
	reg, err := soup.ParseRegister("soup.yaml", []byte(`version: 1
ids: {prefix: SOUP-, width: 3}
items:
  - {id: SOUP-001, title: Debian GNU/Linux, kind: os, version: "12.5", manufacturer: TODO, safety_class: A}
  - {id: SOUP-002, title: PostgreSQL, kind: database, version: "16.2", manufacturer: PostgreSQL Global Development Group, risk: low}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	err = reg.WriteMarkdown(&b, soup.ListOptions{Product: "Pump", Version: "1.2.0", Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, summary, _ := strings.Cut(b.String(), "## Summary\n\n")
	summary, _, _ = strings.Cut(summary, "\n\n")
	fmt.Println(summary)
	// Output:
	// | ID | Title | Version | Class / risk | Manufacturer | Status |
	// |---|---|---|---|---|---|
	// | SOUP-001 | Debian GNU/Linux | 12.5 | A | TODO | **to do** |
	// | SOUP-002 | PostgreSQL | 16.2 | risk low | PostgreSQL Global Development Group | complete |
}
