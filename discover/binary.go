package discover

import (
	"context"
	"debug/buildinfo"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/modinfo"
	"github.com/baseline-cm/baseline/inventory"
)

// Binary reads the build information the go command embeds in an
// executable: the main module, every linked module with its go.sum hash
// and replacement, the toolchain version and the build settings (GOOS,
// GOARCH, CGO_ENABLED, -tags, -trimpath and the vcs.* stamps).
//
// Binaries record no dependency edges, so EdgesKnown is false and Direct
// is false throughout. Digests and licences come from the local module
// cache, for each module whose cached zip has the h1: hash the binary
// records (Component.DigestsOmitted says why others have none); the go
// command is only asked where that cache is. What could not be had is
// said in Inventory.Warnings, not an error. Workspace modules, which a
// binary records as "(devel)", are first-party; a binary built from files
// ("go build main.go") has the product "command-line-arguments".
func Binary(ctx context.Context, file string, opts Options) (*inventory.Inventory, error) {
	bi, err := buildinfo.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: reading Go build information: %w", file, err)
	}
	size, h256, h512, err := modinfo.HashFile(ctx, file)
	if err != nil {
		return nil, err
	}
	// Only the module cache's location is needed, which no toolchain
	// switch changes: GOTOOLCHAIN=local, so that a go.mod asking for a
	// toolchain that is not here does not stop it.
	r := opts.runner()
	r.Env = append(r.Env, "GOTOOLCHAIN=local")
	env, err := r.GoEnv(ctx)
	var warnings []string
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		// The module proxies as the environment alone names them.
		env = gocmd.Env{GOMODCACHE: defaultModCache(opts.Env),
			GOPROXY:   r.UserVar("GOPROXY", gocmd.DefaultGOPROXY),
			GONOPROXY: r.UserVar("GONOPROXY", r.UserVar("GOPRIVATE", ""))}
		warnings = append(warnings, fmt.Sprintf("go env failed, so the module cache is assumed at %s: %v", env.GOMODCACHE, err))
	}
	if env.GOMODCACHE == "" || !isDir(env.GOMODCACHE) {
		warnings = append(warnings, fmt.Sprintf("no module cache at %q: no module gets digests or licences", env.GOMODCACHE))
	}
	if firstField(env.GOVERSION) != firstField(bi.GoVersion) {
		// The host's GOROOT is another toolchain than the binary's: its
		// licence files say nothing of the binary's standard library.
		env.GOROOT = ""
	}
	env.GOVERSION = bi.GoVersion
	env.GOMOD, env.GOWORK = "", ""
	b := newBuilder(inventory.Binary, env)
	b.inv.Warnings = warnings
	b.inv.EdgesKnown = false
	b.inv.Build = inventory.Build{
		GoVersion: firstField(bi.GoVersion),
		Binary: &inventory.File{
			Name: filepath.Base(file),
			Size: size,
			Hashes: []inventory.Hash{
				{Algorithm: "SHA-256", Value: h256},
				{Algorithm: "SHA-512", Value: h512},
			},
		},
	}
	var vcs inventory.VCS
	for _, s := range bi.Settings {
		b.inv.Build.Settings = append(b.inv.Build.Settings, inventory.Setting{Key: s.Key, Value: s.Value})
		switch s.Key {
		case "GOOS":
			b.inv.Build.GOOS = s.Value
		case "GOARCH":
			b.inv.Build.GOARCH = s.Value
		case "CGO_ENABLED":
			b.inv.Build.CGOEnabled = s.Value
		case "-tags":
			b.inv.Build.Tags = strings.Split(s.Value, ",")
		case "GOFIPS140":
			b.inv.Build.FIPS140 = s.Value
		case "-trimpath":
			b.inv.Build.Trimpath = s.Value == "true"
		case "vcs":
			vcs.System = s.Value
		case "vcs.revision":
			vcs.Revision = s.Value
		case "vcs.time":
			vcs.Time, _ = time.Parse(time.RFC3339Nano, s.Value)
		case "vcs.modified":
			vcs.Modified = s.Value == "true"
		}
	}
	if b.inv.Build.FIPS140 != "" {
		// The go command adds the tag fips140vX.Y for GOFIPS140: not one
		// the user gave.
		b.inv.Build.Tags = slices.DeleteFunc(b.inv.Build.Tags, func(t string) bool { return strings.HasPrefix(t, "fips140v") })
		if len(b.inv.Build.Tags) == 0 {
			b.inv.Build.Tags = nil
		}
	}
	if vcs.System != "" || vcs.Revision != "" {
		b.inv.Build.VCS = &vcs
	}

	mainPath, mainVersion := bi.Main.Path, bi.Main.Version
	if mainPath == "" {
		// Built from files ("go build main.go"): the go command names the
		// package command-line-arguments and records no main module, but
		// it does record the modules linked. A package built in GOPATH
		// mode records neither.
		if bi.Path != "command-line-arguments" {
			return nil, fmt.Errorf("%s: built outside module mode; it records no modules", file)
		}
		mainPath = bi.Path
		if len(bi.Deps) == 0 {
			b.inv.Warnings = append(b.inv.Warnings, fmt.Sprintf("%s was built from files and records no modules: it links only the standard library, or it was built outside module mode (GOPATH), whose packages binaries do not record", file))
		}
	}
	if mainVersion == "(devel)" {
		mainVersion = ""
	}
	b.module(&listModule{Path: mainPath, Version: mainVersion, Sum: bi.Main.Sum, Main: true})
	b.named = mainPath
	for _, d := range bi.Deps {
		m := &listModule{Path: d.Path, Version: d.Version, Sum: d.Sum}
		if d.Version == "(devel)" && d.Replace == nil {
			// Another module of the go.work workspace the binary was
			// built in: first-party, and versionless, as in source modes.
			m.Version, m.Main = "", true
		}
		if r := d.Replace; r != nil {
			m.Replace = &listModule{Path: r.Path, Version: r.Version, Sum: r.Sum}
			if r.Version == "(devel)" || modfile.IsDirectoryPath(r.Path) {
				m.Replace.Version = ""
			}
		}
		b.module(m)
	}
	b.stdlib()
	if err := b.chooseMain(""); err != nil {
		return nil, err
	}
	return b.finish(ctx, &opts)
}

// defaultModCache is where the go command keeps the module cache when go
// env cannot say: $GOMODCACHE, else the first entry of $GOPATH (default
// $HOME/go) + "/pkg/mod". extra overrides the process environment.
func defaultModCache(extra []string) string {
	get := func(k string) string {
		v := os.Getenv(k)
		for _, kv := range extra {
			if s, ok := strings.CutPrefix(kv, k+"="); ok {
				v = s
			}
		}
		return v
	}
	if v := get("GOMODCACHE"); v != "" {
		return v
	}
	gopath := filepath.SplitList(get("GOPATH"))
	if len(gopath) > 0 && gopath[0] != "" {
		return filepath.Join(gopath[0], "pkg", "mod")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, "go", "pkg", "mod")
}

// firstField returns the first space-separated field of a toolchain
// version ("go1.26.8 X:nocoverageredesign"), or "".
func firstField(s string) string {
	f, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	return f
}
