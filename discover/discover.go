// Package discover finds the configuration items a Go code base is built
// from and returns them as an inventory.Inventory: the identification step
// of IEC 62304 configuration management (8.1.1, 8.1.2) for every SOUP item
// that is a Go module, and the dependency relationships between items
// (8.1.3, NTIA "dependency relationship").
//
// There are three ways to look, each a function returning the same type:
//
//   - Packages: what the named main packages really link for one GOOS,
//     GOARCH, CGO_ENABLED and set of build tags (one "go list -deps" call);
//   - Modules: the whole selected module graph ("go list -m all" and
//     "go mod graph"), with modules the product's packages do not need
//     marked optional;
//   - Binary: the build information embedded in a Go executable.
//
// Discovery asks the go command, so it sees exactly what the toolchain
// sees: workspaces, replace and exclude directives, vendoring, build
// constraints. It never modifies the user's tree (the go command runs with
// -mod=readonly or -mod=vendor) and never reaches the network unless
// Options.Download is set: with a module missing from the module cache it
// fails with a *gocmd.MissingModuleError naming the module and the command
// that fetches it.
//
// Each component is enriched with the SHA-256 and SHA-512 digests of its
// module .zip and the licences detected in its licence files. Both are
// facts about an immutable module version, so they are kept in a cache
// under the user cache directory (see Options.CacheDir) and computed in
// parallel by a bounded pool of workers.
package discover

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/modcache"
)

// Options control discovery. The zero value discovers the module in the
// current directory, offline, with the default cache.
type Options struct {
	// Dir is the directory to run in (like go -C); current when empty.
	Dir string
	// Patterns are the package patterns (Packages mode); "./..." when empty.
	Patterns []string
	// Tags are build tags added to those in GOFLAGS.
	Tags []string
	// Env holds environment overrides such as "GOOS=windows", added to the
	// process environment for the go command.
	Env []string
	// Download lets the go command fetch missing modules from the proxy.
	Download bool
	// MainModule names the product module in a workspace; by default the
	// module of Dir, or (packages mode) of the first named package that no
	// other named package imports.
	MainModule string
	// CacheDir is the digest and licence cache; modcache.DefaultDir() when
	// empty, and no cache at all when "off".
	CacheDir string
	// Jobs bounds the workers that hash zips and detect licences;
	// runtime.GOMAXPROCS(0) when zero.
	Jobs int
	// GoCommand is the go command to run; "go" when empty.
	GoCommand string
}

func (o *Options) runner() *gocmd.Runner {
	return &gocmd.Runner{Go: o.GoCommand, Dir: o.Dir, Env: o.Env, Download: o.Download}
}

func (o *Options) cache() modcache.Cache {
	switch o.CacheDir {
	case "":
		return modcache.Cache{Dir: modcache.DefaultDir()}
	case "off":
		return modcache.Cache{}
	}
	return modcache.Cache{Dir: o.CacheDir}
}

func (o *Options) jobs() int {
	if o.Jobs > 0 {
		return o.Jobs
	}
	return runtime.GOMAXPROCS(0)
}

// buildFlags returns the flags passed to go list: -tags when Tags are set
// (GOFLAGS' own tags kept, as an explicit -tags flag replaces them).
func (o *Options) buildFlags(env gocmd.Env) []string {
	if len(o.Tags) == 0 {
		return nil
	}
	return []string{"-tags=" + strings.Join(o.tags(env), ",")}
}

// tags returns the build tags in effect.
func (o *Options) tags(env gocmd.Env) []string {
	return append(goflagsTags(env.GOFLAGS), o.Tags...)
}

// goflagsTags returns the tags of a -tags flag in GOFLAGS.
func goflagsTags(goflags string) []string {
	var tags []string
	for f := range strings.FieldsSeq(goflags) {
		f = strings.TrimPrefix(strings.TrimPrefix(f, "-"), "-")
		if v, ok := strings.CutPrefix(f, "tags="); ok {
			tags = nil // the last -tags wins, as in the go command
			for t := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == ' ' }) {
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// modFlag returns the value of a -mod flag in GOFLAGS.
func modFlag(goflags string) string {
	v := ""
	for f := range strings.FieldsSeq(goflags) {
		f = strings.TrimPrefix(strings.TrimPrefix(f, "-"), "-")
		if m, ok := strings.CutPrefix(f, "mod="); ok {
			v = m
		}
	}
	return v
}

// checkModule reports an error when the go command sees no module here.
func checkModule(env gocmd.Env, dir string) error {
	if env.GOMOD == "" || (env.GOMOD == devNull && (env.GOWORK == "" || env.GOWORK == "off")) {
		if dir == "" {
			dir = "the current directory"
		}
		return fmt.Errorf("%s is not in a Go module (no go.mod found; GO111MODULE must not be off)", dir)
	}
	return nil
}

var devNull = os.DevNull
