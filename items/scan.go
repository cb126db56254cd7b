package items

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/product"
)

// Found is a configuration item as it is in the repository now.
type Found struct {
	Class string
	Kind  string // product.GoPackage or product.Files
	Name  string
	Path  string
	// Files are a package's files, slash-separated paths relative to the
	// package directory, sorted; nil for a file item.
	Files []string
}

// Key is the item's class and name, as Item.Key.
func (f Found) Key() string { return f.Class + "\x00" + f.Name }

// ScanOptions control Scan.
type ScanOptions struct {
	// GoCommand is the go command; "go" when empty.
	GoCommand string
	// Env is added to the go command's environment (after each
	// configuration's GOOS, GOARCH and CGO_ENABLED).
	Env []string
	// ListFiles, when set, returns the repository's files (slash paths
	// relative to root) instead of Scan's own listing: the files git
	// tracks, when root is a git work tree, else a walk.
	ListFiles func(ctx context.Context, root string) ([]string, error)
}

// Scan returns the product's own configuration items in the repository at
// root, as the classes of cfg define them, sorted by class order, then
// name. The go command runs offline.
func Scan(ctx context.Context, cfg *product.Config, root string, opts ScanOptions) ([]Found, error) {
	var out []Found
	claimed := map[string]bool{} // file paths and package dirs already in a class
	skip := skipDirs(cfg)
	var files []string
	for _, cl := range cfg.Items.Classes {
		var found []Found
		if cl.Kind == product.GoPackage {
			pkgs, err := goPackages(ctx, cfg, root, cl, opts)
			if err != nil {
				return nil, err
			}
			found = pkgs
		} else {
			if files == nil {
				list := opts.ListFiles
				if list == nil {
					list = ListFiles
				}
				var err error
				if files, err = list(ctx, root); err != nil {
					return nil, err
				}
				if files == nil {
					files = []string{}
				}
			}
			for _, f := range files {
				if skipped(skip, f) || !cl.Match(f) {
					continue
				}
				found = append(found, Found{Class: cl.Name, Kind: product.Files, Name: f, Path: f})
			}
		}
		slices.SortFunc(found, func(a, b Found) int { return strings.Compare(a.Name, b.Name) })
		for _, f := range found {
			if claimed[f.Kind+"\x00"+f.Path] {
				continue
			}
			claimed[f.Kind+"\x00"+f.Path] = true
			out = append(out, f)
		}
	}
	return out, nil
}

// skipDirs are the directories that never hold configuration items: the
// change-control records and the release archive.
func skipDirs(cfg *product.Config) []string {
	return []string{cfg.Archive, cfg.Records.ChangeRequests, cfg.Records.ProblemReports, cfg.Records.Anomalies}
}

func skipped(dirs []string, f string) bool {
	if f == DefaultFile {
		return true
	}
	for _, d := range dirs {
		if f == d || strings.HasPrefix(f, d+"/") {
			return true
		}
	}
	return false
}

// ListFiles returns the files of the repository at root that may be
// configuration items: those git tracks (git ls-files, read-only) when
// root is in a git work tree, else every regular file outside hidden
// directories.
func ListFiles(ctx context.Context, root string) ([]string, error) {
	files, err := gitFiles(ctx, root)
	if err == nil {
		return files, nil
	}
	if !errors.Is(err, errNoGit) {
		return nil, err
	}
	return walkFiles(ctx, root)
}

func walkFiles(ctx context.Context, root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, rel)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// listPackage is what go list reports of a package, the fields asked for.
type listPackage struct {
	ImportPath string
	Dir        string
	Module     *struct {
		Path string
		Main bool
	}
	Error *struct{ Err string }

	GoFiles, CgoFiles, CFiles, CXXFiles, MFiles, HFiles, FFiles, SFiles []string
	SwigFiles, SwigCXXFiles, SysoFiles, EmbedFiles                      []string
	TestGoFiles, XTestGoFiles, TestEmbedFiles, XTestEmbedFiles          []string
	IgnoredGoFiles, IgnoredOtherFiles                                   []string
}

func (p *listPackage) files() []string {
	var out []string
	for _, l := range [][]string{p.GoFiles, p.CgoFiles, p.CFiles, p.CXXFiles, p.MFiles, p.HFiles, p.FFiles, p.SFiles,
		p.SwigFiles, p.SwigCXXFiles, p.SysoFiles, p.EmbedFiles, p.TestGoFiles, p.XTestGoFiles, p.TestEmbedFiles,
		p.XTestEmbedFiles, p.IgnoredGoFiles, p.IgnoredOtherFiles} {
		out = append(out, l...)
	}
	return out
}

