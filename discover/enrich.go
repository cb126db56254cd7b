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
	"github.com/baseline-cm/baseline/internal/parallel"
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
	downloads := modcache.OpenDownloads(env.GOMODCACHE)
	defer downloads.Close()
	e := &enricher{ctx: ctx, cache: cache, env: env, binary: binary, vendorDir: b.vendorDir, downloads: downloads,
		scan: licensecache.Classifier(cache, licenses.Detector, licenses.Scan)}
	// The zips, and their sizes, first: they key the cache, which holds
	// the entries of the whole set of zips as one when this set was seen
	// before (modinfo.LookupSet), else one entry per zip. One stat and one
	// small read per module, in parallel.
	zips := make([]*zipRef, len(comps))
	parallel.For(len(comps), 32, func(i int) {
		c := comps[i]
		if p, v, ok := c.ModuleZip(); ok {
			c.DownloadURL = modcache.ProxyZipURL(env.GOPROXY, env.GONOPROXY, p, v)
		}
		zips[i] = e.zip(c)
	})
	var versions []modinfo.Version
	for _, z := range zips {
		if z != nil {
			z.index = len(versions)
			versions = append(versions, modinfo.Version{Path: z.path, Version: z.version, ZipSize: z.size})
		}
	}
	infos, hit := modinfo.LookupSet(cache, licenses.Detector, versions)
	if !hit {
		infos = make([]modinfo.Info, len(versions))
	}
	p := newProgress(opts.Progress, len(comps))
	for i, c := range comps {
		if z := zips[i]; z != nil && hit {
			e.setInfo(c, z, infos[z.index])
			p.add()
			continue
		}
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := e.component(c, zips[i], infos); err != nil {
				return fmt.Errorf("%s: %w", c.ID, err)
			}
			p.add()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if !hit {
		// A cache that cannot be written costs time, not correctness.
		_ = modinfo.StoreSet(cache, licenses.Detector, versions, infos)
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
	// downloads is the module cache's download directory, where the
	// zips are.
	downloads *modcache.Downloads

	mu    sync.Mutex
	noZip []string // path@version of modules without a zip in the module cache
}

// zipRef is the module zip a component's digests are of.
type zipRef struct {
	path, version, file string
	size                int64
	index               int // in the set of zips
	// recorded is the h1: hash the go command recorded beside the zip
	// when it verified it, read only for a component whose build recorded
	// none (see setInfo).
	recorded string
}

// zip returns the zip of c in the module cache, nil when there is none
// (not a module, a directory replacement, a zip the cache lacks).
func (e *enricher) zip(c *inventory.Component) *zipRef {
	path, version, ok := c.ModuleZip()
	if !ok {
		return nil
	}
	file, size, ok := e.downloads.Zip(path, version)
	if !ok {
		return nil
	}
	z := &zipRef{path: path, version: version, file: file, size: size}
	if c.Sum == "" && !e.binary {
		z.recorded = e.downloads.ZipHash(path, version)
	}
	return z
}

// component adds digests and licences to c, whose zip is z (nil when it
// has none), and records the zip's entry in infos.
func (e *enricher) component(c *inventory.Component, z *zipRef, infos []modinfo.Info) error {
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
	if z == nil {
		// No zip (a vendored module, or a module whose zip the cache
		// lacks): licences from the directory the build read, no digests.
		path, version := c.Effective()
		if _, err := modcache.Zip(env.GOMODCACHE, path, version); err != nil {
			return err
		}
		if !e.vendored(c) {
			e.mu.Lock()
			e.noZip = append(e.noZip, path+"@"+version)
			e.mu.Unlock()
		}
		return e.setLicenses(c, c.Dir)
	}
	info, ok := modinfo.Lookup(cache, z.path, z.version, z.size, licenses.Detector)
	if !ok {
		var err error
		info.ZipSize, info.SHA256, info.SHA512, err = modinfo.HashFile(e.ctx, z.file)
		if err != nil {
			return err
		}
		if info.H1, err = modinfo.ZipH1(z.file); err != nil {
			return fmt.Errorf("hashing %s: %w", z.file, err)
		}
		var lic licenses.Result
		if dir, _ := modcache.Dir(env.GOMODCACHE, z.path, z.version); isDir(dir) {
			lic, err = licenses.FromDir(dir, e.scan)
		} else {
			lic, err = licenses.FromZip(z.file, e.scan)
		}
		if err != nil {
			return fmt.Errorf("detecting licences: %w", err)
		}
		info.Detector, info.Licenses, info.LicenseFiles = licenses.Detector, lic.IDs, lic.Files
		info.LicenseExpression, info.Copyright = lic.Expression, lic.Copyright
		// A cache that cannot be written costs time, not correctness.
		_ = modinfo.Store(cache, z.path, z.version, info)
	}
	infos[z.index] = info
	e.setInfo(c, z, info)
	return nil
}

// setInfo sets c's digests and licences from info, the entry of its zip
// z, when the zip holds the code the build recorded.
func (e *enricher) setInfo(c *inventory.Component, z *zipRef, info modinfo.Info) {
	path, version := z.path, z.version
	if c.Sum == "" && !e.binary {
		// The go command records the zip's h1: hash beside it when it
		// downloads and verifies it.
		c.Sum = z.recorded
	}
	// The digests and licences are those of the cached zip: they are the
	// component's only when the zip holds the code the build recorded.
	switch {
	case c.Sum == "":
		c.DigestsOmitted = fmt.Sprintf("the build records no h1: hash of %s@%s to match the module cache's zip (%s) against", path, version, info.H1)
		return
	case c.Sum != info.H1:
		c.DigestsOmitted = fmt.Sprintf("the module cache's zip of %s@%s has hash %s, not the %s the build recorded: it is not the code that was built", path, version, info.H1, c.Sum)
		return
	}
	c.Hashes = []inventory.Hash{{Algorithm: "SHA-256", Value: info.SHA256}, {Algorithm: "SHA-512", Value: info.SHA512}}
	c.Licenses, c.LicenseFiles = info.Licenses, info.LicenseFiles
	c.LicenseExpression, c.Copyright = info.LicenseExpression, info.Copyright
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

// progress reports to an Options.Progress function, one call at a time.
type progress struct {
	mu          sync.Mutex
	fn          func(done, total int)
	done, total int
}

// newProgress returns a progress of total units reporting to fn (none
// when fn is nil), and reports that none is done yet.
func newProgress(fn func(done, total int), total int) *progress {
	p := &progress{fn: fn, total: total}
	if fn != nil {
		fn(0, total)
	}
	return p
}

// add reports one more unit done.
func (p *progress) add() {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.fn(p.done, p.total)
}
