package discover

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"

	"github.com/baseline-cm/baseline/internal/buildkey"
	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/store"
)

// Modules mode marks as Optional the modules that no non-test package of
// the main modules links. Only a package load can tell ("go list -deps"),
// and on a large module it costs several times what the module graph does.
// Its result is a pure function of the go environment, the patterns, the
// go.mod, go.sum and go.work files, and the Go files of the main modules
// and of their directory replacements: module versions are pinned by those
// files and immutable. So the result is cached under a digest of all of
// them (internal/buildkey), and a run whose inputs have all been seen
// before skips the load.
//
// Of the testdata and "_" trees, which the patterns' wildcards skip, the
// digest covers only the package directories the last load read there
// (buildkey.NarrowKey): on a large module they hold most of the files
// (on github.com/anchore/syft, 1,790 of its 1,998 directories), and a
// load reads none of them unless a package it loads imports one.

// scopePurpose names the result and what decides it besides the files.
func scopePurpose(opts *Options, patterns []string) []string {
	return append([]string{"baseline scope v2", fmt.Sprintf("%q", opts.Tags)}, patterns...)
}

// scopeKey returns the digest of every input that decides which modules
// the patterns link, or "" when it cannot be told (then nothing is
// cached): buildkey.NarrowKey with pkgDirs when narrow, else buildkey.Key.
func scopeKey(ctx context.Context, env gocmd.Env, opts *Options, patterns []string, cache store.Store, narrow bool, pkgDirs []string) (string, error) {
	if narrow {
		return buildkey.NarrowKey(ctx, env, opts.Dir, scopePurpose(opts, patterns), cache, pkgDirs)
	}
	return buildkey.Key(ctx, env, opts.Dir, scopePurpose(opts, patterns), cache)
}

// scopeDirsName is the cache entry that holds the package directories in
// skipped trees that the last load of the patterns read in this go
// environment and directory: the pkgDirs of the next NarrowKey. It only
// says which files the key reads; the key, not it, decides a hit.
func scopeDirsName(env gocmd.Env, opts *Options, patterns []string) string {
	dir, _ := filepath.Abs(opts.Dir)
	return fmt.Sprintf("scope-dirs/%x", sha256.Sum256(fmt.Appendf(nil, "%q\x00%s\x00%s", scopePurpose(opts, patterns), env.Build, dir)))
}
