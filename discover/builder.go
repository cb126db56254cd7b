package discover

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/inventory"
)

// builder accumulates an inventory's components and edges.
type builder struct {
	inv   inventory.Inventory
	env   gocmd.Env
	comps map[string]*inventory.Component
	deps  map[string][]string // may hold duplicates until finish
	// named is the first-party module of the first package the user named
	// that no other named package imports.
	named string
	// vendorDir is where vendored modules would be.
	vendorDir string
}

func newBuilder(mode inventory.Mode, env gocmd.Env) *builder {
	b := &builder{
		env:   env,
		comps: map[string]*inventory.Component{},
		deps:  map[string][]string{},
	}
	b.inv.Mode = mode
	b.inv.EdgesKnown = true
	b.inv.Build = inventory.Build{
		GoVersion:  env.GOVERSION,
		GOOS:       env.GOOS,
		GOARCH:     env.GOARCH,
		CGOEnabled: env.CGO_ENABLED,
		Workspace:  env.GOWORK != "" && env.GOWORK != "off",
		FIPS140:    fips140Version(env),
	}
	root := env.GOMOD
	if b.inv.Build.Workspace {
		root = env.GOWORK
	}
	if root != "" && root != devNull {
		b.vendorDir = filepath.Join(filepath.Dir(root), "vendor")
	}
	return b
}

// stdlib adds the standard library component, once.
func (b *builder) stdlib() {
	if _, ok := b.comps[inventory.StdlibID]; !ok {
		c := stdlibComponent(b.env.GOVERSION)
		b.comps[c.ID] = &c
	}
}

// module adds the component for m, once, and returns its ID.
func (b *builder) module(m *listModule) string {
	if _, ok := b.comps[m.Path]; !ok {
		c := newComponent(m)
		b.comps[c.ID] = &c
	}
	return m.Path
}

// stdlibFromFirstParty adds the standard library as a dependency of each
// first-party module: the module graph does not say which modules import
// it, but the product's own code always does.
func (b *builder) stdlibFromFirstParty() {
	b.stdlib()
	for id, c := range b.comps {
		if c.Kind == inventory.Main || c.Kind == inventory.FirstParty {
			b.edge(id, inventory.StdlibID)
		}
	}
	b.comps[inventory.StdlibID].Direct = true
}

func (b *builder) edge(from, to string) {
	b.deps[from] = append(b.deps[from], to)
}

// chooseMain marks the product among the first-party modules: the one the
// user named, else the module of the directory discovery ran in, else the
// module of the first package named.
func (b *builder) chooseMain(name string) error {
	var firstParty []string
	for id, c := range b.comps {
		if c.Kind == inventory.FirstParty {
			firstParty = append(firstParty, id)
		}
	}
	slices.Sort(firstParty)
	pick := ""
	switch {
	case name != "":
		if c, ok := b.comps[name]; !ok || c.Kind != inventory.FirstParty {
			if dir := b.workspaceModuleDir(name); dir != "" {
				return fmt.Errorf("main module %s (--main) is a module of the workspace, but no package the patterns %s match is in it or imported: add its packages to the patterns (%s)",
					name, strings.Join(b.inv.Build.Patterns, " "), filepath.Join(dir, "..."))
			}
			return fmt.Errorf("main module %s (--main) is not one of the main modules (%s)", name, strings.Join(firstParty, ", "))
		}
		pick = name
	case len(firstParty) == 1:
		pick = firstParty[0]
	default:
		if b.env.GOMOD != "" && b.env.GOMOD != devNull {
			dir := filepath.Dir(b.env.GOMOD)
			for _, id := range firstParty {
				if b.comps[id].Dir == dir {
					pick = id
				}
			}
		}
		if pick == "" {
			pick = b.named
		}
	}
	if pick == "" {
		return fmt.Errorf("cannot tell which of the main modules (%s) is the product: name it (--main)", strings.Join(firstParty, ", "))
	}
	b.comps[pick].Kind = inventory.Main
	b.inv.MainID = pick
	return nil
}

