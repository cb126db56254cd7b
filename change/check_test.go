package change

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baseline-cm/baseline/product"
)

// repo is a git repository built by a test.
type repo struct {
	t   *testing.T
	dir string
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// at is t0 plus h hours.
func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	r := &repo{t: t, dir: t.TempDir()}
	r.git(t0, "init", "-q", "-b", "main")
	return r
}

func (r *repo) git(when time.Time, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	date := when.Format(time.RFC3339)
	cmd.Env = append(os.Environ(), "HOME="+r.dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com", "GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files ("" deletes one) and commits them at when.
func (r *repo) commit(when time.Time, msg string, files map[string]string) string {
	r.t.Helper()
	for name, data := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if data == "" {
			os.Remove(p)
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o777)
		if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git(when, "add", "-A")
	r.git(when, "commit", "-q", "--allow-empty", "-m", msg)
	return r.git(when, "rev-parse", "HEAD")
}

func goMod(reqs ...string) string {
	s := "module example.com/app\n\ngo 1.22\n\nrequire (\n"
	for _, r := range reqs {
		s += "\t" + r + "\n"
	}
	return s + ")\n"
}

func goSum(lines ...string) string {
	var s string
	for _, l := range lines {
		f := strings.Fields(l)
		s += fmt.Sprintf("%s %s h1:abc=\n%s %s/go.mod h1:def=\n", f[0], f[1], f[0], f[1])
	}
	return s
}

// request returns a change request record.
func request(id, items string, events ...string) string {
	s := fmt.Sprintf("id: %s\ntitle: Change %s\nrationale: R\nscope: S\nimpact: I\nactivities: [tests]\n", id, id)
	if items != "" {
		s += "items:\n" + items
	}
	s += "history:\n"
	for _, e := range events {
		s += e
	}
	return s
}

func ev(state string, h int, extra ...string) string {
	s := fmt.Sprintf("  - state: %s\n    by: P\n    at: %s\n", state, at(h).Format(time.RFC3339))
	for _, e := range extra {
		s += "    " + e + "\n"
	}
	return s
}

func problem(id, state, resolvedBy string) string {
	s := fmt.Sprintf("id: %s\ntitle: P\ndescription: D\nreporter: R\ndate: %s\nclassification: {type: corrective, scope: app, criticality: low}\nstate: %s\n", id, t0.Format(time.RFC3339), state)
	if resolvedBy != "" {
		s += "resolved_by: " + resolvedBy + "\n"
	}
	return s
}

var testCatalog = Catalog{
	Items: []CatalogItem{
		{ID: "CI-001", Name: "example.com/app/app", Path: "app", Package: true},
		{ID: "CI-002", Name: "docs/a.md", Path: "docs/a.md"},
	},
	Classes: []product.Class{
		{Name: "source", Kind: product.GoPackage, Paths: []string{"./..."}, Exclude: []string{"tools/**"}},
		{Name: "documentation", Kind: product.Files, Paths: []string{"docs/**"}},
	},
	Modules: map[string]string{"example.com/dep": "SOUP-001", "example.com/other": "SOUP-002"},
	Ignore:  []string{"changes/**", "releases/**"},
}

func check(t *testing.T, r *repo, base string, released map[string]string) []string {
	t.Helper()
	cs, err := Commits(context.Background(), r.dir, base+"..HEAD", CommitOptions{Catalog: testCatalog})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Load(r.dir, DefaultDirs, DefaultSchemes)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range Check(CheckInput{Records: rs, Commits: cs, Released: released}) {
		out = append(out, f.String())
	}
	return out
}

// Every finding Check reports, each provoked in a history built with git.
func TestCheckFindings(t *testing.T) {
	r := newRepo(t)
	base := r.commit(at(0), "initial", map[string]string{
		"go.mod":      goMod("example.com/dep v1.0.0"),
		"go.sum":      goSum("example.com/dep v1.0.0"),
		"app/main.go": "package main\n",
		"docs/a.md":   "# A\n",
	})
	c1 := r.commit(at(2), "app: one\n\nChange-Request: CR-001", map[string]string{"app/main.go": "package main // 1\n"})
	c2 := r.commit(at(3), "app: two\n\nChange-Request: CR-002", map[string]string{"app/main.go": "package main // 2\n"})
	c3 := r.commit(at(4), "docs: no request", map[string]string{"docs/a.md": "# A 3\n"})
	c4 := r.commit(at(4), "docs: not approved\n\nChange-Request: CR-003", map[string]string{"docs/b.md": "# B\n"})
	r.commit(at(6), "deps: upgrade dep\n\nChange-Request: CR-001", map[string]string{
		"go.mod": goMod("example.com/dep v1.1.0"),
		"go.sum": goSum("example.com/dep v1.1.0"),
	})
	c6 := r.commit(at(7), "deps: add other\n\nChange-Request: CR-004", map[string]string{
		"go.mod":    goMod("example.com/dep v1.1.0", "example.com/other v0.3.0"),
		"go.sum":    goSum("example.com/dep v1.1.0", "example.com/other v0.3.0"),
		"docs/a.md": "# A 6\n",
	})
	c8 := r.commit(at(8), "app: unknown request\n\nChange-Request: CR-009", map[string]string{"app/main_test.go": "package main\n"})
	c9 := r.commit(at(8), "lib: new package", map[string]string{"lib/lib.go": "package lib\n", "tools/gen.go": "package tools\n", "Makefile": "all:\n"})
	// The records, committed without a change request: they are not
	// configuration items.
	r.commit(at(9), "records", map[string]string{
		"changes/requests/CR-001.yaml":   request("CR-001", "  - item: CI-001\n  - module: example.com/dep\n", ev("initiated", 0), ev("approved", 1), ev("verified", 9, "evidence: CI 1")) + "resolves: [PR-001, PR-005]\n",
		"changes/requests/CR-002.yaml":   request("CR-002", "  - path: app/**\n", ev("initiated", 0), ev("approved", 5), ev("verified", 9, "evidence: CI 2")),
		"changes/requests/CR-003.yaml":   request("CR-003", "  - path: docs/**\n", ev("initiated", 0)),
		"changes/requests/CR-004.yaml":   request("CR-004", "  - path: docs/**\n", ev("initiated", 0), ev("approved", 1)),
		"changes/requests/CR-005-a.yaml": request("CR-005", "", ev("initiated", 0)),
		"changes/requests/CR-005-b.yaml": request("CR-005", "", ev("initiated", 0)),
		"changes/requests/CR-006.yaml":   request("CR-006", "", ev("initiated", 0), ev("rejected", 1)),
		"changes/requests/CR-007.yaml":   request("CR-007", "", ev("initiated", 0), ev("approved", 1), ev("verified", 2, "evidence: CI 7")),
		"changes/requests/CR-010.yaml":   request("CR-010", "", ev("initiated", 0), ev("approved", 1), ev("verified", 2, "evidence: CI 10")),
		"changes/problems/PR-001.yaml":   problem("PR-001", "resolved", "CR-001"),
		"changes/problems/PR-002.yaml":   problem("PR-002", "resolved", "CR-006"),
		"changes/problems/PR-003.yaml":   problem("PR-003", "resolved", "CR-008"),
		"changes/problems/PR-004.yaml":   problem("PR-004", "resolved", "CR-007"),
		"changes/problems/PR-006.yaml":   problem("PR-006", "resolved", "CR-010"),
		"changes/problems/PR-007.yaml":   problem("PR-007", "open", ""),
	})
	got := check(t, r, base, map[string]string{"CR-010": "v1.0.0"})
	short := func(h string) string { return h[:12] }
	want := []string{
		fmt.Sprintf(`changes/requests/CR-002.yaml:13: unauthorised: commit %s "app: two" (committed 2026-01-01T03:00:00Z) changes CI-001 example.com/app/app under CR-002, approved only at 2026-01-01T05:00:00Z`, short(c2)),
		fmt.Sprintf(`unauthorised: commit %s "docs: no request" changes CI-002 docs/a.md but names no change request`, short(c3)),
		fmt.Sprintf(`changes/requests/CR-003.yaml:10: unauthorised: commit %s "docs: not approved" changes docs/b.md under CR-003, which is initiated, not approved`, short(c4)),
		fmt.Sprintf(`unauthorised: commit %s "app: unknown request" changes CI-001 example.com/app/app under CR-009, which has no record`, short(c8)),
		fmt.Sprintf(`unauthorised: commit %s "lib: new package" changes lib but names no change request`, short(c9)),
		fmt.Sprintf(`changes/requests/CR-004.yaml:1: out-of-scope: commit %s "deps: add other" changes SOUP-002 example.com/other, which CR-004 does not list in its items`, short(c6)),
		`changes/requests/CR-003.yaml:1: unverified: CR-003 "Change CR-003" is in the release but initiated, not verified`,
		`changes/requests/CR-004.yaml:1: unverified: CR-004 "Change CR-004" is in the release but approved, not verified`,
		`changes/requests/CR-001.yaml:1: dangling: CR-001 resolves PR-005, which has no record`,
		`changes/problems/PR-002.yaml:1: dangling: PR-002 is resolved by CR-006, which is rejected`,
		`changes/problems/PR-003.yaml:1: dangling: PR-003 is resolved by CR-008, which has no record`,
		`changes/problems/PR-004.yaml:1: dangling: PR-004 is resolved by CR-007, which is not released (no archived release lists it, and no commit since the last baseline names it)`,
		`changes/requests/CR-005-b.yaml:1: duplicate: CR-005 is also the identifier of changes/requests/CR-005-a.yaml; renumber one ("baseline change new" allocates a free identifier)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	_ = c1

	// Identifiers the history has seen are never issued again: CR-009 is
	// only in a trailer, CR-010's record is deleted.
	os.Remove(filepath.Join(r.dir, "changes/requests/CR-010.yaml"))
	taken, err := TakenIDs(context.Background(), r.dir, "changes/requests", "", DefaultRequestIDs)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"CR-001", "CR-005", "CR-009", "CR-010"} {
		if !slices.Contains(taken, id) {
			t.Errorf("TakenIDs = %v, lacks %s", taken, id)
		}
	}
	id, _, err := New(filepath.Join(r.dir, "changes/requests"), DefaultRequestIDs, NewRequest{Title: "t", By: "A", At: at(10), Reserved: taken})
	if err != nil || id != "CR-011" {
		t.Errorf("New after a deleted CR-010: %s, %v; want CR-011", id, err)
	}

	// The SOUP upgrade is seen as a change of SOUP-001 from v1.0.0 to v1.1.0.
	cs, err := Commits(context.Background(), r.dir, base+"..HEAD", CommitOptions{Catalog: testCatalog})
	if err != nil {
		t.Fatal(err)
	}
	var up *ItemChange
	for _, c := range cs {
		if c.Subject == "deps: upgrade dep" && len(c.Items) == 1 {
			up = &c.Items[0]
		}
	}
	if up == nil || up.ID != "SOUP-001" || up.Old != "v1.0.0" || up.New != "v1.1.0" || up.Module != "example.com/dep" {
		t.Errorf("SOUP upgrade seen as %+v", up)
	}
}

// A clean history, with a problem-report chain, passes.
func TestCheckClean(t *testing.T) {
	r := newRepo(t)
	base := r.commit(at(0), "initial", map[string]string{
		"go.mod":      goMod("example.com/dep v1.0.0"),
		"go.sum":      goSum("example.com/dep v1.0.0"),
		"app/main.go": "package main\n",
	})
	r.commit(at(1), "records: CR-001 approved", map[string]string{
		"changes/problems/PR-001.yaml": problem("PR-001", "investigating", ""),
		"changes/requests/CR-001.yaml": request("CR-001", "  - item: CI-001\n  - module: example.com/dep\n", ev("initiated", 0), ev("approved", 1)) + "resolves: [PR-001]\n",
	})
	r.commit(at(2), "app: fix\n\nChange-Request: CR-001", map[string]string{"app/main.go": "package main // fixed\n"})
	r.commit(at(3), "deps: upgrade\n\nChange-Request: CR-001", map[string]string{
		"go.mod": goMod("example.com/dep v1.0.1"),
		"go.sum": goSum("example.com/dep v1.0.1"),
	})
	r.commit(at(4), "records: verified", map[string]string{
		"changes/problems/PR-001.yaml": problem("PR-001", "resolved", "CR-001"),
		"changes/requests/CR-001.yaml": request("CR-001", "  - item: CI-001\n  - module: example.com/dep\n", ev("initiated", 0), ev("approved", 1), ev("verified", 4, "evidence: CI run 1")) + "resolves: [PR-001]\n",
	})
	if got := check(t, r, base, nil); len(got) != 0 {
		t.Errorf("findings in a clean history:\n%s", strings.Join(got, "\n"))
	}
}
