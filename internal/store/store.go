// Package store is baseline's on-disk cache of small JSON documents:
// facts that are pure functions of their name, such as the digests of an
// immutable module zip or the digest of every input that decides a
// module's scope, kept so that a later run need not compute them again.
//
// Each entry is one file, written atomically (a temporary file renamed
// over the entry), so concurrent runs never see a partial entry: at worst
// two runs compute the same entry and one rename wins. A cache that
// cannot be read or written costs time, never correctness.
package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/baseline-cm/baseline/internal/atomicfile"
)

// schema versions the layout; bump it when an entry changes meaning.
const schema = "v1"

// Store is a directory of JSON entries. The zero value (empty Dir) never
// hits and never writes.
type Store struct {
	Dir string
}

// DefaultDir returns the default cache directory: "baseline/modinfo" under
// the user cache directory (os.UserCacheDir), or "" when there is none.
func DefaultDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "baseline", "modinfo")
}

// Open returns the store of a caller's options: none when off, else dir,
// or DefaultDir when dir is empty.
func Open(dir string, off bool) Store {
	switch {
	case off:
		return Store{}
	case dir == "":
		return Store{Dir: DefaultDir()}
	}
	return Store{Dir: dir}
}

// file returns the file of the entry name, a slash-separated relative
// path such as "scope/<digest>".
func (s Store) file(name string) (string, error) {
	if name == "" || path.IsAbs(name) || path.Clean(name) != name || strings.HasPrefix(name, "../") || name == ".." {
		return "", fmt.Errorf("store: invalid entry name %q", name)
	}
	return filepath.Join(s.Dir, schema, filepath.FromSlash(name)+".json"), nil
}

// Get reads the entry name into v and reports whether there was one that
// decodes.
func (s Store) Get(name string, v any) bool {
	if s.Dir == "" {
		return false
	}
	f, err := s.file(name)
	if err != nil {
		return false
	}
	data, err := os.ReadFile(f)
	return err == nil && json.Unmarshal(data, v) == nil
}

// Put stores v as the entry name, atomically. Callers may ignore the
// error: a cache that cannot be written costs time only.
func (s Store) Put(name string, v any) error {
	if s.Dir == "" {
		return nil
	}
	f, err := s.file(name)
	if err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(f, data, 0o666)
}
