package change

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// docExample returns the tab-indented block after heading in doc.go.
func docExample(t *testing.T, heading string) []byte {
	t.Helper()
	data, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "// # "+heading+"\n")
	if !ok {
		t.Fatalf("doc.go has no heading %q", heading)
	}
	var b strings.Builder
	started := false
	for _, line := range strings.Split(rest, "\n") {
		if s, ok := strings.CutPrefix(line, "//\t"); ok {
			b.WriteString(s + "\n")
			started = true
		} else if started {
			break
		}
	}
	return []byte(b.String())
}

func TestDocExamplesParse(t *testing.T) {
	r, err := ParseRequest("CR-012.yaml", docExample(t, "Change request"), DefaultRequestIDs)
	if err != nil {
		t.Fatalf("change request example: %v", err)
	}
	if r.State() != Verified || len(r.History) != 4 || len(r.Items) != 3 || r.Items[2].Kind != ItemModule || r.Resolves[0] != "PR-004" {
		t.Errorf("change request example parsed as %+v", r)
	}
	p, err := ParseProblem("PR-004.yaml", docExample(t, "Problem report"), DefaultProblemIDs)
	if err != nil {
		t.Fatalf("problem report example: %v", err)
	}
	if p.State != Resolved || p.ResolvedBy != "CR-012" || p.Classification.Criticality != "medium" {
		t.Errorf("problem report example parsed as %+v", p)
	}
	a, err := ParseAnomaly("RA-001.yaml", docExample(t, "Residual anomaly"), DefaultAnomalyIDs)
	if err != nil {
		t.Fatalf("residual anomaly example: %v", err)
	}
	if !a.AffectsVersion("v1.2.1") || a.AffectsVersion("v1.3.0") || a.Problem != "PR-009" {
		t.Errorf("residual anomaly example parsed as %+v", a)
	}
}

func TestParseErrors(t *testing.T) {
	base := "id: CR-001\ntitle: T\nrationale: R\nscope: S\nimpact: I\nactivities: [a]\n"
	ev := "history:\n  - state: initiated\n    by: A\n    at: 2026-01-01T00:00:00Z\n"
	tests := []struct {
		name, data string
		want       []string
	}{
		{"empty", "", []string{"x.yaml: id: empty file"}},
		{"syntax", "id: [\n", []string{"x.yaml:", "syntax:"}},
		{"not a mapping", "- a\n", []string{"x.yaml:1: record: want a change request"}},
		{"two documents", base + ev + "---\nid: CR-002\n", []string{"another one starts here"}},
		{"unknown key", base + ev + "titel: x\n", []string{"x.yaml:11: titel: unknown key"}},
		{"duplicate key", base + ev + "title: again\n", []string{"x.yaml:11: title: given twice (first at line 2)"}},
		{"missing fields", "id: CR-001\n" + ev, []string{
			"x.yaml:1: title: missing", "x.yaml:1: rationale: missing", "x.yaml:1: scope: missing",
			"x.yaml:1: impact: missing", "x.yaml:1: activities: missing"}},
		{"bad id", strings.Replace(base, "CR-001", "PR-001", 1) + ev, []string{`x.yaml:1: id: identifier "PR-001" does not start with "CR-"`}},
		{"alias", base + "history: &h\n  - state: initiated\n", []string{"anchors and aliases"}},
		{"no history", base, []string{"x.yaml:1: history: missing"}},
		{"date not time", base + strings.Replace(ev, "2026-01-01T00:00:00Z", "2026-01-01", 1), []string{`x.yaml:10: history.at: "2026-01-01" is not an RFC 3339 date-time`}},
		{"unknown state", base + strings.Replace(ev, "initiated", "done", 1), []string{`x.yaml:8: history.state: "done" is not allowed`}},
		{"released", base + ev + "  - state: released\n    by: A\n    at: 2026-01-02T00:00:00Z\n", []string{`x.yaml:11: history.state: "released" is not written into a record`}},
		{"verified without evidence", base + ev + "  - state: approved\n    by: B\n    at: 2026-01-02T00:00:00Z\n  - state: verified\n    by: C\n    at: 2026-01-03T00:00:00Z\n",
			[]string{"x.yaml:14: history.evidence: missing: verification names its evidence"}},
		{"evidence on approval", base + ev + "  - state: approved\n    by: B\n    at: 2026-01-02T00:00:00Z\n    evidence: X\n", []string{"x.yaml:14: history.evidence: only a verified event names evidence"}},
		{"verified before approved", base + ev + "  - state: verified\n    by: C\n    at: 2026-01-03T00:00:00Z\n    evidence: E\n", []string{"x.yaml:11: history.state: verified after initiated (line 8): want approved or rejected"}},
		{"after rejected", base + ev + "  - state: rejected\n    by: B\n    at: 2026-01-02T00:00:00Z\n  - state: approved\n    by: B\n    at: 2026-01-03T00:00:00Z\n", []string{"x.yaml:14: history.state: approved after rejected (line 11): a rejected change request is final"}},
		{"time order", base + ev + "  - state: approved\n    by: B\n    at: 2025-12-31T00:00:00Z\n", []string{"x.yaml:11: history.at: 2025-12-31T00:00:00Z is before the previous event"}},
		{"missing by and at", base + "history:\n  - state: initiated\n", []string{"x.yaml:8: history.by: missing", "x.yaml:8: history.at: missing"}},
		{"item kind", base + ev + "items:\n  - file: x\n", []string{"x.yaml:12: items.file: unknown key (want item, module, path)"}},
		{"item two kinds", base + ev + "items:\n  - {path: x, module: y}\n", []string{"x.yaml:12: items: one of item, module or path per entry"}},
		{"item twice", base + ev + "items:\n  - path: x\n  - path: x\n", []string{"x.yaml:13: items.path: x is listed twice (first at line 12)"}},
		{"item absolute glob", base + ev + "items:\n  - path: /etc/x\n", []string{"x.yaml:12: items.path:"}},
		{"items not list", base + ev + "items: CI-001\n", []string{"x.yaml:11: items: want a list of items"}},
		{"resolves twice", base + ev + "resolves: [PR-001, PR-001]\n", []string{"x.yaml:11: resolves: PR-001 is listed twice"}},
		{"activities mapping", strings.Replace(base, "[a]", "{a: b}", 1) + ev, []string{"x.yaml:6: activities: want a list of texts, found a mapping"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRequest("x.yaml", []byte(tt.data), DefaultRequestIDs)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error is not an *Error: %T", err)
			}
		})
	}
}

