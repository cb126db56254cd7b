package soup

import (
	"fmt"
	"strings"
	"testing"

	"github.com/baseline-cm/baseline/inventory"
)

// bigRegister returns a register of n complete class B items (about 1 KB
// each, so 5 MB for 5,000) and the inventory of the build it matches.
func bigRegister(n int) ([]byte, *inventory.Inventory) {
	var b strings.Builder
	fmt.Fprintf(&b, "version: 1\nids:\n  prefix: SOUP-\n  width: 5\n  last_issued: %d\npolicy:\n  require_fda: true\n  evaluation_max_age: 365\nitems:\n", n)
	var comps []inventory.Component
	for i := 1; i <= n; i++ {
		mod := fmt.Sprintf("example.com/org%d/module%d", i%97, i)
		fmt.Fprintf(&b, `  - id: SOUP-%05d
    title: %s
    kind: go-module
    module: %s
    version: v1.%d.0
    purl: pkg:golang/%s@v1.%d.0
    manufacturer: Organisation %d
    website: https://example.com/org%d
    license: MIT
    used_by: [SWI-%03d component]
    safety_class: B
    requirements:
      functional: Parses the configuration files of component %d and reports every error with its line.
      performance: None relied on.
    required_hw_sw: [Go 1.22 or later, any GOOS/GOARCH]
    hazards: [HS-%d wrong dose displayed]
    risk_controls: [RC-%d dose confirmed by the operator]
    anomaly_evaluation:
      anomaly_list: https://example.com/org%d/module%d/issues
      version_evaluated: v1.%d.0
      date: 2023-06-01
      evaluator: A. Person
      relevant_anomalies: []
      conclusion: No known anomaly affects the product; the issue tracker was reviewed on the date given.
    support: {level: actively-maintained, assessed: 2023-06-01, end_of_support_justification: None announced.}
    verification:
      reasoning: Covered by the integration tests of component %d.
      last_verified: 2023-06-01

`, i, mod, mod, i, mod, i, i%97, i%97, i%500, i, i, i, i%97, i, i, i)
		comps = append(comps, goMod(mod, fmt.Sprintf("v1.%d.0", i), "MIT"))
	}
	return []byte(b.String()), testInventory(comps...)
}

// BenchmarkCheck5000 is soup check on a 5,000-item register, discovery
// excluded: parse, validate, reconcile with the build's inventory.
func BenchmarkCheck5000(b *testing.B) {
	data, inv := bigRegister(5000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		reg, err := ParseRegister("soup.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if rep := Reconcile(reg, inv, ReconcileOptions{Now: now}); !rep.OK() {
			b.Fatalf("%d findings: %s", len(rep.Findings), rep.Findings[0].String("soup.yaml"))
		}
	}
}

// BenchmarkSyncNoop5000 is soup sync on a 5,000-item register already in
// sync with the build (discovery excluded): nothing to change.
func BenchmarkSyncNoop5000(b *testing.B) {
	data, inv := bigRegister(5000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		_, changes, err := SyncData("soup.yaml", data, inv, SyncOptions{Now: now})
		if err != nil || len(changes) > 0 {
			b.Fatal(changes, err)
		}
	}
}

// BenchmarkSyncUpdate5000 is soup sync with one version changed in a
// 5,000-item register: the edit, the splice and the verifying re-parse.
func BenchmarkSyncUpdate5000(b *testing.B) {
	data, inv := bigRegister(5000)
	inv.Components[1].Version = "v9.9.9"
	inv.Components[1].PURL = ""
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		_, changes, err := SyncData("soup.yaml", data, inv, SyncOptions{Now: now})
		if err != nil || len(changes) != 1 {
			b.Fatal(changes, err)
		}
	}
}
