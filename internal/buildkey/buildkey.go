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
	"strings"
	"time"

	"golang.org/x/mod/modfile"

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
		if err := hashTree(ctx, h, root, cache); errors.Is(err, errSymlinkDir) {
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
// name, are read. A symbolic link to a directory gives errSymlinkDir:
// what it leads to is not the tree's own.
//
// Reading every file costs more than the module graph on a large module,
// so file digests are remembered per tree, keyed by size and modification
// time, as the go command's test cache trusts them; a file modified in the
// last two seconds is read every time, since a second change within the
// clock's resolution could keep both (git's "racy" rule).
func hashTree(ctx context.Context, h io.Writer, root string, cache store.Store) error {
	fmt.Fprintf(h, "root %s\x00", root)
	memoKey := fmt.Sprintf("%x", sha256.Sum256([]byte(root)))
	var memo, next map[string]fileDigest
	cache.Get("files/"+memoKey, &memo)
	next = make(map[string]fileDigest, len(memo))
	changed := false
	racy := time.Now().Add(-2 * time.Second).UnixNano()
	// A walk of its own rather than filepath.WalkDir: a directory's
	// entries, read once, also tell whether it holds a go.mod (another
	// module), which WalkDir would need one more stat of every directory
	// to learn (on a large tree, about a fifth of the walk's syscalls).
	var walk func(dir string, entries []fs.DirEntry) error
	walk = func(dir string, entries []fs.DirEntry) error {
		for _, d := range entries {
			if err := ctx.Err(); err != nil {
				return err // cancelled: a large tree is not walked to the end
			}
			name := d.Name()
			path := filepath.Join(dir, name)
			if d.IsDir() {
				// No package path may have an element starting with a dot
				// (module.CheckImportPath); "_" directories and testdata are
				// left out of "./..." but can still be imported, so they are
				// read.
				if strings.HasPrefix(name, ".") {
					continue
				}
				sub, err := os.ReadDir(path)
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(root, path)
				if hasGoMod(path, sub) && !inVendor(rel) {
					continue // another module (vendor/ keeps the go.mod of modules it copies)
				}
				if err := walk(path, sub); err != nil {
					return err
				}
				continue
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if fi, err := os.Stat(path); err == nil && fi.IsDir() {
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
			fi, err := os.Stat(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			fd, ok := memo[rel]
			if !ok || fd.Size != fi.Size() || fd.ModTime != fi.ModTime().UnixNano() || fd.ModTime > racy {
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				sum := sha256.Sum256(data)
				fd = fileDigest{Size: int64(len(data)), ModTime: fi.ModTime().UnixNano(), SHA256: hex.EncodeToString(sum[:])}
				changed = true
			}
			next[rel] = fd
			fmt.Fprintf(h, "%s\x00%d\x00%s\x00", rel, fd.Size, fd.SHA256)
		}
		return nil
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil // a missing replacement directory: the go command reports it
	}
	if err := walk(root, entries); err != nil {
		return err
	}
	if changed || len(next) != len(memo) {
		_ = cache.Put("files/"+memoKey, next) // a cache that cannot be written costs time only
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
	Size    int64  `json:"s"`
	ModTime int64  `json:"t"`
	SHA256  string `json:"h"` // hexadecimal
}
