package discover

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
	"golang.org/x/sync/errgroup"

	"github.com/baseline-cm/baseline/internal/buildkey"
	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/inventory"
)

// Modules discovers the whole selected module graph: every module of
// "go list -m all", with the edges of "go mod graph" mapped to the
// selected version of each module (edges from versions that lost
// selection are dropped).
//
// Direct means a main module's go.mod requires it without an
// "// indirect" comment. A module is Required when it provides a package
// to the main modules' non-test packages (patterns opts.Patterns, or all
// packages of the main modules) for the build context in Build, and
// Optional otherwise: needed only by tests, by tools, or for version
// selection. Packages are not listed in this mode.
//
// With a vendor directory in use, the module graph cannot be computed
// offline; the modules come from vendor/modules.txt, the only edges known
// are the main module's requirements, and EdgesKnown is false.
func Modules(ctx context.Context, opts Options) (*inventory.Inventory, error) {
	var (
		mods   []listModule
		graph  []graphEdge
		linked map[string]bool
		// Each command's error is kept: in vendor mode only that of
		// "go list -m all" says why the graph cannot be had, and the
		// commands are not cancelled on a first failure, so that it is
		// not lost to a "go mod graph" failing first (for a module
		// missing from the module cache, say).
		listErr, graphErr, depsErr error
	)
	// The module graph commands run while go env answers (see
	// startWithGoEnv).
	r, env, wait, err := startWithGoEnv(ctx, &opts, func(ctx context.Context, r *gocmd.Runner, goflags string) error {
		mods, graph = nil, nil
		var g errgroup.Group
		g.Go(func() error {
			listErr = listModules(ctx, r, &opts, goflags, &mods)
			return nil
		})
		g.Go(func() error {
			var out []byte
			out, graphErr = r.Output(ctx, "mod", "graph")
			graph = parseGraph(out)
			return nil
		})
		return g.Wait()
	})
	if err != nil {
		return nil, err
	}
	if err := checkModule(env, opts.Dir); err != nil {
		wait()
		return nil, err
	}
	b := newBuilder(inventory.Modules, env)
	b.inv.Build.Tags = opts.tags(env)

	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"work"} // all packages of the main modules
	}
	// Which modules the product links: from the cache when every input
	// that decides it is unchanged (see scopeKey), else one package load.
	// The key is computed while the module graph commands run.
	var g errgroup.Group
	cache := opts.cache()
	scope, dirsName := "", ""
	narrow := buildkey.Narrowable(patterns)
	var pkgDirs []string // read by the last load in skipped trees
	if cache.Dir != "" {
		if narrow {
			dirsName = scopeDirsName(env, &opts, patterns)
			cache.Get(dirsName, &pkgDirs)
		}
		scope, _ = scopeKey(ctx, env, &opts, patterns, cache, narrow, pkgDirs) // no key: no caching
	}
	var cached []string
	keep := false // whether the load's result may be stored under scope
	store := func() { _ = cache.Put("scope/"+scope, slices.Sorted(maps.Keys(linked))) }
	if scope != "" && cache.Get("scope/"+scope, &cached) {
		linked = map[string]bool{}
		for _, m := range cached {
			linked[m] = true
		}
	} else {
		g.Go(func() error {
			var dirs []string
			linked, dirs, depsErr = linkedModules(ctx, r, &opts, env, patterns)
			if depsErr != nil || scope == "" {
				return nil
			}
			if narrow {
				// The key covered the skipped trees' packages of the last
				// load; when this one read others, the next key covers
				// them, and this result is not kept.
				if read := buildkey.SkippedDirs(env, dirs); !slices.Equal(read, pkgDirs) {
					_ = cache.Put(dirsName, read)
					return nil
				}
			}
			// Kept only if no input changed during the load: else it
			// would be stored under the digest of files it did not read.
			again, _ := scopeKey(ctx, env, &opts, patterns, cache, narrow, pkgDirs)
			keep = again == scope
			return nil
		})
	}
	wait()
	g.Wait()
	if isVendorAll(listErr) {
		// Packages still load from vendor/, but there the "work" pattern
		// matches every vendored package too: ask for the main modules'
		// own packages.
		if len(opts.Patterns) == 0 {
			mods, err := env.MainGoMods()
			if err != nil {
				return nil, err
			}
			var roots []string
			for _, m := range mods {
				roots = append(roots, filepath.Join(filepath.Dir(m), "..."))
			}
			linked, _, depsErr = linkedModules(ctx, r, &opts, env, roots)
		}
		if depsErr != nil {
			return nil, depsErr
		}
		// The build list that shadowed needs is vendor/modules.txt's:
		// under NarrowKey the result is not kept.
		if keep && !narrow {
			store()
		}
		return vendorModules(ctx, &opts, b, linked)
	}
	if err := cmp.Or(listErr, graphErr, depsErr); err != nil {
		return nil, err
	}
	if keep && !(narrow && shadowed(mods)) {
		store()
	}

	selected := map[string]string{} // path -> selected version
	for i := range mods {
		m := &mods[i]
		if m.Error != nil && (m.Version == "" || !strings.Contains(m.Error.Err, "lookup disabled")) {
			return nil, fmt.Errorf("module %s: %s", m.Path, m.Error.Err)
		}
		id := b.module(m)
		selected[m.Path] = m.Version
		c := b.comps[id]
		c.Direct = !m.Main && !m.Indirect
		if !m.Main && !linked[m.Path] {
			c.Scope = inventory.Optional
		}
	}
	for _, e := range graph {
		fp, fv, tp := e.fromPath, e.fromVersion, e.toPath
		if fc, ok := b.comps[fp]; !ok || selected[fp] != fv || (fv == "" && fc.Kind != inventory.FirstParty) {
			continue // a version that lost selection, or go@/toolchain@
		}
		if _, ok := b.comps[tp]; ok && tp != fp {
			b.edge(fp, tp)
		}
	}
	if err := b.chooseMain(opts.MainModule); err != nil {
		return nil, err
	}
	b.stdlibFromFirstParty()
	return b.finish(ctx, &opts)
}

