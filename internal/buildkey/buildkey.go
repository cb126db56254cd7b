// Package buildkey digests every input that decides what a package load
// of a Go module sees, so that a fact computed from such a load (which
// modules the product links; which vulnerable symbols its code reaches)
// can be cached under the digest and computed again whenever any input
// changes.
//
// The inputs are the go environment that selects files (gocmd.BuildVars,
// the toolchain included), the directory the go command runs in, the
// go.mod, go.sum, go.work and go.work.sum files, vendor/modules.txt and
// the Go files of the main modules and of their directory replacements.
// Module versions are pinned by those files, and a module version's
// content never changes, so the module cache needs no hashing.
// NarrowKey, for a load whose patterns' wildcards skip the testdata and
// "_" trees, reads of those trees only the packages such a load read.
package buildkey

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/baseline-cm/baseline/internal/fsat"
	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/store"
)

// Key returns the digest of purpose (the fact's name and whatever else
// decides it, such as patterns and tags) and of every input of a package
// load run in dir under env, or "" when it cannot be told (then nothing
// should be cached): GOFLAGS with -overlay or -modfile name inputs
// outside the tree, and a directory outside any module has no tree.
// File digests are remembered in cache (see hashTree).
func Key(ctx context.Context, env gocmd.Env, dir string, purpose []string, cache store.Store) (string, error) {
	return key(ctx, env, dir, purpose, cache, false, nil)
}

// NarrowKey is Key for a package load of patterns that name nothing
// inside a testdata or "_" directory (see Narrowable), made cheaper by
// what such a load can read. Wildcards skip those trees, so the load
// reads a package there only when one it loads imports it; pkgDirs are
// the directories of the packages an earlier load of the same patterns
// read (see SkippedDirs), and only those are digested of the skipped
// trees, with the names of the directories above them that hold a go.mod
// (which would make them another module's).
//
// The key covers the load only while pkgDirs holds every directory it
// reads in a skipped tree: a caller caches a result under it only when
// the load that made the result read no other (SkippedDirs of its
// packages equals pkgDirs), and when no module in the build list shares
// a path prefix with a tree's module (see Shadowed), since a directory
// added to a skipped tree could then make an import ambiguous unseen.
// Every file the load read is then digested: a changed one changes the
// key, and an import of another skipped package needs a changed file.
func NarrowKey(ctx context.Context, env gocmd.Env, dir string, purpose []string, cache store.Store, pkgDirs []string) (string, error) {
	return key(ctx, env, dir, append([]string{"narrow"}, purpose...), cache, true, pkgDirs)
}

// Narrowable reports whether no pattern names a package inside a
// directory that wildcards skip: no element of it is "testdata" or starts
// with "_" or ".". Such patterns need Key.
func Narrowable(patterns []string) bool {
	for _, p := range patterns {
		for _, e := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == filepath.Separator }) {
			if skipped(e) || strings.HasPrefix(e, ".") && e != "." && e != ".." && e != "..." {
				return false
			}
		}
	}
	return true
}

