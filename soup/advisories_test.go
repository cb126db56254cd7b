package soup

import (
	"strings"
	"testing"
	"time"
)

const advisoryRegister = `version: 1
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
    safety_class: A
    anomaly_evaluation:
      anomaly_list: https://pkg.go.dev/vuln/list
      advisories:
        - id: GO-2024-9002
          evidence: package-imported
          conclusion: not-relevant
          justification: vulnerable-code-not-in-execute-path
          assessment: The product calls render.Plain only.
  - id: SOUP-002
    title: baseline.test/other
    kind: go-module
    module: baseline.test/other
    version: v1.0.0
    manufacturer: Other Authors
    safety_class: A

  # A trailing comment.
`

var known = []KnownAdvisory{
	{ID: "GO-2024-9001", Module: "baseline.test/vuln", Version: "v1.0.0", Evidence: SymbolReached, Summary: "Unbounded recursion in Parse", FixedVersion: "v1.1.0"},
	{ID: "GO-2024-9002", Module: "baseline.test/vuln", Version: "v1.0.0", Evidence: PackageImported, Summary: "Markup injection in Render", FixedVersion: "v1.1.0"},
	{ID: "GO-2024-9003", Module: "baseline.test/other", Version: "v1.0.0", Evidence: ModuleRequired, Summary: "Panic in Extra"},
	{ID: "GO-2024-9005", Module: "baseline.test/new", Version: "v2.0.0", Evidence: ModuleRequired, Summary: "Something in new"},
	// Another version than the one used: never reported.
	{ID: "GO-2024-9004", Module: "baseline.test/vuln", Version: "v0.8.0", Evidence: SymbolReached},
}

func advisoryInventory() []string {
	return []string{"baseline.test/vuln v1.0.0", "baseline.test/other v1.0.0"}
}

func TestParseAdvisories(t *testing.T) {
	reg, err := ParseRegister("soup.yaml", []byte(advisoryRegister))
	if err != nil {
		t.Fatal(err)
	}
	got := reg.Items[0].AnomalyEvaluation.Advisories
	if len(got) != 1 || got[0].ID != "GO-2024-9002" || got[0].Evidence != PackageImported || got[0].Conclusion != NotRelevant ||
		got[0].Justification != VulnerableCodeNotInExecutePath || got[0].Line != 16 || !got[0].Evaluated() {
		t.Errorf("advisories = %+v", got)
	}
	for _, tc := range []struct{ from, to, want string }{
		{"conclusion: not-relevant", "conclusion: maybe", `soup.yaml:18: anomaly_evaluation.advisories[GO-2024-9002].conclusion: "maybe" is not allowed (want relevant, not-relevant)`},
		{"justification: vulnerable-code-not-in-execute-path", "justification: code_not_reachable", `soup.yaml:19: anomaly_evaluation.advisories[GO-2024-9002].justification: "code_not_reachable" is not allowed (want component-not-present, vulnerable-code-not-present, vulnerable-code-not-in-execute-path, vulnerable-code-cannot-be-controlled-by-adversary, inline-mitigations-already-exist)`},
		{"evidence: package-imported", "evidence: called", `soup.yaml:17: anomaly_evaluation.advisories[GO-2024-9002].evidence: "called" is not allowed`},
		{"          assessment:", "          severity: high\n          assessment:", `soup.yaml:20: anomaly_evaluation.advisories[0].severity: unknown key`},
		{"        - id: GO-2024-9002\n", "        - id: GO-2024-9002\n          conclusion: relevant\n", `given twice`},
		{"      advisories:\n", "      advisories: GO-2024-9002\n      x:\n", `soup.yaml:15: anomaly_evaluation.advisories: want a list of advisories`},
		{"        - id: GO-2024-9002\n", "        - id: GO-2024-9002\n        - evidence: module-required\n", `soup.yaml:17: anomaly_evaluation.advisories[1].id: missing`},
		{"        - id: GO-2024-9002\n", "        - id: GO-2024-9002\n          evidence: module-required\n        - id: GO-2024-9002\n", `GO-2024-9002 is listed twice (first at line 16)`},
		{"conclusion: not-relevant", "conclusion: relevant", `a relevant advisory has no justification`},
	} {
		text := strings.Replace(advisoryRegister, tc.from, tc.to, 1)
		_, err := ParseRegister("soup.yaml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s -> %s: error %v, want %q", tc.from, tc.to, err, tc.want)
		}
	}
}

