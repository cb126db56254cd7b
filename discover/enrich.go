package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
	"golang.org/x/sync/errgroup"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/licensecache"
	"github.com/baseline-cm/baseline/internal/licenses"
	"github.com/baseline-cm/baseline/internal/modcache"
	"github.com/baseline-cm/baseline/internal/modinfo"
	"github.com/baseline-cm/baseline/internal/store"
	"github.com/baseline-cm/baseline/inventory"
)

// enrich adds digests and licences to comps, in parallel, and returns
// warnings for what it had to leave out. In binary mode, the hashes the
// binary records are the only link between it and a zip in the module
// cache.
func (b *builder) enrich(ctx context.Context, opts *Options, comps []*inventory.Component) ([]string, error) {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.jobs())
	cache := opts.cache()
	env, binary := b.env, b.inv.Mode == inventory.Binary
	e := &enricher{ctx: ctx, cache: cache, env: env, binary: binary, vendorDir: b.vendorDir,
		scan: licensecache.Classifier(cache, licenses.Detector, licenses.Scan)}
	for _, c := range comps {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := e.component(c); err != nil {
				return fmt.Errorf("%s: %w", c.ID, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var warnings []string
	for _, c := range comps {
		if c.DigestsOmitted != "" {
			warnings = append(warnings, c.ID+": digests and licences left out: "+c.DigestsOmitted)
		}
	}
	slices.Sort(e.noZip)
	if len(e.noZip) > 0 {
		what := "digests"
		if binary {
			what = "digests and licences"
		}
		warnings = append(warnings, fmt.Sprintf("%s left out for %d module(s) whose zip is not in the module cache %s: %s (go mod download fetches them)",
			what, len(e.noZip), env.GOMODCACHE, strings.Join(e.noZip, ", ")))
	}
	return warnings, nil
}

// enricher adds digests and licences to one component at a time; it is
// safe for concurrent use.
type enricher struct {
	ctx    context.Context
	cache  store.Store
	env    gocmd.Env
	binary bool
	scan   licenses.Classifier
	// vendorDir is where vendored modules would be.
	vendorDir string

	mu    sync.Mutex
	noZip []string // path@version of modules without a zip in the module cache
}

func (e *enricher) component(c *inventory.Component) error {
	cache, env := e.cache, e.env
	switch {
	case c.Kind == inventory.Stdlib:
		if env.GOROOT != "" {
			return e.setLicenses(c, env.GOROOT)
		}
		return nil
	case c.Kind != inventory.Module:
		return e.setLicenses(c, c.Dir)
	case c.Replace != nil && c.Replace.Local:
		if c.Dir == "" {
			// A binary records the directory as written in go.mod,
			// relative to a main module that is not here.
			return nil
		}
		if err := e.setLicenses(c, c.Dir); err != nil {
			return err
		}
		sum, err := dirSum(c.Dir, c.Path, c.Version)
		if err != nil {
			return err
		}
		c.DirSum = sum
		return nil
	}
	path, version := c.Effective()
	zipFile, err := modcache.Zip(env.GOMODCACHE, path, version)
	if err != nil {
		return err
	}
	fi, err := os.Stat(zipFile)
	if err != nil {
		// No zip (a vendored module, or a module whose zip the cache
		// lacks): licences from the directory the build read, no digests.
		if !e.vendored(c) {
			e.mu.Lock()
			e.noZip = append(e.noZip, path+"@"+version)
			e.mu.Unlock()
		}
		return e.setLicenses(c, c.Dir)
	}
	info, ok := modinfo.Lookup(cache, path, version, fi.Size(), licenses.Detector)
	if !ok {
		info.ZipSize, info.SHA256, info.SHA512, err = modinfo.HashFile(e.ctx, zipFile)
		if err != nil {
			return err
		}
		if info.H1, err = modinfo.ZipH1(zipFile); err != nil {
			return fmt.Errorf("hashing %s: %w", zipFile, err)
		}
		var lic licenses.Result
		if dir, _ := modcache.Dir(env.GOMODCACHE, path, version); isDir(dir) {
			lic, err = licenses.FromDir(dir, e.scan)
		} else {
			lic, err = licenses.FromZip(zipFile, e.scan)
		}
		if err != nil {
			return fmt.Errorf("detecting licences: %w", err)
		}
		info.Detector, info.Licenses, info.LicenseFiles = licenses.Detector, lic.IDs, lic.Files
		info.LicenseExpression, info.Copyright = lic.Expression, lic.Copyright
		// A cache that cannot be written costs time, not correctness.
		_ = modinfo.Store(cache, path, version, info)
	}
	if c.Sum == "" && !e.binary {
		// The go command records the zip's h1: hash beside it when it
		// downloads and verifies it.
		c.Sum = modcache.ReadZipHash(env.GOMODCACHE, path, version)
	}
	// The digests and licences are those of the cached zip: they are the
	// component's only when the zip holds the code the build recorded.
	switch {
	case c.Sum == "":
		c.DigestsOmitted = fmt.Sprintf("the build records no h1: hash of %s@%s to match the module cache's zip (%s) against", path, version, info.H1)
		return nil
	case c.Sum != info.H1:
		c.DigestsOmitted = fmt.Sprintf("the module cache's zip of %s@%s has hash %s, not the %s the build recorded: it is not the code that was built", path, version, info.H1, c.Sum)
		return nil
	}
	c.Hashes = []inventory.Hash{{Algorithm: "SHA-256", Value: info.SHA256}, {Algorithm: "SHA-512", Value: info.SHA512}}
	c.Licenses, c.LicenseFiles = info.Licenses, info.LicenseFiles
	c.LicenseExpression, c.Copyright = info.LicenseExpression, info.Copyright
	return nil
}

// vendored reports whether c's code comes from a vendor directory, where
// no zip is expected.
func (e *enricher) vendored(c *inventory.Component) bool {
	rel, err := filepath.Rel(e.vendorDir, c.Dir)
	return e.vendorDir != "" && c.Dir != "" && err == nil && filepath.IsLocal(rel)
}

func (e *enricher) setLicenses(c *inventory.Component, dir string) error {
	if dir == "" {
		return nil
	}
	lic, err := licenses.FromDir(dir, e.scan)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("detecting licences: %w", err)
	}
	c.Licenses, c.LicenseFiles = lic.IDs, lic.Files
	c.LicenseExpression, c.Copyright = lic.Expression, lic.Copyright
	return nil
}

// dirSum is the h1: hash that go.sum would record for the directory dir
// published as path@version: the dirhash of exactly the files a module zip
// of the directory would hold.
func dirSum(dir, path, version string) (string, error) {
	if version == "" {
		version = zeroPseudo
	}
	files, err := modzip.CheckDir(dir)
	if err != nil && len(files.Valid) == 0 {
		return "", fmt.Errorf("hashing %s: %w", dir, err)
	}
	// CheckDir returns file system paths (dir joined with the file's
	// slash-separated path in the zip), not zip paths.
	prefix := path + "@" + version + "/"
	names := make([]string, len(files.Valid))
	byName := map[string]string{}
	for i, f := range files.Valid {
		rel, err := filepath.Rel(dir, f)
		if err != nil {
			return "", fmt.Errorf("hashing %s: %w", dir, err)
		}
		names[i] = prefix + filepath.ToSlash(rel)
		byName[names[i]] = f
	}
	return dirhash.Hash1(names, func(name string) (io.ReadCloser, error) {
		return os.Open(byName[name])
	})
}

func isDir(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.IsDir()
}