// SkippedDirs returns, sorted and once each, the directories of dirs
// (package directories, as go list prints them) that lie in a tree that
// wildcards skip, outside the module cache and GOROOT (whose content
// never changes): the pkgDirs of NarrowKey.
func SkippedDirs(env gocmd.Env, dirs []string) []string {
	out := []string{}
	for _, d := range dirs {
		if d != "" && !within(env.GOMODCACHE, d) && !within(env.GOROOT, d) && inSkippedTree(d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Shadowed reports whether a module of the build list and a module whose
// tree NarrowKey digests (mains: the main modules and the modules
// directories replace) have paths one of which is a prefix of the other:
// then a package directory added to a skipped tree could make an import
// ambiguous, and a result must not be cached under NarrowKey.
func Shadowed(mains, buildList []string) bool {
	for _, m := range mains {
		for _, b := range buildList {
			if b != m && (strings.HasPrefix(b, m+"/") || strings.HasPrefix(m, b+"/")) {
				return true
			}
		}
	}
	return false
}

// skipped reports whether wildcard patterns skip a directory named name
// (and the tree below it): testdata, and names starting with "_". (Names
// starting with "." no import path can name; Key skips them too.)
func skipped(name string) bool {
	return name == "testdata" || strings.HasPrefix(name, "_")
}

// inSkippedTree reports whether an element of the path p is a directory
// that wildcards skip.
func inSkippedTree(p string) bool {
	return slices.ContainsFunc(strings.Split(filepath.ToSlash(p), "/"), skipped)
}

// within reports whether path is dir or inside it.
func within(dir, path string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && filepath.IsLocal(rel)
}

// key is Key, or NarrowKey when narrow.
func key(ctx context.Context, env gocmd.Env, dir string, purpose []string, cache store.Store, narrow bool, pkgDirs []string) (string, error) {
	if strings.Contains(env.GOFLAGS, "-overlay") || strings.Contains(env.GOFLAGS, "-modfile") {
		return "", nil // inputs outside the tree
	}
	h := sha256.New()
	fmt.Fprintf(h, "%q\x00%s\x00", purpose, env.Build)
	dir, err := filepath.Abs(cmp.Or(dir, "."))
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "dir %s\x00", dir)

	// The trees whose Go files are read: the main modules, and the
	// directories that replace modules (only main modules' replacements
	// apply).
	mods, err := env.MainGoMods()
	if err != nil || len(mods) == 0 {
		return "", err
	}
	var roots []string
	if env.GOWORK != "" && env.GOWORK != "off" {
		wf, err := gocmd.ReadGoWork(env.GOWORK)
		if err != nil {
			return "", err
		}
		base := filepath.Dir(env.GOWORK)
		roots = append(roots, base) // go.work, go.work.sum, vendor/
		for _, rep := range wf.Replace {
			if modfile.IsDirectoryPath(rep.New.Path) {
				roots = append(roots, gocmd.Abs(base, rep.New.Path))
			}
		}
	}
	for _, gomod := range mods {
		base := filepath.Dir(gomod)
		roots = append(roots, base)
		data, err := os.ReadFile(gomod)
		if err != nil {
			return "", err
		}
		mf, err := modfile.Parse(gomod, data, nil)
		if err != nil {
			return "", err
		}
		for _, rep := range mf.Replace {
			if modfile.IsDirectoryPath(rep.New.Path) {
				roots = append(roots, gocmd.Abs(base, rep.New.Path))
			}
		}
	}
	slices.Sort(roots)
	roots = slices.Compact(roots)
	for _, root := range roots {
		var in []string // pkgDirs in root's skipped trees, relative
		for _, d := range pkgDirs {
			if rel, err := filepath.Rel(root, d); err == nil && filepath.IsLocal(rel) && inSkippedTree(rel) {
				in = append(in, filepath.ToSlash(rel))
			}
		}
		if err := hashTree(ctx, h, root, cache, narrow, in); errors.Is(err, errSymlinkDir) {
			return "", nil
		} else if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashTree writes the name and content digest of every file of the module
// rooted at root that can change what its packages import: Go files (with
// their build constraints), go.mod, go.sum, go.work, go.work.sum and
// vendor/modules.txt. Nested modules (outside vendor/) and directories
// starting with "." (which no import path can name) are skipped; "_"
// directories and testdata, which "./..." leaves out but an import can
// name, are read, unless narrow: then of those trees only the package
// directories in (relative to root, slash-separated) are, each with the
// go.mod files above it (see NarrowKey). A symbolic link to a directory
// gives errSymlinkDir: what it leads to is not the tree's own.
//
// Reading every file costs more than the module graph on a large module,
// so file digests are remembered per tree, keyed by size and modification
// time, as the go command's test cache trusts them; a file modified in the
// last two seconds is read every time, since a second change within the
// clock's resolution could keep both (git's "racy" rule).
func hashTree(ctx context.Context, h io.Writer, root string, cache store.Store, narrow bool, in []string) error {
	fmt.Fprintf(h, "root %s\x00", root)
	memoName := root
	if narrow {
		memoName += "\x00narrow" // its own memo: the two walks read different files
	}
	memoKey := fmt.Sprintf("%x", sha256.Sum256([]byte(memoName)))
	var memo, next map[string]fileDigest
	cache.GetGob("files/"+memoKey, &memo)
	next = make(map[string]fileDigest, len(memo))
	changed := false
	racy := time.Now().Add(-2 * time.Second).UnixNano()
	// file digests one file, name in dir, named rel relative to root
	// (slash-separated). Each file's line, "rel\0size\0sha256\0", is
	// built in line and written at once.
	var line []byte
	file := func(dir *fsat.Dir, name, rel string) error {
		fi, err := dir.Stat(name)
		if err != nil {
			return err
		}
		fd, ok := memo[rel]
		if !ok || fd.Size != fi.Size || fd.ModTime != fi.ModTime.UnixNano() || fd.ModTime > racy {
			data, err := os.ReadFile(filepath.Join(dir.Name(), name))
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			fd = fileDigest{Size: int64(len(data)), ModTime: fi.ModTime.UnixNano(), SHA256: hex.EncodeToString(sum[:])}
			changed = true
		}
		next[rel] = fd
		line = append(line[:0], rel...)
		line = append(line, 0)
		line = strconv.AppendInt(line, fd.Size, 10)
		line = append(line, 0)
		line = append(line, fd.SHA256...)
		line = append(line, 0)
		_, err = h.Write(line)
		return err
	}
	// files digests the files of the open directory dir, whose entries
	// are entries and whose path relative to root is rel (slash-separated,
	// "" for root), and walks its subdirectories when walk is set. Each
	// file is statted through dir (package fsat): the kernel walks no
	// path but the file's name.
	var files func(dir *fsat.Dir, rel string, entries []fs.DirEntry, walk bool) error
	var subdir func(path, rel string) error
	files = func(dir *fsat.Dir, rel string, entries []fs.DirEntry, walk bool) error {
		for _, d := range entries {
			if err := ctx.Err(); err != nil {
				return err // cancelled: a large tree is not walked to the end
			}
			name := d.Name()
			if d.IsDir() {
				// No package path may have an element starting with a dot
				// (module.CheckImportPath); "_" directories and testdata are
				// left out of "./..." but can still be imported, so they are
				// read (or, narrow, only their packages in).
				if !walk || strings.HasPrefix(name, ".") || narrow && skipped(name) {
					continue
				}
				if err := subdir(filepath.Join(dir.Name(), name), joinRel(rel, name)); err != nil {
					return err
				}
				continue
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if fi, err := dir.Stat(name); err == nil && fi.Type.IsDir() {
					if !walk {
						continue // a package's subdirectory is not the package's
					}
					// The go command imports packages through it; its target
					// may be anywhere.
					return errSymlinkDir
				}
			}
			switch {
			case strings.HasSuffix(name, ".go"), name == "go.mod", name == "go.sum",
				name == "go.work", name == "go.work.sum", name == "modules.txt":
			default:
				continue
			}
			if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				continue
			}
			if err := file(dir, name, joinRel(rel, name)); err != nil {
				return err
			}
		}
		return nil
	}
	// subdir digests the subdirectory path (rel relative to root),
	// unless it is another module's (vendor/ keeps the go.mod of modules
	// it copies).
	subdir = func(path, rel string) error {
		dir := fsat.Open(path)
		defer dir.Close()
		sub, err := dir.ReadDir()
		if err != nil {
			return err
		}
		if hasGoMod(path, sub) && !inVendor(rel) {
			return nil
		}
		return files(dir, rel, sub, true)
	}
	rootDir := fsat.Open(root)
	defer rootDir.Close()
	entries, err := rootDir.ReadDir()
	if err != nil {
		return nil // a missing replacement directory: the go command reports it
	}
	if err := files(rootDir, "", entries, true); err != nil {
		return err
	}
	// pkgDir digests the files of one package directory, rel relative to
	// root (none when it is missing: the go command reports it).
	pkgDir := func(rel string) error {
		dir := fsat.Open(filepath.Join(root, filepath.FromSlash(rel)))
		defer dir.Close()
		entries, err := dir.ReadDir()
		if err != nil {
			return nil
		}
		return files(dir, rel, entries, false)
	}
	// The packages read in skipped trees, each with what decides whether
	// it is this module's: a go.mod, or a symbolic link, on the way.
	for _, rel := range in {
		fmt.Fprintf(h, "package dir %s\x00", rel)
		elems := strings.Split(rel, "/")
		dir := root
		for i, e := range elems {
			dir = filepath.Join(dir, e)
			if fi, err := os.Lstat(dir); err != nil {
				fmt.Fprintf(h, "missing %d\x00", i) // the go command reports it
				break
			} else if fi.Mode()&fs.ModeSymlink != 0 {
				return errSymlinkDir
			}
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !inVendor(strings.Join(elems[:i+1], "/")) {
				fmt.Fprintf(h, "go.mod at %d\x00", i)
			}
		}
		if err := pkgDir(rel); err != nil {
			return err
		}
	}
	if changed || len(next) != len(memo) {
		_ = cache.PutGob("files/"+memoKey, next) // a cache that cannot be written costs time only
	}
	return nil
}

// hasGoMod reports whether a directory whose entries are entries holds a
// go.mod, as os.Stat of dir/go.mod would find it (a symbolic link counts
// only if it leads somewhere).
func hasGoMod(dir string, entries []fs.DirEntry) bool {
	for _, e := range entries {
		if e.Name() == "go.mod" {
			if e.Type()&fs.ModeSymlink == 0 {
				return true
			}
			_, err := os.Stat(filepath.Join(dir, "go.mod"))
			return err == nil
		}
	}
	return false
}

// joinRel is the slash-separated path of name in the directory rel,
// relative to a tree's root ("" for the root itself).
func joinRel(rel, name string) string {
	if rel == "" {
		return name
	}
	return rel + "/" + name
}

// errSymlinkDir stops hashTree at a symbolic link to a directory: the
// files behind it are not the tree's, so there is no key.
var errSymlinkDir = errors.New("a symbolic link to a directory")

// inVendor reports whether rel, relative to a module's root, is in its
// vendor directory.
func inVendor(rel string) bool {
	rel = filepath.ToSlash(rel)
	return rel == "vendor" || strings.HasPrefix(rel, "vendor/")
}

// fileDigest is what hashTree remembers of a file.
type fileDigest struct {
	Size    int64
	ModTime int64
	SHA256  string // hexadecimal
}
