package soup

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	reg, err := LoadRegister(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if reg.Version != 1 || reg.IDs.Prefix != "SOUP-" || reg.IDs.Width != 3 || reg.IDs.LastIssued != 4 {
		t.Errorf("header: %+v", reg)
	}
	if len(reg.IDs.Retired) != 1 || reg.IDs.Retired[0].ID != "SOUP-002" || reg.IDs.Retired[0].Date != "2023-01-10" {
		t.Errorf("retired: %+v", reg.IDs.Retired)
	}
	if !reg.Policy.RequireFDA || reg.Policy.EvaluationMaxAge != 365 {
		t.Errorf("policy: %+v", reg.Policy)
	}
	if len(reg.Items) != 3 {
		t.Fatalf("%d items", len(reg.Items))
	}
	g := reg.Items[0]
	if g.ID != "SOUP-001" || g.Kind != GoModule || g.Module != "baseline.test/greet" || g.Version != "v1.0.0" || g.Line != 20 {
		t.Errorf("item 0: %+v", g)
	}
	if g.Requirements.Functional != "Formats a greeting for a name.\n" || !slices.Equal(g.RequiredHWSW, []string{"Go 1.22 or later", "any GOOS/GOARCH"}) {
		t.Errorf("item 0 requirements: %+v %q", g.Requirements, g.RequiredHWSW)
	}
	if a := g.AnomalyEvaluation; a == nil || a.RelevantAnomalies == nil || len(a.RelevantAnomalies) != 0 || a.Date != "2023-06-01" {
		t.Errorf("item 0 anomaly evaluation: %+v", a)
	}
	if l := g.FieldLine("anomaly_evaluation.date"); l != 41 {
		t.Errorf("FieldLine(anomaly_evaluation.date) = %d, want 41", l)
	}
	if g.Class() != ClassB {
		t.Errorf("class %s", g.Class())
	}
	if got := reg.Items[1].PackageURL(); got != "pkg:golang/stdlib@v1.26.8" {
		t.Errorf("stdlib purl %q", got)
	}
	if d := reg.Items[2]; d.Kind != OS || d.Version != "12.5" || d.Class() != ClassA || d.Support.EndOfSupport != "2028-06-30" || d.PackageURL() != "" {
		t.Errorf("item 2: %+v", d)
	}
}