// mainModules adds the product's main module when no package the
// patterns match is in a main module (patterns such as "std" or
// "github.com/spf13/cobra/doc"): the module of the directory, or in a
// workspace the one named (--main).
func (b *builder) mainModules(name string) error {
	for _, c := range b.comps {
		if c.Kind == inventory.FirstParty {
			return nil
		}
	}
	gomods, err := b.env.MainGoMods()
	if err != nil {
		return err
	}
	var paths []string
	for _, gomod := range gomods {
		path, _, err := readGoMod(gomod)
		if err != nil {
			return err
		}
		paths = append(paths, path)
		here := b.env.GOMOD != "" && b.env.GOMOD != devNull && filepath.Clean(b.env.GOMOD) == filepath.Clean(gomod)
		if path == name || (name == "" && (here || len(gomods) == 1)) {
			b.module(&listModule{Path: path, Main: true, Dir: filepath.Dir(gomod)})
			return nil
		}
	}
	if name != "" {
		return fmt.Errorf("main module %s (--main) is not one of the main modules (%s)", name, strings.Join(paths, ", "))
	}
	return fmt.Errorf("the patterns %s match no package of the workspace's modules (%s): name the product (--main)", strings.Join(b.inv.Build.Patterns, " "), strings.Join(paths, ", "))
}

// workspaceModuleDir returns the directory of the main module path when
// it is one of the go.work file's modules, else "".
func (b *builder) workspaceModuleDir(path string) string {
	if !b.inv.Build.Workspace {
		return ""
	}
	gomods, err := b.env.MainGoMods()
	if err != nil {
		return ""
	}
	for _, gomod := range gomods {
		if p, _, err := readGoMod(gomod); err == nil && p == path {
			return filepath.Dir(gomod)
		}
	}
	return ""
}

// goSums reads the go.sum files the build checks: those of the main
// modules and, in a workspace, go.work.sum.
func (b *builder) goSums() map[string]string {
	sums := map[string]string{}
	files := []string{}
	if b.inv.Build.Workspace {
		files = append(files, strings.TrimSuffix(b.env.GOWORK, ".work")+".work.sum")
	}
	for _, c := range b.comps {
		if (c.Kind == inventory.Main || c.Kind == inventory.FirstParty) && c.Dir != "" {
			files = append(files, filepath.Join(c.Dir, "go.sum"))
		}
	}
	slices.Sort(files)
	for _, f := range files {
		maps.Copy(sums, readGoSum(f))
	}
	return sums
}

// finish enriches the components with digests and licences and returns
// the inventory in canonical order.
func (b *builder) finish(ctx context.Context, opts *Options) (*inventory.Inventory, error) {
	comps := make([]*inventory.Component, 0, len(b.comps))
	for _, id := range slices.Sorted(maps.Keys(b.comps)) {
		comps = append(comps, b.comps[id])
	}
	warnings, err := b.enrich(ctx, opts, comps)
	if err != nil {
		return nil, err
	}
	b.inv.Warnings = append(b.inv.Warnings, warnings...)
	inv := b.inv
	inv.Components = make([]inventory.Component, len(comps))
	for i, c := range comps {
		inv.Components[i] = *c
	}
	inv.Dependencies = b.deps
	inv.Sort()
	return &inv, nil
}

// fips140Version resolves GOFIPS140 as the go command does: "off" (or
// unset) is none, "latest" the toolchain's source, and a version or alias
// ("v1.0.0", "inprocess", "certified") names a snapshot whose exact
// version $GOROOT/lib/fips140/<name>.txt holds.
func fips140Version(env gocmd.Env) string {
	v := strings.TrimSpace(env.GOFIPS140)
	if v == "" || v == "off" || v == "latest" {
		if v == "off" {
			return ""
		}
		return v
	}
	if env.GOROOT != "" && !strings.ContainsAny(v, `/\`) {
		if data, err := os.ReadFile(filepath.Join(env.GOROOT, "lib", "fips140", v+".txt")); err == nil {
			if s := strings.TrimSpace(string(data)); s != "" {
				return s
			}
		}
	}
	return v
}
