package anomaly

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/store"
)

// TestResultKey: every input that decides a scan's result changes its
// key, and a database over the network has none.
func TestResultKey(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/app\n\ngo 1.22\n\nrequire baseline.test/vuln v1.0.0\n")
	write("go.sum", "baseline.test/vuln v1.0.0 h1:x=\nbaseline.test/vuln v1.0.0/go.mod h1:y=\n")
	write("main.go", "package main\n\nfunc main() {}\n")
	db := t.TempDir()
	for _, f := range []string{"index/db.json", "index/modules.json", "ID/GO-2024-9001.json"} {
		os.MkdirAll(filepath.Dir(filepath.Join(db, f)), 0o755)
		if err := os.WriteFile(filepath.Join(db, f), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dbURL, err := DBURL(db)
	if err != nil {
		t.Fatal(err)
	}
	cache := store.Store{Dir: t.TempDir()}
	key := func(opts Options) string {
		t.Helper()
		if opts.DB == "" {
			opts.DB = dbURL
		}
		opts.Dir = dir
		patterns := opts.Patterns
		if len(patterns) == 0 {
			patterns = []string{"./..."}
		}
		r := gocmd.Runner{Dir: dir, Env: opts.Env}
		goenv, err := r.GoEnv(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return resultKey(context.Background(), opts, goenv, patterns, cache)
	}
	base := key(Options{})
	if base == "" {
		t.Fatal("no key for a local database and a module")
	}
	if key(Options{}) != base {
		t.Fatal("the same inputs gave two keys")
	}
	seen := map[string]string{base: "the first"}
	differs := func(what, k string) {
		t.Helper()
		if k == "" {
			t.Errorf("%s: no key", what)
			return
		}
		if prev, ok := seen[k]; ok {
			t.Errorf("%s: the same key as %s", what, prev)
		}
		seen[k] = what
	}
	differs("GOOS", key(Options{Env: []string{"GOOS=windows"}}))
	differs("CGO_ENABLED", key(Options{Env: []string{"CGO_ENABLED=0"}}))
	differs("tags", key(Options{Tags: []string{"special"}}))
	differs("GOFLAGS", key(Options{Env: []string{"GOFLAGS=-mod=mod"}}))
	differs("patterns", key(Options{Patterns: []string{"."}}))
	write("extra.go", "package main\n\nimport _ \"baseline.test/vuln/parse\"\n")
	differs("a new Go file", key(Options{}))
	write("go.mod", "module example.com/app\n\ngo 1.22\n\nrequire baseline.test/vuln v1.1.0\n")
	differs("the required version", key(Options{}))
	write("go.sum", "baseline.test/vuln v1.1.0 h1:x=\nbaseline.test/vuln v1.1.0/go.mod h1:y=\n")
	differs("go.sum", key(Options{}))
	if err := os.WriteFile(filepath.Join(db, "ID", "GO-2024-9001.json"), []byte(`{"id":"GO-2024-9001"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	differs("a database entry", key(Options{}))
	if err := os.WriteFile(filepath.Join(db, "ID", "GO-2024-9002.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	differs("a new database entry", key(Options{}))

	if k := key(Options{DB: "https://vuln.go.dev"}); k != "" {
		t.Errorf("a database over the network has key %s, want none", k)
	}
	if k := key(Options{Env: []string{"GOFLAGS=-overlay=o.json"}}); k != "" {
		t.Errorf("GOFLAGS=-overlay: key %s, want none (inputs outside the tree)", k)
	}
	if c := (Options{NoCache: true}).cache(); c.Dir != "" {
		t.Errorf("NoCache: cache %q, want none", c.Dir)
	}
}
