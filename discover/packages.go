package discover

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/inventory"
)

// Packages discovers the modules that provide the packages linked into
// opts.Patterns ("./..." by default) and their dependencies, for the
// GOOS, GOARCH, CGO_ENABLED and build tags in effect, with one
// "go list -deps" call. Test packages are not included.
//
// A module depends on another when one of its linked packages imports one
// of the other's, so the edges show what is built, not what go.mod files
// mention. Every component is Required; Direct means a first-party module
// imports it.
func Packages(ctx context.Context, opts Options) (*inventory.Inventory, error) {
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	// The listing runs while go env answers (see startWithGoEnv); the
	// components are made once the go environment is known.
	var (
		pkgs  []listPackage          // non-standard packages, Module cleared
		modOf []string               // modOf[i] is the module path of pkgs[i]
		mods  map[string]*listModule // by path, as first listed
		std   []string               // standard library packages
		// named are the first-party packages the patterns match, in go
		// list's order: dependencies before the packages importing them.
		named           []string
		importedByNamed map[string]bool
		// outside are the components (module path, or "stdlib") of the
		// packages the patterns match outside the main modules
		// ("std", "github.com/spf13/cobra/doc", "tool").
		outside map[string]bool
	)
	_, env, wait, err := startWithGoEnv(ctx, &opts, func(ctx context.Context, r *gocmd.Runner, goflags string) error {
		pkgs, modOf, std, named = nil, nil, nil, nil
		mods, importedByNamed, outside = map[string]*listModule{}, map[string]bool{}, map[string]bool{}
		args := append([]string{"list", "-deps", packageFields}, opts.buildFlags(gocmd.Env{GOFLAGS: goflags})...)
		args = append(args, "--")
		args = append(args, patterns...)
		return gocmd.Each(ctx, r, func(p *listPackage) error {
			switch {
			case p.Standard:
				std = append(std, p.ImportPath)
				if !p.DepOnly {
					outside[inventory.StdlibID] = true
				}
				return nil
			case p.Module == nil:
				return fmt.Errorf("package %s is not in a module", p.ImportPath)
			}
			if _, ok := mods[p.Module.Path]; !ok {
				mods[p.Module.Path] = p.Module
			}
			if !p.DepOnly && p.Module.Main {
				named = append(named, p.ImportPath)
				for _, imp := range p.Imports {
					importedByNamed[imp] = true
				}
			} else if !p.DepOnly {
				outside[p.Module.Path] = true
			}
			modOf = append(modOf, p.Module.Path)
			p.Module = nil // keep only what the edges need
			pkgs = append(pkgs, *p)
			return nil
		}, args...)
	})
	if err != nil {
		return nil, err
	}
	if err := checkModule(env, opts.Dir); err != nil {
		wait()
		return nil, err
	}
	if err := wait(); err != nil {
		return nil, err
	}

	b := newBuilder(inventory.Packages, env)
	b.inv.Build.Tags = opts.tags(env)
	b.inv.Build.Patterns = patterns
	pkgModule := make(map[string]string, len(pkgs)+len(std)) // import path -> component ID
	for _, p := range std {
		b.stdlib()
		pkgModule[p] = inventory.StdlibID
		c := b.comps[inventory.StdlibID]
		c.Packages = append(c.Packages, p)
	}
	for i, p := range pkgs {
		id := b.module(mods[modOf[i]])
		pkgModule[p.ImportPath] = id
		c := b.comps[id]
		c.Packages = append(c.Packages, p.ImportPath)
	}
	if len(b.comps) == 0 {
		return nil, fmt.Errorf("no packages match %s", strings.Join(patterns, " "))
	}
	for _, p := range pkgs {
		from := pkgModule[p.ImportPath]
		for _, imp := range p.Imports {
			if to, ok := pkgModule[imp]; ok && to != from {
				b.edge(from, to)
			}
		}
	}
	// The first package named is the first that no other named package
	// imports: go list -deps prints a package's dependencies before it,
	// so the packages of a library the patterns also name come first.
	for _, p := range named {
		if !importedByNamed[p] {
			b.named = pkgModule[p]
			break
		}
	}
	if len(outside) > 0 {
		// The product is still the main module, which builds those
		// packages: it depends on their modules.
		if err := b.mainModules(opts.MainModule); err != nil {
			return nil, err
		}
		for id, c := range b.comps {
			if c.Kind == inventory.FirstParty && (opts.MainModule == "" || opts.MainModule == id) {
				for m := range outside {
					b.edge(id, m)
				}
			}
		}
	}
	if err := b.chooseMain(opts.MainModule); err != nil {
		return nil, err
	}
	// Direct: imported by first-party code.
	for id, c := range b.comps {
		if c.Kind == inventory.Main || c.Kind == inventory.FirstParty {
			for _, dep := range b.deps[id] {
				b.comps[dep].Direct = true
			}
		}
	}
	var sums map[string]string
	for _, c := range b.comps {
		slices.Sort(c.Packages)
		// In vendor mode the go command reports neither a directory nor
		// go.sum hashes for vendored modules (it does for directory
		// replacements): their code is in vendor/, their hashes in go.sum.
		if c.Kind != inventory.Module || c.Dir != "" || b.vendorDir == "" {
			continue
		}
		dir := filepath.Join(b.vendorDir, filepath.FromSlash(c.Path))
		if !isDir(dir) {
			continue
		}
		c.Dir = dir
		b.inv.Build.Vendor = true
		if sums == nil {
			sums = b.goSums()
		}
		p, v := c.Effective()
		if c.Sum == "" {
			c.Sum = sums[p+" "+v]
		}
		if c.GoModSum == "" {
			c.GoModSum = sums[p+" "+v+"/go.mod"]
		}
		if c.Replace != nil && c.Replace.Sum == "" {
			c.Replace.Sum = c.Sum
		}
	}
	return b.finish(ctx, &opts)
}