func TestReconcileAdvisories(t *testing.T) {
	reg, err := ParseRegister("soup.yaml", []byte(advisoryRegister))
	if err != nil {
		t.Fatal(err)
	}
	inv := parseInventory(t, strings.Join(advisoryInventory(), "\n"))
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	rep := Reconcile(reg, inv, ReconcileOptions{Now: now})
	if !rep.OK() {
		t.Fatalf("without advisories: %v", findings(rep))
	}
	rep = Reconcile(reg, inv, ReconcileOptions{Now: now, Advisories: known})
	want := []string{
		"soup.yaml:15: SOUP-001 baseline.test/vuln: unevaluated-anomaly: anomaly_evaluation.advisories: GO-2024-9001 (symbol-reached, fixed in v1.1.0) affects v1.0.0 and is not evaluated: Unbounded recursion in Parse (baseline soup sync --vulndb adds it)",
		"soup.yaml:21: SOUP-002 baseline.test/other: unevaluated-anomaly: anomaly_evaluation.advisories: GO-2024-9003 (module-required) affects v1.0.0 and is not evaluated: Panic in Extra (baseline soup sync --vulndb adds it)",
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.String(rep.Register))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := rep.Summary(); s != "2 findings (2 unevaluated-anomaly)" {
		t.Errorf("summary = %q", s)
	}

	// Incomplete conclusions.
	for _, tc := range []struct{ from, to, want string }{
		{"          justification: vulnerable-code-not-in-execute-path\n", "", "soup.yaml:16: SOUP-001 baseline.test/vuln: incomplete: anomaly_evaluation.advisories[GO-2024-9002].justification: missing: why the advisory is not relevant"},
		{"          conclusion: not-relevant\n          justification: vulnerable-code-not-in-execute-path\n", "          conclusion: relevant\n", "soup.yaml:16: SOUP-001 baseline.test/vuln: incomplete: anomaly_evaluation.advisories[GO-2024-9002].action: missing: what is done"},
		{"conclusion: not-relevant", "conclusion: TODO", `incomplete: anomaly_evaluation.advisories[GO-2024-9002].conclusion: TODO marker left: "TODO"`},
	} {
		reg, err := ParseRegister("soup.yaml", []byte(strings.Replace(advisoryRegister, tc.from, tc.to, 1)))
		if err != nil {
			t.Fatal(err)
		}
		rep := Reconcile(reg, inv, ReconcileOptions{Now: now})
		var lines []string
		for _, f := range rep.Findings {
			lines = append(lines, f.String(rep.Register))
		}
		if !strings.Contains(strings.Join(lines, "\n"), tc.want) {
			t.Errorf("%q -> %q: findings\n%s\nwant %q", tc.from, tc.to, strings.Join(lines, "\n"), tc.want)
		}
	}
}

func TestSyncAdvisories(t *testing.T) {
	inv := parseInventory(t, strings.Join(append(advisoryInventory(), "baseline.test/new v2.0.0 MIT"), "\n"))
	out, changes, err := SyncData("soup.yaml", []byte(advisoryRegister), inv, SyncOptions{Now: syncDate, Advisories: known})
	if err != nil {
		t.Fatal(err)
	}
	want := `listed GO-2024-9001 in SOUP-001 baseline.test/vuln: evaluate it (7.1.3)
listed GO-2024-9003 in SOUP-002 baseline.test/other: evaluate it (7.1.3)
added SOUP-003 baseline.test/new v2.0.0: fill in its 16 TODO fields (manufacturer, used_by, safety_class, requirements, required_hw_sw, hazards, risk_controls, anomaly_evaluation, verification)
`
	if got := changeLines(changes); got != want {
		t.Errorf("changes:\n%swant:\n%s", got, want)
	}
	text := string(out)
	for _, s := range []string{
		"          assessment: The product calls render.Plain only.\n        - id: GO-2024-9001 # Unbounded recursion in Parse (fixed in v1.1.0)\n          evidence: symbol-reached\n          conclusion: TODO # relevant (assessment, action) or not-relevant (justification)\n  - id: SOUP-002",
		"    safety_class: A\n    anomaly_evaluation:\n      advisories:\n        - id: GO-2024-9003 # Panic in Extra\n          evidence: module-required\n          conclusion: TODO",
		"      conclusion: TODO\n      advisories:\n        - id: GO-2024-9005 # Something in new\n          evidence: module-required\n",
		"\n  # A trailing comment.\n",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("synced register lacks\n%s\n---\n%s", s, text)
		}
	}
	reg, err := ParseRegister("soup.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	rep := Reconcile(reg, inv, ReconcileOptions{Now: syncDate, Advisories: known})
	if n := rep.Counts()[UnevaluatedAnomaly]; n != 0 {
		t.Errorf("after sync, %d unevaluated-anomaly findings", n)
	}
	// A second sync changes nothing.
	again, changes, err := SyncData("soup.yaml", out, inv, SyncOptions{Now: syncDate, Advisories: known})
	if err != nil || len(changes) != 0 || string(again) != text {
		t.Errorf("second sync: %v, %v", changes, err)
	}
}

func TestEvidenceRank(t *testing.T) {
	levels := EvidenceLevels()
	for i := 1; i < len(levels); i++ {
		if levels[i-1].Rank() <= levels[i].Rank() {
			t.Errorf("%s ranks %d, not above %s (%d)", levels[i-1], levels[i-1].Rank(), levels[i], levels[i].Rank())
		}
	}
	if r := levels[len(levels)-1].Rank(); r <= 0 {
		t.Errorf("%s ranks %d, want above none", levels[len(levels)-1], r)
	}
	if r := Evidence("").Rank(); r != 0 {
		t.Errorf("no evidence ranks %d", r)
	}
	if r := Evidence("symbol-maybe").Rank(); r != 0 {
		t.Errorf("unknown evidence ranks %d", r)
	}
}