// A graphEdge is one line of "go mod graph": a requirement of the module
// version fromPath@fromVersion (no version for a main module) on a
// version of toPath.
type graphEdge struct{ fromPath, fromVersion, toPath string }

// parseGraph parses the output of "go mod graph", "from[@v] to@v" per
// line. It runs beside "go list -m", which usually ends later.
func parseGraph(out []byte) []graphEdge {
	text := string(out) // one copy; the edges' strings share it
	edges := make([]graphEdge, 0, strings.Count(text, "\n"))
	for line := range strings.Lines(text) {
		from, to, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		fp, fv, _ := strings.Cut(from, "@")
		tp, _, _ := strings.Cut(to, "@")
		edges = append(edges, graphEdge{fp, fv, tp})
	}
	return edges
}

// listModules runs "go list -m -json all" into mods. Its failure is the
// go command's: a go.sum without the checksum of a go.mod file the go
// command loads, say (with graph pruning not every module listed). Only
// when all it reports is modules whose .info file is not in the module
// cache (only their go.mod was needed), which offline it cannot look up,
// does the listing run again with -e, which reports those modules with
// an error and their path and version still right; -e alone would hide
// the go command's other errors too.
func listModules(ctx context.Context, r *gocmd.Runner, opts *Options, goflags string, mods *[]listModule) error {
	list := func(r *gocmd.Runner, flags ...string) error {
		*mods = nil
		args := append(append([]string{"list", "-m"}, flags...), "-json")
		args = append(args, opts.buildFlags(gocmd.Env{GOFLAGS: goflags})...)
		return gocmd.Each(ctx, r, func(m *listModule) error {
			*mods = append(*mods, *m)
			return nil
		}, append(args, "all")...)
	}
	raw := *r
	raw.Raw = true
	err := list(&raw)
	var e *gocmd.Error
	if !errors.As(err, &e) || isVendorAll(err) {
		return err
	}
	rest, lookups := gocmd.LookupDisabled(e.Stderr)
	if lookups && strings.TrimSpace(rest) == "" {
		return list(r, "-e")
	}
	return r.Explain(ctx, e.Args, rest, e.Err)
}

// linkedModules returns the modules that provide the packages patterns
// match and their dependencies, for the build context in effect.
func linkedModules(ctx context.Context, r *gocmd.Runner, opts *Options, env gocmd.Env, patterns []string) (linked map[string]bool, dirs []string, err error) {
	// One line per package: its module's path (none for the standard
	// library) and its directory, quoted.
	args := append([]string{"list", "-deps", "-f", `{{with .Module}}{{.Path}}{{end}} {{printf "%q" .Dir}}`}, opts.buildFlags(env)...)
	out, err := r.Output(ctx, append(append(args, "--"), patterns...)...)
	if err != nil {
		return nil, nil, err
	}
	linked = map[string]bool{}
	for line := range strings.Lines(string(out)) {
		mod, quoted, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		dir, err := strconv.Unquote(quoted)
		if err != nil {
			return nil, nil, fmt.Errorf("go list -deps: unexpected line %q", line)
		}
		if mod != "" {
			linked[mod] = true
		}
		dirs = append(dirs, dir)
	}
	return linked, dirs, nil
}

