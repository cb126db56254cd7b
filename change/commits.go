package change

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/git"
	"github.com/baseline-cm/baseline/product"
)

// Catalog maps the paths a commit changed to configuration items.
type Catalog struct {
	// Items are the product's own configuration items (items.yaml).
	Items []CatalogItem
	// Classes are baseline.yaml's classes: a file a files class matches
	// that is not in Items yet is an item without identifier.
	Classes []product.Class
	// Modules maps the module path of each SOUP item to its identifier
	// (soup.yaml).
	Modules map[string]string
	// Ignore are path globs that are never configuration items: the
	// change-control records, the release archive.
	Ignore []string
}

// CatalogItem is one of the product's own configuration items.
type CatalogItem struct {
	ID   string
	Name string
	// Path is the file, or the package directory, relative to the
	// product's root.
	Path string
	// Package is true for a Go package item.
	Package bool
}

// goSource are the extensions of files the go command builds in a
// package directory.
var goSource = []string{".go", ".s", ".S", ".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".m", ".f", ".F", ".for", ".f90", ".syso", ".swig", ".swigcxx"}

// isModFile reports whether p is a go.mod or go.sum file.
func isModFile(p string) bool {
	b := path.Base(p)
	return b == "go.mod" || b == "go.sum" || b == "go.work" || b == "go.work.sum"
}

// Map returns the configuration items that changes to files (slash
// paths relative to the product's root) touch, in the order of first
// appearance; go.mod and go.sum changes are SOUP changes (see Commits)
// and are not mapped here.
func (c *Catalog) Map(files []string) []ItemChange {
	var out []ItemChange
	index := map[string]int{}
	add := func(key string, it ItemChange, file string) {
		if i, ok := index[key]; ok {
			out[i].Files = append(out[i].Files, file)
			return
		}
		index[key] = len(out)
		it.Files = []string{file}
		out = append(out, it)
	}
	for _, f := range files {
		if isModFile(f) || product.MatchAny(c.Ignore, f) {
			continue
		}
		if it, ok := c.item(f); ok {
			add("item\x00"+it.ID+"\x00"+it.Name, it, f)
		}
	}
	return out
}

func (c *Catalog) item(f string) (ItemChange, bool) {
	for _, it := range c.Items {
		if !it.Package && it.Path == f {
			return ItemChange{ID: it.ID, Name: it.Name, Path: it.Path}, true
		}
	}
	for _, cl := range c.Classes {
		if cl.Kind != product.GoPackage && cl.Match(f) {
			return ItemChange{Name: f, Path: f}, true
		}
	}
	dir := path.Dir(f)
	for _, it := range c.Items {
		if !it.Package {
			continue
		}
		if dir == it.Path && slices.Contains(goSource, path.Ext(f)) ||
			strings.HasPrefix(f, path.Join(it.Path, "testdata")+"/") ||
			it.Path == "." && strings.HasPrefix(f, "testdata/") {
			return ItemChange{ID: it.ID, Name: it.Name, Path: it.Path}, true
		}
	}
	// A Go source file of a package items.yaml does not list (yet): an
	// item without identifier, named by its directory.
	if slices.Contains(goSource, path.Ext(f)) {
		for _, cl := range c.Classes {
			if cl.Kind == product.GoPackage && cl.Match(dir) && cl.Match(f) && matchPackagePatterns(cl.Paths, dir) {
				return ItemChange{Name: dir, Path: dir}, true
			}
		}
	}
	return ItemChange{}, false
}

// matchPackagePatterns reports whether the package directory dir (slash
// path relative to the product's root) matches one of the go command's
// package patterns: "./...", "./cmd/...", "./internal/x".
func matchPackagePatterns(patterns []string, dir string) bool {
	for _, p := range patterns {
		p = strings.TrimPrefix(p, "./")
		switch {
		case p == "..." || p == "." && dir == ".":
			return true
		case strings.HasSuffix(p, "/..."):
			pre := strings.TrimSuffix(p, "/...")
			if dir == pre || strings.HasPrefix(dir, pre+"/") {
				return true
			}
		case p == dir:
			return true
		}
	}
	return false
}

// CommitOptions control Commits.
type CommitOptions struct {
	// Trailer is the commit trailer key naming change requests;
	// DefaultTrailer when empty.
	Trailer string
	Catalog Catalog
	// NotBefore leaves out commits committed before it (the start of
	// change control, when baseline.yaml gives it as a date).
	NotBefore time.Time
}

// Commits returns the commits of revRange ("BASE..HEAD", as git log
// takes it) in the git repository that holds dir (the product's root),
// newest first, each with the change requests its trailers name and the
// configuration items it changed: own items by the paths it touched
// (opts.Catalog), SOUP items by the module requirements its go.mod and
// go.sum changes moved. It only reads the repository.
func Commits(ctx context.Context, dir, revRange string, opts CommitOptions) ([]Commit, error) {
	trailer := opts.Trailer
	if trailer == "" {
		trailer = DefaultTrailer
	}
	prefix, err := git.Prefix(ctx, dir)
	if err != nil {
		return nil, err
	}
	log, err := git.LogFiles(ctx, dir, revRange)
	if err != nil {
		return nil, err
	}
	var out []Commit
	for _, e := range log {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !opts.NotBefore.IsZero() && e.CommitTime.Before(opts.NotBefore) {
			continue
		}
		c := Commit{Hash: e.Commit, Subject: e.Subject, Time: e.CommitTime, Requests: Trailers(e.Subject+"\n\n"+e.Body, trailer)}
		var files []string
		modChanged := false
		for _, f := range e.Files {
			rel, ok := strings.CutPrefix(f, prefix)
			if !ok {
				continue // outside the product
			}
			files = append(files, rel)
			if rel == "go.mod" || rel == "go.sum" {
				modChanged = true
			}
		}
		c.Items = opts.Catalog.Map(files)
		if modChanged {
			parent := ""
			if len(e.Parents) > 0 {
				parent = e.Parents[0]
			}
			mods, err := moduleChanges(ctx, dir, prefix, parent, e.Commit)
			if err != nil {
				return nil, err
			}
			for _, m := range mods {
				id, inRegister := opts.Catalog.Modules[m.Module]
				if !inRegister && !m.required {
					continue // not a SOUP item of the build
				}
				m.ID = id
				files := []string{}
				for _, f := range []string{"go.mod", "go.sum"} {
					if slices.Contains(e.Files, prefix+f) {
						files = append(files, f)
					}
				}
				m.Files = files
				c.Items = append(c.Items, m.ItemChange)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

type moduleChange struct {
	ItemChange
	required bool // go.mod requires it, before or after
}

// moduleChanges compares go.mod and go.sum of the product at parent and
// commit: the modules whose required version changed, that were added
// or removed.
func moduleChanges(ctx context.Context, dir, prefix, parent, commit string) ([]moduleChange, error) {
	read := func(rev, file string) ([]byte, error) {
		if rev == "" {
			return nil, nil
		}
		data, _, err := git.Show(ctx, dir, rev, prefix+file)
		return data, err
	}
	versions := func(rev string) (req map[string]string, sum map[string][]string, err error) {
		req, sum = map[string]string{}, map[string][]string{}
		mod, err := read(rev, "go.mod")
		if err != nil {
			return nil, nil, err
		}
		if mod != nil {
			f, err := modfile.ParseLax(prefix+"go.mod@"+rev, mod, nil)
			if err != nil {
				return nil, nil, err
			}
			for _, r := range f.Require {
				req[r.Mod.Path] = r.Mod.Version
			}
			for _, r := range f.Replace {
				if r.New.Version != "" {
					req[r.Old.Path] = r.New.Version
				}
			}
		}
		s, err := read(rev, "go.sum")
		if err != nil {
			return nil, nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(s))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 3 && !strings.HasSuffix(f[1], "/go.mod") && !slices.Contains(sum[f[0]], f[1]) {
				sum[f[0]] = append(sum[f[0]], f[1])
			}
		}
		return req, sum, nil
	}
	oldReq, oldSum, err := versions(parent)
	if err != nil {
		return nil, err
	}
	newReq, newSum, err := versions(commit)
	if err != nil {
		return nil, err
	}
	mods := map[string]bool{}
	for _, m := range []map[string]string{oldReq, newReq} {
		for p := range m {
			mods[p] = true
		}
	}
	for _, m := range []map[string][]string{oldSum, newSum} {
		for p := range m {
			mods[p] = true
		}
	}
	var out []moduleChange
	for _, p := range slices.Sorted(maps.Keys(mods)) {
		ov, nv := oldReq[p], newReq[p]
		if ov == "" {
			ov = highest(oldSum[p])
		}
		if nv == "" {
			nv = highest(newSum[p])
		}
		if ov == nv && slices.Equal(oldSum[p], newSum[p]) {
			continue
		}
		if ov == nv {
			continue // a go.sum line added or dropped for a version that did not change
		}
		_, r1 := oldReq[p]
		_, r2 := newReq[p]
		out = append(out, moduleChange{ItemChange: ItemChange{Name: p, Module: p, Old: ov, New: nv}, required: r1 || r2})
	}
	return out, nil
}

func highest(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	s := slices.Clone(vs)
	semver.Sort(s)
	return s[len(s)-1]
}

// TakenIDs returns the change request identifiers the git history of the
// repository that holds dir has seen, on every branch: those of record
// files ever added to requestsDir (relative to dir), and those commit
// trailers name. New takes them as reserved, so that a record deleted, or
// allocated on another branch, never has its identifier issued again.
// Outside a git work tree it returns none.
func TakenIDs(ctx context.Context, dir, requestsDir, trailer string, scheme ident.Scheme) ([]string, error) {
	if trailer == "" {
		trailer = DefaultTrailer
	}
	names, err := git.Output(ctx, dir, "log", "--all", "--no-color", "--format=", "--name-only", "-z", "--diff-filter=A", "--", filepath.ToSlash(requestsDir))
	if errors.Is(err, git.ErrNotRepository) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if _, err := scheme.Parse(id); err == nil && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, n := range strings.Split(string(names), "\x00") {
		n = path.Base(strings.TrimSpace(n))
		if num, ok := fileID(scheme, n); ok {
			add(scheme.Format(num))
		}
	}
	msgs, err := git.Output(ctx, dir, "log", "--all", "--no-color", "--format=%x1e%B")
	if err != nil {
		return nil, err
	}
	for _, m := range strings.Split(string(msgs), "\x1e") {
		for _, id := range Trailers(m, trailer) {
			add(id)
		}
	}
	return out, nil
}
