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
// fails with a *MissingModuleError naming the module and the command that
// fetches it.
//
// Each component is enriched with the SHA-256 and SHA-512 digests of its
// module .zip and the licences detected in its licence files. Both are
// facts about an immutable module version, so they are kept in a cache
// under the user cache directory (DefaultCacheDir, Options.CacheDir) and
// computed in parallel by a bounded pool of workers.
//
// Every function takes a context: cancelled (Ctrl-C), the go commands it
// runs are interrupted, then killed if they do not stop, and the workers
// stop.
package discover

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/store"
)

// Options control discovery. The zero value discovers the module in the
// current directory, offline, with the default cache.
type Options struct {
	// Dir is the directory to run in (like go -C); current when empty.
	Dir string
	// Patterns are the package patterns (Packages mode); "./..." when empty.
	Patterns []string
	// Tags are the build tags. As with "go build -tags", they replace the
	// tags of a -tags flag in GOFLAGS; those apply when Tags is empty.
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
	// CacheDir is the digest and licence cache; DefaultCacheDir() when
	// empty.
	CacheDir string
	// NoCache disables the cache: every zip is hashed and every licence
	// text classified again, and nothing is read from or written to
	// CacheDir.
	NoCache bool
	// Jobs bounds the workers that hash zips and detect licences;
	// runtime.GOMAXPROCS(0) when zero.
	Jobs int
	// GoCommand is the go command to run; "go" when empty.
	GoCommand string
	// Progress, when not nil, is told how far the long step has come:
	// done of total components have their digests and licences (hashing
	// module zips and scanning licence files, seconds for hundreds of
	// modules when the cache has not seen them). It is called from one
	// goroutine at a time, with done rising from 0 to total; a command
	// line draws a progress bar with it.
	Progress func(done, total int)
}

// DefaultCacheDir returns the cache directory discovery uses when
// Options.CacheDir is empty: "baseline/modinfo" under the user cache
// directory (os.UserCacheDir), or "" (no cache) when there is none.
func DefaultCacheDir() string { return store.DefaultDir() }

// MissingModuleError reports that modules the build needs are not in the
// module cache and Options.Download was not set. Match it with errors.As.
type MissingModuleError struct {
	// Modules are the missing modules as path@version, in the order the go
	// command reported them; empty when it named none.
	Modules []string
	// Detail is what the go command said.
	Detail string
}

func (e *MissingModuleError) Error() string { return gocmd.MissingModuleMessage(e.Modules, e.Detail) }

func (o *Options) runner() *gocmd.Runner {
	return &gocmd.Runner{Go: o.GoCommand, Dir: o.Dir, Env: o.Env, Download: o.Download,
		Missing: func(mods []string, detail string) error { return &MissingModuleError{Modules: mods, Detail: detail} }}
}

// CacheDirInUse returns the cache directory discovery with o reads and
// writes: CacheDir, else DefaultCacheDir(); "" when NoCache is set or
// there is none. It is what sbom.Options.CacheDir takes.
func (o *Options) CacheDirInUse() string { return o.cache().Dir }

// cache returns the store of digests, licences and scopes.
func (o *Options) cache() store.Store { return store.Open(o.CacheDir, o.NoCache) }

func (o *Options) jobs() int {
	if o.Jobs > 0 {
		return o.Jobs
	}
	return runtime.GOMAXPROCS(0)
}

// buildFlags returns the flags passed to go list: -tags when Tags are
// set. Like the go command's own -tags flag, it replaces the tags of a
// -tags flag in GOFLAGS (the go command uses the last -tags it is
// given), so the tags built are Tags, or GOFLAGS' when Tags is empty.
func (o *Options) buildFlags(gocmd.Env) []string {
	if len(o.Tags) == 0 {
		return nil
	}
	return []string{"-tags=" + strings.Join(o.Tags, ",")}
}

// tags returns the build tags in effect (see buildFlags).
func (o *Options) tags(env gocmd.Env) []string {
	if len(o.Tags) > 0 {
		return slices.Clone(o.Tags)
	}
	return gocmd.GOFLAGSTags(env.GOFLAGS)
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
