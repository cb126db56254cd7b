package soup

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/baseline-cm/baseline/inventory"
)

// withoutLines returns the findings with their lines cleared: a register
// built in Go has none, and lines are for messages only.
func withoutLines(fs []Finding) []Finding {
	out := slices.Clone(fs)
	for i := range out {
		out[i].Line = 0
	}
	return out
}

// inGo builds the register r again from its exported fields only, as a
// Go program would (through JSON, which drops the parser's positions).
func inGo(t *testing.T, r *Register) *Register {
	t.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var g Register
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	g.File = r.File
	for i := range g.Items {
		if g.Items[i].Line != 0 || g.Items[i].Lines != nil {
			t.Fatal("positions survived the copy")
		}
	}
	return &g
}

// TestSameFindingsInGoAndYAML checks every fixture register, read from
// YAML and built in Go, against the builds of the fixtures: the findings
// are the same, but for the lines.
func TestSameFindingsInGoAndYAML(t *testing.T) {
	type fixture struct {
		name string
		data []byte
		invs []*inventory.Inventory
	}
	valid, err := os.ReadFile(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fixtures := []fixture{{"valid.yaml", valid, []*inventory.Inventory{
		validInventory(),
		testInventory(goMod("baseline.test/greet", "v1.1.0"), stdlib("v1.26.8"), goMod("example.com/new", "v0.1.0")),
		testInventory(),
	}}}
	files, _ := filepath.Glob(filepath.Join("testdata", "sync", "*.txtar"))
	for _, f := range files {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var inv *inventory.Inventory
		for _, af := range ar.Files {
			if af.Name == "inventory" {
				inv = parseInventory(t, string(af.Data))
			}
		}
		for _, af := range ar.Files {
			if af.Name == "soup.yaml" || af.Name == "want.yaml" {
				fixtures = append(fixtures, fixture{filepath.Base(f) + ":" + af.Name, af.Data, []*inventory.Inventory{inv, testInventory()}})
			}
		}
	}
	for _, fx := range fixtures {
		fromYAML, err := ParseRegister("soup.yaml", fx.data)
		if err != nil {
			t.Fatalf("%s: %v", fx.name, err)
		}
		fromGo := inGo(t, fromYAML)
		for i, inv := range fx.invs {
			a := Reconcile(fromYAML, inv, ReconcileOptions{Now: now})
			b := Reconcile(fromGo, inv, ReconcileOptions{Now: now})
			if !slices.Equal(withoutLines(a.Findings), b.Findings) {
				t.Errorf("%s, build %d:\nfrom YAML: %v\nin Go:     %v", fx.name, i, findings(a), findings(b))
			}
		}
	}
}

// TestGoRegisterRules is the case of issue 9 written out: a TODO
// manufacturer is flagged, and an explicitly empty relevant_anomalies
// passes, in Go as in YAML.
func TestGoRegisterRules(t *testing.T) {
	src := header + `items:
  - id: SOUP-001
    title: github.com/google/uuid
    kind: go-module
    module: github.com/google/uuid
    version: v1.6.0
    manufacturer: TODO
    safety_class: B
    requirements: {functional: UUIDs., performance: None relied on.}
    required_hw_sw: [Go 1.21 or later]
    hazards: []
    risk_controls: []
    anomaly_evaluation:
      anomaly_list: https://github.com/google/uuid/issues
      version_evaluated: v1.6.0
      date: 2023-06-01
      evaluator: J. Doe
      relevant_anomalies: []
      conclusion: None affects the product.
`
	fromYAML, err := ParseRegister("soup.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fromGo := &Register{File: "soup.yaml", Version: 1, IDs: IDs{Prefix: "SOUP-", Width: 3}, Items: []Item{{
		ID: "SOUP-001", Title: "github.com/google/uuid", Kind: GoModule, Module: "github.com/google/uuid", Version: "v1.6.0",
		Manufacturer: "TODO", SafetyClass: ClassB,
		Requirements: &Requirements{Functional: "UUIDs.", Performance: "None relied on."},
		RequiredHWSW: []string{"Go 1.21 or later"}, Hazards: []string{}, RiskControls: []string{},
		AnomalyEvaluation: &AnomalyEvaluation{
			AnomalyList: "https://github.com/google/uuid/issues", VersionEvaluated: "v1.6.0", Date: "2023-06-01",
			Evaluator: "J. Doe", RelevantAnomalies: []string{}, Conclusion: "None affects the product.",
		},
	}}}
	inv := testInventory(goMod("github.com/google/uuid", "v1.6.0"))
	a := Reconcile(fromYAML, inv, ReconcileOptions{Now: now})
	b := Reconcile(fromGo, inv, ReconcileOptions{Now: now})
	want := []string{"incomplete SOUP-001 manufacturer"}
	if got := findings(a); !slices.Equal(got, want) {
		t.Errorf("from YAML: %q, want %q", got, want)
	}
	if got := findings(b); !slices.Equal(got, want) {
		t.Errorf("in Go: %q, want %q", got, want)
	}
	// nil relevant anomalies: not stated, in both.
	fromGo.Items[0].AnomalyEvaluation.RelevantAnomalies = nil
	if got := findings(Reconcile(fromGo, inv, ReconcileOptions{Now: now})); !slices.Contains(got, "incomplete SOUP-001 anomaly_evaluation.relevant_anomalies") {
		t.Errorf("nil relevant_anomalies not reported: %q", got)
	}
}
