package inventory_test

import (
	"fmt"
	"os"

	"github.com/baseline-cm/baseline/inventory"
)

func ExampleInventory_SOUP() {
	inv := &inventory.Inventory{
		MainID: "example.com/app",
		Components: []inventory.Component{
			{ID: "stdlib", Kind: inventory.Stdlib, Version: "v1.26.8"},
			{ID: "example.com/lib", Kind: inventory.FirstParty},
			{ID: "example.com/app", Kind: inventory.Main},
			{ID: "github.com/google/uuid", Kind: inventory.Module, Version: "v1.6.0"},
		},
		Dependencies: map[string][]string{"example.com/app": {"stdlib", "github.com/google/uuid", "example.com/lib", "stdlib"}},
	}
	inv.Sort() // what producers do before returning
	fmt.Println("product:", inv.Main().ID)
	for _, c := range inv.SOUP() {
		fmt.Println("SOUP:", c.ID, c.Version)
	}
	fmt.Println(inv.Dependencies["example.com/app"])
	// Output:
	// product: example.com/app
	// SOUP: github.com/google/uuid v1.6.0
	// SOUP: stdlib v1.26.8
	// [example.com/lib github.com/google/uuid stdlib]
}

func ExampleComponent_Built() {
	for _, c := range []inventory.Component{
		{Path: "example.com/a", Version: "v1.0.0"},
		{Path: "example.com/b", Version: "v1.0.0", Replace: &inventory.Replacement{Path: "example.com/fork", Version: "v1.0.1"}},
		{Path: "example.com/c", Version: "v1.2.3", Replace: &inventory.Replacement{Path: "../c", Local: true}},
	} {
		p, v := c.Built()
		fmt.Printf("%s@%s builds %s@%s\n", c.Path, c.Version, p, v)
	}
	// Output:
	// example.com/a@v1.0.0 builds example.com/a@v1.0.0
	// example.com/b@v1.0.0 builds example.com/fork@v1.0.1
	// example.com/c@v1.2.3 builds example.com/c@
}

func ExamplePlaceholder() {
	fmt.Println(inventory.Placeholder("v0.0.0-00010101000000-000000000000"), inventory.Placeholder("v0.0.0-20240102030405-abcdefabcdef"))
	// Output: true false
}

func ExampleInventory_WriteJSON() {
	inv := &inventory.Inventory{
		Mode:   inventory.Modules,
		MainID: "example.com/app",
		Components: []inventory.Component{
			{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app", PURL: "pkg:golang/example.com/app", Scope: inventory.Required},
			{ID: "github.com/google/uuid", Kind: inventory.Module, Path: "github.com/google/uuid", Version: "v1.6.0",
				PURL: "pkg:golang/github.com/google/uuid@v1.6.0", Direct: true, Scope: inventory.Required},
		},
		Dependencies: map[string][]string{"example.com/app": {"github.com/google/uuid"}},
		EdgesKnown:   true,
	}
	inv.Sort()
	if err := inv.WriteJSON(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "mode": "modules",
	//   "main": "example.com/app",
	//   "components": [
	//     {
	//       "id": "example.com/app",
	//       "kind": "main",
	//       "path": "example.com/app",
	//       "purl": "pkg:golang/example.com/app",
	//       "direct": false,
	//       "scope": "required"
	//     },
	//     {
	//       "id": "github.com/google/uuid",
	//       "kind": "module",
	//       "path": "github.com/google/uuid",
	//       "version": "v1.6.0",
	//       "purl": "pkg:golang/github.com/google/uuid@v1.6.0",
	//       "direct": true,
	//       "scope": "required"
	//     }
	//   ],
	//   "dependencies": {
	//     "example.com/app": [
	//       "github.com/google/uuid"
	//     ]
	//   },
	//   "edgesKnown": true,
	//   "build": {
	//     "goVersion": ""
	//   }
	// }
}