// TestDocExample checks that the register example in the package
// documentation parses.
func TestDocExample(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(src), "// An example:\n//\n")
	if !ok {
		t.Fatal("no example in doc.go")
	}
	var b strings.Builder
	for l := range strings.Lines(rest) {
		text, ok := strings.CutPrefix(l, "//\t")
		if !ok {
			break
		}
		b.WriteString(text)
	}
	reg, err := ParseRegister("doc.go example", []byte(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(reg.Items) != 2 {
		t.Errorf("%d items", len(reg.Items))
	}
}

const header = "version: 1\nids:\n  prefix: SOUP-\n  width: 3\n"

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  string
		want []string // each a line of the error, as a regexp
	}{
		{"empty", "", []string{`^soup.yaml: version: empty register`}},
		{"bad yaml", header + "items:\n  - id: SOUP-001\n   title: x\n", []string{`^soup.yaml:7: syntax: `}},
		{"bad yaml indentation", "version: 1\n ids: x\n", []string{`^soup.yaml:2: syntax: mapping values are not allowed`}},
		{"tab", "version: 1\nids:\n\tprefix: SOUP-\n", []string{`^soup.yaml:3: syntax: found character that cannot start any token`}},
		{"two documents", header + "items: []\n---\nversion: 1\n", []string{`^soup.yaml:6: syntax: the file is a single YAML document`}},
		{"not a mapping", "- a\n- b\n", []string{`^soup.yaml:1: register: want a mapping`}},
		{"unknown top key", header + "items: []\nitemz: []\n", []string{`^soup.yaml:6: itemz: unknown key \(did you mean "items"\?\)`}},
		{"unknown item key", header + "items:\n  - kind: os\n    titel: x\n", []string{`^soup.yaml:7: titel: unknown key \(did you mean "title"\?\)`}},
		{"unknown nested key", header + "items:\n  - kind: os\n    support:\n      levle: unknown\n", []string{`^soup.yaml:8: support.levle: unknown key \(did you mean "level"\?\)`}},
		{"unknown key far from any", header + "items: []\nzzzzzzzz: 1\n", []string{`^soup.yaml:6: zzzzzzzz: unknown key \(want version, ids, policy, items\)`}},
		{"key twice", header + "items: []\nversion: 1\n", []string{`^soup.yaml:6: version: given twice \(first at line 1\)`}},
		{"missing version", "ids:\n  prefix: SOUP-\n  width: 3\nitems: []\n", []string{`^soup.yaml:1: version: missing`}},
		{"unsupported version", "version: 2\nids:\n  prefix: SOUP-\n  width: 3\nitems: []\n", []string{`^soup.yaml:1: version: unsupported register format version 2`}},
		{"version not a number", "version: one\nids:\n  prefix: SOUP-\n  width: 3\nitems: []\n", []string{`^soup.yaml:1: version: want a whole number, found "one"`}},
		{"missing ids", "version: 1\nitems: []\n", []string{`^soup.yaml:1: ids: missing`}},
		{"missing items", header, []string{`^soup.yaml:1: items: missing`}},
		{"bad width", "version: 1\nids:\n  prefix: SOUP-\n  width: 0\nitems: []\n", []string{`^soup.yaml:4: ids: identifier width 0`}},
		{"bad prefix", "version: 1\nids:\n  prefix: SOUP1\n  width: 3\nitems: []\n", []string{`^soup.yaml:3: ids: identifier prefix "SOUP1" ends with a digit`}},
		{"items not a list", header + "items: {}\n", []string{`^soup.yaml:5: items: want a list of SOUP items, found a mapping`}},
		{"bad date", header + "items:\n  - kind: os\n    verification:\n      last_verified: 14/03/2024\n", []string{`^soup.yaml:8: verification.last_verified: "14/03/2024" is not a date \(want YYYY-MM-DD\)`}},
		{"impossible date", header + "items:\n  - kind: os\n    support:\n      assessed: 2024-02-30\n", []string{`^soup.yaml:8: support.assessed: "2024-02-30" is not a date`}},
		{"date with time", header + "items:\n  - kind: os\n    anomaly_evaluation:\n      date: 2024-02-03T10:00:00Z\n", []string{`^soup.yaml:8: anomaly_evaluation.date: "2024-02-03T10:00:00Z" is not a date`}},
		{"bad retired date", header + "  retired:\n    - id: SOUP-001\n      date: 2024\n      reason: x\nitems: []\n", []string{`^soup.yaml:7: ids.retired.date: "2024" is not a date`}},
		{"duplicate id", header + "items:\n  - id: SOUP-001\n    kind: os\n    title: a\n  - id: SOUP-001\n    kind: os\n    title: b\n",
			[]string{`^soup.yaml:9: id: SOUP-001 is already the identifier of the item at line 6`}},
		{"duplicate module", header + "items:\n  - kind: go-module\n    module: example.com/a\n  - kind: go-module\n    module: example.com/a\n",
			[]string{`^soup.yaml:9: module: example.com/a is already declared by the item at line 6`}},
		{"duplicate title", header + "items:\n  - kind: os\n    title: Debian\n  - kind: os\n    title: Debian\n",
			[]string{`^soup.yaml:9: title: os "Debian" is already declared by the item at line 6`}},
		{"id outside the scheme", header + "items:\n  - id: SOUP-01\n    kind: os\n", []string{`^soup.yaml:6: id: identifier "SOUP-01" is not in the scheme's form \(want "SOUP-001"\)`}},
		{"id of another scheme", header + "items:\n  - id: SWI-001\n    kind: os\n", []string{`^soup.yaml:6: id: identifier "SWI-001" does not start with "SOUP-"`}},
		{"retired id in use", header + "  retired:\n    - id: SOUP-001\n      date: 2024-01-01\n      reason: gone\nitems:\n  - id: SOUP-001\n    kind: os\n",
			[]string{`^soup.yaml:10: id: SOUP-001 is retired \(line 6\) and may not be used again`}},
		{"retired twice", header + "  retired:\n    - {id: SOUP-001, date: 2024-01-01, reason: gone}\n    - {id: SOUP-001, date: 2024-01-02, reason: gone}\nitems: []\n",
			[]string{`^soup.yaml:7: ids.retired.id: SOUP-001 is retired twice \(first at line 6\)`}},
		{"bad kind", header + "items:\n  - kind: firmware\n", []string{`^soup.yaml:6: kind: "firmware" is not a kind \(want go-module, library`}},
		{"missing kind", header + "items:\n  - title: x\n", []string{`^soup.yaml:6: kind: missing`}},
		{"bad class", header + "items:\n  - kind: os\n    safety_class: D\n", []string{`^soup.yaml:7: safety_class: "D" is not allowed \(want A, B, C\)`}},
		{"bad risk", header + "items:\n  - kind: os\n    risk: severe\n", []string{`^soup.yaml:7: risk: "severe" is not allowed`}},
		{"bad support level", header + "items:\n  - kind: os\n    support:\n      level: maintained\n", []string{`^soup.yaml:8: support.level: "maintained" is not allowed \(want actively-maintained`}},
		{"go-module without module", header + "items:\n  - kind: go-module\n    title: x\n", []string{`^soup.yaml:6: module: missing`}},
		{"module on an os", header + "items:\n  - kind: os\n    module: example.com/a\n", []string{`^soup.yaml:7: module: only go-module items`}},
		{"runtime module", header + "items:\n  - kind: runtime\n    module: example.com/a\n", []string{`^soup.yaml:7: module: a runtime item names module "stdlib"`}},
		{"bad module path", header + "items:\n  - kind: go-module\n    module: \"example.com/a b\"\n", []string{`^soup.yaml:7: module: "example.com/a b" is not a Go module path`}},
		{"purl of another module", header + "items:\n  - kind: go-module\n    module: example.com/a\n    version: v1.0.0\n    purl: pkg:golang/example.com/b@v1.0.0\n",
			[]string{`^soup.yaml:9: purl: "pkg:golang/example.com/b@v1.0.0" does not name module example.com/a`}},
		{"bad purl", header + "items:\n  - kind: os\n    purl: debian\n", []string{`^soup.yaml:7: purl: "debian" is not a package URL`}},
		{"bad licence", header + "items:\n  - kind: os\n    license: MIT and Apache-2.0\n", []string{`^soup.yaml:7: license: licence expression "MIT and Apache-2.0": operator "and" must be upper case`}},
		{"bad url", header + "items:\n  - kind: os\n    website: example.com\n", []string{`^soup.yaml:7: website: "example.com" is not an absolute URL`}},
		{"list of mappings", header + "items:\n  - kind: os\n    used_by:\n      - {a: b}\n", []string{`^soup.yaml:8: used_by: want a list of texts, found a mapping`}},
		{"text expected", header + "items:\n  - kind: os\n    title: [a, b]\n", []string{`^soup.yaml:7: title: want a single value, found a list`}},
		{"section not a mapping", header + "items:\n  - kind: os\n    support: yes\n", []string{`^soup.yaml:7: support: want a mapping`}},
		{"require_fda not a bool", header + "policy:\n  require_fda: maybe\nitems: []\n", []string{`^soup.yaml:6: policy.require_fda: want true or false, found "maybe"`}},
		{"max age zero", header + "policy:\n  evaluation_max_age: 0\nitems: []\n", []string{`^soup.yaml:6: policy.evaluation_max_age: want a number of days of at least 1`}},
		{"alias", header + "items:\n  - &a\n    kind: os\n  - *a\n", []string{`^soup.yaml:6: syntax: anchors and aliases`}},
		// Issue 8 defect 5: encoding errors have a line.
		{"Latin-1", header + "items:\n  - kind: os\n    title: Gr\xfc\xdfe\n", []string{`^soup.yaml:7: syntax: column 14: byte 0xFC is not UTF-8`}},
		{"control character", header + "items:\n  - kind: os\n    title: a\x07b\n", []string{`^soup.yaml:7: syntax: column 13: control character U\+0007 is not allowed`}},
		{"BOM then Latin-1", "\xEF\xBB\xBF" + header + "items:\n  - kind: os\n    title: \xe9\n", []string{`^soup.yaml:7: syntax: column 12: byte 0xE9`}},
		// Issue 8 defect 7: "<<" is no misspelling of "id".
		{"merge key", header + "items:\n  - kind: os\n    <<: {title: x}\n", []string{`^soup.yaml:7: "<<": merge keys \(<<\) are not allowed`}},
		{"short unknown key", header + "items:\n  - kind: os\n    ix: y\n", []string{`^soup.yaml:7: ix: unknown key \(want id, title`}},
		{"misspelt key", header + "items:\n  - kind: os\n    titel: y\n", []string{`^soup.yaml:7: titel: unknown key \(did you mean "title"\?\)`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reg, err := ParseRegister("soup.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; register %+v", reg)
			}
			if reg != nil {
				t.Error("a register is returned with the error")
			}
			lines := strings.Split(err.Error(), "\n")
			for _, w := range tt.want {
				re := regexp.MustCompile(w)
				if !slices.ContainsFunc(lines, re.MatchString) {
					t.Errorf("error\n%v\nhas no line matching %s", err, w)
				}
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %v is not an *Error", err)
			}
		})
	}
}

