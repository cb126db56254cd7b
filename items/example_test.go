package items_test

import (
	"fmt"
	"time"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/items"
)

// Update allocates identifiers for new items and retires those gone;
// Check is the CI gate.
func ExampleFile_Update() {
	f, err := items.Parse("items.yaml", []byte(`version: 1
ids: {prefix: CI-, width: 3, last_issued: 2}
items:
  - {id: CI-001, class: source, name: example.com/pump, path: .}
  - {id: CI-002, class: assets, name: assets/old.png, path: assets/old.png}
`))
	if err != nil {
		panic(err)
	}
	scheme := ident.Scheme{Prefix: "CI-", Width: 3}
	found := []items.Found{
		{Class: "source", Kind: "go-package", Name: "example.com/pump", Path: "."},
		{Class: "assets", Kind: "files", Name: "assets/logo.png", Path: "assets/logo.png"},
	}
	for _, fd := range items.Check(f, found, scheme) {
		fmt.Println(fd)
	}
	changes, _ := f.Update(found, scheme, items.SyncOptions{Now: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)})
	for _, c := range changes {
		fmt.Println(c)
	}
	fmt.Print(string(f.Encode()))
	// Output:
	// missing: assets assets/logo.png (assets/logo.png) is not in items.yaml
	// stale: CI-002 assets assets/old.png is no longer in the repository
	// retired CI-002 assets assets/old.png
	// added CI-003 assets assets/logo.png
	// # Identifiers of the product's own configuration items (IEC 62304 8.1.1).
	// # Written by "baseline items sync", checked by "baseline items check";
	// # an identifier is never reused: items that leave are listed under retired.
	// version: 1
	// ids: {prefix: CI-, width: 3, last_issued: 3}
	// items:
	//   - {id: CI-001, class: source, name: example.com/pump, path: .}
	//   - {id: CI-003, class: assets, name: assets/logo.png, path: assets/logo.png}
	// retired:
	//   - {id: CI-002, class: assets, name: assets/old.png, date: "2024-05-01", reason: "no longer in the repository (baseline items sync)"}
}
