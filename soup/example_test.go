package soup_test

import (
	"fmt"
	"os"
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
