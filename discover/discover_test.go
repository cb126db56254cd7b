package discover_test

// These tests prove that discovery sees exactly what the Go toolchain sees.
// Every test writes a main module into a temporary directory, fetches its
// dependencies from a local module proxy (goproxytest, serving the txtar
// modules in ../testdata/mod) into an isolated module cache, and then
// compares what discovery reports, offline, with what the go command itself
// says about the same tree in the same environment: "go list -deps",
// "go list -m all", "go mod graph", "go version -m". Digests and go.sum
// hashes are recomputed independently from the module zips.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/package-url/packageurl-go"
	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"

	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/internal/licenses"
	"github.com/baseline-cm/baseline/internal/modcache"
	"github.com/baseline-cm/baseline/internal/modinfo"
	"github.com/baseline-cm/baseline/internal/store"
	"github.com/baseline-cm/baseline/inventory"
)

var (
	// modCache is the isolated module cache every test populates.
	modCache string
	// goVersion is the toolchain's version, "go1.26.8".
	goVersion string
)

// setupEnv is added to the environment of the commands that prepare a
// fixture (go mod tidy, download, vendor), which may fetch from the local
// proxy and write go.mod and go.sum. Discovery never runs with it.
var setupEnv = []string{"GOFLAGS=-mod=mod -modcacherw"}

// offline is added to the environment of the go commands that compute the
// ground truth, so that they see what discovery sees (it runs with
// GOPROXY=off).
var offline = []string{"GOPROXY=off"}

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	srv, err := goproxytest.NewServer(filepath.Join("..", "testdata", "mod"), "")
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting module proxy:", err)
		return 1
	}
	defer srv.Close()
	tmp, err := os.MkdirTemp("", "discover-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer removeAll(tmp)
	modCache = filepath.Join(tmp, "modcache")
	env := map[string]string{
		"GOPROXY":      srv.URL,
		"GOMODCACHE":   modCache,
		"GOPATH":       filepath.Join(tmp, "gopath"),
		"GONOSUMDB":    "*",
		"GONOSUMCHECK": "1",
		"GOSUMDB":      "off",
		"GOTOOLCHAIN":  "local",
		"GOWORK":       "off",
		// The user's go env file (go env -w) must not leak in: it may set
		// GOFLAGS=-mod=vendor, GOPRIVATE, a toolchain...
		"GOENV": "off",
	}
	for k, v := range env {
		os.Setenv(k, v)
	}
	for _, k := range []string{"GOFLAGS", "GONOPROXY", "GOPRIVATE", "GOINSECURE", "GOEXPERIMENT"} {
		os.Unsetenv(k)
	}
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "go env GOVERSION:", err)
		return 1
	}
	goVersion = strings.TrimSpace(string(out))
	return m.Run()
}

// removeAll removes a tree that holds a module cache, whose files the go
// command makes read-only.
func removeAll(dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(path, 0o755)
		}
		return nil
	})
	os.RemoveAll(dir)
}

// ---------------------------------------------------------------------------
// Fixtures

// mainModule is the main module most tests discover. Between them, its
// dependencies (served from ../testdata/mod) are at a pseudo-version, an
// +incompatible version and a /v2 path; replaced by another version, by
// another module and by a directory; excluded; retracted; imported only
// under a build tag, only on windows, only by tests; and dual-licensed.
const mainModule = `
-- go.mod --
module example.com/main

go 1.22

require (
	example.com/local v0.0.0-00010101000000-000000000000
	example.com/orig v1.0.0
	example.com/pseudo v0.0.0-20240102030405-abcdefabcdef
	example.com/repl v1.0.0
	example.com/retracted v1.0.0
)

// example.com/pseudo requires example.com/excl v1.1.0.
exclude example.com/excl v1.1.0

replace example.com/repl v1.0.0 => example.com/repl v1.1.0

replace example.com/orig => example.com/fork v1.0.1

replace example.com/local => ./local

// Replacements of modules the build does not use.
replace example.com/unused v1.0.0 => example.com/excl v1.2.0

replace example.com/unused/v2 => example.com/excl v1.2.0
-- main.go --
package main

import (
	"fmt"

	"example.com/dual"
	"example.com/incompat"
	"example.com/local"
	"example.com/orig"
	"example.com/pseudo"
	"example.com/repl"
	"example.com/retracted"
	"example.com/v2mod/v2"
)

func main() {
	fmt.Println(pseudo.Name(), incompat.Version, v2mod.Major, repl.Version, orig.Fork, local.Local, retracted.Version, dual.Dual)
}
-- tagged.go --
//go:build special

package main

import _ "example.com/tagonly"
-- win_windows.go --
package main

import _ "example.com/winonly"
-- main_test.go --
package main

import (
	"testing"

	"example.com/testonly"
)

func TestTestonly(t *testing.T) { _ = testonly.Test }
-- local/go.mod --
module example.com/local

go 1.22

require example.com/pseudo v0.0.0-20240102030405-abcdefabcdef
-- local/local.go --
package local

import "example.com/pseudo"

var Local = "local+" + pseudo.Name()
`

// workspace is a go.work workspace of two modules; app imports lib.
const workspace = `
-- go.work --
go 1.22

use (
	./app
	./lib
)
-- app/go.mod --
module example.com/app

go 1.22

require example.com/pseudo v0.0.0-20240102030405-abcdefabcdef
-- app/main.go --
package main

import (
	"example.com/lib"
	"example.com/pseudo"
)

func main() { println(lib.Name(), pseudo.Name()) }
-- lib/go.mod --
module example.com/lib

go 1.22

require example.com/v2mod/v2 v2.1.0
-- lib/lib.go --
package lib

import (
	"fmt"

	"example.com/v2mod/v2"
)

func Name() string { return fmt.Sprint(v2mod.Major) }
`

// wantLicenses are the licences of the fixture modules, by the module
// path@version whose code is built.
var wantLicenses = map[string][]string{
	"example.com/dual@v1.0.0":                               {"Apache-2.0", "MIT"},
	"example.com/excl@v1.1.0":                               {"BSD-3-Clause"},
	"example.com/excl@v1.2.0":                               {"BSD-3-Clause"},
	"example.com/fork@v1.0.1":                               {"Apache-2.0"},
	"example.com/incompat@v2.0.0+incompatible":              {"BSD-3-Clause"},
	"example.com/local":                                     {"MIT"},
	"example.com/pseudo@v0.0.0-20240102030405-abcdefabcdef": {"MIT"},
	"example.com/repl@v1.0.0":                               {"MIT"},
	"example.com/repl@v1.1.0":                               {"BSD-3-Clause"},
	"example.com/retracted@v1.0.0":                          {"MIT"},
	"example.com/tagonly@v1.0.0":                            {"BSD-3-Clause"},
	"example.com/testonly@v1.0.0":                           {"BSD-3-Clause"},
	"example.com/v2mod/v2@v2.1.0":                           {"MIT"},
	"example.com/winonly@v1.0.0":                            {"MIT"},
}

// writeArchive writes the files of a txtar archive under dir.
func writeArchive(t testing.TB, dir, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		name := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fixtureFile returns one file of a module archive in ../testdata/mod.
func fixtureFile(t testing.TB, archive, name string) []byte {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "testdata", "mod", archive))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("%s has no file %s", archive, name)
	return nil
}

// setupMain writes mainModule into a new directory, with an MIT licence
// for its local replacement, and tidies it against the local proxy. It
// also downloads example.com/repl v1.0.0, which is replaced: its zip in
// the module cache must not be mistaken for the replacement's.
func setupMain(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	writeArchive(t, dir, mainModule)
	mit := fixtureFile(t, "example.com_pseudo_v0.0.0-20240102030405-abcdefabcdef.txt", "LICENSE")
	if err := os.WriteFile(filepath.Join(dir, "local", "LICENSE"), mit, 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd(t, dir, setupEnv, "mod", "tidy")
	goCmd(t, dir, setupEnv, "mod", "download", "example.com/repl@v1.0.0")
	return dir
}

// goCmd runs the go command in dir with env added to the process
// environment and returns its standard output.
func goCmd(t testing.TB, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s (in %s, env %q): %v\n%s", strings.Join(args, " "), dir, env, err, stderr.Bytes())
	}
	return string(out)
}

// ---------------------------------------------------------------------------
// Ground truth from the go command

// pkgTruth is what "go list -deps" says about a build.
type pkgTruth struct {
	// modules are "path version" (just "path" for main modules) of every
	// module providing a package.
	modules []string
	// packages maps a component ID (module path, or "stdlib") to its
	// packages.
	packages map[string][]string
	// edges are "from -> to" between component IDs, from package imports.
	edges []string
	// direct are the components a main module's packages import.
	direct []string
	// main are the main modules providing packages.
	main []string
}

// listPackages runs "go list -deps -json" in dir, as discovery would, for
// the module set and the import graph.
func listPackages(t testing.TB, dir string, env, flags, patterns []string) pkgTruth {
	t.Helper()
	env = append(slices.Clone(offline), env...)
	args := append([]string{"list", "-deps", "-json"}, flags...)
	out := goCmd(t, dir, env, append(args, patterns...)...)
	var truth pkgTruth
	type pkg struct {
		ImportPath string
		Standard   bool
		Imports    []string
		Module     *struct {
			Path    string
			Version string
			Main    bool
		}
	}
	var pkgs []pkg
	owner := map[string]string{}
	isMain := map[string]bool{}
	d := json.NewDecoder(strings.NewReader(out))
	for {
		var p pkg
		if err := d.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		id := inventory.StdlibID
		if !p.Standard {
			if p.Module == nil {
				t.Fatalf("go list: package %s has no module", p.ImportPath)
			}
			id = p.Module.Path
			isMain[id] = p.Module.Main
			truth.modules = append(truth.modules, strings.TrimSpace(p.Module.Path+" "+p.Module.Version))
		}
		owner[p.ImportPath] = id
		pkgs = append(pkgs, p)
	}
	truth.packages = map[string][]string{}
	for _, p := range pkgs {
		from := owner[p.ImportPath]
		truth.packages[from] = append(truth.packages[from], p.ImportPath)
		if p.Standard {
			continue
		}
		for _, imp := range p.Imports {
			if to, ok := owner[imp]; ok && to != from {
				truth.edges = append(truth.edges, from+" -> "+to)
				if isMain[from] {
					truth.direct = append(truth.direct, to)
				}
			}
		}
	}
	for id, m := range isMain {
		if m {
			truth.main = append(truth.main, id)
		}
	}
	for id := range truth.packages {
		slices.Sort(truth.packages[id])
	}
	truth.modules = sortedSet(truth.modules)
	truth.edges = sortedSet(truth.edges)
	truth.direct = sortedSet(truth.direct)
	truth.main = sortedSet(truth.main)
	return truth
}

// listModule is a module as "go list -m -json" prints it.
type listModule struct {
	Path     string
	Version  string
	Main     bool
	Indirect bool
	Time     *time.Time
	Replace  *listModule
}

// modTruth is what "go list -m all" and "go mod graph" say.
type modTruth struct {
	modules []string // "path version"
	byPath  map[string]listModule
	edges   []string // "from -> to", mapped to selected versions
	linked  []string // modules providing packages to the main modules' packages
}

// listModules runs "go list -m all" and "go mod graph" in dir, and
// "go list -deps" on patterns ("./..." when nil) for the modules that
// provide packages.
func listModules(t testing.TB, dir string, env, flags, patterns []string) modTruth {
	t.Helper()
	env = append(slices.Clone(offline), env...)
	// -e: offline, a module whose .info is not cached is reported with an
	// error, but with the right path and version.
	out := goCmd(t, dir, env, append(append([]string{"list", "-m", "-e", "-json"}, flags...), "all")...)
	truth := modTruth{byPath: map[string]listModule{}}
	selected := map[string]string{}
	d := json.NewDecoder(strings.NewReader(out))
	for {
		var m listModule
		if err := d.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		truth.modules = append(truth.modules, strings.TrimSpace(m.Path+" "+m.Version))
		truth.byPath[m.Path] = m
		selected[m.Path] = m.Version
	}
	truth.modules = sortedSet(truth.modules)
	// go mod graph prints the requirement graph: "from[@v] to@v". Keep the
	// edges from selected versions, to the selected version of the target.
	graph := goCmd(t, dir, env, "mod", "graph")
	for line := range strings.Lines(graph) {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		fp, fv, _ := strings.Cut(f[0], "@")
		tp, _, _ := strings.Cut(f[1], "@")
		sv, ok := selected[fp]
		if !ok || sv != fv {
			continue
		}
		if _, ok := selected[tp]; ok && tp != fp {
			truth.edges = append(truth.edges, fp+" -> "+tp)
		}
	}
	for _, m := range truth.byPath {
		if m.Main {
			// The standard library: every main module's code uses it.
			truth.edges = append(truth.edges, m.Path+" -> "+inventory.StdlibID)
		}
	}
	truth.edges = sortedSet(truth.edges)
	if patterns == nil {
		patterns = []string{"./..."}
	}
	deps := goCmd(t, dir, env, append(append([]string{"list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}"}, flags...), patterns...)...)
	for line := range strings.Lines(deps) {
		if line = strings.TrimSpace(line); line != "" {
			truth.linked = append(truth.linked, line)
		}
	}
	truth.linked = sortedSet(truth.linked)
	return truth
}

