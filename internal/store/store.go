// Package store is baseline's on-disk cache of small documents (JSON, or
// gob for the largest): facts that are pure functions of their name, such
// as the digests of an immutable module zip or the digest of every input
// that decides a module's scope, kept so that a later run need not
// compute them again.
//
// Each entry is one file, written atomically (a temporary file renamed
// over the entry), so concurrent runs never see a partial entry: at worst
// two runs compute the same entry and one rename wins. A cache that
// cannot be read or written costs time, never correctness.
package store

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
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
// path such as "scope/<digest>", kept with extension ext.
func (s Store) file(name, ext string) (string, error) {
	if name == "" || path.IsAbs(name) || path.Clean(name) != name || strings.HasPrefix(name, "../") || name == ".." {
		return "", fmt.Errorf("store: invalid entry name %q", name)
	}
	return filepath.Join(s.Dir, schema, filepath.FromSlash(name)+ext), nil
}

// Get reads the entry name into v and reports whether there was one that
// decodes.
func (s Store) Get(name string, v any) bool {
	return s.get(name, ".json", v, func(data []byte, v any) error { return json.Unmarshal(data, v) })
}

// Put stores v as the entry name, atomically. Callers may ignore the
// error: a cache that cannot be written costs time only.
func (s Store) Put(name string, v any) error {
	return s.put(name, ".json", v, json.Marshal)
}

// GetGob and PutGob are Get and Put for an entry kept in encoding/gob
// rather than JSON, for the large entries every discovery reads (a set of
// hundreds of module entries, the file digests of a tree): gob decodes
// them several times faster (BenchmarkGetSet). An entry is read with the
// codec it was written with; the two never share a file.
func (s Store) GetGob(name string, v any) bool {
	return s.get(name, ".gob", v, func(data []byte, v any) error { return gob.NewDecoder(bytes.NewReader(data)).Decode(v) })
}

// PutGob: see GetGob.
func (s Store) PutGob(name string, v any) error {
	return s.put(name, ".gob", v, func(v any) ([]byte, error) {
		var buf bytes.Buffer
		err := gob.NewEncoder(&buf).Encode(v)
		return buf.Bytes(), err
	})
}

// GetBytes and PutBytes are Get and Put for an entry kept as the bytes
// given, for large entries that are bytes already (an SBOM's encoded
// elements): nothing is decoded or copied.
func (s Store) GetBytes(name string) ([]byte, bool) {
	var data []byte
	ok := s.get(name, ".bin", &data, func(b []byte, v any) error {
		*v.(*[]byte) = b
		return nil
	})
	return data, ok
}

// PutBytes: see GetBytes.
func (s Store) PutBytes(name string, data []byte) error {
	return s.PutBytesWith(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// PutBytesWith is PutBytes for the bytes write writes, streamed into the
// entry's temporary file (atomicfile.WriteWith) rather than held whole.
func (s Store) PutBytesWith(name string, write func(io.Writer) error) error {
	if s.Dir == "" {
		return nil
	}
	f, err := s.file(name, ".bin")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteWith(f, write, 0o666)
}

// Prune removes the entries in the directory dir of the store (such as
// "elements/<digest>"), but the keep most recently written ones. A store
// that cannot be pruned costs space only, so errors are not returned.
func (s Store) Prune(dir string, keep int) {
	if s.Dir == "" {
		return
	}
	d, err := s.file(dir, "")
	if err != nil {
		return
	}
	entries, err := os.ReadDir(d)
	if err != nil || len(entries) <= keep {
		return
	}
	type entry struct {
		name string
		mod  int64
	}
	var es []entry
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			es = append(es, entry{e.Name(), fi.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(es, func(a, b entry) int { return cmp.Compare(b.mod, a.mod) })
	for _, e := range es[min(keep, len(es)):] {
		os.Remove(filepath.Join(d, e.name))
	}
}

func (s Store) get(name, ext string, v any, decode func([]byte, any) error) bool {
	if s.Dir == "" {
		return false
	}
	f, err := s.file(name, ext)
	if err != nil {
		return false
	}
	data, err := os.ReadFile(f)
	return err == nil && decode(data, v) == nil
}

func (s Store) put(name, ext string, v any, encode func(any) ([]byte, error)) error {
	if s.Dir == "" {
		return nil
	}
	f, err := s.file(name, ext)
	if err != nil {
		return err
	}
	data, err := encode(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(f, data, 0o666)
}
