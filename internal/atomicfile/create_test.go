package atomicfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/baseline-cm/baseline/internal/atomicfile"
)

func TestCreateNew(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "CR-001.yaml")
	if err := atomicfile.CreateNew(name, []byte("one"), 0o666); err != nil {
		t.Fatal(err)
	}
	err := atomicfile.CreateNew(name, []byte("two"), 0o666)
	if !errors.Is(err, fs.ErrExist) {
		t.Errorf("second CreateNew: %v, want fs.ErrExist", err)
	}
	if got := read(t, name); got != "one" {
		t.Errorf("file holds %q after a refused CreateNew, want %q", got, "one")
	}
	// A dangling link is not followed, and not replaced.
	link := filepath.Join(dir, "link")
	os.Symlink(filepath.Join(dir, "elsewhere"), link)
	if err := atomicfile.CreateNew(link, []byte("x"), 0o666); !errors.Is(err, fs.ErrExist) {
		t.Errorf("CreateNew over a dangling link: %v", err)
	}
	if got := entries(t, dir); len(got) != 2 {
		t.Errorf("directory holds %v, want the file and the link (no temporary files)", got)
	}
}
