package discover

import (
	"context"
	"fmt"

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

// scopeKey returns the digest of every input that decides which modules
// the patterns link, or "" when it cannot be told (then nothing is cached).
func scopeKey(ctx context.Context, env gocmd.Env, opts *Options, patterns []string, cache store.Store) (string, error) {
	purpose := append([]string{"baseline scope v2", fmt.Sprintf("%q", opts.Tags)}, patterns...)
	return buildkey.Key(ctx, env, opts.Dir, purpose, cache)
}
