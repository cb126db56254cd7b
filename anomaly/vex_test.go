package anomaly_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
	"github.com/baseline-cm/baseline/soup"
)

// vexRegister concludes on GO-2024-9001 (relevant) and GO-2024-9002
// (not relevant); GO-2024-9003 is not evaluated.
const vexRegister = `version: 1
ids:
  prefix: SOUP-
  width: 3
items:
  - id: SOUP-001
    title: baseline.test/vuln
    kind: go-module
    module: baseline.test/vuln
    version: v1.0.0
    manufacturer: Vuln Fixture Authors
    safety_class: B
    anomaly_evaluation:
      anomaly_list: https://pkg.go.dev/vuln/list
      version_evaluated: v1.0.0
      date: 2024-06-01
      evaluator: A. Person
      relevant_anomalies: [GO-2024-9001]
      conclusion: One relevant advisory, mitigated.
      advisories:
        - id: GO-2024-9001
          evidence: symbol-reached
          conclusion: relevant
          assessment: Parse reads only the product's own configuration; no hazardous situation.
          action: Upgrade to v1.1.0 (CR-001).
        - id: GO-2024-9002
          evidence: package-imported
          conclusion: not-relevant
          justification: vulnerable-code-not-in-execute-path
          assessment: Only render.Plain is called.
`

type vexFixture struct {
	reg *soup.Register
	inv *inventory.Inventory
	res *anomaly.Result
}

var (
	vexOnce sync.Once
	vexFix  vexFixture
	vexErr  error
)

// setupVEX scans the fixture product once for the tests that share it.
func setupVEX(t *testing.T) vexFixture {
	t.Helper()
	vexOnce.Do(func() { vexFix, vexErr = newVEXFixture(t) })
	if vexErr != nil {
		t.Fatal(vexErr)
	}
	return vexFix
}

func newVEXFixture(t *testing.T) (vexFixture, error) {
	dir := product(t, "v1.0.0", map[string]string{"main.go": app})
	reg, err := soup.ParseRegister("soup.yaml", []byte(vexRegister))
	if err != nil {
		return vexFixture{}, err
	}
	inv, err := discover.Packages(context.Background(), discover.Options{Dir: dir, NoCache: true})
	if err != nil {
		return vexFixture{}, err
	}
	res, err := anomaly.Scan(context.Background(), anomaly.Options{DB: fixtureDB, Dir: dir})
	if err != nil {
		return vexFixture{}, err
	}
	return vexFixture{reg, inv, res}, nil
}

