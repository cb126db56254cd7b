package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CreateNew creates the file name with data, atomically and exclusively:
// the file appears complete or not at all, and when name already exists
// (or another process creates it first) nothing is written and the error
// matches fs.ErrExist. It is how a record that is allocated a new
// identifier (a change request) is written by concurrent processes
// without a lock: each tries the next name until one is its own. perm is
// the new file's mode, less the umask.
func CreateNew(name string, data []byte, perm fs.FileMode) error {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	tmp, f, err := createTemp(dir, base, perm)
	if err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("creating %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("creating %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	// link(2) fails when name exists, whatever it is (a dangling symbolic
	// link included), unlike rename(2), which replaces it.
	if err := os.Link(tmp, name); err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	syncDir(dir)
	return nil
}
