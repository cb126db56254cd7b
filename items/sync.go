package items

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/atomicfile"
)

// FindingKind classifies a difference between items.yaml and the
// repository.
type FindingKind string

const (
	// Missing: an item is in the repository but not in items.yaml.
	Missing FindingKind = "missing"
	// Stale: an item of items.yaml is no longer in the repository (or no
	// longer in its class).
	Stale FindingKind = "stale"
	// Scheme: items.yaml's identifier scheme is not baseline.yaml's.
	Scheme FindingKind = "scheme"
)

// Finding is one difference.
type Finding struct {
	Kind  FindingKind `json:"kind"`
	ID    string      `json:"id,omitempty"`
	Class string      `json:"class"`
	Name  string      `json:"name"`
	Path  string      `json:"path,omitempty"`
	Line  int         `json:"line,omitempty"`
}

func (f Finding) String() string {
	switch f.Kind {
	case Missing:
		return fmt.Sprintf("missing: %s %s (%s) is not in items.yaml", f.Class, f.Name, f.Path)
	case Stale:
		return fmt.Sprintf("stale: %s %s %s is no longer in the repository", f.ID, f.Class, f.Name)
	}
	return fmt.Sprintf("scheme: %s", f.Name)
}

// Check compares items.yaml with the items found, for the identifier
// scheme scheme (baseline.yaml's items.ids). No finding means the file is
// up to date.
func Check(f *File, found []Found, scheme ident.Scheme) []Finding {
	var out []Finding
	if f.IDs.Scheme() != scheme {
		out = append(out, Finding{Kind: Scheme, Name: fmt.Sprintf("items.yaml numbers items %s%0*d..., baseline.yaml's items.ids says %s", f.IDs.Prefix, f.IDs.Width, 1, scheme.Format(1))})
	}
	listed := map[string]Item{}
	for _, it := range f.Items {
		listed[it.Key()] = it
	}
	here := map[string]Found{}
	for _, fd := range found {
		here[fd.Key()] = fd
		if it, ok := listed[fd.Key()]; !ok || it.Path != fd.Path {
			out = append(out, Finding{Kind: Missing, Class: fd.Class, Name: fd.Name, Path: fd.Path})
		}
	}
	for _, it := range f.Items {
		if fd, ok := here[it.Key()]; !ok || fd.Path != it.Path {
			out = append(out, Finding{Kind: Stale, ID: it.ID, Class: it.Class, Name: it.Name, Path: it.Path, Line: it.Line})
		}
	}
	return out
}

// Change is one change Sync made.
type Change struct {
	Kind string `json:"kind"` // "added" or "retired"
	Item Item   `json:"item"`
}

func (c Change) String() string {
	return fmt.Sprintf("%s %s %s %s", c.Kind, c.Item.ID, c.Item.Class, c.Item.Name)
}

// SyncOptions control Sync.
type SyncOptions struct {
	// Now dates retirements; time.Now when zero.
	Now time.Time
}

// Sync brings the item record in file up to date with the items found:
// new items get new identifiers (after the highest ever issued, in the
// sorted order of class and name), items that are gone are retired with
// the date, and an item whose path changed (a package directory moved
// under the same import path) keeps its identifier with the new path.
// It creates the file when missing. It holds an exclusive lock on the
// file's target plus ".lock" from reading to writing, writes through a
// symbolic link to its target, atomically, keeping the file's mode, and
// refuses a read-only file (the error matches fs.ErrPermission). With
// nothing to change it does not write.
func Sync(file string, found []Found, scheme ident.Scheme, opts SyncOptions) ([]Change, error) {
	target, err := atomicfile.Resolve(file)
	if err != nil {
		return nil, fmt.Errorf("item record: %w", err)
	}
	if err := atomicfile.CheckDir(filepath.Dir(target)); err != nil {
		return nil, fmt.Errorf("item record %s: %w", file, err)
	}
	unlock, err := lockedfile.MutexAt(target + ".lock").Lock()
	if err != nil {
		return nil, fmt.Errorf("locking item record: %w", err)
	}
	defer unlock()
	if _, err := atomicfile.RemoveStale(target); err != nil {
		return nil, fmt.Errorf("removing stale temporary files of %s: %w", file, err)
	}
	f, err := Load(file)
	created := false
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f = &File{Name: file, Version: FormatVersion, IDs: IDs{Prefix: scheme.Prefix, Width: scheme.Width}}
		created = true
	case err != nil:
		return nil, err
	}
	changes, err := f.Update(found, scheme, opts)
	if err != nil {
		return nil, err
	}
	if len(changes) == 0 && !created {
		return nil, nil
	}
	if err := atomicfile.WriteFile(target, f.Encode(), 0o666); err != nil {
		return nil, fmt.Errorf("item record: %w", err)
	}
	return changes, nil
}

// Update is Sync in memory: it changes f to match found.
func (f *File) Update(found []Found, scheme ident.Scheme, opts SyncOptions) ([]Change, error) {
	if f.IDs.Scheme() != scheme {
		if len(f.Items) > 0 || len(f.Retired) > 0 || f.IDs.LastIssued > 0 {
			return nil, fmt.Errorf("%s: identifiers are %s..., baseline.yaml's items.ids says %s...: identifiers are for life; change baseline.yaml back",
				f.Name, f.IDs.Scheme().Format(1), scheme.Format(1))
		}
		f.IDs.Prefix, f.IDs.Width = scheme.Prefix, scheme.Width
	}
	alloc, err := ident.New(scheme)
	if err != nil {
		return nil, err
	}
	for _, it := range f.Items {
		if err := alloc.Issue(it.ID); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	for _, r := range f.Retired {
		if err := alloc.Retire(r.ID); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	alloc.Reserve(f.IDs.LastIssued)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	here := map[string]Found{}
	for _, fd := range found {
		here[fd.Key()] = fd
	}
	var changes []Change
	var kept []Item
	listed := map[string]bool{}
	for _, it := range f.Items {
		fd, ok := here[it.Key()]
		if !ok {
			f.Retired = append(f.Retired, Retired{ID: it.ID, Class: it.Class, Name: it.Name,
				Date: now.UTC().Format(time.DateOnly), Reason: "no longer in the repository (baseline items sync)"})
			changes = append(changes, Change{Kind: "retired", Item: it})
			continue
		}
		if fd.Path != it.Path {
			it.Path = fd.Path
			changes = append(changes, Change{Kind: "moved", Item: it})
		}
		listed[it.Key()] = true
		kept = append(kept, it)
	}
	var keys []string
	for _, fd := range found {
		if !listed[fd.Key()] {
			keys = append(keys, fd.Key())
		}
	}
	for _, a := range alloc.Allocate(keys) {
		fd := here[a.Key]
		it := Item{ID: a.ID, Class: fd.Class, Name: fd.Name, Path: fd.Path}
		kept = append(kept, it)
		changes = append(changes, Change{Kind: "added", Item: it})
	}
	slices.SortFunc(kept, func(a, b Item) int {
		na, _ := scheme.Parse(a.ID)
		nb, _ := scheme.Parse(b.ID)
		return na - nb
	})
	slices.SortStableFunc(f.Retired, func(a, b Retired) int {
		na, _ := scheme.Parse(a.ID)
		nb, _ := scheme.Parse(b.ID)
		return na - nb
	})
	f.Items = kept
	f.IDs.LastIssued = alloc.High()
	return changes, nil
}
