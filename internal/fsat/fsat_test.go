package fsat

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestDir: an open Dir and a closed one (which answers through paths,
// as on systems without fstatat) give what os.Stat, os.ReadFile and
// os.ReadDir give.
func TestDir(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		f := filepath.Join(root, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(f), 0o755)
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.go", "package b\n")
	write("a/x.go", "package x // longer\n")
	write("large", strings.Repeat("x", 100))
	write("C", "upper")
	os.Mkdir(filepath.Join(root, "dir"), 0o755)
	os.Symlink("b.go", filepath.Join(root, "link"))
	os.Symlink("missing", filepath.Join(root, "dangling"))
	fifo := runtime.GOOS != "windows" && syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644) == nil

	open := Open(root)
	defer open.Close()
	if runtime.GOOS != "windows" && open.fd < 0 {
		t.Errorf("the directory is not open for *at calls on %s", runtime.GOOS)
	}
	closed := Open(root)
	closed.Close()
	for name, d := range map[string]*Dir{"open": open, "closed": closed} {
		for _, rel := range []string{"b.go", "a/x.go", "large", "dir", "link", "dangling", "missing", "fifo", "a/missing/x"} {
			got, err := d.Stat(rel)
			fi, werr := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
			if (err == nil) != (werr == nil) || err != nil && errors.Is(werr, fs.ErrNotExist) != errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s: Stat(%s): error %v, want %v", name, rel, err, werr)
				continue
			}
			if err != nil {
				continue
			}
			if got.Size != fi.Size() && got.Type == 0 || !got.ModTime.Equal(fi.ModTime()) || got.Type != fi.Mode().Type() {
				t.Errorf("%s: Stat(%s) = %+v, want size %d, time %v, type %v", name, rel, got, fi.Size(), fi.ModTime(), fi.Mode().Type())
			}
		}
		for _, tc := range []struct {
			rel  string
			want string
			ok   bool
		}{
			{"b.go", "package b\n", true},
			{"link", "package b\n", true},
			{"a/x.go", "package x // longer\n", true},
			{"large", "", false},
			{"dir", "", false},
			{"missing", "", false},
		} {
			got, ok := d.ReadSmall(tc.rel, 50)
			if ok != tc.ok || string(got) != tc.want {
				t.Errorf("%s: ReadSmall(%s) = %q, %v; want %q, %v", name, tc.rel, got, ok, tc.want, tc.ok)
			}
		}
		if fifo && name == "open" {
			// Read without a writer: empty, at once.
			if got, ok := d.ReadSmall("fifo", 50); len(got) != 0 || !ok {
				t.Errorf("%s: ReadSmall(fifo) = %q, %v", name, got, ok)
			}
		}
		entries, err := d.ReadDir()
		want, werr := os.ReadDir(root)
		if err != nil || werr != nil {
			t.Fatalf("%s: ReadDir: %v, %v", name, err, werr)
		}
		names := func(es []fs.DirEntry) (s []string) {
			for _, e := range es {
				s = append(s, e.Name()+":"+e.Type().String())
			}
			return s
		}
		if !slices.Equal(names(entries), names(want)) {
			t.Errorf("%s: ReadDir = %v, want %v", name, names(entries), names(want))
		}
		// A second call reads them again, not from where the first
		// stopped.
		if again, err := d.ReadDir(); err != nil || !slices.Equal(names(again), names(want)) {
			t.Errorf("%s: ReadDir again = %v, %v; want %v", name, names(again), err, names(want))
		}
	}
	// A directory that cannot be opened answers through its path.
	none := Open(filepath.Join(root, "none"))
	defer none.Close()
	if _, err := none.Stat("x"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat in a missing directory: %v", err)
	}
	if _, err := none.ReadDir(); err == nil {
		t.Error("ReadDir of a missing directory: no error")
	}
}