func TestParseProblemErrors(t *testing.T) {
	base := "id: PR-001\ntitle: T\ndescription: D\nreporter: R\ndate: 2026-01-01T00:00:00Z\nclassification: {type: corrective, scope: s, criticality: low}\n"
	tests := []struct {
		name, data, want string
	}{
		{"resolved without CR", base + "state: resolved\n", "x.yaml:7: resolved_by: missing: a resolved problem report names the change request"},
		{"closed without reason", base + "state: closed\n", "x.yaml:7: no_change_reason: missing"},
		{"both", base + "state: closed\nresolved_by: CR-001\nno_change_reason: dup\n", "x.yaml:9: no_change_reason: a problem report names either"},
		{"bad state", base + "state: fixed\n", `x.yaml:7: state: "fixed" is not allowed (want open, investigating, resolved, closed)`},
		{"bad type", strings.Replace(base, "corrective", "bug", 1) + "state: open\n", `x.yaml:6: classification.type: "bug" is not allowed`},
		{"no classification", strings.Replace(base, "classification: {type: corrective, scope: s, criticality: low}\n", "", 1) + "state: open\n", "x.yaml:1: classification: missing"},
		{"date", strings.Replace(base, "2026-01-01T00:00:00Z", "yesterday", 1) + "state: open\n", `x.yaml:5: date: "yesterday" is not an RFC 3339 date-time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseProblem("x.yaml", []byte(tt.data), DefaultProblemIDs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := ParseProblem("x.yaml", []byte(base+"state: open\n"), DefaultProblemIDs); err != nil {
		t.Errorf("valid problem report: %v", err)
	}
}

func TestParseAnomalyErrors(t *testing.T) {
	_, err := ParseAnomaly("x.yaml", []byte("id: RA-001\ndescription: D\n"), DefaultAnomalyIDs)
	for _, w := range []string{"x.yaml:1: evaluation: missing", "x.yaml:1: affects: missing"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v, want it to contain %q", err, w)
		}
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o666); err != nil {
		t.Fatal(err)
	}
}

const validCR = "id: %s\ntitle: T\nrationale: R\nscope: S\nimpact: I\nactivities: [a]\nhistory:\n  - state: initiated\n    by: A\n    at: 2026-01-01T00:00:00Z\n"

func TestLoadDuplicatesAndErrors(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "changes/requests/CR-002-a.yaml"), strings.Replace(validCR, "%s", "CR-002", 1))
	writeFile(t, filepath.Join(root, "changes/requests/CR-002-b.yaml"), strings.Replace(validCR, "%s", "CR-002", 1))
	writeFile(t, filepath.Join(root, "changes/requests/CR-001.yaml"), strings.Replace(validCR, "%s", "CR-001", 1))
	writeFile(t, filepath.Join(root, "changes/requests/README.md"), "not a record")
	writeFile(t, filepath.Join(root, "changes/requests/.CR-009.yaml.123.baseline-tmp"), "junk")
	rs, err := Load(root, DefaultDirs, DefaultSchemes)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Requests) != 3 || rs.Requests[0].ID != "CR-001" {
		t.Fatalf("loaded %d requests, first %s", len(rs.Requests), rs.Requests[0].ID)
	}
	d := rs.Duplicates()
	if len(d) != 1 || d[0].ID != "CR-002" || len(d[0].Files) != 2 || d[0].Files[0] != "changes/requests/CR-002-a.yaml" {
		t.Errorf("duplicates %+v", d)
	}

	writeFile(t, filepath.Join(root, "changes/requests/CR-003.yaml"), strings.Replace(validCR, "%s", "CR-004", 1))
	writeFile(t, filepath.Join(root, "changes/problems/PR-001.yaml"), "id: PR-001\n")
	rs, err = Load(root, DefaultDirs, DefaultSchemes)
	for _, w := range []string{
		"changes/requests/CR-003.yaml:1: id: the file of CR-004 is named CR-004.yaml or CR-004-SLUG.yaml",
		"changes/problems/PR-001.yaml:1: title: missing",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v, want it to contain %q", err, w)
		}
	}
	if len(rs.Requests) != 3 {
		t.Errorf("loaded %d requests with one bad, want the 3 good ones", len(rs.Requests))
	}
}

func TestNewNeverReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "requests")
	writeFile(t, filepath.Join(dir, "CR-004-old.yaml"), "broken: [")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	id, _, err := New(dir, DefaultRequestIDs, NewRequest{Title: "x", By: "A", At: at, Reserved: []string{"CR-007", "junk"}})
	if err != nil {
		t.Fatal(err)
	}
	if id != "CR-008" {
		t.Errorf("new ID %s, want CR-008 (after the reserved CR-007)", id)
	}
	if _, _, err := New(dir, DefaultRequestIDs, NewRequest{Title: "two\nlines", By: "A", At: at}); err == nil {
		t.Error("a title of two lines was accepted")
	}
}

// Concurrent New calls each get their own identifier.
func TestNewConcurrent(t *testing.T) {
	dir := t.TempDir()
	const n = 20
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			id, _, err := New(dir, DefaultRequestIDs, NewRequest{Title: "t", By: "A", At: time.Now()})
			if err != nil {
				t.Error(err)
			}
			ids[i] = id
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("%s issued twice", id)
		}
		seen[id] = true
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != n {
		t.Errorf("%d files in the directory, want %d (no temporary files left)", len(ents), n)
	}
}

func TestRecordRules(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "CR-001.yaml")
	writeFile(t, file, "# a comment kept\n"+strings.Replace(validCR, "%s", "CR-001", 1))
	at := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	if _, err := Record(file, DefaultRequestIDs, Transition{State: Verified, By: "V", At: at, Evidence: "E"}); err == nil || !strings.Contains(err.Error(), "verified after initiated") {
		t.Errorf("verify before approval: %v", err)
	}
	if _, err := Record(file, DefaultRequestIDs, Transition{State: Approved, By: "B", At: at.Add(-48 * time.Hour)}); err == nil || !strings.Contains(err.Error(), "before the request's last event") {
		t.Errorf("approval before initiation: %v", err)
	}
	if _, err := Record(file, DefaultRequestIDs, Transition{State: Approved, By: "B", At: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := Record(file, DefaultRequestIDs, Transition{State: Approved, By: "B", At: at}); err == nil || !strings.Contains(err.Error(), "already approved") {
		t.Errorf("second approval: %v", err)
	}
	if _, err := Record(file, DefaultRequestIDs, Transition{State: Verified, By: "V", At: at}); err == nil {
		t.Error("verification without evidence accepted")
	}
	r, err := Record(file, DefaultRequestIDs, Transition{State: Verified, By: "V", At: at.Add(time.Hour), Evidence: "report: 7"})
	if err != nil {
		t.Fatal(err)
	}
	if ev, _ := r.Event(Verified); ev.Evidence != "report: 7" || r.State() != Verified {
		t.Errorf("after verify: %+v", r.History)
	}
	data, _ := os.ReadFile(file)
	if !strings.HasPrefix(string(data), "# a comment kept\n") || !strings.Contains(string(data), `evidence: 'report: 7'`) {
		t.Errorf("record after edits:\n%s", data)
	}
}

// A history that is not the last key, or in flow style, is edited through
// the YAML tree.
func TestRecordReencodes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "CR-001.yaml")
	writeFile(t, file, "id: CR-001 # the id\ntitle: T\nrationale: R\nscope: S\nimpact: I\nhistory: [{state: initiated, by: A, at: 2026-01-01T00:00:00Z}]\nactivities: [a]\n")
	r, err := Record(file, DefaultRequestIDs, Transition{State: Rejected, By: "B", At: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Note: "not needed"})
	if err != nil {
		t.Fatal(err)
	}
	if r.State() != Rejected || r.History[1].Note != "not needed" {
		t.Errorf("history %+v", r.History)
	}
	data, _ := os.ReadFile(file)
	if !strings.Contains(string(data), "# the id") {
		t.Errorf("comment lost:\n%s", data)
	}
}

func TestRecordConcurrent(t *testing.T) {
	file := filepath.Join(t.TempDir(), "CR-001.yaml")
	writeFile(t, file, strings.Replace(validCR, "%s", "CR-001", 1)+"  - state: approved\n    by: B\n    at: 2026-01-02T00:00:00Z\n")
	at := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			Record(file, DefaultRequestIDs, Transition{State: Implemented, By: "I", At: at})
		})
	}
	wg.Wait()
	data, _ := os.ReadFile(file)
	r, err := ParseRequest(file, data, DefaultRequestIDs)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.History) != 12 {
		t.Errorf("%d events after 10 concurrent implemented records, want 12:\n%s", len(r.History), data)
	}
}

func TestRecordReadOnly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "CR-001.yaml")
	writeFile(t, file, strings.Replace(validCR, "%s", "CR-001", 1))
	os.Chmod(file, 0o444)
	before, _ := os.ReadFile(file)
	if _, err := Record(file, DefaultRequestIDs, Transition{State: Rejected, By: "B", At: time.Now()}); err == nil || !strings.Contains(err.Error(), "CR-001.yaml") {
		t.Errorf("read-only record: %v", err)
	}
	after, _ := os.ReadFile(file)
	if string(before) != string(after) {
		t.Error("read-only record changed")
	}
}

func TestTrailers(t *testing.T) {
	tests := []struct {
		msg  string
		want string
	}{
		{"subject only Change-Request: CR-001", ""},
		{"Change-Request: CR-001", ""}, // the subject is not a trailer
		{"s\n\nbody\n\nchange-request: CR-001\n", "CR-001"},
		{"s\n\nChange-Request: CR-001, CR-002\nChange-Request: CR-003\n", "CR-001 CR-002 CR-003"},
		{"s\n\nChange-Request: CR-001\nnot a trailer line\n", ""},
		{"s\n\nChange-Request: CR-001\n\nlater paragraph\n", ""},
		{"s\r\n\r\nChange-Request: CR-004\r\n", "CR-004"},
		{"s\n\nSigned-off-by: A\n  continued\nChange-Request: CR-005\n", "CR-005"},
	}
	for _, tt := range tests {
		if got := strings.Join(Trailers(tt.msg, "Change-Request"), " "); got != tt.want {
			t.Errorf("Trailers(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}

// The parsers never panic, and what they accept is consistent.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(strings.Replace(validCR, "%s", "CR-001", 1)))
	f.Add([]byte("id: CR-001\nhistory: [{state: initiated}]\nitems: [{path: x}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRequest("f.yaml", data, DefaultRequestIDs)
		if err != nil {
			if r != nil {
				t.Fatal("a request returned with an error")
			}
			for _, e := range unwrap(err) {
				var pe *Error
				if !errors.As(e, &pe) {
					t.Fatalf("not an *Error: %v", e)
				}
			}
			return
		}
		if r.ID == "" || len(r.History) == 0 || r.History[0].State != Initiated {
			t.Fatalf("accepted a request without ID or history: %+v", r)
		}
	})
}

func FuzzParseProblem(f *testing.F) {
	f.Add([]byte("id: PR-001\ntitle: T\ndescription: D\nreporter: R\ndate: 2026-01-01T00:00:00Z\nclassification: {type: corrective, scope: s, criticality: low}\nstate: resolved\nresolved_by: CR-001\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProblem("f.yaml", data, DefaultProblemIDs)
		if err == nil && (p.ID == "" || p.State == Resolved && p.ResolvedBy == "") {
			t.Fatalf("accepted %+v", p)
		}
	})
}

func FuzzParseAnomaly(f *testing.F) {
	f.Add([]byte("id: RA-001\ndescription: D\nevaluation: E\naffects: ['*']\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAnomaly("f.yaml", data, DefaultAnomalyIDs)
		if err == nil && (a.ID == "" || len(a.Affects) == 0) {
			t.Fatalf("accepted %+v", a)
		}
	})
}

func unwrap(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
