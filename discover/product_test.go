package discover_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/inventory"
)

// TestProductVersionTags: in a repository of several modules, each
// module's version comes from its own tags (a/v1.2.3 for module a), never
// from another module's (b/v2.0.0), and git is only read: .git/index is
// left as it was even when its stat data is stale.
func TestProductVersionTags(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	ctx := context.Background()
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=a",
			"GIT_COMMITTER_EMAIL=a@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for name, data := range map[string]string{
		"go.mod":   "module example.com/r\n\ngo 1.22\n",
		"r.go":     "package r\n",
		"a/go.mod": "module example.com/r/a\n\ngo 1.22\n",
		"a/a.go":   "package a\n",
		"b/go.mod": "module example.com/r/b/v2\n\ngo 1.22\n",
		"b/b.go":   "package b\n",
	} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644)
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "one")
	git("tag", "a/v1.2.3")
	git("tag", "b/v2.0.0")
	git("tag", "v0.3.0")

	version := func(sub string) string {
		t.Helper()
		inv, err := discover.Packages(ctx, discover.Options{Dir: filepath.Join(dir, sub), NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		v, err := discover.ProductVersion(ctx, inv, filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for sub, want := range map[string]string{"a": "v1.2.3", "b": "v2.0.0", ".": "v0.3.0"} {
		if got := version(sub); got != want {
			t.Errorf("module in %s: version %q, want %q (its own tags)", sub, got, want)
		}
	}

	// Stale stat data (same content, new mtime), then a real change.
	index := filepath.Join(dir, ".git", "index")
	future := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(dir, "a", "a.go"), future, future)
	before, _ := os.ReadFile(index)
	fi, _ := os.Stat(index)
	if got := version("a"); got != "v1.2.3" {
		t.Errorf("touched but unchanged: version %q, want v1.2.3", got)
	}
	os.WriteFile(filepath.Join(dir, "a", "a.go"), []byte("package a // changed\n"), 0o644)
	if got := version("a"); got != "v1.2.3-dirty" {
		t.Errorf("modified: version %q, want v1.2.3-dirty", got)
	}
	after, _ := os.ReadFile(index)
	fi2, _ := os.Stat(index)
	if string(before) != string(after) || !fi.ModTime().Equal(fi2.ModTime()) {
		t.Errorf("ProductVersion wrote .git/index")
	}

	// No repository, no recorded version: ErrUnknownVersion.
	inv := &inventory.Inventory{Mode: inventory.Packages, MainID: "example.com/x",
		Components: []inventory.Component{{ID: "example.com/x", Kind: inventory.Main, Path: "example.com/x", Dir: t.TempDir()}}}
	if _, err := discover.ProductVersion(ctx, inv, ""); !errors.Is(err, discover.ErrUnknownVersion) {
		t.Errorf("outside a repository: err = %v, want ErrUnknownVersion", err)
	}
}

// TestCancel: a cancelled discovery stops the go command and reports the
// cancellation, not what the go command printed. (cmd/baseline's
// TestInterrupt covers a go command that ignores the interrupt.)
func TestCancel(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "go")
	os.WriteFile(fake, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	_, err := discover.Packages(ctx, discover.Options{Dir: t.TempDir(), GoCommand: fake, NoCache: true})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// Cancelled before it starts, with real work to do: no inventory.
	dir := setupMain(t)
	inv, err := discover.Packages(ctx, discover.Options{Dir: dir, NoCache: true})
	if inv != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Packages with a cancelled context = %v, %v", inv, err)
	}
}
