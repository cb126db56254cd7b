package atomicfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/baseline-cm/baseline/internal/atomicfile"
)

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// entries lists dir, so that a test sees every file a write left.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteNewAndReplace(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "soup.yaml")
	if err := atomicfile.WriteFile(f, []byte("one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(f, []byte("two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := read(t, f); got != "two\n" {
		t.Errorf("content %q, want %q", got, "two\n")
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"soup.yaml"}) {
		t.Errorf("directory holds %q, want only soup.yaml (no temporary file left)", got)
	}
}

// pieces writes parts one by one, and fails after them with err.
func pieces(err error, parts ...string) func(io.Writer) error {
	return func(w io.Writer) error {
		for _, s := range parts {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
		}
		return err
	}
}

// TestWriteWith: a document written in pieces replaces the file whole; a
// writer that fails part way leaves the old file as it was and no
// temporary file.
func TestWriteWith(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "sbom.json")
	if err := atomicfile.WriteWith(f, pieces(nil, "one", " two", "\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := read(t, f); got != "one two\n" {
		t.Errorf("content %q, want %q", got, "one two\n")
	}
	err := atomicfile.WriteWith(f, pieces(errors.New("encoding failed"), strings.Repeat("half", 1<<15)), 0o644)
	if err == nil || !strings.Contains(err.Error(), "encoding failed") || !strings.Contains(err.Error(), f) {
		t.Errorf("WriteWith with a failing writer: %v, want its error naming the file", err)
	}
	if got := read(t, f); got != "one two\n" {
		t.Errorf("after a failed write, content %q, want the old %q", got, "one two\n")
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"sbom.json"}) {
		t.Errorf("directory holds %q, want only sbom.json", got)
	}
}

func TestSymlinkWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "shared", "soup.yaml")
	if err := os.WriteFile(target, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A relative link, and a link to the link.
	link := filepath.Join(dir, "soup.yaml")
	if err := os.Symlink(filepath.Join("shared", "soup.yaml"), link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	link2 := filepath.Join(dir, "again.yaml")
	if err := os.Symlink("soup.yaml", link2); err != nil {
		t.Fatal(err)
	}
	if got, err := atomicfile.Resolve(link2); err != nil || got != target {
		t.Errorf("Resolve(%s) = %q, %v; want %q", link2, got, err, target)
	}
	if err := atomicfile.WriteFile(link2, []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := read(t, target); got != "new\n" {
		t.Errorf("target holds %q, want the new content", got)
	}
	for _, l := range []string{link, link2} {
		fi, err := os.Lstat(l)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s was replaced by a regular file: the register forked", l)
		}
	}
	if got := entries(t, filepath.Join(dir, "shared")); !slices.Equal(got, []string{"soup.yaml"}) {
		t.Errorf("target directory holds %q", got)
	}
}

func TestDanglingSymlinkCreatesTarget(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "out.json")
	if err := os.Symlink("real.json", link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := atomicfile.WriteFile(link, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "real.json")); got != "x" {
		t.Errorf("real.json = %q", got)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced")
	}
}

func TestReadOnlyRefused(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "soup.yaml")
	if err := os.WriteFile(f, []byte("kept\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	err := atomicfile.WriteFile(f, []byte("lost\n"), 0o644)
	if !errors.Is(err, atomicfile.ErrReadOnly) || !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("err = %v, want ErrReadOnly, matching fs.ErrPermission", err)
	}
	if !strings.Contains(err.Error(), f) {
		t.Errorf("error %q does not name the file", err)
	}
	if got := read(t, f); got != "kept\n" {
		t.Errorf("read-only file was replaced: %q", got)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"soup.yaml"}) {
		t.Errorf("directory holds %q", got)
	}
}

func TestModeKept(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "soup.yaml")
	if err := os.WriteFile(f, []byte("a"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f, 0o640); err != nil { // beyond what the umask leaves
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(f, []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the existing file's -rw-r-----", fi.Mode().Perm())
	}
}

func TestStaleRemoved(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "soup.yaml")
	stale := []string{
		".soup.yaml.0a1b2c3d4e5f" + atomicfile.TempSuffix, // WriteFile's
		"soup.yaml123456789.tmp",                          // renameio's, before
	}
	keep := []string{"soup.yaml", "soup.yaml.lock", "soup.yaml.bak.tmp", ".other.yaml.0a1b2c" + atomicfile.TempSuffix, "soup.yaml.tmp"}
	for _, n := range append(slices.Clone(stale), keep...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := atomicfile.RemoveStale(f)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range stale {
		want = append(want, filepath.Join(dir, n))
	}
	slices.Sort(removed)
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	got := entries(t, dir)
	slices.Sort(keep)
	if !slices.Equal(got, keep) {
		t.Errorf("left %q, want %q", got, keep)
	}
}

func TestDeviceWrittenInPlace(t *testing.T) {
	if _, err := os.Stat(os.DevNull); err != nil || runtime.GOOS == "windows" {
		t.Skip("no", os.DevNull)
	}
	if err := atomicfile.WriteFile(os.DevNull, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Through a link, as /dev/stdout links to /proc/self/fd/1.
	link := filepath.Join(t.TempDir(), "out")
	if err := os.Symlink(os.DevNull, link); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(link, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().IsRegular() {
		t.Fatalf("%s was replaced by a regular file", os.DevNull)
	}
}

func TestDirectoryRefused(t *testing.T) {
	dir := t.TempDir()
	err := atomicfile.WriteFile(dir, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("err = %v, want an error naming %s", err, dir)
	}
}