const listFields = "ImportPath,Dir,Module,Error,GoFiles,CgoFiles,CFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles," +
	"SwigFiles,SwigCXXFiles,SysoFiles,EmbedFiles,TestGoFiles,XTestGoFiles,TestEmbedFiles,XTestEmbedFiles," +
	"IgnoredGoFiles,IgnoredOtherFiles"

// goPackages lists the packages of a go-package class over every build
// configuration.
func goPackages(ctx context.Context, cfg *product.Config, root string, cl product.Class, opts ScanOptions) ([]Found, error) {
	confs := cfg.Configurations
	if len(confs) == 0 {
		confs = []product.Configuration{product.Current()}
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	byPath := map[string]*Found{}
	files := map[string]map[string]bool{}
	for _, c := range confs {
		r := &gocmd.Runner{Go: opts.GoCommand, Dir: root, Env: append(c.Env(), opts.Env...)}
		args := []string{"list", "-e", "-json=" + listFields}
		if len(c.Tags) > 0 {
			args = append(args, "-tags="+strings.Join(c.Tags, ","))
		}
		args = append(args, "--")
		args = append(args, cl.Paths...)
		out, err := r.Output(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("listing the packages of class %s (configuration %s): %w", cl.Name, c.Name, err)
		}
		dec := json.NewDecoder(bytes.NewReader(out))
		for {
			var p listPackage
			if err := dec.Decode(&p); err == io.EOF {
				break
			} else if err != nil {
				return nil, fmt.Errorf("reading go list output: %w", err)
			}
			if p.Module == nil || !p.Module.Main || p.Dir == "" {
				if p.Error != nil && p.Module == nil && !strings.Contains(p.Error.Err, "matched no packages") {
					return nil, fmt.Errorf("class %s: package %s: %s", cl.Name, p.ImportPath, p.Error.Err)
				}
				continue
			}
			rel, err := filepath.Rel(absRoot, p.Dir)
			if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				continue // a main module outside the repository (a workspace)
			}
			rel = filepath.ToSlash(rel)
			if skipped(skipDirs(cfg), rel) || !cl.Match(rel) {
				continue
			}
			f := byPath[p.ImportPath]
			if f == nil {
				f = &Found{Class: cl.Name, Kind: product.GoPackage, Name: p.ImportPath, Path: rel}
				byPath[p.ImportPath] = f
				files[p.ImportPath] = map[string]bool{}
			}
			for _, name := range p.files() {
				files[p.ImportPath][filepath.ToSlash(name)] = true
			}
		}
	}
	var out []Found
	for ip, f := range byPath {
		for name := range files[ip] {
			f.Files = append(f.Files, name)
		}
		slices.Sort(f.Files)
		out = append(out, *f)
	}
	return out, nil
}

// Digest is what identifies the content of an item: the dirhash "h1:"
// hash of a package's files, the SHA-256 and SHA-512 (hex) of a file.
type Digest struct {
	H1     string `json:"h1,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	SHA512 string `json:"sha512,omitempty"`
}

// DigestOf hashes the item f of the repository at root.
func DigestOf(root string, f Found) (Digest, error) {
	if f.Kind == product.GoPackage {
		dir := filepath.Join(root, filepath.FromSlash(f.Path))
		h, err := dirhash.Hash1(f.Files, func(name string) (io.ReadCloser, error) {
			return os.Open(filepath.Join(dir, filepath.FromSlash(name)))
		})
		if err != nil {
			return Digest{}, fmt.Errorf("hashing package %s: %w", f.Name, err)
		}
		return Digest{H1: h}, nil
	}
	return FileDigest(filepath.Join(root, filepath.FromSlash(path.Clean(f.Path))))
}

// FileDigest returns the SHA-256 and SHA-512 of a file.
func FileDigest(file string) (Digest, error) {
	r, err := os.Open(file)
	if err != nil {
		return Digest{}, err
	}
	defer r.Close()
	h256, h512 := sha256.New(), sha512.New()
	if _, err := io.Copy(io.MultiWriter(h256, h512), r); err != nil {
		return Digest{}, fmt.Errorf("hashing %s: %w", file, err)
	}
	return Digest{SHA256: hex.EncodeToString(h256.Sum(nil)), SHA512: hex.EncodeToString(h512.Sum(nil))}, nil
}
