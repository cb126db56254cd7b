package buildkey

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/store"
)

// TestHashTreeMemo: file digests are remembered by size and modification
// time, except for files modified in the last two seconds.
func TestHashTreeMemo(t *testing.T) {
	root := t.TempDir()
	cache := store.Store{Dir: t.TempDir()}
	file := filepath.Join(root, "a.go")
	write := func(content string, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(file, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	key := func() [32]byte {
		t.Helper()
		h := sha256.New()
		if err := hashTree(context.Background(), h, root, cache, false, nil); err != nil {
			t.Fatal(err)
		}
		var k [32]byte
		copy(k[:], h.Sum(nil))
		return k
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	write("package a\nimport _ \"x\"\n", old)
	k1 := key()
	if key() != k1 {
		t.Fatal("the same tree gave two keys")
	}
	// Same size and time, other content: the remembered digest is
	// trusted (this is the documented rule, as in go test's cache).
	write("package a\nimport _ \"y\"\n", old)
	if key() != k1 {
		t.Error("an unchanged size and time did not reuse the remembered digest")
	}
	// A new modification time: read again.
	write("package a\nimport _ \"y\"\n", old.Add(time.Minute))
	k2 := key()
	if k2 == k1 {
		t.Error("a changed file (new mtime) kept the old key")
	}
	// Racy: a file modified within the last two seconds is always read,
	// even with the same size and time as remembered.
	recent := time.Now().Add(-time.Second)
	write("package a\nimport _ \"z\"\n", recent)
	k3 := key()
	write("package a\nimport _ \"w\"\n", recent)
	if key() == k3 {
		t.Error("a recently modified file was not read again")
	}
	// Without a cache, everything is read.
	write("package a\nimport _ \"v\"\n", old)
	h := sha256.New()
	if err := hashTree(context.Background(), h, root, store.Store{}, false, nil); err != nil {
		t.Fatal(err)
	}
	var k4 [32]byte
	copy(k4[:], h.Sum(nil))
	if k4 == k1 || k4 == k2 {
		t.Error("without a cache the key did not follow the content")
	}
}

// TestKeyReadsImportableTrees: a Go file the go command can build changes
// the key wherever it is in the module: in a "_" directory, in testdata
// (both left out of ./... but importable), in a vendored module that
// keeps its go.mod; a nested module's files and "." directories do not;
// a symbolic link to a directory leaves no key.
func TestKeyReadsImportableTrees(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) { writeTree(t, dir, name, data) }
	write("go.mod", "module example.com/m\n\ngo 1.16\n")
	write("main.go", "package main\n\nimport _ \"example.com/m/_x\"\n\nfunc main() {}\n")
	env := gocmd.Env{GOMOD: filepath.Join(dir, "go.mod"), Build: []byte("{}")}
	cache := store.Store{Dir: t.TempDir()}
	key := func() string {
		t.Helper()
		k, err := Key(context.Background(), env, dir, []string{"test"}, cache)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	last := key()
	if last == "" {
		t.Fatal("no key for a module")
	}
	for _, tc := range []struct {
		file    string
		changes bool
	}{
		{"_x/x.go", true},
		{"testdata/y/y.go", true},
		{"vendor/example.com/dep/go.mod", true},
		{"vendor/example.com/dep/dep.go", true},
		{"nested/go.mod", false}, // another module: neither its go.mod...
		{"nested/n.go", false},   // ...nor its Go files are this one's
		{".hidden/h.go", false},
	} {
		// Old enough that the digest memo is trusted.
		write(tc.file, "package p // "+tc.file+"\n")
		old := time.Now().Add(-time.Hour)
		os.Chtimes(filepath.Join(dir, filepath.FromSlash(tc.file)), old, old)
		k := key()
		if (k != last) != tc.changes {
			t.Errorf("adding %s: key changed %v, want %v", tc.file, k != last, tc.changes)
		}
		last = k
	}
	if err := os.Symlink(t.TempDir(), filepath.Join(dir, "linked")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if k := key(); k != "" {
		t.Errorf("a tree with a symbolic link to a directory has key %s, want none", k)
	}
}

// TestNarrowKey: NarrowKey reads of the testdata and "_" trees only the
// package directories it is given, and those as Key would, with the go.mod
// files above them.
func TestNarrowKey(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	write := func(name, data string) {
		t.Helper()
		file := writeTree(t, dir, name, data)
		os.Chtimes(file, old, old) // old enough that the digest memo is trusted
		old = old.Add(time.Second)
	}
	write("go.mod", "module example.com/m\n\ngo 1.16\n")
	write("main.go", "package main\n\nimport _ \"example.com/m/testdata/used\"\n\nfunc main() {}\n")
	write("testdata/used/used.go", "package used\n")
	write("testdata/other/other.go", "package other\n")
	env := gocmd.Env{GOMOD: filepath.Join(dir, "go.mod"), Build: []byte("{}")}
	cache := store.Store{Dir: t.TempDir()}
	used := []string{filepath.Join(dir, "testdata", "used")}
	key := func(pkgDirs []string) string {
		t.Helper()
		k, err := NarrowKey(context.Background(), env, dir, []string{"test"}, cache, pkgDirs)
		if err != nil || k == "" {
			t.Fatalf("NarrowKey = %q, %v", k, err)
		}
		return k
	}
	full, err := Key(context.Background(), env, dir, []string{"test"}, cache)
	if err != nil {
		t.Fatal(err)
	}
	last := key(used)
	if last == full {
		t.Error("NarrowKey and Key agree: a narrowed key must not match a full one's entries")
	}
	if key(nil) == last {
		t.Error("the key with and without the used package's directory is the same")
	}
	for _, tc := range []struct {
		file    string
		changes bool
	}{
		{"testdata/other/other.go", false}, // a package no load read
		{"testdata/other/new.go", false},
		{"_tools/tool.go", false},
		{"testdata/used/used.go", true}, // the package the last load read
		{"testdata/used/new.go", true},  // a new file of it
		{"testdata/used/sub/sub.go", false},
		{"testdata/go.mod", true}, // the used package is now another module's
		{"lib/lib.go", true},      // outside the skipped trees, every package
	} {
		write(tc.file, "package p // "+tc.file+"\n")
		k := key(used)
		if (k != last) != tc.changes {
			t.Errorf("adding %s: key changed %v, want %v", tc.file, k != last, tc.changes)
		}
		last = k
	}
	if err := os.Symlink(t.TempDir(), filepath.Join(dir, "testdata", "linked")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if k, _ := NarrowKey(context.Background(), env, dir, []string{"test"}, cache, []string{filepath.Join(dir, "testdata", "linked")}); k != "" {
		t.Errorf("a package directory reached through a symbolic link has key %s, want none", k)
	}
}

func TestNarrowable(t *testing.T) {
	for p, want := range map[string]bool{
		"./...": true, "work": true, "all": true, "../x/...": true, "example.com/m/cmd/...": true,
		"./testdata/...": false, "example.com/m/_tools": false, "_x": false, `.\testdata\x`: false, "./.hidden": false,
	} {
		if got := Narrowable([]string{"./...", p}); got != want {
			t.Errorf("Narrowable(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestSkippedDirs(t *testing.T) {
	env := gocmd.Env{GOMODCACHE: "/mod", GOROOT: "/goroot"}
	got := SkippedDirs(env, []string{"/m/testdata/b", "/m/a", "/mod/x@v1/testdata/y", "/goroot/src/_z", "/m/_gen", "/m/testdata/b", ""})
	if want := []string{"/m/_gen", "/m/testdata/b"}; !slices.Equal(got, want) {
		t.Errorf("SkippedDirs = %q, want %q", got, want)
	}
}

func TestShadowed(t *testing.T) {
	for _, tc := range []struct {
		mains, list []string
		want        bool
	}{
		{[]string{"example.com/m"}, []string{"example.com/m", "example.com/dep"}, false},
		{[]string{"example.com/m"}, []string{"example.com/m", "example.com/m/testdata/x"}, true},
		{[]string{"example.com/m/sub"}, []string{"example.com/m/sub", "example.com/m"}, true},
		{[]string{"example.com/m"}, []string{"example.com/mx"}, false},
	} {
		if got := Shadowed(tc.mains, tc.list); got != tc.want {
			t.Errorf("Shadowed(%q, %q) = %v, want %v", tc.mains, tc.list, got, tc.want)
		}
	}
}

// writeTree writes data to name (slash-separated) under dir, making the
// directories on the way, and returns the file's path.
func writeTree(t *testing.T, dir, name, data string) string {
	t.Helper()
	file := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
