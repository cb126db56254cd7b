package soup

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/inventory"
)

// now is the date the tests reconcile at.
var now = time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)

// module is a third-party module component, as discovery returns it.
func goMod(path, version string, licenses ...string) inventory.Component {
	return inventory.Component{
		ID: path, Kind: inventory.Module, Path: path, Version: version,
		PURL: modpath.PackageURL(path, version), Licenses: licenses, Scope: inventory.Required,
	}
}

func stdlib(version string) inventory.Component {
	return inventory.Component{
		ID: inventory.StdlibID, Kind: inventory.Stdlib, Path: inventory.StdlibID, Version: version,
		PURL: modpath.PackageURL(inventory.StdlibID, version), Licenses: []string{"BSD-3-Clause"}, Scope: inventory.Required,
	}
}

func testInventory(comps ...inventory.Component) *inventory.Inventory {
	inv := &inventory.Inventory{
		Mode:   inventory.Packages,
		MainID: "example.com/app",
		Components: append([]inventory.Component{{
			ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app", PURL: "pkg:golang/example.com/app",
		}}, comps...),
	}
	inv.Sort()
	return inv
}

// validInventory is the build testdata/valid.yaml declares.
func validInventory() *inventory.Inventory {
	return testInventory(goMod("baseline.test/greet", "v1.0.0", "MIT"), stdlib("v1.26.8"))
}

func loadValid(t *testing.T) *Register {
	t.Helper()
	reg, err := LoadRegister(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestReconcileInSync(t *testing.T) {
	reg := loadValid(t)
	rep := Reconcile(reg, validInventory(), ReconcileOptions{Now: now})
	if !rep.OK() {
		var b strings.Builder
		rep.WriteText(&b)
		t.Fatalf("findings:\n%s", b.String())
	}
	if rep.Items != 3 || rep.Components != 2 || rep.Findings == nil {
		t.Errorf("report %+v", rep)
	}
	if got := rep.Summary(); got != "3 items match the build's 2 SOUP components" {
		t.Errorf("summary %q", got)
	}
}

// findings returns the findings as "kind id-or-module field" strings.
func findings(rep Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fmt.Sprintf("%s %s %s", f.Kind, cmpOr(f.ID, f.Module), f.Field))
	}
	return out
}