// TestParseAllErrors checks that every problem is reported, in line order.
func TestParseAllErrors(t *testing.T) {
	src := header + `items:
  - id: SOUP-001
    kind: os
    title: a
    colour: blue
  - id: SOUP-001
    kind: os
    title: b
    support:
      assessed: yesterday
  - id: SOUP-2
    kind: spaceship
`
	_, err := ParseRegister("r.yaml", []byte(src))
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`r.yaml:9: colour: unknown key (want id, title, kind, module, version, directory, purl, manufacturer, manufacturer_justification, website, license, configurations, used_by, safety_class, risk, requirements, required_hw_sw, hazards, risk_controls, anomaly_evaluation, support, verification, notes)`,
		`r.yaml:10: id: SOUP-001 is already the identifier of the item at line 6`,
		`r.yaml:14: support.assessed: "yesterday" is not a date (want YYYY-MM-DD)`,
		`r.yaml:15: id: identifier "SOUP-2" is not in the scheme's form (want "SOUP-002")`,
		`r.yaml:16: kind: "spaceship" is not a kind (want go-module, library, os, runtime, database, service, tool, other)`,
	}
	if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != len(want) {
		t.Errorf("the error does not unwrap to %d errors", len(want))
	}
}

func TestTODOAccepted(t *testing.T) {
	src := header + `items:
  - kind: go-module
    module: example.com/a
    version: TODO
    safety_class: TODO
    license: "TODO: confirm: MIT"
    website: "TODO: confirm: https://example.com"
    support:
      level: TODO
      assessed: TODO
    used_by: [TODO]
`
	reg, err := ParseRegister("soup.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, td := range reg.Items[0].TODOs() {
		fields = append(fields, td.Field)
	}
	want := []string{"version", "license", "website", "used_by", "safety_class", "support.level", "support.assessed"}
	slices.Sort(fields)
	slices.Sort(want)
	if !slices.Equal(fields, want) {
		t.Errorf("TODO fields %q, want %q", fields, want)
	}
}