func TestStatements(t *testing.T) {
	f := setupVEX(t)
	stmts := anomaly.Statements(f.reg, f.inv, f.res)
	var got []string
	for _, s := range stmts {
		c := "unevaluated"
		if s.Concluded() {
			c = string(s.Evaluation.Conclusion)
		}
		got = append(got, s.Advisory.ID+" "+string(s.Advisory.Evidence)+" "+c)
	}
	want := "GO-2024-9001 symbol-reached relevant|GO-2024-9002 package-imported not-relevant|GO-2024-9003 module-required unevaluated"
	if strings.Join(got, "|") != want {
		t.Errorf("statements = %q, want %q", strings.Join(got, "|"), want)
	}
	// Without a scan: the register's entries only.
	stmts = anomaly.Statements(f.reg, f.inv, nil)
	if len(stmts) != 2 || stmts[0].Advisory.Evidence != soup.SymbolReached || !stmts[1].Concluded() {
		t.Errorf("register-only statements = %+v", stmts)
	}
	// A register at another version: its conclusions do not count.
	other := strings.Replace(vexRegister, "    version: v1.0.0\n", "    version: v0.9.0\n", 1)
	reg, err := soup.ParseRegister("soup.yaml", []byte(other))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range anomaly.Statements(reg, f.inv, f.res) {
		if s.Concluded() || s.Note == "" && s.Advisory.ID != "GO-2024-9003" {
			t.Errorf("%s: concluded %v, note %q for a register at another version", s.Advisory.ID, s.Concluded(), s.Note)
		}
	}
	// After an upgrade, soup sync sets the item's version to the one used,
	// and the anomaly evaluation still names the version it was made for:
	// its conclusions are in triage until evaluated again.
	for _, evaluated := range []string{"v0.9.0", "TODO"} {
		synced := strings.Replace(vexRegister, "      version_evaluated: v1.0.0\n", "      version_evaluated: "+evaluated+"\n", 1)
		reg, err := soup.ParseRegister("soup.yaml", []byte(synced))
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range []*anomaly.Result{f.res, nil} {
			for _, s := range anomaly.Statements(reg, f.inv, res) {
				if s.Concluded() || s.Advisory.ID != "GO-2024-9003" && !strings.Contains(s.Note, evaluated) {
					t.Errorf("version_evaluated %s, scan %v: %s: concluded %v, note %q", evaluated, res != nil, s.Advisory.ID, s.Concluded(), s.Note)
				}
			}
		}
	}
	// An entry missing what its conclusion needs (soup check: incomplete)
	// concludes nothing.
	incomplete := strings.NewReplacer(
		"          action: Upgrade to v1.1.0 (CR-001).\n", "",
		"          justification: vulnerable-code-not-in-execute-path\n", "",
	).Replace(vexRegister)
	if incomplete == vexRegister {
		t.Fatal("the fixture register changed: the test changes nothing")
	}
	reg, err = soup.ParseRegister("soup.yaml", []byte(incomplete))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range anomaly.Statements(reg, f.inv, f.res) {
		if s.Concluded() {
			t.Errorf("%s: an incomplete entry (%+v) is concluded", s.Advisory.ID, *s.Evaluation)
		}
	}
	doc, err := anomaly.OpenVEX(anomaly.Statements(reg, f.inv, f.res), anomaly.OpenVEXOptions{Product: "pkg:golang/example.com/app", Author: "A", Timestamp: time.Unix(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range doc.Statements {
		if st.Status != anomaly.OpenVEXUnderInvestigation {
			t.Errorf("OpenVEX %s: status %s from an incomplete entry, want %s", st.Vulnerability.Name, st.Status, anomaly.OpenVEXUnderInvestigation)
		}
	}
}

func cycloneDXSchema(t *testing.T) *jsonschema.Schema {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/CycloneDX/cyclonedx-go").Output()
	if err != nil {
		t.Skipf("go list -m github.com/CycloneDX/cyclonedx-go: %v: schema validation skipped", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "schema")
	const base = "http://cyclonedx.org/schema/"
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for url, file := range map[string]string{
		base + "spdx.schema.json":     "spdx.schema.json",
		base + "jsf-0.82.schema.json": "jsf-0.82.schemax.json",
		base + "bom-1.6.schema.json":  "bom-1.6.schema.json",
	} {
		addResource(t, c, url, filepath.Join(dir, file))
	}
	sch, err := c.Compile(base + "bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func addResource(t *testing.T, c *jsonschema.Compiler, url, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
}

func validate(t *testing.T, sch *jsonschema.Schema, data []byte, what string) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s does not validate against its schema:\n%v\n%s", what, err, data)
	}
}

func TestCycloneDXVEX(t *testing.T) {
	f := setupVEX(t)
	stmts := anomaly.Statements(f.reg, f.inv, f.res)
	opts := sbom.Options{
		Register: f.reg, ProductVersion: "v1.2.3", Timestamp: time.Unix(1700000000, 0), ToolVersion: "v0",
		Vulnerabilities:    anomaly.CycloneDXVulnerabilities(stmts, sbom.BOMRefs(f.reg)),
		MetadataProperties: anomaly.DatabaseProperties(f.res.Database),
	}
	var buf bytes.Buffer
	if err := sbom.Encode(&buf, f.inv, sbom.CycloneDXJSON, opts); err != nil {
		t.Fatal(err)
	}
	validate(t, cycloneDXSchema(t), buf.Bytes(), "the CycloneDX SBOM with vulnerabilities")
	var bom cdx.BOM
	if err := json.Unmarshal(buf.Bytes(), &bom); err != nil {
		t.Fatal(err)
	}
	if bom.Vulnerabilities == nil || len(*bom.Vulnerabilities) != 3 {
		t.Fatalf("vulnerabilities: %+v", bom.Vulnerabilities)
	}
	refs := map[string]bool{}
	for _, c := range *bom.Components {
		refs[c.BOMRef] = true
	}
	want := map[string]string{
		"GO-2024-9001": "exploitable/",
		"GO-2024-9002": "not_affected/code_not_reachable",
		"GO-2024-9003": "in_triage/",
	}
	for _, v := range *bom.Vulnerabilities {
		if got := string(v.Analysis.State) + "/" + string(v.Analysis.Justification); got != want[v.ID] {
			t.Errorf("%s: analysis %s, want %s", v.ID, got, want[v.ID])
		}
		for _, a := range *v.Affects {
			if !refs[a.Ref] || a.Ref != "SOUP-001" {
				t.Errorf("%s affects %q, not the register item's component", v.ID, a.Ref)
			}
		}
	}
	v1 := (*bom.Vulnerabilities)[0]
	if !strings.Contains(v1.Analysis.Detail, "Action: Upgrade to v1.1.0 (CR-001).") || !strings.Contains(v1.Analysis.Detail, "symbol reached: example.com/app.main -> baseline.test/vuln/parse.Parse") {
		t.Errorf("GO-2024-9001 detail = %q", v1.Analysis.Detail)
	}
	if v1.Recommendation != "Fixed in baseline.test/vuln v1.1.0." || (*v1.References)[0].ID != "CVE-2024-99001" {
		t.Errorf("GO-2024-9001 = %+v", v1)
	}
	if v3 := (*bom.Vulnerabilities)[2]; !strings.Contains(v3.Analysis.Detail, "Not evaluated yet") {
		t.Errorf("GO-2024-9003 detail = %q", v3.Analysis.Detail)
	}
	var mod string
	for _, p := range *bom.Metadata.Properties {
		if p.Name == anomaly.VulnDBModifiedProperty {
			mod = p.Value
		}
	}
	if mod != "2024-05-23T12:00:00Z" {
		t.Errorf("metadata %s = %q", anomaly.VulnDBModifiedProperty, mod)
	}
	// Reproducible: the same inputs, the same bytes.
	var again bytes.Buffer
	if err := sbom.Encode(&again, f.inv, sbom.CycloneDXJSON, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("two encodings differ")
	}
}

func openVEXSchema(t *testing.T) *jsonschema.Schema {
	c := jsonschema.NewCompiler()
	const url = "https://github.com/openvex/spec/openvex_json_schema_0.2.0.json"
	addResource(t, c, url, filepath.Join("testdata", "openvex_json_schema_0.2.0.json"))
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestOpenVEX(t *testing.T) {
	f := setupVEX(t)
	stmts := anomaly.Statements(f.reg, f.inv, f.res)
	opts := anomaly.OpenVEXOptions{
		Product: "pkg:golang/example.com/app@v1.2.3", Author: "A. Person", Timestamp: time.Unix(1700000000, 0),
		Tooling: "baseline test", Database: &f.res.Database,
	}
	doc, err := anomaly.OpenVEX(stmts, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := anomaly.EncodeOpenVEX(&buf, doc); err != nil {
		t.Fatal(err)
	}
	sch := openVEXSchema(t)
	validate(t, sch, buf.Bytes(), "the OpenVEX document")
	var got []string
	for _, s := range doc.Statements {
		got = append(got, s.Vulnerability.Name+" "+s.Status+" "+s.Justification)
	}
	want := "GO-2024-9001 affected |GO-2024-9002 not_affected vulnerable_code_not_in_execute_path|GO-2024-9003 under_investigation "
	if strings.Join(got, "|") != want {
		t.Errorf("statements %q, want %q", strings.Join(got, "|"), want)
	}
	s := doc.Statements[0]
	if s.ActionStatement != "Upgrade to v1.1.0 (CR-001)." || s.Timestamp != "2024-06-01T00:00:00Z" || s.Products[0].Subcomponents[0].ID != "pkg:golang/baseline.test/vuln@v1.0.0" {
		t.Errorf("GO-2024-9001 statement = %+v", s)
	}
	if s := doc.Statements[2]; s.Timestamp != "" || !strings.Contains(s.StatusNotes, "module required") {
		t.Errorf("GO-2024-9003 statement = %+v", s)
	}
	if !strings.Contains(doc.Tooling, "vulnerability database local copy (modified 2024-05-23T12:00:00Z)") || !strings.HasPrefix(doc.ID, "https://openvex.dev/docs/public/vex-") {
		t.Errorf("document = %+v", doc)
	}
	// Reproducible bytes; another conclusion, another @id.
	doc2, _ := anomaly.OpenVEX(stmts, opts)
	var again bytes.Buffer
	anomaly.EncodeOpenVEX(&again, doc2)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("two encodings differ")
	}
	stmts[2].Evaluation = &soup.Advisory{ID: "GO-2024-9003", Conclusion: soup.NotRelevant, Justification: soup.VulnerableCodeNotPresent}
	stmts[2].Item = stmts[0].Item
	doc3, _ := anomaly.OpenVEX(stmts, opts)
	if doc3.ID == doc.ID {
		t.Errorf("another statement, same @id")
	}
	// The schema is strict enough to catch a broken document.
	broken := bytes.Replace(buf.Bytes(), []byte(`"under_investigation"`), []byte(`"maybe"`), 1)
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(broken))
	if sch.Validate(v) == nil {
		t.Error("the OpenVEX schema accepts a bad status: the test proves nothing")
	}
}

// Every justification maps onto a distinct CycloneDX and OpenVEX value.
func TestJustificationsOneToOne(t *testing.T) {
	c, o := map[string]bool{}, map[string]bool{}
	for _, j := range soup.Justifications() {
		cj, oj := string(anomaly.CycloneDXJustification(j)), anomaly.OpenVEXJustification(j)
		if cj == "" || oj == "" || c[cj] || o[oj] {
			t.Errorf("%s maps onto %q and %q: not one to one", j, cj, oj)
		}
		c[cj], o[oj] = true, true
	}
}

func TestUnion(t *testing.T) {
	db := anomaly.Database{URL: "https://vuln.go.dev"}
	linux := &anomaly.Result{Database: db, Scanner: "govulncheck v1", Advisories: []anomaly.Advisory{
		{ID: "GO-1", Module: "m", Version: "v1.0.0", Evidence: soup.ModuleRequired},
		{ID: "GO-2", Module: "m", Version: "v1.0.0", Evidence: soup.SymbolReached},
	}}
	windows := &anomaly.Result{Database: db, Scanner: "govulncheck v1", Advisories: []anomaly.Advisory{
		{ID: "GO-1", Module: "m", Version: "v1.0.0", Evidence: soup.SymbolReached, Package: "m/p"},
		{ID: "GO-2", Module: "m", Version: "v1.0.0", Evidence: soup.PackageImported},
		{ID: "GO-0", Module: "a", Version: "v2.0.0", Evidence: soup.PackageImported},
	}}
	u := anomaly.Union(linux, windows)
	var got []string
	for _, a := range u.Advisories {
		got = append(got, a.Module+" "+a.ID+" "+string(a.Evidence)+" "+a.Package)
	}
	want := []string{"a GO-0 package-imported ", "m GO-1 symbol-reached m/p", "m GO-2 symbol-reached "}
	if !slices.Equal(got, want) {
		t.Errorf("Union = %q, want %q", got, want)
	}
	if u.Database != db || u.Scanner != "govulncheck v1" {
		t.Errorf("Database %v, Scanner %q", u.Database, u.Scanner)
	}
	if len(linux.Advisories) != 2 || linux.Advisories[0].Evidence != soup.ModuleRequired {
		t.Error("Union changed its input")
	}
	if anomaly.Union() != nil {
		t.Error("Union() is not nil")
	}
}
