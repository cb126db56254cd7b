package plan_test

import (
	"fmt"
	"strings"

	"github.com/baseline-cm/baseline/plan"
	"github.com/baseline-cm/baseline/product"
)

// Check lists what baseline.yaml must still say for the CM plan; Render
// writes the plan.
func ExampleCheck() {
	cfg, err := product.Parse("baseline.yaml", []byte(`version: 1
product:
  name: Infusion Pump Controller
  manufacturer: Acme Medical GmbH, https://acme.example
versioning: {major: New intended use., minor: New functions., patch: Corrections.}
configurations: [{name: linux-amd64, goos: linux, goarch: amd64}]
items:
  classes:
    - {name: source, kind: go-package, paths: [./...], owner: Software team}
change_control: {start: 2024-01-15}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range plan.Check(cfg) {
		fmt.Println(f)
	}
	md := string(plan.Render(cfg))
	fmt.Println(md[:strings.IndexByte(md, '\n')])
	// Output:
	// baseline.yaml:9: items.classes.0.controlled_from: missing: when source items enter configuration control (IEC 62304 5.1.9 d)
	// # Software configuration management plan: Infusion Pump Controller
}
