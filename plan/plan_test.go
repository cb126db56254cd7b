package plan_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baseline-cm/baseline/plan"
	"github.com/baseline-cm/baseline/product"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestRenderGolden(t *testing.T) {
	cfg, err := product.Load(filepath.Join("testdata", "baseline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got := plan.Render(cfg)
	golden := filepath.Join("testdata", "plan.md")
	if *update {
		if err := os.WriteFile(golden, got, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("plan differs from %s (go test ./plan -update rewrites it):\n%s", golden, got)
	}
	if fs := plan.Check(cfg); len(fs) != 0 {
		t.Errorf("complete configuration has findings: %v", fs)
	}
}

func TestCheckMissing(t *testing.T) {
	cfg, err := product.Parse("baseline.yaml", []byte(`version: 1
product:
  name: Pump
  manufacturer: TODO the manufacturer
versioning:
  major: Intended use changes.
items:
  classes:
    - name: source
      kind: go-package
      paths: [./...]
      owner: Software team
    - name: documentation
      paths: ["docs/**"]
      controlled_from: Approval
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range plan.Check(cfg) {
		got = append(got, f.String())
	}
	want := []string{
		"baseline.yaml: versioning.minor: missing: what a minor release is (IEC 62304 5.1.9 b)",
		"baseline.yaml: versioning.patch: missing: what a patch release is (IEC 62304 5.1.9 b)",
		"baseline.yaml: configurations: missing: the build configurations the product is released for (IEC 62304 5.1.9 a)",
		"baseline.yaml: change_control.start: missing: where change control and the problem resolution process start (a date or a git ref) (IEC 62304 5.1.9 d, e)",
		"baseline.yaml:4: product.manufacturer: missing: the organisation responsible for the product (IEC 62304 5.1.9 c)",
		"baseline.yaml:9: items.classes.0.controlled_from: missing: when source items enter configuration control (IEC 62304 5.1.9 d)",
		"baseline.yaml:13: items.classes.1.owner: missing: who is responsible for the documentation items (IEC 62304 5.1.9 c)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	md := string(plan.Render(cfg))
	for _, w := range []string{"| Manufacturer | _not defined_ |", "| Owner of the documentation items | _not defined_ |", "Start of change control: _not defined_ (change control starts with the first release)"} {
		if !strings.Contains(md, w) {
			t.Errorf("plan lacks %q", w)
		}
	}
}