// TestLicense checks the licence field through the register: SPDX
// expressions of current identifiers, NONE and NOASSERTION, and the
// common misspellings and deprecated identifiers rejected with a hint.
func TestLicense(t *testing.T) {
	reg := func(lic string) string {
		return "version: 1\nids: {prefix: SOUP-, width: 3}\nitems:\n  - kind: os\n    license: '" + lic + "'\n"
	}
	for _, ok := range []string{
		"MIT", "Apache-2.0", "MIT OR Apache-2.0", "(MIT OR Apache-2.0) AND BSD-3-Clause", "GPL-2.0-or-later WITH Classpath-exception-2.0",
		"LicenseRef-Proprietary", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "NOASSERTION", "NONE", "((MIT))",
	} {
		if _, err := ParseRegister("soup.yaml", []byte(reg(ok))); err != nil {
			t.Errorf("license %q: %v", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"MIT AND":            "expected",
		"MIT or Apache-2.0":  `operator "or" must be upper case`,
		"(MIT":               "parenthesis",
		"MIT Apache-2.0":     "",
		"MIT/X11":            "not an SPDX licence identifier",
		"MIT OR NONE":        "NONE stands only on its own",
		"GPL2":               "did you mean GPL-2.0-only or GPL-2.0-or-later",
		"BSD-3":              "did you mean BSD-3-Clause",
		"Apache2.0":          "did you mean Apache-2.0",
		"GPL-2.0":            "deprecated SPDX identifier: write GPL-2.0-only or GPL-2.0-or-later",
		"GPL-2.0+":           "deprecated SPDX identifier: write GPL-2.0-or-later",
		"MIT AND LGPL-2.1":   "deprecated",
		"Apache-2.0 WITH Xy": "not an SPDX licence exception",
	} {
		_, err := ParseRegister("soup.yaml", []byte(reg(bad)))
		if err == nil || !strings.Contains(err.Error(), "soup.yaml:5: license: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("license %q: error %v, want soup.yaml:5: license: ...%s", bad, err, want)
		}
	}
}

// FuzzParseRegister checks that the parser never panics and that what it
// accepts is consistent.
func FuzzParseRegister(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	addSyncSeeds(f, func(name string) bool { return strings.HasSuffix(name, ".yaml") })
	f.Add([]byte(header + "items: []\n"))
	f.Add([]byte(header + "items:\n  - kind: os\n    title: &a x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := ParseRegister("fuzz.yaml", data)
		if err != nil {
			if reg != nil {
				t.Fatal("register returned with an error")
			}
			// Every problem is one line: "fuzz.yaml[:LINE]: FIELD: what".
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "fuzz.yaml:") {
					t.Fatalf("error line %q does not name the file", line)
				}
			}
			return
		}
		ids := map[string]bool{}
		for _, it := range reg.Items {
			if it.ID != "" && ids[it.ID] {
				t.Fatalf("duplicate ID %s accepted", it.ID)
			}
			ids[it.ID] = true
			if it.Kind == GoModule && it.Module == "" {
				t.Fatal("go-module item without module accepted")
			}
		}
		// A register that parses can be reconciled and listed.
		Reconcile(reg, nil, ReconcileOptions{})
		_ = reg.WriteMarkdown(new(strings.Builder), ListOptions{})
		_ = reg.WriteCSV(new(strings.Builder))
		_ = reg.WriteJSON(new(strings.Builder))
	})
}