// shadowed reports whether a module of the build list mods and a main
// module or directory replacement share a path prefix (see
// buildkey.Shadowed).
func shadowed(mods []listModule) bool {
	var mains, all []string
	for _, m := range mods {
		all = append(all, m.Path)
		if m.Main || m.Replace != nil && modfile.IsDirectoryPath(m.Replace.Path) {
			mains = append(mains, m.Path)
		}
	}
	return buildkey.Shadowed(mains, all)
}

// isVendorAll reports whether err is the go command refusing to compute
// the module graph from a vendor directory.
func isVendorAll(err error) bool {
	e, ok := err.(*gocmd.Error)
	return ok && strings.Contains(e.Stderr, "using the vendor directory")
}

// vendorModules builds a modules-mode inventory from vendor/modules.txt,
// which the go command keeps beside the vendored code, and go.mod, which
// says which requirements are direct. It is only read. linked holds the
// modules providing packages to the main modules, as go list -deps
// reports them in vendor mode.
func vendorModules(ctx context.Context, opts *Options, b *builder, linked map[string]bool) (*inventory.Inventory, error) {
	file := filepath.Join(b.vendorDir, "modules.txt")
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	vmods, err := parseModulesTxt(file, data)
	if err != nil {
		return nil, err
	}
	// The main modules, and what each requires.
	gomods, err := b.env.MainGoMods()
	if err != nil {
		return nil, err
	}
	requires := map[string]map[string]bool{} // main module -> requirement -> direct
	for _, gomod := range gomods {
		path, req, err := readGoMod(gomod)
		if err != nil {
			return nil, err
		}
		b.module(&listModule{Path: path, Main: true, Dir: filepath.Dir(gomod)})
		requires[path] = req
	}
	sums := b.goSums()
	base := filepath.Dir(b.vendorDir) // directory replacements are relative to it
	// "go work vendor" lists a module once for each version the workspace
	// modules require; the build selects the highest (minimal version
	// selection), the one whose packages are vendored.
	best := map[string]string{}
	for _, vm := range vmods {
		if v, ok := best[vm.Path]; !ok || semver.Compare(vm.Version, v) > 0 {
			best[vm.Path] = vm.Version
		}
	}
	for _, vm := range vmods {
		if best[vm.Path] != vm.Version {
			continue
		}
		m := &listModule{Path: vm.Path, Version: vm.Version, Dir: filepath.Join(b.vendorDir, filepath.FromSlash(vm.Path)), GoVersion: vm.GoVersion}
		if vm.Replace != nil {
			m.Replace = &listModule{Path: vm.Replace.Path, Version: vm.Replace.Version}
		}
		p, v := m.Path, m.Version
		if m.Replace != nil {
			p, v = m.Replace.Path, m.Replace.Version
		}
		m.Sum, m.GoModSum = sums[p+" "+v], sums[p+" "+v+"/go.mod"]
		if m.Replace != nil {
			m.Replace.Sum, m.Replace.GoModSum = m.Sum, m.GoModSum
			if m.Replace.Version == "" {
				m.Replace.Dir = gocmd.Abs(base, m.Replace.Path)
				m.Dir = m.Replace.Dir
			}
		}
		id := b.module(m)
		c := b.comps[id]
		// The edges known: each main module's go.mod requirements.
		// ("## explicit" marks those of some main module, "// indirect"
		// ones included.)
		for main, req := range requires {
			if d, ok := req[vm.Path]; ok {
				b.edge(main, id)
				c.Direct = c.Direct || d
			}
		}
		if !linked[vm.Path] {
			c.Scope = inventory.Optional
		}
	}
	b.inv.EdgesKnown = false
	b.inv.Build.Vendor = true
	if err := b.chooseMain(opts.MainModule); err != nil {
		return nil, err
	}
	b.stdlibFromFirstParty()
	return b.finish(ctx, opts)
}

// readGoSum reads a go.sum file into "path version" -> hash; missing or
// malformed lines are skipped (the go command has already checked it).
func readGoSum(file string) map[string]string {
	sums := map[string]string{}
	data, err := os.ReadFile(file)
	if err != nil {
		return sums
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 {
			sums[f[0]+" "+f[1]] = f[2]
		}
	}
	return sums
}