// readSums reads the go.sum files of a tree: "path version" and
// "path version/go.mod" -> hash.
func readSums(t testing.TB, files ...string) map[string]string {
	t.Helper()
	sums := map[string]string{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			f := strings.Fields(line)
			if len(f) != 3 {
				t.Fatalf("%s: malformed line %q", file, line)
			}
			if old, ok := sums[f[0]+" "+f[1]]; ok && old != f[2] {
				t.Fatalf("go.sum files disagree on %s %s", f[0], f[1])
			}
			sums[f[0]+" "+f[1]] = f[2]
		}
	}
	return sums
}

func readModFile(t testing.TB, file string) *modfile.File {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse(file, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// ---------------------------------------------------------------------------
// Comparisons

func sortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// diffSets fails the test unless got and want hold the same strings,
// listing what is missing and what is extra.
func diffSets(t testing.TB, what string, got, want []string) {
	t.Helper()
	g, w := sortedSet(got), sortedSet(want)
	if slices.Equal(g, w) {
		return
	}
	var missing, extra []string
	for _, s := range w {
		if !slices.Contains(g, s) {
			missing = append(missing, s)
		}
	}
	for _, s := range g {
		if !slices.Contains(w, s) {
			extra = append(extra, s)
		}
	}
	t.Errorf("%s differ from the go command's:\n\tmissing: %q\n\textra:   %q", what, missing, extra)
}

// moduleSet is "path version" for every component but the standard library.
func moduleSet(inv *inventory.Inventory) []string {
	var s []string
	for _, c := range inv.Components {
		if c.Kind != inventory.Stdlib {
			s = append(s, strings.TrimSpace(c.Path+" "+c.Version))
		}
	}
	return s
}

func edgeSet(inv *inventory.Inventory) []string {
	var s []string
	for from, tos := range inv.Dependencies {
		for _, to := range tos {
			s = append(s, from+" -> "+to)
		}
	}
	return s
}

func ids(inv *inventory.Inventory, keep func(c *inventory.Component) bool) []string {
	var s []string
	for i := range inv.Components {
		if keep(&inv.Components[i]) {
			s = append(s, inv.Components[i].ID)
		}
	}
	return s
}

func component(t testing.TB, inv *inventory.Inventory, id string) *inventory.Component {
	t.Helper()
	c := inv.Component(id)
	if c == nil {
		t.Fatalf("no component %s; have %q", id, ids(inv, func(*inventory.Component) bool { return true }))
	}
	return c
}

// checkPackagesTruth compares a packages-mode inventory with go list.
func checkPackagesTruth(t testing.TB, inv *inventory.Inventory, truth pkgTruth) {
	t.Helper()
	if inv.Mode != inventory.Packages || !inv.EdgesKnown {
		t.Errorf("Mode = %s, EdgesKnown = %v; want packages, true", inv.Mode, inv.EdgesKnown)
	}
	diffSets(t, "modules (path version)", moduleSet(inv), truth.modules)
	diffSets(t, "dependency edges", edgeSet(inv), truth.edges)
	diffSets(t, "first-party modules", ids(inv, func(c *inventory.Component) bool {
		return c.Kind == inventory.Main || c.Kind == inventory.FirstParty
	}), truth.main)
	diffSets(t, "direct dependencies", ids(inv, func(c *inventory.Component) bool { return c.Direct }), truth.direct)
	for _, c := range inv.Components {
		if !slices.Equal(c.Packages, truth.packages[c.ID]) {
			t.Errorf("%s: Packages = %q, go list says %q", c.ID, c.Packages, truth.packages[c.ID])
		}
		if c.Scope != inventory.Required {
			t.Errorf("%s: Scope = %s in packages mode, want required", c.ID, c.Scope)
		}
	}
}

// checkModulesTruth compares a modules-mode inventory with go list -m.
func checkModulesTruth(t testing.TB, inv *inventory.Inventory, truth modTruth) {
	t.Helper()
	if inv.Mode != inventory.Modules || !inv.EdgesKnown {
		t.Errorf("Mode = %s, EdgesKnown = %v; want modules, true", inv.Mode, inv.EdgesKnown)
	}
	diffSets(t, "modules (path version)", moduleSet(inv), truth.modules)
	diffSets(t, "dependency edges (go mod graph, at selected versions)", edgeSet(inv), truth.edges)
	checkModuleFlags(t, inv, truth)
	checkTimes(t, inv, truth)
}

// checkTimes checks the components' times against go list -m: the
// version's time when the module cache has its .info file, else the
// pseudo-version's commit time.
func checkTimes(t testing.TB, inv *inventory.Inventory, truth modTruth) {
	t.Helper()
	for _, c := range inv.Components {
		m, ok := truth.byPath[c.Path]
		if !ok {
			continue
		}
		var want time.Time
		if r := m.Replace; r != nil && r.Time != nil {
			want = r.Time.UTC()
		} else if m.Replace == nil && m.Time != nil {
			want = m.Time.UTC()
		} else if m.Replace == nil && module.IsPseudoVersion(m.Version) {
			want, _ = module.PseudoVersionTime(m.Version)
		}
		if !c.Time.Equal(want) {
			t.Errorf("%s: Time = %v, go list -m says %v", c.ID, c.Time, want)
		}
	}
}

// checkModuleFlags checks Direct, Scope and Kind against go list -m.
func checkModuleFlags(t testing.TB, inv *inventory.Inventory, truth modTruth) {
	t.Helper()
	var main, direct []string
	for _, m := range truth.byPath {
		if m.Main {
			main = append(main, m.Path)
		} else if !m.Indirect {
			direct = append(direct, m.Path)
		}
	}
	diffSets(t, "main modules", ids(inv, func(c *inventory.Component) bool {
		return c.Kind == inventory.Main || c.Kind == inventory.FirstParty
	}), main)
	diffSets(t, "direct modules (not // indirect)", ids(inv, func(c *inventory.Component) bool {
		return c.Direct && c.Kind != inventory.Stdlib
	}), direct)
	diffSets(t, "required modules (providing packages to the main modules)", ids(inv, func(c *inventory.Component) bool {
		return c.Scope == inventory.Required && c.Kind != inventory.Stdlib
	}), truth.linked)
}

// checkComponents checks each component's identity against independent
// computations: go.sum lines, the zips in the module cache, package URLs,
// version structure and licences.
func checkComponents(t testing.TB, inv *inventory.Inventory, gomodcache string, sums map[string]string) {
	t.Helper()
	std := inv.Component(inventory.StdlibID)
	wantStd := "v" + strings.TrimPrefix(goVersion, "go")
	if strings.Count(wantStd, ".") == 1 {
		wantStd += ".0" // go1.27 is v1.27.0
	}
	switch {
	case std == nil:
		t.Errorf("no stdlib component")
	case std.Version != wantStd || std.Kind != inventory.Stdlib || std.PURL != "pkg:golang/stdlib@"+wantStd:
		t.Errorf("stdlib: Version %q, Kind %s, PURL %q; want %q, stdlib, pkg:golang/stdlib@%s", std.Version, std.Kind, std.PURL, wantStd, wantStd)
	}
	if inv.Build.GoVersion != goVersion {
		t.Errorf("Build.GoVersion = %q, want %q", inv.Build.GoVersion, goVersion)
	}
	if m := inv.Main(); m == nil || m.Kind != inventory.Main {
		t.Errorf("MainID %q names no main component", inv.MainID)
	}
	if !slices.IsSortedFunc(inv.Components, func(a, b inventory.Component) int { return strings.Compare(a.ID, b.ID) }) {
		t.Errorf("components are not sorted by ID")
	}
	for i := range inv.Components {
		c := &inv.Components[i]
		if c.Kind == inventory.Stdlib {
			continue
		}
		checkPURL(t, c)
		checkSemantic(t, c)
		local := c.Replace != nil && c.Replace.Local
		path, version := c.Effective()
		switch {
		case c.Kind != inventory.Module:
			if c.Sum != "" || len(c.Hashes) > 0 {
				t.Errorf("%s (%s): Sum %q, Hashes %v; a first-party module has no zip", c.ID, c.Kind, c.Sum, c.Hashes)
			}
		case local:
			if c.Sum != "" || c.GoModSum != "" || len(c.Hashes) > 0 || c.Replace.Version != "" || c.Replace.Sum != "" {
				t.Errorf("%s: directory replacement with Sum %q, GoModSum %q, Hashes %v, Replace %+v; want none", c.ID, c.Sum, c.GoModSum, c.Hashes, *c.Replace)
			}
		default:
			if sums != nil {
				if want := sums[path+" "+version]; c.Sum != want {
					t.Errorf("%s: Sum = %q, go.sum says %q for %s %s", c.ID, c.Sum, want, path, version)
				}
				want := sums[path+" "+version+"/go.mod"]
				if inv.Mode == inventory.Binary {
					want = "" // build information records no go.mod hashes
				}
				if c.GoModSum != want {
					t.Errorf("%s: GoModSum = %q, want %q", c.ID, c.GoModSum, want)
				}
			}
			checkZip(t, c, gomodcache, path, version)
		}
		key := path
		if !local {
			key += "@" + version
		}
		if c.Kind == inventory.Module && c.Dir == "" && local {
			// A binary's directory replacement: the directory is not
			// known, so neither are its licences.
			if len(c.Licenses) != 0 || c.DirSum != "" {
				t.Errorf("%s: Licenses %q, DirSum %q for a directory that is not known", c.ID, c.Licenses, c.DirSum)
			}
		} else if c.Kind == inventory.Module {
			want := wantLicenses[key]
			if !slices.Equal(c.Licenses, want) {
				t.Errorf("%s (%s): Licenses = %q, want %q", c.ID, key, c.Licenses, want)
			}
			wantFiles := []string{"LICENSE"}
			if path == "example.com/dual" {
				wantFiles = []string{"LICENSE-APACHE", "LICENSE-MIT"}
			}
			if !slices.Equal(c.LicenseFiles, wantFiles) {
				t.Errorf("%s: LicenseFiles = %q, want %q", c.ID, c.LicenseFiles, wantFiles)
			}
		}
	}
}

// checkZip checks a component's digests against the zip in the module
// cache, hashed here, and its go.sum hash against the zip's dirhash.
func checkZip(t testing.TB, c *inventory.Component, gomodcache, path, version string) {
	t.Helper()
	ep, err := module.EscapePath(path)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := module.EscapeVersion(version)
	if err != nil {
		t.Fatal(err)
	}
	zip := filepath.Join(gomodcache, "cache", "download", filepath.FromSlash(ep), "@v", ev+".zip")
	data, err := os.ReadFile(zip)
	if errors.Is(err, fs.ErrNotExist) {
		if len(c.Hashes) != 0 {
			t.Errorf("%s: Hashes %v, but %s is not in the module cache", c.ID, c.Hashes, zip)
		}
		return
	} else if err != nil {
		t.Fatal(err)
	}
	s256, s512 := sha256.Sum256(data), sha512.Sum512(data)
	want := []inventory.Hash{
		{Algorithm: "SHA-256", Value: hex.EncodeToString(s256[:])},
		{Algorithm: "SHA-512", Value: hex.EncodeToString(s512[:])},
	}
	if !slices.Equal(c.Hashes, want) {
		t.Errorf("%s: Hashes = %v, want the digests of %s: %v", c.ID, c.Hashes, zip, want)
	}
	h1, err := dirhash.HashZip(zip, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sum != h1 {
		t.Errorf("%s: Sum = %q, the dirhash of %s is %q", c.ID, c.Sum, zip, h1)
	}
}

// checkPURL parses the component's package URL.
func checkPURL(t testing.TB, c *inventory.Component) {
	t.Helper()
	path, version := c.Effective()
	if c.Replace != nil && c.Replace.Local || c.Kind != inventory.Module {
		version = ""
	}
	p, err := packageurl.FromString(c.PURL)
	if err != nil {
		t.Errorf("%s: PURL %q: %v", c.ID, c.PURL, err)
		return
	}
	i := strings.LastIndex(path, "/")
	ns, name := path[:max(i, 0)], path[i+1:]
	if p.Type != "golang" || p.Namespace != ns || p.Name != name || p.Version != version {
		t.Errorf("%s: PURL %q is %s/%s/%s@%s, want golang/%s/%s@%s", c.ID, c.PURL, p.Type, p.Namespace, p.Name, p.Version, ns, name, version)
	}
	if version == "" && strings.Contains(c.PURL, "@") {
		t.Errorf("%s: PURL %q has a version", c.ID, c.PURL)
	}
}

// checkSemantic checks the version breakdown against x/mod.
func checkSemantic(t testing.TB, c *inventory.Component) {
	t.Helper()
	if c.Version == "" {
		if c.Semantic != nil {
			t.Errorf("%s: Semantic %+v for no version", c.ID, *c.Semantic)
		}
		return
	}
	s := c.Semantic
	if s == nil {
		t.Errorf("%s: no Semantic for %s", c.ID, c.Version)
		return
	}
	if s.Pseudo != module.IsPseudoVersion(c.Version) || s.Incompatible != strings.HasSuffix(c.Version, "+incompatible") {
		t.Errorf("%s %s: Semantic %+v", c.ID, c.Version, *s)
	}
	if s.Pseudo {
		rev, _ := module.PseudoVersionRev(c.Version)
		tm, _ := module.PseudoVersionTime(c.Version)
		if s.Revision != rev || !s.Time.Equal(tm) {
			t.Errorf("%s %s: Semantic revision %q time %v, want %q %v", c.ID, c.Version, s.Revision, s.Time, rev, tm)
		}
	}
}

// snapshot records every file and directory under dir with its content
// digest and mode.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		v := info.Mode().String()
		if d.Type().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			v += fmt.Sprintf(" %x", sha256.Sum256(data))
		}
		m[rel] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func checkUnchanged(t testing.TB, dir string, before map[string]string) {
	t.Helper()
	after := snapshot(t, dir)
	if maps.Equal(before, after) {
		return
	}
	for name, v := range after {
		if b, ok := before[name]; !ok {
			t.Errorf("discovery created %s", name)
		} else if b != v {
			t.Errorf("discovery changed %s", name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			t.Errorf("discovery removed %s", name)
		}
	}
}

// ---------------------------------------------------------------------------
// Tests

func TestPackages(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	before := snapshot(t, dir)
	inv, err := discover.Packages(ctx, discover.Options{Dir: dir, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	checkUnchanged(t, dir, before)
	checkPackagesTruth(t, inv, listPackages(t, dir, nil, nil, []string{"./..."}))
	if len(inv.Warnings) != 0 {
		t.Errorf("Warnings: %q", inv.Warnings)
	}
	checkComponents(t, inv, modCache, readSums(t, filepath.Join(dir, "go.sum")))
	checkTimes(t, inv, listModules(t, dir, nil, nil, nil))

	if inv.MainID != "example.com/main" || !slices.Equal(inv.Build.Patterns, []string{"./..."}) || inv.Build.Vendor || inv.Build.Workspace {
		t.Errorf("MainID %q, Build %+v", inv.MainID, inv.Build)
	}
	for _, id := range []string{"example.com/tagonly", "example.com/winonly", "example.com/testonly"} {
		if inv.Component(id) != nil {
			t.Errorf("%s is listed, but no package of the build imports it", id)
		}
	}

	// pseudo-version
	c := component(t, inv, "example.com/pseudo")
	wantTime := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if s := c.Semantic; s == nil || !s.Pseudo || s.Revision != "abcdefabcdef" || !s.Time.Equal(wantTime) || s.Base != "v0.0.0" || !s.Prerelease {
		t.Errorf("pseudo: Semantic %+v", c.Semantic)
	}
	if !c.Time.Equal(wantTime) {
		t.Errorf("pseudo: Time %v, want %v", c.Time, wantTime)
	}
	// +incompatible
	c = component(t, inv, "example.com/incompat")
	if s := c.Semantic; s == nil || !s.Incompatible || s.Base != "v2.0.0" || s.Major != "" || s.Pseudo {
		t.Errorf("incompat: Semantic %+v", c.Semantic)
	}
	if c.PURL != "pkg:golang/example.com/incompat@v2.0.0%2Bincompatible" {
		t.Errorf("incompat: PURL %q", c.PURL)
	}
	// /v2 module path
	c = component(t, inv, "example.com/v2mod/v2")
	if s := c.Semantic; s == nil || s.Major != "v2" || s.Base != "v2.1.0" || c.PURL != "pkg:golang/example.com/v2mod/v2@v2.1.0" {
		t.Errorf("v2mod: Semantic %+v, PURL %q", c.Semantic, c.PURL)
	}
	// replaced by another version: the replacement is what is identified
	c = component(t, inv, "example.com/repl")
	if c.Version != "v1.0.0" || c.Replace == nil || *c.Replace != (inventory.Replacement{Path: "example.com/repl", Version: "v1.1.0", Sum: c.Sum}) ||
		c.PURL != "pkg:golang/example.com/repl@v1.1.0" || c.Sum == "" {
		t.Errorf("repl: Version %q, Replace %+v, PURL %q, Sum %q", c.Version, c.Replace, c.PURL, c.Sum)
	}
	// replaced by another module
	c = component(t, inv, "example.com/orig")
	if c.Version != "v1.0.0" || c.Replace == nil || c.Replace.Path != "example.com/fork" || c.Replace.Version != "v1.0.1" || c.Replace.Local ||
		c.PURL != "pkg:golang/example.com/fork@v1.0.1" || !slices.Equal(c.Packages, []string{"example.com/orig"}) {
		t.Errorf("orig: Version %q, Replace %+v, PURL %q, Packages %q", c.Version, c.Replace, c.PURL, c.Packages)
	}
	// replaced by a directory
	c = component(t, inv, "example.com/local")
	checkLocal(t, c, filepath.Join(dir, "local"), "./local")
	// excluded version not selected
	if c := component(t, inv, "example.com/excl"); c.Version != "v1.2.0" || c.Direct {
		t.Errorf("excl: Version %q, Direct %v; want v1.2.0 (v1.1.0 is excluded), indirect", c.Version, c.Direct)
	}
	// retracted version still selected
	if c := component(t, inv, "example.com/retracted"); c.Version != "v1.0.0" {
		t.Errorf("retracted: Version %q, want v1.0.0", c.Version)
	}
	retracted := goCmd(t, dir, nil, "list", "-m", "-retracted", "-f", "{{.Retracted}}", "example.com/retracted@v1.0.0")
	if !strings.Contains(retracted, "bug") {
		t.Errorf("fixture: the proxy does not say example.com/retracted v1.0.0 is retracted: %q", retracted)
	}
}

// checkLocal checks a directory replacement: no version is invented for
// it, and DirSum is the hash of the directory published at the required
// version, computed here by zipping the directory.
func checkLocal(t testing.TB, c *inventory.Component, dir, replPath string) {
	t.Helper()
	if c.Replace == nil || !c.Replace.Local || c.Replace.Path != replPath || c.Replace.Version != "" {
		t.Errorf("%s: Replace %+v, want local %s", c.ID, c.Replace, replPath)
	}
	if c.PURL != "pkg:golang/"+c.Path {
		t.Errorf("%s: PURL %q, want no version", c.ID, c.PURL)
	}
	if !c.Time.IsZero() || c.Sum != "" {
		t.Errorf("%s: Time %v, Sum %q; a directory has neither", c.ID, c.Time, c.Sum)
	}
	if !strings.HasPrefix(c.DirSum, "h1:") {
		t.Fatalf("%s: DirSum %q", c.ID, c.DirSum)
	}
	zip := filepath.Join(t.TempDir(), "local.zip")
	f, err := os.Create(zip)
	if err != nil {
		t.Fatal(err)
	}
	if err := modzip.CreateFromDir(f, module.Version{Path: c.Path, Version: c.Version}, dir); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	want, err := dirhash.HashZip(zip, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if c.DirSum != want {
		t.Errorf("%s: DirSum %q, want %q (the hash of %s zipped as %s@%s)", c.ID, c.DirSum, want, dir, c.Path, c.Version)
	}
}

func TestPackagesBuildContext(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	sums := readSums(t, filepath.Join(dir, "go.sum"))
	// GOFLAGS set by "go env -w": in the go env file, not the environment.
	goenv := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(goenv, []byte("GOFLAGS=-tags=special\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		opts    discover.Options
		flags   []string // for the go command
		present string   // the module only this context links
		tags    []string
		goos    string
	}{
		{name: "default", goos: runtimeGOOS(t)},
		{name: "Tags", opts: discover.Options{Tags: []string{"special"}}, flags: []string{"-tags=special"}, present: "example.com/tagonly", tags: []string{"special"}, goos: runtimeGOOS(t)},
		{name: "GOFLAGS", opts: discover.Options{Env: []string{"GOFLAGS=-tags=special"}}, present: "example.com/tagonly", tags: []string{"special"}, goos: runtimeGOOS(t)},
		// Quoted fields, as the go command reads GOFLAGS.
		{name: "GOFLAGS/quoted", opts: discover.Options{Env: []string{"GOFLAGS='-tags=other special'"}}, present: "example.com/tagonly", tags: []string{"other", "special"}, goos: runtimeGOOS(t)},
		// Tags replace GOFLAGS' -tags, as go list -tags does.
		{name: "Tags/over/GOFLAGS", opts: discover.Options{Env: []string{"GOFLAGS=-tags=special"}, Tags: []string{"other"}}, flags: []string{"-tags=other"}, tags: []string{"other"}, goos: runtimeGOOS(t)},
		{name: "go env file", opts: discover.Options{Env: []string{"GOENV=" + goenv}}, present: "example.com/tagonly", tags: []string{"special"}, goos: runtimeGOOS(t)},
		{name: "GOFLAGS over go env file", opts: discover.Options{Env: []string{"GOENV=" + goenv, "GOFLAGS=-trimpath"}}, goos: runtimeGOOS(t)},
		{name: "GOOS", opts: discover.Options{Env: []string{"GOOS=windows"}}, present: "example.com/winonly", goos: "windows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Dir, opts.NoCache = dir, true
			inv, err := discover.Packages(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			checkPackagesTruth(t, inv, listPackages(t, dir, opts.Env, tc.flags, []string{"./..."}))
			checkComponents(t, inv, modCache, sums)
			for _, id := range []string{"example.com/tagonly", "example.com/winonly", "example.com/testonly"} {
				if got := inv.Component(id) != nil; got != (id == tc.present) {
					t.Errorf("%s listed: %v, want %v", id, got, !got)
				}
			}
			if !slices.Equal(inv.Build.Tags, tc.tags) || inv.Build.GOOS != tc.goos {
				t.Errorf("Build.Tags %q, GOOS %q; want %q, %q", inv.Build.Tags, inv.Build.GOOS, tc.tags, tc.goos)
			}
		})
	}
}

func runtimeGOOS(t testing.TB) string {
	return strings.TrimSpace(goCmd(t, "", nil, "env", "GOOS"))
}

func TestModules(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	before := snapshot(t, dir)
	inv, err := discover.Modules(ctx, discover.Options{Dir: dir, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	checkUnchanged(t, dir, before)
	truth := listModules(t, dir, nil, nil, nil)
	checkModulesTruth(t, inv, truth)
	if len(inv.Warnings) != 0 {
		t.Errorf("Warnings: %q", inv.Warnings)
	}
	checkComponents(t, inv, modCache, readSums(t, filepath.Join(dir, "go.sum")))

	for id, scope := range map[string]inventory.Scope{
		"example.com/testonly": inventory.Optional, // only tests import it
		"example.com/tagonly":  inventory.Optional, // only with -tags special
		"example.com/winonly":  inventory.Optional, // only on windows
		"example.com/pseudo":   inventory.Required,
		"example.com/excl":     inventory.Required,
	} {
		if c := component(t, inv, id); c.Scope != scope {
			t.Errorf("%s: Scope %s, want %s", id, c.Scope, scope)
		}
	}
	if c := component(t, inv, "example.com/excl"); c.Version != "v1.2.0" || c.Direct {
		t.Errorf("excl: Version %q, Direct %v; want v1.2.0, indirect", c.Version, c.Direct)
	}
	if c := component(t, inv, "example.com/retracted"); c.Version != "v1.0.0" {
		t.Errorf("retracted: Version %q, want v1.0.0", c.Version)
	}
	// example.com/dual's go.mod requires example.com/excl v1.0.0, which
	// lost selection: the edge goes to the selected version, and
	// excl v1.0.0's own requirement (on testonly) is not an edge. (dual is
	// at go 1.16, so the graph is not pruned there, and go mod graph does
	// list the requirements of excl v1.0.0.)
	graph := goCmd(t, dir, offline, "mod", "graph")
	if !strings.Contains(graph, "example.com/excl@v1.0.0 example.com/testonly@v1.0.0") {
		t.Errorf("fixture: go mod graph has no edge from a version that lost selection:\n%s", graph)
	}
	if deps := inv.Dependencies["example.com/dual"]; !slices.Equal(deps, []string{"example.com/excl"}) {
		t.Errorf("dual depends on %q, want [example.com/excl]", deps)
	}
	if deps := inv.Dependencies["example.com/excl"]; len(deps) != 0 {
		t.Errorf("excl depends on %q; its selected version requires nothing", deps)
	}
	checkLocal(t, component(t, inv, "example.com/local"), filepath.Join(dir, "local"), "./local")

	// With tags, a module needed only under them is required.
	inv, err = discover.Modules(ctx, discover.Options{Dir: dir, NoCache: true, Tags: []string{"special"}})
	if err != nil {
		t.Fatal(err)
	}
	checkModulesTruth(t, inv, listModules(t, dir, nil, []string{"-tags=special"}, nil))
	if c := component(t, inv, "example.com/tagonly"); c.Scope != inventory.Required {
		t.Errorf("tagonly: Scope %s with -tags special, want required", c.Scope)
	}
}

func TestWorkspace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeArchive(t, dir, workspace)
	// Tidy each module on its own (go mod tidy does not work in workspace
	// mode); app's import of lib is resolved by the workspace only.
	goCmd(t, filepath.Join(dir, "lib"), setupEnv, "mod", "tidy")
	goCmd(t, filepath.Join(dir, "app"), setupEnv, "mod", "tidy", "-e")
	env := []string{"GOWORK=" + filepath.Join(dir, "go.work")}
	sums := readSums(t, filepath.Join(dir, "app", "go.sum"), filepath.Join(dir, "lib", "go.sum"), filepath.Join(dir, "go.work.sum"))
	before := snapshot(t, dir)

	for _, tc := range []struct {
		name, dir, mainModule string
		patterns              []string
		want                  string
	}{
		{name: "app", dir: "app", want: "example.com/app"},
		{name: "lib", dir: "lib", want: "example.com/lib"},
		// The workspace root is in no module: the product is the module of
		// the first package named, or the one named.
		{name: "root/pattern", dir: ".", patterns: []string{"./app/..."}, want: "example.com/app"},
		{name: "root/patterns", dir: ".", patterns: []string{"./app/...", "./lib/..."}, want: "example.com/app"},
		// lib is named first, but app imports it: app is the product.
		{name: "root/patterns-lib-first", dir: ".", patterns: []string{"./lib/...", "./app/..."}, want: "example.com/app"},
		{name: "root/work", dir: ".", patterns: []string{"work"}, want: "example.com/app"},
		{name: "root/MainModule", dir: ".", patterns: []string{"./app/...", "./lib/..."}, mainModule: "example.com/lib", want: "example.com/lib"},
		{name: "root/work/MainModule", dir: ".", patterns: []string{"work"}, mainModule: "example.com/lib", want: "example.com/lib"},
		{name: "app/MainModule", dir: "app", mainModule: "example.com/lib", want: "example.com/lib"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wd := filepath.Join(dir, tc.dir)
			inv, err := discover.Packages(ctx, discover.Options{Dir: wd, Env: env, MainModule: tc.mainModule, Patterns: tc.patterns, NoCache: true})
			if err != nil {
				t.Fatal(err)
			}
			patterns := tc.patterns
			if patterns == nil {
				patterns = []string{"./..."}
			}
			truth := listPackages(t, wd, env, nil, patterns)
			checkPackagesTruth(t, inv, truth)
			checkComponents(t, inv, modCache, sums)
			if inv.MainID != tc.want || !inv.Build.Workspace {
				t.Errorf("MainID %q, Workspace %v; want %q, true", inv.MainID, inv.Build.Workspace, tc.want)
			}
			if slices.Contains(truth.main, "example.com/app") {
				// app imports lib: the edge between the workspace's
				// modules is kept, and lib is first-party, not SOUP.
				if !slices.Contains(inv.Dependencies["example.com/app"], "example.com/lib") {
					t.Errorf("no edge example.com/app -> example.com/lib: %v", inv.Dependencies)
				}
				for _, c := range inv.SOUP() {
					if strings.HasPrefix(c.ID, "example.com/app") || strings.HasPrefix(c.ID, "example.com/lib") {
						t.Errorf("%s is SOUP (%s)", c.ID, c.Kind)
					}
				}
			}
		})
	}

	t.Run("modules", func(t *testing.T) {
		wd := filepath.Join(dir, "app")
		inv, err := discover.Modules(ctx, discover.Options{Dir: wd, Env: env, NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		checkModulesTruth(t, inv, listModules(t, wd, env, nil, []string{"./...", "../lib/..."}))
		checkComponents(t, inv, modCache, sums)
		if inv.MainID != "example.com/app" || component(t, inv, "example.com/lib").Kind != inventory.FirstParty {
			t.Errorf("MainID %q, lib is %s", inv.MainID, component(t, inv, "example.com/lib").Kind)
		}
	})

	t.Run("modules/root", func(t *testing.T) {
		// The module graph does not say which main module is the product.
		_, err := discover.Modules(ctx, discover.Options{Dir: dir, Env: env, NoCache: true})
		if err == nil || !strings.Contains(err.Error(), "--main") {
			t.Errorf("Modules at the workspace root without MainModule: err = %v", err)
		}
		inv, err := discover.Modules(ctx, discover.Options{Dir: dir, Env: env, MainModule: "example.com/lib", NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		checkModulesTruth(t, inv, listModules(t, dir, env, nil, []string{"./app/...", "./lib/..."}))
		if inv.MainID != "example.com/lib" {
			t.Errorf("MainID %q, want example.com/lib", inv.MainID)
		}
	})

	t.Run("unknown MainModule", func(t *testing.T) {
		_, err := discover.Packages(ctx, discover.Options{Dir: filepath.Join(dir, "app"), Env: env, MainModule: "example.com/pseudo", NoCache: true})
		if err == nil || !strings.Contains(err.Error(), "example.com/pseudo") {
			t.Errorf("MainModule naming a dependency: err = %v", err)
		}
	})
	checkUnchanged(t, dir, before)
}

func TestVendor(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	goCmd(t, dir, setupEnv, "mod", "vendor")
	before := snapshot(t, dir)
	sums := readSums(t, filepath.Join(dir, "go.sum"))
	// An empty module cache and no -mod flag: the go command uses vendor/.
	empty := t.TempDir()
	env := []string{"GOMODCACHE=" + empty}

	t.Run("packages", func(t *testing.T) {
		inv, err := discover.Packages(ctx, discover.Options{Dir: dir, Env: env, CacheDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		checkPackagesTruth(t, inv, listPackages(t, dir, env, nil, []string{"./..."}))
		checkComponents(t, inv, empty, sums)
		if !inv.Build.Vendor {
			t.Errorf("Build.Vendor is false")
		}
		if len(inv.Warnings) != 0 {
			t.Errorf("Warnings: %q (vendored modules have no zip)", inv.Warnings)
		}
		for _, c := range inv.Components {
			if c.Kind == inventory.Module && c.Replace == nil && c.Dir != filepath.Join(dir, "vendor", filepath.FromSlash(c.Path)) {
				t.Errorf("%s: Dir %q, want its vendor directory", c.ID, c.Dir)
			}
		}
		checkLocal(t, component(t, inv, "example.com/local"), filepath.Join(dir, "local"), "./local")
	})

	t.Run("modules", func(t *testing.T) {
		inv, err := discover.Modules(ctx, discover.Options{Dir: dir, Env: env, NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Mode != inventory.Modules || inv.EdgesKnown || !inv.Build.Vendor {
			t.Errorf("Mode %s, EdgesKnown %v, Build.Vendor %v; want modules, false, true", inv.Mode, inv.EdgesKnown, inv.Build.Vendor)
		}
		// The module graph, as the go command computes it bypassing
		// vendor/ (from the populated module cache), holds the same
		// modules as vendor/modules.txt.
		truth := listModules(t, dir, []string{"GOFLAGS=-mod=readonly"}, nil, nil)
		diffSets(t, "modules (path version)", moduleSet(inv), truth.modules)
		// Which modules are linked: go list in vendor mode, offline.
		truth.linked = listPackages(t, dir, env, nil, []string{"./..."}).modules
		for i, m := range truth.linked {
			truth.linked[i], _, _ = strings.Cut(m, " ")
		}
		checkModuleFlags(t, inv, truth)
		checkComponents(t, inv, empty, sums)
		// The only edges known: the main module's requirements.
		want := []string{"example.com/main -> stdlib"}
		for _, r := range readModFile(t, filepath.Join(dir, "go.mod")).Require {
			want = append(want, "example.com/main -> "+r.Mod.Path)
		}
		diffSets(t, "dependency edges", edgeSet(inv), want)
	})
	checkUnchanged(t, dir, before)
	if s := snapshot(t, empty); len(s) != 1 {
		t.Errorf("discovery wrote to the empty module cache: %v", slices.Sorted(maps.Keys(s)))
	}
}

// TestBinaryTrimpath reads a binary built with -trimpath. The program
// imports no package of the standard library but the runtime's, so that
// only these are compiled again without their paths (the Binary example
// builds the same way, and the two share them in the build cache).
func TestBinaryTrimpath(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"go.mod":  "module example.com/trim\n\ngo 1.22\n",
		"main.go": "package main\n\nfunc main() { println(\"trim\") }\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(t.TempDir(), "trim")
	goCmd(t, dir, offline, "build", "-trimpath", "-buildvcs=false", "-o", bin, ".")
	inv, err := discover.Binary(context.Background(), bin, discover.Options{Dir: dir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	out := goCmd(t, dir, nil, "version", "-m", bin)
	if !strings.Contains(out, "\tbuild\t-trimpath=true\n") {
		t.Fatalf("go version -m records no -trimpath=true:\n%s", out)
	}
	if !inv.Build.Trimpath || !slices.Contains(inv.Build.Settings, inventory.Setting{Key: "-trimpath", Value: "true"}) {
		t.Errorf("Build.Trimpath %v, Settings %v; go version -m says:\n%s", inv.Build.Trimpath, inv.Build.Settings, out)
	}
	if inv.MainID != "example.com/trim" {
		t.Errorf("MainID %q", inv.MainID)
	}
}

func TestBinary(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	bin := filepath.Join(t.TempDir(), "prog")
	// Without -trimpath: the standard library is then the one the test
	// binaries were built with, not compiled again (TestBinaryTrimpath).
	goCmd(t, dir, offline, "build", "-buildvcs=false", "-o", bin, "-tags", "special", ".")
	before := snapshot(t, dir)
	inv, err := discover.Binary(ctx, bin, discover.Options{Dir: dir, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	checkUnchanged(t, dir, before)

	// go version -m: "path", "mod", "dep", "=>" and "build" lines.
	out := goCmd(t, dir, nil, "version", "-m", bin)
	var (
		gover    string
		deps     []string
		main     string
		settings []inventory.Setting
		last     *inventory.Component
	)
	for line := range strings.Lines(out) {
		f := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if gover == "" {
			gover = strings.TrimSpace(strings.TrimPrefix(line, bin+":"))
			continue
		}
		if len(f) < 3 {
			continue
		}
		switch f[1] {
		case "mod":
			main = f[2]
		case "dep":
			deps = append(deps, f[2]+" "+f[3])
			last = component(t, inv, f[2])
			if last.Version != f[3] {
				t.Errorf("%s: Version %q, go version -m says %q", f[2], last.Version, f[3])
			}
			if len(f) > 4 && last.Sum != f[4] {
				t.Errorf("%s: Sum %q, go version -m says %q", f[2], last.Sum, f[4])
			}
		case "=>":
			if last == nil {
				t.Fatalf("go version -m: replacement without a dep line: %q", line)
			}
			want := inventory.Replacement{Path: f[2], Version: f[3], Sum: f[4]}
			if want.Version == "(devel)" {
				want.Version, want.Local = "", true
			}
			if last.Replace == nil || *last.Replace != want {
				t.Errorf("%s: Replace %+v, go version -m says %+v", last.ID, last.Replace, want)
			}
			if !want.Local && last.Sum != want.Sum {
				t.Errorf("%s: Sum %q, the replacement's is %q", last.ID, last.Sum, want.Sum)
			}
			last = nil
		case "build":
			k, v, _ := strings.Cut(f[2], "=")
			settings = append(settings, inventory.Setting{Key: k, Value: v})
		}
	}
	if inv.MainID != main || main != "example.com/main" {
		t.Errorf("MainID %q, go version -m says %q", inv.MainID, main)
	}
	diffSets(t, "modules (path version)", moduleSet(inv), append(deps, main))
	if !reflect.DeepEqual(inv.Build.Settings, settings) {
		t.Errorf("Build.Settings = %v\ngo version -m says %v", inv.Build.Settings, settings)
	}
	setting := func(k string) string {
		for _, s := range settings {
			if s.Key == k {
				return s.Value
			}
		}
		t.Errorf("go version -m records no %s", k)
		return ""
	}
	b := inv.Build
	if b.GOOS != setting("GOOS") || b.GOARCH != setting("GOARCH") || b.CGOEnabled != setting("CGO_ENABLED") ||
		!slices.Equal(b.Tags, []string{"special"}) || setting("-tags") != "special" || b.Trimpath {
		t.Errorf("Build %+v", b)
	}
	if b.GoVersion != gover || gover != goVersion {
		t.Errorf("Build.GoVersion %q, go version -m says %q (toolchain %s)", b.GoVersion, gover, goVersion)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	s256, s512 := sha256.Sum256(data), sha512.Sum512(data)
	if b.Binary == nil || b.Binary.Name != "prog" || b.Binary.Size != int64(len(data)) || !slices.Equal(b.Binary.Hashes, []inventory.Hash{
		{Algorithm: "SHA-256", Value: hex.EncodeToString(s256[:])},
		{Algorithm: "SHA-512", Value: hex.EncodeToString(s512[:])},
	}) {
		t.Errorf("Build.Binary %+v", b.Binary)
	}
	if inv.EdgesKnown || len(inv.Dependencies) != 0 {
		t.Errorf("EdgesKnown %v, Dependencies %v: a binary records no edges", inv.EdgesKnown, inv.Dependencies)
	}
	if len(inv.Warnings) != 0 {
		t.Errorf("Warnings: %q", inv.Warnings)
	}
	checkComponents(t, inv, modCache, readSums(t, filepath.Join(dir, "go.sum")))
	if inv.Component("example.com/tagonly") == nil || inv.Component("example.com/winonly") != nil {
		t.Errorf("tagonly or winonly: the binary was built with -tags special for %s", b.GOOS)
	}
}

func TestMissingModule(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	required := map[string]bool{}
	f := readModFile(t, filepath.Join(dir, "go.mod"))
	for _, r := range f.Require {
		required[r.Mod.String()] = true
	}
	for _, r := range f.Replace {
		required[r.New.String()] = true
	}
	before := snapshot(t, dir)
	opts := discover.Options{Dir: dir, NoCache: true, Env: []string{"GOMODCACHE=" + t.TempDir()}}
	for name, run := range map[string]func() (*inventory.Inventory, error){
		"packages": func() (*inventory.Inventory, error) { return discover.Packages(ctx, opts) },
		"modules":  func() (*inventory.Inventory, error) { return discover.Modules(ctx, opts) },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := run()
			var missing *discover.MissingModuleError
			if !errors.As(err, &missing) {
				t.Fatalf("err = %v (%T), want a *discover.MissingModuleError", err, err)
			}
			msg := err.Error()
			if len(missing.Modules) == 0 {
				t.Fatalf("MissingModuleError names no module:\n%s", msg)
			}
			for _, m := range missing.Modules {
				if !required[m] {
					t.Errorf("MissingModuleError names %q, not a requirement of go.mod:\n%s", m, msg)
				}
			}
			if fetch := `"go mod download ` + strings.Join(missing.Modules, " ") + `"`; !strings.Contains(msg, fetch) {
				t.Errorf("message does not say %s:\n%s", fetch, msg)
			}
			if strings.Contains(msg, "go: go:") {
				t.Errorf("message repeats \"go:\":\n%s", msg)
			}
		})
	}
	checkUnchanged(t, dir, before)
}

func TestDigestCache(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	cacheDir := t.TempDir()
	opts := discover.Options{Dir: dir, CacheDir: cacheDir}
	first, err := discover.Packages(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	cache := store.Store{Dir: cacheDir}
	var zipped []*inventory.Component
	for i := range first.Components {
		c := &first.Components[i]
		if len(c.Hashes) == 0 {
			continue
		}
		zipped = append(zipped, c)
		p, v := c.Effective()
		zip, _ := modcache.Zip(modCache, p, v)
		fi, err := os.Stat(zip)
		if err != nil {
			t.Fatal(err)
		}
		info, ok := modinfo.Lookup(cache, p, v, fi.Size(), licenses.Detector)
		if !ok || info.SHA256 != c.Hashes[0].Value || info.SHA512 != c.Hashes[1].Value || !slices.Equal(info.Licenses, c.Licenses) {
			t.Errorf("%s@%s: cache entry %+v (found %v) does not match the component", p, v, info, ok)
		}
	}
	if len(zipped) < 5 {
		t.Fatalf("only %d components have digests", len(zipped))
	}
	second, err := discover.Packages(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("a run with a warm cache differs from the first")
	}

	// The entries of the whole set of zips were also stored as one, which
	// the next run reads first (modinfo.LookupSet); without it, it reads
	// the entry of each zip.
	sets := filepath.Join(cacheDir, "v1", "sets")
	if es, err := os.ReadDir(sets); err != nil || len(es) != 1 {
		t.Errorf("set entries: %v, %v; want one", es, err)
	}
	dropSets := func() {
		if err := os.RemoveAll(sets); err != nil {
			t.Fatal(err)
		}
	}

	// The second run read the cache: an entry whose licences were edited
	// (same zip size) is believed...
	dropSets()
	c := zipped[0]
	p, v := c.Effective()
	zip, _ := modcache.Zip(modCache, p, v)
	fi, _ := os.Stat(zip)
	info, _ := modinfo.Lookup(cache, p, v, fi.Size(), licenses.Detector)
	info.Licenses = []string{"0BSD"}
	if err := modinfo.Store(cache, p, v, info); err != nil {
		t.Fatal(err)
	}
	third, err := discover.Packages(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := component(t, third, c.ID).Licenses; !slices.Equal(got, []string{"0BSD"}) {
		t.Errorf("%s: Licenses %q: the cache entry was not used", c.ID, got)
	}
	// ...but one recorded for a zip of another size is ignored, and
	// replaced by a correct entry.
	info.ZipSize++
	info.SHA256, info.SHA512 = strings.Repeat("0", 64), strings.Repeat("0", 128)
	if err := modinfo.Store(cache, p, v, info); err != nil {
		t.Fatal(err)
	}
	dropSets()
	fourth, err := discover.Packages(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, fourth) {
		t.Errorf("%s: an entry for another zip size was used: Hashes %v, Licenses %q", c.ID, component(t, fourth, c.ID).Hashes, component(t, fourth, c.ID).Licenses)
	}
	if info, ok := modinfo.Lookup(cache, p, v, fi.Size(), licenses.Detector); !ok || info.SHA256 != c.Hashes[0].Value {
		t.Errorf("%s: the bad entry was not replaced: %+v", c.ID, info)
	}

	// NoCache gives the same result and writes nothing.
	empty := t.TempDir()
	off, err := discover.Packages(ctx, discover.Options{Dir: dir, CacheDir: empty, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, off) {
		t.Errorf("results with and without the cache differ")
	}
	if s := snapshot(t, empty); len(s) != 1 {
		t.Errorf("NoCache wrote to CacheDir: %v", slices.Sorted(maps.Keys(s)))
	}
}

func TestConcurrentRuns(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	cacheDir := t.TempDir()
	const n = 6
	invs := make([]*inventory.Inventory, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			opts := discover.Options{Dir: dir, CacheDir: cacheDir, Jobs: 1 + i%3}
			if i%2 == 0 {
				invs[i], errs[i] = discover.Packages(ctx, opts)
			} else {
				invs[i], errs[i] = discover.Modules(ctx, opts)
			}
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if !reflect.DeepEqual(invs[i], invs[i%2]) {
			t.Errorf("run %d differs from run %d", i, i%2)
		}
	}
	sums := readSums(t, filepath.Join(dir, "go.sum"))
	checkPackagesTruth(t, invs[0], listPackages(t, dir, nil, nil, []string{"./..."}))
	checkComponents(t, invs[0], modCache, sums)
	checkModulesTruth(t, invs[1], listModules(t, dir, nil, nil, nil))
	checkComponents(t, invs[1], modCache, sums)
}

// ---------------------------------------------------------------------------
// Benchmarks: discovery against the one go list call it is built on.

func BenchmarkPackages(b *testing.B) {
	ctx := context.Background()
	opts := discover.Options{Dir: setupMain(b), CacheDir: b.TempDir()}
	if _, err := discover.Packages(ctx, opts); err != nil { // warm the cache
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := discover.Packages(ctx, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkModules(b *testing.B) {
	ctx := context.Background()
	opts := discover.Options{Dir: setupMain(b), CacheDir: b.TempDir()}
	if _, err := discover.Modules(ctx, opts); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := discover.Modules(ctx, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGoListDeps(b *testing.B) {
	dir := setupMain(b)
	for b.Loop() {
		cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Module,Imports,Standard,DepOnly", "./...")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), offline...)
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoListModules runs only the commands modules mode rests on, one
// after the other, for the ratio with BenchmarkModules.
func BenchmarkGoListModules(b *testing.B) {
	dir := setupMain(b)
	for b.Loop() {
		for _, args := range [][]string{{"list", "-m", "-e", "-json", "all"}, {"mod", "graph"}} {
			cmd := exec.Command("go", args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), offline...)
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestScopeCache: modules mode caches which modules the product links
// under a digest of everything that decides it. Every change of such an
// input must give the answer a fresh package load gives.
func TestScopeCache(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	cacheDir := t.TempDir()
	scopes := func(t *testing.T, opts discover.Options) map[string]inventory.Scope {
		t.Helper()
		opts.Dir, opts.CacheDir = dir, cacheDir
		inv, err := discover.Modules(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.NoCache = true
		fresh, err := discover.Modules(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		got, want := map[string]inventory.Scope{}, map[string]inventory.Scope{}
		for _, c := range inv.Components {
			got[c.ID] = c.Scope
		}
		for _, c := range fresh.Components {
			want[c.ID] = c.Scope
		}
		if !maps.Equal(got, want) {
			t.Errorf("scopes with the cache differ from a fresh load:\n got %v\nwant %v", got, want)
		}
		return got
	}
	entries := func() int {
		es, _ := os.ReadDir(filepath.Join(cacheDir, "v1", "scope"))
		return len(es)
	}
	if s := scopes(t, discover.Options{}); s["example.com/testonly"] != inventory.Optional {
		t.Fatalf("testonly: %s, want optional", s["example.com/testonly"])
	}
	if entries() != 1 {
		t.Fatalf("%d scope entries after one run, want 1", entries())
	}
	scopes(t, discover.Options{})
	if entries() != 1 {
		t.Errorf("%d scope entries after the same run twice, want 1 (a stable key)", entries())
	}
	// Build context: GOOS, tags.
	if s := scopes(t, discover.Options{Env: []string{"GOOS=windows"}}); s["example.com/winonly"] != inventory.Required {
		t.Errorf("winonly with GOOS=windows: %s, want required", s["example.com/winonly"])
	}
	if s := scopes(t, discover.Options{Tags: []string{"special"}}); s["example.com/tagonly"] != inventory.Required {
		t.Errorf("tagonly with -tags special: %s, want required", s["example.com/tagonly"])
	}
	// A Go file of the main module: the test-only module becomes linked.
	writeFile(t, filepath.Join(dir, "uses_testonly.go"), "package main\n\nimport _ \"example.com/testonly\"\n")
	if s := scopes(t, discover.Options{}); s["example.com/testonly"] != inventory.Required {
		t.Errorf("testonly imported by main: %s, want required", s["example.com/testonly"])
	}
	// A Go file of a directory replacement.
	writeFile(t, filepath.Join(dir, "local", "uses_tagonly.go"), "package local\n\nimport _ \"example.com/tagonly\"\n")
	if s := scopes(t, discover.Options{}); s["example.com/tagonly"] != inventory.Required {
		t.Errorf("tagonly imported by the local replacement: %s, want required", s["example.com/tagonly"])
	}
	if entries() != 5 {
		t.Errorf("%d scope entries, want 5 (one per distinct input)", entries())
	}
}

// TestScopeCacheSkippedTrees: the scope's key reads of the testdata and
// "_" trees only the packages that the load read there. A change to such
// a package gives a fresh load's answer; a change to a package no load
// reads keeps the cached one.
func TestScopeCacheSkippedTrees(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	cacheDir := t.TempDir()
	writeFile(t, filepath.Join(dir, "uses_helper.go"), "package main\n\nimport _ \"example.com/main/testdata/helper\"\n")
	if err := os.MkdirAll(filepath.Join(dir, "testdata", "helper"), 0o755); err != nil {
		t.Fatal(err)
	}
	helper := filepath.Join(dir, "testdata", "helper", "helper.go")
	writeFile(t, helper, "package helper\n")
	entries := func() []string {
		es, _ := os.ReadDir(filepath.Join(cacheDir, "v1", "scope"))
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	run := func(t *testing.T) map[string]inventory.Scope {
		t.Helper()
		inv, err := discover.Modules(ctx, discover.Options{Dir: dir, CacheDir: cacheDir})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]inventory.Scope{}
		for _, c := range inv.Components {
			got[c.ID] = c.Scope
		}
		return got
	}
	// The first load reads testdata/helper, which the key did not cover:
	// its answer is not kept; the second is, under a key that covers it.
	for i := range 2 {
		if s := run(t); s["example.com/testonly"] != inventory.Optional {
			t.Fatalf("run %d: testonly %s, want optional", i, s["example.com/testonly"])
		}
	}
	stored := entries()
	if len(stored) != 1 {
		t.Fatalf("scope entries %q, want one", stored)
	}
	// A hit is served from the entry: one that says testonly is linked
	// shows it.
	entry := filepath.Join(cacheDir, "v1", "scope", stored[0])
	data, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, entry, strings.Replace(string(data), "[", `["example.com/testonly",`, 1))
	if s := run(t); s["example.com/testonly"] != inventory.Required {
		t.Fatalf("the stored entry was not used: testonly %s", s["example.com/testonly"])
	}
	writeFile(t, entry, string(data))
	// A package in testdata that no load reads: still a hit.
	if err := os.MkdirAll(filepath.Join(dir, "testdata", "other"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "testdata", "other", "other.go"), "package other\n\nimport _ \"example.com/testonly\"\n")
	run(t)
	if got := entries(); !slices.Equal(got, stored) {
		t.Errorf("a package no load reads changed the key: entries %q, want %q", got, stored)
	}
	// The package the load read starts to import testonly: a new key, and
	// the fresh load's answer.
	writeFile(t, helper, "package helper\n\nimport _ \"example.com/testonly\"\n")
	if s := run(t); s["example.com/testonly"] != inventory.Required {
		t.Errorf("testonly imported by testdata/helper: %s, want required", s["example.com/testonly"])
	}
	// A pattern inside a skipped tree is keyed by every file.
	inv, err := discover.Modules(ctx, discover.Options{Dir: dir, CacheDir: cacheDir, Patterns: []string{"./testdata/other"}})
	if err != nil {
		t.Fatal(err)
	}
	if c := component(t, inv, "example.com/testonly"); c.Scope != inventory.Required {
		t.Errorf("testonly with pattern ./testdata/other: %s, want required", c.Scope)
	}
}

// dropSumLines removes the lines that start with prefix from dir's go.sum.
func dropSumLines(t *testing.T, dir, prefix string) {
	t.Helper()
	sum := filepath.Join(dir, "go.sum")
	data, err := os.ReadFile(sum)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for line := range strings.Lines(string(data)) {
		if !strings.HasPrefix(line, prefix) {
			kept = append(kept, line)
		}
	}
	if len(kept) == len(slices.Collect(strings.Lines(string(data)))) {
		t.Fatalf("fixture: %s has no line starting %q", sum, prefix)
	}
	writeFile(t, sum, strings.Join(kept, ""))
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWorkspaceVendor: a workspace vendored with "go work vendor" is read
// from its vendor directory, offline, with every module's go.sum hash
// (from the workspace modules' go.sum files and go.work.sum).
func TestWorkspaceVendor(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeArchive(t, dir, workspace)
	goCmd(t, filepath.Join(dir, "lib"), setupEnv, "mod", "tidy")
	goCmd(t, filepath.Join(dir, "app"), setupEnv, "mod", "tidy", "-e")
	env := []string{"GOWORK=" + filepath.Join(dir, "go.work")}
	goCmd(t, dir, append(setupEnv, env...), "work", "vendor")
	sums := readSums(t, filepath.Join(dir, "app", "go.sum"), filepath.Join(dir, "lib", "go.sum"), filepath.Join(dir, "go.work.sum"))
	before := snapshot(t, dir)
	empty := t.TempDir()
	env = append(env, "GOMODCACHE="+empty)
	wd := filepath.Join(dir, "app")
	inv, err := discover.Packages(ctx, discover.Options{Dir: wd, Env: env, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	checkPackagesTruth(t, inv, listPackages(t, wd, env, nil, []string{"./..."}))
	checkComponents(t, inv, empty, sums)
	if !inv.Build.Vendor || !inv.Build.Workspace {
		t.Errorf("Build.Vendor %v, Build.Workspace %v; want both", inv.Build.Vendor, inv.Build.Workspace)
	}
	n := 0
	for _, c := range inv.Components {
		if c.Kind != inventory.Module || c.Replace != nil {
			continue
		}
		n++
		if c.Sum == "" || c.Dir != filepath.Join(dir, "vendor", filepath.FromSlash(c.Path)) {
			t.Errorf("%s: Sum %q, Dir %q; want its go.sum hash and its vendor directory", c.ID, c.Sum, c.Dir)
		}
	}
	if n == 0 {
		t.Fatal("fixture: the workspace has no vendored module")
	}

	// Modules mode reads vendor/modules.txt: every workspace module is
	// first-party, every vendored module has its hash, and the edges known
	// are each main module's requirements.
	minv, err := discover.Modules(ctx, discover.Options{Dir: wd, Env: env, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := minv.Component("example.com/lib"); c == nil || c.Kind != inventory.FirstParty {
		t.Errorf("example.com/lib: %+v, want a first-party component", c)
	}
	if minv.MainID != "example.com/app" || minv.EdgesKnown || !minv.Build.Vendor {
		t.Errorf("MainID %q, EdgesKnown %v, Vendor %v", minv.MainID, minv.EdgesKnown, minv.Build.Vendor)
	}
	checkComponents(t, minv, empty, sums)
	var want []string
	for _, m := range []string{"app", "lib"} {
		f := readModFile(t, filepath.Join(dir, m, "go.mod"))
		want = append(want, f.Module.Mod.Path+" -> stdlib")
		for _, r := range f.Require {
			if minv.Component(r.Mod.Path) != nil {
				want = append(want, f.Module.Mod.Path+" -> "+r.Mod.Path)
			}
		}
	}
	diffSets(t, "dependency edges", edgeSet(minv), want)
	for _, c := range minv.Components {
		if c.Kind == inventory.Module && c.Replace == nil && c.Sum == "" {
			t.Errorf("%s: no go.sum hash", c.ID)
		}
	}
	checkUnchanged(t, dir, before)
}

// TestBinaryForeignZip: a binary's modules get the digests and licences of
// the module cache's zip only when that zip's h1: hash is the one the
// binary records. A zip of the same path@version with other content (a
// republished tag, a tampered cache) is named in a warning and on the
// component, and its digests are left out.
func TestBinaryForeignZip(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	bin := filepath.Join(t.TempDir(), "prog")
	goCmd(t, dir, offline, "build", "-buildvcs=false", "-o", bin, ".")
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]string{}
	for _, d := range bi.Deps {
		recorded[d.Path] = d.Sum
	}

	// Another module cache: pseudo's zip holds other code; dual's is the
	// genuine one; the others are missing.
	mc := t.TempDir()
	const pseudo, pseudoV = "example.com/pseudo", "v0.0.0-20240102030405-abcdefabcdef"
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "go.mod"), "module example.com/pseudo\n\ngo 1.21\n")
	writeFile(t, filepath.Join(src, "pseudo.go"), "package pseudo\n\nfunc Name() string { return \"tampered\" }\n")
	writeFile(t, filepath.Join(src, "LICENSE"), string(fixtureFile(t, "example.com_dual_v1.0.0.txt", "LICENSE-APACHE")))
	foreign, _ := modcache.Zip(mc, pseudo, pseudoV)
	os.MkdirAll(filepath.Dir(foreign), 0o755)
	f, err := os.Create(foreign)
	if err != nil {
		t.Fatal(err)
	}
	if err := modzip.CreateFromDir(f, module.Version{Path: pseudo, Version: pseudoV}, src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	foreignH1, err := dirhash.HashZip(foreign, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if foreignH1 == recorded[pseudo] {
		t.Fatal("fixture: the foreign zip has the genuine hash")
	}
	genuine, _ := modcache.Zip(modCache, "example.com/dual", "v1.0.0")
	data, err := os.ReadFile(genuine)
	if err != nil {
		t.Fatal(err)
	}
	dual, _ := modcache.Zip(mc, "example.com/dual", "v1.0.0")
	os.MkdirAll(filepath.Dir(dual), 0o755)
	os.WriteFile(dual, data, 0o644)

	inv, err := discover.Binary(ctx, bin, discover.Options{Dir: dir, NoCache: true, Env: []string{"GOMODCACHE=" + mc}})
	if err != nil {
		t.Fatal(err)
	}
	c := component(t, inv, pseudo)
	if len(c.Hashes) != 0 || len(c.Licenses) != 0 || !strings.Contains(c.DigestsOmitted, foreignH1) || !strings.Contains(c.DigestsOmitted, recorded[pseudo]) {
		t.Errorf("pseudo: Hashes %v, Licenses %q, DigestsOmitted %q; want none, none, naming %s and %s", c.Hashes, c.Licenses, c.DigestsOmitted, foreignH1, recorded[pseudo])
	}
	d := component(t, inv, "example.com/dual")
	s256 := sha256.Sum256(data)
	if len(d.Hashes) != 2 || d.Hashes[0].Value != hex.EncodeToString(s256[:]) || d.DigestsOmitted != "" {
		t.Errorf("dual (genuine zip): Hashes %v, DigestsOmitted %q", d.Hashes, d.DigestsOmitted)
	}
	warned := strings.Join(inv.Warnings, "\n")
	if !strings.Contains(warned, pseudo+": digests and licences left out") || !strings.Contains(warned, "example.com/v2mod/v2@v2.1.0") {
		t.Errorf("warnings do not name the foreign zip and the missing ones:\n%s", warned)
	}

	// The module cache the binary was built from: no warning at all.
	inv, err = discover.Binary(ctx, bin, discover.Options{Dir: dir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Warnings) != 0 {
		t.Errorf("warnings with the genuine module cache: %q", inv.Warnings)
	}
}

// TestBinaryGoEnv: binary mode needs go env only for the module cache's
// location. A go.mod asking for a toolchain that is not here does not
// stop it, and when go env fails anyway the SBOM is not silently poorer:
// the go command's default location is used, with a warning.
func TestBinaryGoEnv(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	bin := filepath.Join(t.TempDir(), "prog")
	goCmd(t, dir, offline, "build", "-buildvcs=false", "-o", bin, ".")
	want, err := discover.Binary(ctx, bin, discover.Options{Dir: dir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}

	// A directory whose go.mod needs go 1.99, which is not available
	// offline: go env fails there unless GOTOOLCHAIN=local.
	newer := t.TempDir()
	writeFile(t, filepath.Join(newer, "go.mod"), "module example.com/newer\n\ngo 1.99\n")
	cmd := exec.Command("go", "env", "GOMODCACHE")
	cmd.Dir, cmd.Env = newer, append(os.Environ(), "GOTOOLCHAIN=auto", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("fixture: go env succeeds in a module needing go 1.99: %s", out)
	}
	inv, err := discover.Binary(ctx, bin, discover.Options{Dir: newer, NoCache: true, Env: []string{"GOTOOLCHAIN=auto"}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(inv, want) {
		t.Errorf("under a go.mod needing an absent toolchain the inventory differs (warnings %q)", inv.Warnings)
	}

	// A go command that fails: the default module cache ($GOMODCACHE here).
	broken := filepath.Join(t.TempDir(), "go")
	writeFile(t, broken, "#!/bin/sh\necho 'go: something is wrong' >&2\nexit 1\n")
	os.Chmod(broken, 0o755)
	inv, err = discover.Binary(ctx, bin, discover.Options{Dir: dir, NoCache: true, GoCommand: broken})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Warnings) != 1 || !strings.Contains(inv.Warnings[0], "go env failed") || !strings.Contains(inv.Warnings[0], modCache) {
		t.Errorf("Warnings %q, want one saying go env failed and naming %s", inv.Warnings, modCache)
	}
	inv.Warnings = nil
	// Without go env there is no GOROOT to read the standard library's
	// licence from (the warning says go env failed); the rest is known.
	if std := want.Component(inventory.StdlibID); len(std.Licenses) == 0 {
		t.Errorf("stdlib: no licence although the host toolchain is the binary's")
	} else {
		std.Licenses, std.LicenseFiles, std.LicenseExpression, std.Copyright = nil, nil, "", nil
	}
	if !reflect.DeepEqual(inv, want) {
		t.Errorf("with go env failing, the inventory lost what the module cache knows")
	}
}

// TestModulesGoSumGoMod: a go.sum without a module's go.mod checksum is
// refused as "go list -m all" refuses it, with its remedy. (testonly: only
// tests import it, so the package load does not need its go.mod.)
func TestModulesGoSumGoMod(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	dropSumLines(t, dir, "example.com/testonly v1.0.0/go.mod ")
	cmd := exec.Command("go", "list", "-m", "all")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), offline...)
	out, err := cmd.CombinedOutput()
	want := "example.com/testonly@v1.0.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/testonly"
	if err == nil || !strings.Contains(string(out), want) {
		t.Fatalf("fixture: go list -m all: %v\n%s", err, out)
	}
	_, err = discover.Modules(ctx, discover.Options{Dir: dir, NoCache: true})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Modules: err = %v, want the go command's %q", err, want)
	}
}

// TestModulesGoSumEachGoMod: with each go.mod checksum in turn left out
// of go.sum, discovery fails exactly when "go list -m all" does, with the
// go command's message. (The ground truth runs with the module proxy and
// a module cache of its own, so that the .info files it fetches do not
// change what the offline discovery sees; -mod=readonly keeps go.sum.)
func TestModulesGoSumEachGoMod(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	sum := filepath.Join(dir, "go.sum")
	data, err := os.ReadFile(sum)
	if err != nil {
		t.Fatal(err)
	}
	truthEnv := []string{"GOFLAGS=-mod=readonly -modcacherw", "GOMODCACHE=" + t.TempDir()}
	n := 0
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		if len(f) != 3 || !strings.HasSuffix(f[1], "/go.mod") {
			continue
		}
		n++
		t.Run(f[0]+"@"+f[1], func(t *testing.T) {
			writeFile(t, sum, strings.Replace(string(data), line, "", 1))
			defer writeFile(t, sum, string(data))
			cmd := exec.Command("go", "list", "-m", "all")
			cmd.Dir, cmd.Env = dir, append(os.Environ(), truthEnv...)
			out, goErr := cmd.CombinedOutput()
			_, err := discover.Modules(ctx, discover.Options{Dir: dir, NoCache: true})
			switch {
			case goErr == nil && err != nil:
				t.Errorf("Modules: %v; but go list -m all succeeds", err)
			case goErr != nil && err == nil:
				t.Errorf("Modules succeeds; go list -m all fails: %s", out)
			case goErr != nil:
				want := strings.TrimPrefix(tail(string(out), "missing go.sum entry"), "go: ")
				if want == "" || !strings.Contains(err.Error(), want) {
					t.Errorf("Modules: %v\nwant the go command's %q", err, want)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("fixture: no go.mod checksums in go.sum")
	}
}

// tail returns the line of text that contains sub and all that follows.
func tail(text, sub string) string {
	i := strings.Index(text, sub)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(text[:i], "\n") + 1
	return strings.TrimSpace(text[start:])
}

// TestModulesGoSumPruned: with graph pruning (go >= 1.17), the go command
// lists a module required only by a dependency's go.mod without loading
// that module's go.mod, so go.sum need not hold its checksum; where
// "go list -m all" succeeds, so does discovery. (syft v1.57.1 is such a
// module graph.)
func TestModulesGoSumPruned(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeArchive(t, dir, `-- go.mod --
module example.com/pruned

go 1.22

require example.com/prunea v1.0.0
-- main.go --
package main

import "example.com/prunea"

func main() { println(prunea.A) }
`)
	goCmd(t, dir, setupEnv, "mod", "tidy")
	// go mod tidy leaves out the checksums of a pruned module.
	if sum, err := os.ReadFile(filepath.Join(dir, "go.sum")); err != nil {
		t.Fatal(err)
	} else if strings.Contains(string(sum), "example.com/pruneb ") {
		t.Fatalf("fixture: go.sum holds checksums of example.com/pruneb:\n%s", sum)
	}
	// The ground truth: the go command, not allowed to touch go.sum.
	list := goCmd(t, dir, []string{"GOFLAGS=-mod=readonly"}, "list", "-m", "all")
	if !strings.Contains(list, "example.com/pruneb v1.0.0") {
		t.Fatalf("fixture: go list -m all does not list example.com/pruneb:\n%s", list)
	}
	inv, err := discover.Modules(ctx, discover.Options{Dir: dir, NoCache: true})
	if err != nil {
		t.Fatalf("Modules: %v, want success as go list -m all succeeds", err)
	}
	b := inv.Component("example.com/pruneb")
	if b == nil || b.Version != "v1.0.0" || b.GoModSum != "" {
		t.Errorf("example.com/pruneb: %+v, want v1.0.0 without a go.mod checksum", b)
	}
	if a := inv.Component("example.com/prunea"); a == nil || a.GoModSum == "" {
		t.Errorf("example.com/prunea: %+v, want it with its go.mod checksum", a)
	}
}

// TestErrorMessages: errors keep the go command's own remedy and say what
// to do.
func TestErrorMessages(t *testing.T) {
	ctx := context.Background()

	t.Run("go.sum entry of a dependency", func(t *testing.T) {
		dir := setupMain(t)
		dropSumLines(t, dir, "example.com/excl v1.2.0 h1:")
		cmd := exec.Command("go", "list", "-deps", "./...")
		cmd.Dir, cmd.Env = dir, append(os.Environ(), offline...)
		out, err := cmd.CombinedOutput()
		_, remedy, ok := strings.Cut(string(out), "to add:\n\t")
		if err == nil || !ok {
			t.Fatalf("fixture: go list -deps: %v\n%s", err, out)
		}
		remedy, _, _ = strings.Cut(remedy, "\n")
		_, err = discover.Packages(ctx, discover.Options{Dir: dir, NoCache: true})
		if err == nil || !strings.Contains(err.Error(), remedy) || strings.Contains(err.Error(), "go mod tidy") {
			t.Errorf("err = %v\nwant the go command's remedy %q", err, remedy)
		}
	})

	t.Run("toolchain", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/newer\n\ngo 1.99\n")
		writeFile(t, filepath.Join(dir, "main.go"), "package main\n\nfunc main() {}\n")
		_, err := discover.Packages(ctx, discover.Options{Dir: dir, NoCache: true, Env: []string{"GOTOOLCHAIN=auto"}})
		if err == nil || !strings.Contains(err.Error(), "--download") || !strings.Contains(err.Error(), "go1.99") {
			t.Errorf("err = %v, want one naming go1.99 and --download", err)
		}
	})

	t.Run("--main outside the patterns", func(t *testing.T) {
		dir := t.TempDir()
		writeArchive(t, dir, workspace)
		goCmd(t, filepath.Join(dir, "lib"), setupEnv, "mod", "tidy")
		goCmd(t, filepath.Join(dir, "app"), setupEnv, "mod", "tidy", "-e")
		os.MkdirAll(filepath.Join(dir, "app", "other"), 0o755)
		writeFile(t, filepath.Join(dir, "app", "other", "other.go"), "package other\n")
		env := []string{"GOWORK=" + filepath.Join(dir, "go.work")}
		_, err := discover.Packages(ctx, discover.Options{Dir: dir, Env: env, Patterns: []string{"./app/other"}, MainModule: "example.com/lib", NoCache: true})
		if err == nil || !strings.Contains(err.Error(), "is a module of the workspace") || !strings.Contains(err.Error(), filepath.Join(dir, "lib", "...")) {
			t.Errorf("err = %v, want it to say lib is a workspace module outside the patterns", err)
		}
	})
}

// TestBinaryWorkspaceAndFiles: a binary built in a workspace records the
// other workspace modules as (devel) dependencies: they are first-party
// and versionless, as source discovery reports them. A binary built from
// files (path command-line-arguments) records no main module, but its
// modules all the same.
func TestBinaryWorkspaceAndFiles(t *testing.T) {
	ctx := context.Background()
	t.Run("workspace", func(t *testing.T) {
		dir := t.TempDir()
		writeArchive(t, dir, workspace)
		goCmd(t, filepath.Join(dir, "lib"), setupEnv, "mod", "tidy")
		goCmd(t, filepath.Join(dir, "app"), setupEnv, "mod", "tidy", "-e")
		env := append([]string{"GOWORK=" + filepath.Join(dir, "go.work")}, offline...)
		bin := filepath.Join(t.TempDir(), "app")
		goCmd(t, filepath.Join(dir, "app"), env, "build", "-buildvcs=false", "-o", bin, ".")
		if out := goCmd(t, dir, nil, "version", "-m", bin); !strings.Contains(out, "\tdep\texample.com/lib\t(devel)") {
			t.Fatalf("fixture: go version -m does not list lib as (devel):\n%s", out)
		}
		inv, err := discover.Binary(ctx, bin, discover.Options{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		lib := component(t, inv, "example.com/lib")
		if inv.MainID != "example.com/app" || lib.Kind != inventory.FirstParty || lib.Version != "" || lib.PURL != "pkg:golang/example.com/lib" {
			t.Errorf("MainID %q; lib: Kind %s, Version %q, PURL %q; want app, first-party lib without a version", inv.MainID, lib.Kind, lib.Version, lib.PURL)
		}
		for _, c := range inv.SOUP() {
			if c.ID == "example.com/lib" {
				t.Error("lib is SOUP")
			}
		}
	})
	t.Run("files", func(t *testing.T) {
		dir := setupMain(t)
		bin := filepath.Join(t.TempDir(), "app")
		goCmd(t, dir, offline, "build", "-buildvcs=false", "-o", bin, "main.go")
		out := goCmd(t, dir, nil, "version", "-m", bin)
		var want []string
		for line := range strings.Lines(out) {
			if f := strings.Split(strings.TrimSpace(line), "\t"); len(f) >= 3 && f[0] == "dep" {
				want = append(want, f[1]+" "+f[2])
			}
		}
		if !strings.Contains(out, "\tpath\tcommand-line-arguments\n") || len(want) == 0 {
			t.Fatalf("fixture: go version -m:\n%s", out)
		}
		inv, err := discover.Binary(ctx, bin, discover.Options{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		if inv.MainID != "command-line-arguments" || inv.Main().Kind != inventory.Main {
			t.Errorf("MainID %q", inv.MainID)
		}
		diffSets(t, "modules (path version)", moduleSet(inv), append(want, "command-line-arguments"))
	})
}

// TestPatternsOutsideMainModule: patterns that name packages outside the
// main module ("std", a dependency's package) are listed as go list lists
// them; the product is still the main module, which depends on the
// modules of the packages named.
func TestPatternsOutsideMainModule(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	for _, tc := range []struct {
		pattern, module string
	}{
		{"example.com/pseudo", "example.com/pseudo"},
		{"std", inventory.StdlibID},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			inv, err := discover.Packages(ctx, discover.Options{Dir: dir, Patterns: []string{tc.pattern}, NoCache: true})
			if err != nil {
				t.Fatal(err)
			}
			truth := listPackages(t, dir, nil, nil, []string{tc.pattern})
			if len(truth.main) != 0 {
				t.Fatalf("fixture: %s matches packages of the main module", tc.pattern)
			}
			if inv.MainID != "example.com/main" || inv.Main().Kind != inventory.Main {
				t.Errorf("MainID %q, want example.com/main", inv.MainID)
			}
			diffSets(t, "modules (path version)", moduleSet(inv), append(truth.modules, "example.com/main"))
			diffSets(t, "dependency edges", edgeSet(inv), append(truth.edges, "example.com/main -> "+tc.module))
			if c := component(t, inv, tc.module); !c.Direct {
				t.Errorf("%s is not a direct dependency of the product", tc.module)
			}
		})
	}
}

// TestToolPattern: "tool" (the packages of go.mod's tool directives)
// names a package outside the main module; it is listed as go list lists
// it, and the product is still the main module, which depends on the
// tool's module.
func TestToolPattern(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeArchive(t, dir, `
-- go.mod --
module example.com/main

go 1.24

tool example.com/gen
-- main.go --
package main

func main() {}
`)
	goCmd(t, dir, setupEnv, "get", "tool")
	goCmd(t, dir, setupEnv, "mod", "tidy")
	inv, err := discover.Packages(ctx, discover.Options{Dir: dir, Patterns: []string{"tool"}, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	truth := listPackages(t, dir, nil, nil, []string{"tool"})
	if len(truth.main) != 0 || !slices.Contains(truth.modules, "example.com/gen v1.0.0") {
		t.Fatalf("fixture: tool lists %v (main packages %v), want example.com/gen's", truth.modules, truth.main)
	}
	if inv.MainID != "example.com/main" || inv.Main().Kind != inventory.Main {
		t.Errorf("MainID %q, want example.com/main", inv.MainID)
	}
	diffSets(t, "modules (path version)", moduleSet(inv), append(truth.modules, "example.com/main"))
	diffSets(t, "dependency edges", edgeSet(inv), append(truth.edges, "example.com/main -> example.com/gen"))
	if c := component(t, inv, "example.com/gen"); !c.Direct {
		t.Errorf("example.com/gen is not a direct dependency of the product")
	}
	// The tool's own dependency is there, through it.
	component(t, inv, "example.com/tagonly")
}

// TestWorkspaceVendorTwoVersions: in a workspace vendored with
// "go work vendor", a module two workspace modules require at two
// versions is reported at the version the build selects, as go list -m
// says, not at the first one vendor/modules.txt lists.
func TestWorkspaceVendorTwoVersions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeArchive(t, dir, `
-- go.work --
go 1.22

use (
	./app
	./lib
)
-- app/go.mod --
module example.com/app

go 1.22

require example.com/repl v1.0.0
-- app/main.go --
package main

import (
	"example.com/lib"
	"example.com/repl"
)

func main() { println(lib.Name(), repl.Version) }
-- lib/go.mod --
module example.com/lib

go 1.22

require example.com/repl v1.1.0
-- lib/lib.go --
package lib

import "example.com/repl"

func Name() string { return repl.Version }
`)
	goCmd(t, filepath.Join(dir, "lib"), setupEnv, "mod", "tidy")
	goCmd(t, filepath.Join(dir, "app"), setupEnv, "mod", "tidy", "-e")
	env := []string{"GOWORK=" + filepath.Join(dir, "go.work")}
	goCmd(t, dir, append(setupEnv, env...), "work", "vendor")
	selected := strings.TrimSpace(goCmd(t, filepath.Join(dir, "app"), append(env, "GOFLAGS=-mod=readonly", "GOPROXY=off"), "list", "-m", "-f", "{{.Version}}", "example.com/repl"))
	if selected != "v1.1.0" {
		t.Fatalf("fixture: go list -m selects example.com/repl %s", selected)
	}
	inv, err := discover.Modules(ctx, discover.Options{Dir: filepath.Join(dir, "app"), Env: append(env, "GOMODCACHE="+t.TempDir()), NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := component(t, inv, "example.com/repl"); c.Version != selected || !inv.Build.Vendor {
		t.Errorf("example.com/repl at %s (Vendor %v), go list -m selects %s", c.Version, inv.Build.Vendor, selected)
	}
}

// TestFIPS140: GOFIPS140 is part of the build context: the FIPS 140
// module version the build uses is recorded (as the go command resolves
// it), and the tag the go command adds for it is not a user build tag.
func TestFIPS140(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/fips\n\ngo 1.22\n")
	writeFile(t, filepath.Join(dir, "main.go"), "package main\n\nimport \"crypto/sha256\"\n\nfunc main() { println(sha256.Size) }\n")
	env := []string{"GOFIPS140=v1.0.0"}
	// Ground truth: the snapshot's packages, crypto/internal/fips140/vX.
	want := ""
	for line := range strings.Lines(goCmd(t, dir, append(env, offline...), "list", "-deps", "-f", "{{.ImportPath}}", ".")) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "crypto/internal/fips140/v"); ok && !strings.Contains(v, "/") {
			want = "v" + v
		}
	}
	if want == "" {
		t.Skip("this toolchain has no FIPS 140 snapshot v1.0.0")
	}
	inv, err := discover.Packages(ctx, discover.Options{Dir: dir, Env: env, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Build.FIPS140 != want || len(inv.Build.Tags) != 0 {
		t.Errorf("packages: Build.FIPS140 %q, Tags %q; want %q, none", inv.Build.FIPS140, inv.Build.Tags, want)
	}
	if inv, err := discover.Packages(ctx, discover.Options{Dir: dir, NoCache: true}); err != nil || inv.Build.FIPS140 != "" {
		t.Errorf("without GOFIPS140: Build.FIPS140 %q, %v", inv.Build.FIPS140, err)
	}

	bin := filepath.Join(t.TempDir(), "fips")
	goCmd(t, dir, append(env, offline...), "build", "-buildvcs=false", "-tags", "special", "-o", bin, ".")
	out := goCmd(t, dir, nil, "version", "-m", bin)
	if !strings.Contains(out, "GOFIPS140="+want) || !strings.Contains(out, "-tags=special,fips140v1.0") {
		t.Fatalf("fixture: go version -m:\n%s", out)
	}
	binv, err := discover.Binary(ctx, bin, discover.Options{Dir: dir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if binv.Build.FIPS140 != want || !slices.Equal(binv.Build.Tags, []string{"special"}) {
		t.Errorf("binary: Build.FIPS140 %q, Tags %q; want %q, [special]", binv.Build.FIPS140, binv.Build.Tags, want)
	}
}

// TestPackagesForeignZip: in source modes too, a zip in the module cache
// whose h1: hash is not go.sum's (the go command built from the extracted
// directory, not from it) gives no digests, and says so.
func TestPackagesForeignZip(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	zip, _ := modcache.Zip(modCache, "example.com/dual", "v1.0.0")
	genuine, err := os.ReadFile(zip)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.WriteFile(zip, genuine, 0o644) })
	other, _ := modcache.Zip(modCache, "example.com/excl", "v1.2.0")
	data, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zip, data, 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := discover.Packages(ctx, discover.Options{Dir: dir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	c := component(t, inv, "example.com/dual")
	if len(c.Hashes) != 0 || c.DigestsOmitted == "" || !strings.Contains(strings.Join(inv.Warnings, "\n"), "example.com/dual: digests and licences left out") {
		t.Errorf("dual with a foreign zip: Hashes %v, DigestsOmitted %q, Warnings %q", c.Hashes, c.DigestsOmitted, inv.Warnings)
	}
	if e := component(t, inv, "example.com/excl"); len(e.Hashes) != 2 || e.DigestsOmitted != "" {
		t.Errorf("excl: Hashes %v, DigestsOmitted %q", e.Hashes, e.DigestsOmitted)
	}
}

// TestScopeCacheChangeDuringLoad: a Go file changed while the package load
// runs is not cached under the digest of the tree before the change
// (else, the file changed back, the stale scope would be served).
func TestScopeCacheChangeDuringLoad(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake go command is a shell script")
	}
	ctx := context.Background()
	dir := setupMain(t)
	cacheDir := t.TempDir()
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	// A go command that adds an import of the test-only module to the
	// main module just before the package load lists it.
	added := filepath.Join(dir, "uses_testonly.go")
	bin := t.TempDir()
	script := "#!/bin/sh\ncase \"$*\" in *'list -deps -f'*) printf 'package main\\n\\nimport _ \"example.com/testonly\"\\n' > " + added + " ;; esac\nexec " + realGo + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	path := os.Getenv("PATH")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+path)
	inv, err := discover.Modules(ctx, discover.Options{Dir: dir, CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if c := inv.Component("example.com/testonly"); c == nil || c.Scope != inventory.Required {
		t.Fatalf("fixture: the load saw no import of example.com/testonly: %+v", c)
	}
	// The file back as it was, the real go command: the same tree as when
	// the first run took its key.
	os.Setenv("PATH", path)
	if err := os.Remove(added); err != nil {
		t.Fatal(err)
	}
	inv, err = discover.Modules(ctx, discover.Options{Dir: dir, CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if c := inv.Component("example.com/testonly"); c == nil || c.Scope != inventory.Optional {
		t.Errorf("example.com/testonly: %+v, want optional (the scope of a load during which a file changed was cached)", c)
	}
}

// TestDownloadURL: a module's DownloadURL is where the go environment's
// module proxy serves the zip that was built: fetched from there, it has
// the digests discovery recorded. A module GONOPROXY or GOPRIVATE names
// is fetched directly, and has none; so has every module with GOPROXY
// direct.
func TestDownloadURL(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	inv, err := discover.Packages(ctx, discover.Options{Dir: dir, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	proxy := os.Getenv("GOPROXY")
	n := 0
	for _, c := range inv.Components {
		if c.Kind != inventory.Module || (c.Replace != nil && c.Replace.Local) {
			if c.DownloadURL != "" {
				t.Errorf("%s (%s): DownloadURL %q", c.ID, c.Kind, c.DownloadURL)
			}
			continue
		}
		if !strings.HasPrefix(c.DownloadURL, proxy+"/") || !strings.HasSuffix(c.DownloadURL, ".zip") {
			t.Errorf("%s: DownloadURL %q, want a zip at GOPROXY %s", c.ID, c.DownloadURL, proxy)
			continue
		}
		resp, err := http.Get(c.DownloadURL)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET %s: %v %s", c.ID, c.DownloadURL, err, resp.Status)
		}
		if sum := sha256.Sum256(data); len(c.Hashes) == 0 || c.Hashes[0].Value != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: the zip at %s has SHA-256 %x, the component %v", c.ID, c.DownloadURL, sum, c.Hashes)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no module with a DownloadURL")
	}
	for _, env := range [][]string{{"GONOPROXY=example.com"}, {"GOPRIVATE=example.com/*"}, {"GOPROXY=direct"}} {
		inv, err := discover.Packages(ctx, discover.Options{Dir: dir, NoCache: true, Env: env})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range inv.Components {
			if c.DownloadURL != "" && strings.HasPrefix(c.Path, "example.com/") {
				t.Errorf("%v: %s: DownloadURL %q, want none (fetched directly)", env, c.ID, c.DownloadURL)
			}
		}
	}
}
