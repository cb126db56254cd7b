package manifest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baseline-cm/baseline/product"
)

func gitRepo(t *testing.T, files map[string]string) (string, func(date, msg string, files map[string]string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	run := func(date string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com", "GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com",
			"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	commit := func(date, msg string, files map[string]string) string {
		t.Helper()
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o777)
			if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
				t.Fatal(err)
			}
		}
		run(date, "add", "-A")
		run(date, "commit", "-q", "-m", msg)
		return run(date, "rev-parse", "HEAD")
	}
	run("2026-01-01T00:00:00Z", "init", "-q", "-b", "main")
	return dir, commit
}

const traceConfig = `version: 1
product: {name: App}
items:
  classes:
    - {name: source, kind: go-package, paths: [./...]}
    - {name: documentation, paths: ["docs/**"]}
`

func TestTraceArchiveAndReleaseType(t *testing.T) {
	dir, commit := gitRepo(t, nil)
	c0 := commit("2026-01-01T00:00:00Z", "first", map[string]string{
		"baseline.yaml": traceConfig,
		"items.yaml":    "version: 1\nids: {prefix: CI-, width: 3, last_issued: 1}\nitems:\n  - {id: CI-001, class: source, name: example.com/app, path: .}\n",
		"main.go":       "package main\n",
	})
	commit("2026-01-01T02:00:00Z", "docs\n\nChange-Request: CR-002", map[string]string{"docs/a.md": "# A\n"})
	commit("2026-01-01T03:00:00Z", "records", map[string]string{
		"changes/requests/CR-001.yaml":  "id: CR-001\ntitle: Old\nrationale: R\nscope: S\nimpact: I\nactivities: [a]\nresolves: [PR-001]\nhistory:\n  - {state: initiated, by: A, at: 2025-12-01T00:00:00Z}\n  - {state: approved, by: B, at: 2025-12-01T01:00:00Z}\n  - {state: verified, by: C, at: 2025-12-02T00:00:00Z, evidence: E1}\n",
		"changes/requests/CR-002.yaml":  "id: CR-002\ntitle: Docs\nrationale: R\nscope: S\nimpact: I\nactivities: [a]\nresolves: [PR-002]\nitems: [{path: \"docs/**\"}]\nhistory:\n  - {state: initiated, by: A, at: 2026-01-01T00:00:00Z}\n  - {state: approved, by: B, at: 2026-01-01T01:00:00Z}\n  - {state: verified, by: C, at: 2026-01-01T03:00:00Z, evidence: E2}\n",
		"changes/problems/PR-001.yaml":  "id: PR-001\ntitle: P1\ndescription: D\nreporter: R\ndate: 2025-11-01T00:00:00Z\nclassification: {type: corrective, scope: s, criticality: low}\nstate: resolved\nresolved_by: CR-001\n",
		"changes/problems/PR-002.yaml":  "id: PR-002\ntitle: P2\ndescription: D\nreporter: R\ndate: 2025-11-01T00:00:00Z\nclassification: {type: corrective, scope: s, criticality: low}\nstate: resolved\nresolved_by: CR-002\n",
		"changes/anomalies/RA-001.yaml": "id: RA-001\ndescription: Slow start\nevaluation: Harmless\naffects: [v1.1.0]\n",
	})
	v1 := &Manifest{BaselineID: "BL-1.0.0", Version: "1.0.0", VCS: VCS{Commit: c0}, ChangeRequests: []ChangeRequest{{ID: "CR-001"}}}
	ctx := context.Background()

	rep, err := Trace(ctx, TraceOptions{Dir: dir, Archive: []*Manifest{v1}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Since != c0 || rep.SinceFrom != "baseline BL-1.0.0" || len(rep.Commits) != 2 {
		t.Errorf("since %s (%s), %d commits; want the archived baseline's commit and 2 commits", rep.Since, rep.SinceFrom, len(rep.Commits))
	}
	if len(rep.Findings) != 0 {
		t.Errorf("findings: %v", rep.Findings)
	}
	if len(rep.Requests) != 1 || rep.Requests[0].ID != "CR-002" || rep.Requests[0].Verified.Evidence != "E2" ||
		strings.Join(rep.Requests[0].Items, ",") != "docs/a.md" || len(rep.Problems) != 1 || rep.Problems[0].ID != "PR-002" {
		t.Errorf("requests %+v, problems %+v", rep.Requests, rep.Problems)
	}
	// Without the archive, PR-001's CR-001 is not released.
	rep, err = Trace(ctx, TraceOptions{Dir: dir, Archive: []*Manifest{}, Since: c0})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || !strings.Contains(rep.Findings[0].String(), "dangling: PR-001 is resolved by CR-001, which is not released") {
		t.Errorf("findings without the archive: %v", rep.Findings)
	}

	// Without a baseline and without change_control.start, no commit is
	// under change control yet; the records are still checked.
	rep, err = Trace(ctx, TraceOptions{Dir: dir, Archive: []*Manifest{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Commits) != 0 || !strings.HasPrefix(rep.SinceFrom, "no baseline yet") || len(rep.Findings) != 2 {
		t.Errorf("no baseline: %d commits since %q, findings %v", len(rep.Commits), rep.SinceFrom, rep.Findings)
	}

	// --since by version and baseline ID.
	for _, s := range []string{"1.0.0", "v1.0.0", "BL-1.0.0"} {
		rep, err := Trace(ctx, TraceOptions{Dir: dir, Archive: []*Manifest{v1}, Since: s})
		if err != nil || rep.Since != c0 {
			t.Errorf("--since %s: %v, since %s", s, err, rep.Since)
		}
	}

	// A patch release may not add an item or upgrade a SOUP major version.
	changes := &Changes{
		Added:   []ItemRef{{ID: "CI-002", Class: "documentation", Name: "docs/a.md"}},
		Changed: []Change{{ID: "SOUP-001", Class: ClassSOUP, Name: "example.com/dep", OldVersion: "v1.4.0", NewVersion: "v2.0.0", Kind: product.SOUPMajor}, {ID: "CI-001", Class: "source", Name: "example.com/app", Kind: product.ItemChanged}},
	}
	rep, err = Trace(ctx, TraceOptions{Dir: dir, Archive: []*Manifest{v1}, ReleaseType: Patch, Changes: changes})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.String())
	}
	want := []string{
		"baseline.yaml: release-type: a patch release may not hold item-added: CI-002 docs/a.md added (change_control.release_policy.patch)",
		"baseline.yaml: release-type: a patch release may not hold soup-major: SOUP-001 example.com/dep v1.4.0 -> v2.0.0 (change_control.release_policy.patch)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("release-type findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rep, _ = Trace(ctx, TraceOptions{Dir: dir, Archive: []*Manifest{v1}, ReleaseType: Major, Changes: changes})
	if len(rep.Findings) != 0 {
		t.Errorf("a major release: %v", rep.Findings)
	}
}