func TestReconcileFindings(t *testing.T) {
	// Each case edits testdata/valid.yaml (old, new pairs) or the build.
	ev := "    requirements:\n      functional: |\n        Formats a greeting for a name.\n      performance: None relied on.\n" +
		"    required_hw_sw:\n      - Go 1.22 or later\n      - any GOOS/GOARCH\n" +
		"    anomaly_evaluation:\n      anomaly_list: https://example.com/greet/issues\n      version_evaluated: v1.0.0\n" +
		"      date: 2023-06-01\n      evaluator: A. Person\n      relevant_anomalies: []\n      conclusion: No known anomaly affects the product.\n"
	greetSupport := "    support:\n      level: actively-maintained\n      assessed: 2023-06-01\n      end_of_support_justification: No end of support announced.\n"
	hz := "    hazards: [HS-4 wrong patient name shown]\n    risk_controls: [RC-12 name confirmed by the operator]\n"
	classC := []string{
		"requirements.functional", "requirements.performance", "required_hw_sw", "hazards", "risk_controls",
		"anomaly_evaluation.anomaly_list", "anomaly_evaluation.version_evaluated", "anomaly_evaluation.date",
		"anomaly_evaluation.evaluator", "anomaly_evaluation.relevant_anomalies", "anomaly_evaluation.conclusion",
	}
	prefixed := func(prefix string, fields []string) []string {
		var out []string
		for _, f := range fields {
			out = append(out, prefix+f)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		edit []string // old, new, ...
		inv  *inventory.Inventory
		now  time.Time
		want []string
	}{
		{
			name: "undeclared",
			inv:  testInventory(goMod("baseline.test/greet", "v1.0.0"), stdlib("v1.26.8"), goMod("example.com/new", "v0.1.0")),
			want: []string{"undeclared example.com/new "},
		},
		{
			name: "stale",
			inv:  testInventory(stdlib("v1.26.8")),
			want: []string{"stale SOUP-001 module"},
		},
		{
			name: "version drift",
			inv:  testInventory(goMod("baseline.test/greet", "v1.1.0"), stdlib("v1.26.8")),
			want: []string{
				"version-drift SOUP-001 version",
				"version-drift SOUP-001 purl",
				"evaluation-out-of-date SOUP-001 anomaly_evaluation.version_evaluated",
			},
		},
		{
			name: "toolchain upgrade",
			inv:  testInventory(goMod("baseline.test/greet", "v1.0.0"), stdlib("v1.27.0")),
			want: []string{"version-drift SOUP-003 version"},
		},
		{
			name: "evaluation too old",
			now:  time.Date(2024, 6, 2, 0, 0, 0, 0, time.UTC),
			want: []string{"evaluation-out-of-date SOUP-001 anomaly_evaluation.date"},
		},
		{
			name: "evaluation exactly max age",
			now:  time.Date(2024, 5, 31, 23, 0, 0, 0, time.UTC), // 365 days after 2023-06-01
		},
		{
			name: "evaluation in the future",
			now:  time.Date(2023, 5, 31, 0, 0, 0, 0, time.UTC),
			want: []string{"incomplete SOUP-001 anomaly_evaluation.date"},
		},
		{
			name: "evaluation of another version",
			edit: []string{"version_evaluated: v1.0.0", "version_evaluated: v0.9.0"},
			want: []string{"evaluation-out-of-date SOUP-001 anomaly_evaluation.version_evaluated"},
		},
		{
			name: "class A needs the 8.1.2 fields",
			edit: []string{
				"  - id: SOUP-003\n    title: Go standard library and runtime\n", "  -\n",
				"    manufacturer: The Go Authors\n", "",
				"    version: v1.26.8\n", "",
			},
			want: []string{"incomplete stdlib id", "incomplete stdlib title", "incomplete stdlib version", "incomplete stdlib manufacturer"},
		},
		{
			name: "class B needs 5.3.3, 5.3.4 and 7.1.3",
			edit: []string{ev, "", hz, ""},
			want: prefixed("incomplete SOUP-001 ", classC),
		},
		{
			name: "class A does not",
			edit: []string{ev, "", hz, "", "safety_class: B", "safety_class: A"},
		},
		{
			name: "risk medium is held to class B",
			edit: []string{"risk: low", "risk: medium"},
			want: prefixed("incomplete SOUP-004 ", classC),
		},
		{
			name: "no class is held to class C",
			edit: []string{"    safety_class: A\n", ""},
			want: slices.Concat([]string{"incomplete SOUP-003 used_by", "incomplete SOUP-003 safety_class"}, prefixed("incomplete SOUP-003 ", classC),
				[]string{"incomplete SOUP-003 verification.reasoning", "incomplete SOUP-003 verification.last_verified"}),
		},
		{
			name: "community needs a justification",
			edit: []string{"    manufacturer_justification: Developed by Debian Project volunteers.\n", ""},
			want: []string{"incomplete SOUP-004 manufacturer_justification"},
		},
		{
			name: "FDA fields",
			edit: []string{greetSupport, "", "      end_of_support: 2028-06-30\n", ""},
			want: []string{
				"incomplete SOUP-001 support.level",
				"incomplete SOUP-001 support.assessed",
				"incomplete SOUP-001 support.end_of_support",
				"incomplete SOUP-004 support.end_of_support",
			},
		},
		{
			name: "FDA fields not required",
			edit: []string{greetSupport, "", "require_fda: true", "require_fda: false"},
		},
		{
			name: "TODO markers",
			edit: []string{"    website: https://go.dev\n", "    website: \"TODO: confirm: https://go.dev\"\n"},
			want: []string{"incomplete SOUP-003 website"},
		},
		{
			name: "first-party modules are not SOUP",
			inv: func() *inventory.Inventory {
				inv := validInventory()
				inv.Components = append(inv.Components, inventory.Component{ID: "example.com/lib", Kind: inventory.FirstParty, Path: "example.com/lib"})
				inv.Sort()
				return inv
			}(),
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "valid.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			src := string(data)
			for i := 0; i+1 < len(tt.edit); i += 2 {
				if !strings.Contains(src, tt.edit[i]) {
					t.Fatalf("valid.yaml has no %q", tt.edit[i])
				}
				src = strings.Replace(src, tt.edit[i], tt.edit[i+1], 1)
			}
			reg, err := ParseRegister("valid.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			inv := tt.inv
			if inv == nil {
				inv = validInventory()
			}
			at := tt.now
			if at.IsZero() {
				at = now
			}
			rep := Reconcile(reg, inv, ReconcileOptions{Now: at})
			if got := findings(rep); !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, f := range rep.Findings {
				if f.Reason == "" || (f.Kind != Undeclared && f.Line == 0) {
					t.Errorf("finding without reason or line: %+v", f)
				}
			}
		})
	}
}

func TestReconcileReplacements(t *testing.T) {
	src := header + `items:
  - id: SOUP-001
    kind: go-module
    title: fork
    module: example.com/fork
    version: v1.0.1
  - id: SOUP-002
    kind: go-module
    title: local
    module: example.com/local
    version: v1.2.3 with local patches
`
	// "version with spaces" is not allowed for Go items: use another.
	src = strings.Replace(src, "v1.2.3 with local patches", "v1.2.3+patched", 1)
	reg, err := ParseRegister("soup.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	repl := goMod("example.com/repl", "v1.0.0")
	repl.Replace = &inventory.Replacement{Path: "example.com/fork", Version: "v1.0.1"}
	repl.PURL = modpath.PackageURL("example.com/fork", "v1.0.1")
	local := goMod("example.com/local", "v1.2.3")
	local.Replace = &inventory.Replacement{Path: "./third_party/local", Local: true}
	local.PURL = "pkg:golang/example.com/local"
	rep := Reconcile(reg, testInventory(repl, local), ReconcileOptions{Now: now})
	for _, f := range findings(rep) {
		if !strings.HasPrefix(f, "incomplete") {
			t.Errorf("finding %s", f)
		}
	}
}

func TestReportText(t *testing.T) {
	reg := loadValid(t)
	inv := testInventory(goMod("baseline.test/greet", "v1.1.0"), stdlib("v1.26.8"), goMod("example.com/new", "v0.1.0"))
	rep := Reconcile(reg, inv, ReconcileOptions{Now: now})
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `valid.yaml:24: SOUP-001 baseline.test/greet: version-drift: version: the register says v1.0.0, the build uses v1.1.0 (8.1.2 c)
valid.yaml:25: SOUP-001 baseline.test/greet: version-drift: purl: the register says pkg:golang/baseline.test/greet@v1.0.0, the build uses pkg:golang/baseline.test/greet@v1.1.0
valid.yaml:40: SOUP-001 baseline.test/greet: evaluation-out-of-date: anomaly_evaluation.version_evaluated: the anomaly list was evaluated for v1.0.0, the version used is v1.1.0: evaluate it again (7.1.3)
valid.yaml: example.com/new: undeclared: the build uses v0.1.0, but no item of the register declares it (baseline soup sync adds it)
valid.yaml: 4 findings (1 undeclared, 2 version-drift, 1 evaluation-out-of-date)
`
	got := strings.ReplaceAll(b.String(), filepath.Join("testdata", "valid.yaml"), "valid.yaml")
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	b.Reset()
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Findings) != 4 || back.Findings[3].Kind != Undeclared || back.Findings[0].Line != 24 {
		t.Errorf("JSON round trip: %+v", back)
	}
}

// TestLicenseMismatch: the concluded licence must be the declared one or
// a choice of its OR branches; the finding names both values.
func TestLicenseMismatch(t *testing.T) {
	for _, tc := range []struct {
		concluded string
		detected  []string
		mismatch  bool
	}{
		{"MIT", []string{"MIT"}, false},
		{"Apache-2.0", []string{"MIT"}, true},
		{"MIT", []string{"Apache-2.0", "MIT"}, false}, // several: may be alternatives
		{"BSD-3-Clause", []string{"Apache-2.0", "MIT"}, true},
		{"MIT AND Apache-2.0", []string{"Apache-2.0", "MIT"}, false},
		{"GPL-3.0-only", []string{"GPL-2.0-or-later"}, false},
		{"MIT", nil, false}, // nothing detected: nothing to compare
	} {
		src := header + "items:\n  - id: SOUP-001\n    title: a\n    kind: go-module\n    module: example.com/a\n    version: v1.0.0\n" +
			"    manufacturer: A\n    safety_class: A\n    license: " + tc.concluded + "\n"
		reg, err := ParseRegister("soup.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		rep := Reconcile(reg, testInventory(goMod("example.com/a", "v1.0.0", tc.detected...)), ReconcileOptions{Now: now})
		var got []Finding
		for _, f := range rep.Findings {
			if f.Kind == LicenseMismatch {
				got = append(got, f)
			}
		}
		if (len(got) > 0) != tc.mismatch {
			t.Errorf("%s vs %v: findings %+v, want mismatch %v", tc.concluded, tc.detected, got, tc.mismatch)
		}
		if len(got) > 0 && (!strings.Contains(got[0].Reason, tc.concluded) || !strings.Contains(got[0].Reason, tc.detected[0]) || got[0].Line != 13) {
			t.Errorf("finding %+v: want both values and line 13", got[0])
		}
	}
}
