package discover

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baseline-cm/baseline/internal/gocmd"
)

// The go commands discovery runs need only one thing from "go env"
// before they start: GOFLAGS (for -tags, and to turn -mod=mod into
// -mod=readonly). Everything else go env says (target, toolchain, module
// cache, main module) is needed only to read their answers. So go env
// runs at the same time as the commands, started with GOFLAGS fixed to
// the value the environment predicts; when go env then reports other
// GOFLAGS (set by "go env -w", say), their answers are thrown away and
// they run again with the real ones. The answer is always that of the
// real go environment; a wrong prediction costs time only.

// startWithGoEnv runs "go env" and, concurrently, start, which runs the
// commands that need only GOFLAGS through the runner it is given, and
// must keep its results only in variables that a second call replaces.
// It returns, once go env has answered, the runner and go environment
// for the commands that follow, and wait, which returns start's error
// once start has ended (after a second run, when the prediction was
// wrong). When go env fails, err is its error and start's is dropped.
func startWithGoEnv(ctx context.Context, opts *Options, start func(ctx context.Context, r *gocmd.Runner, goflags string) error) (r *gocmd.Runner, env gocmd.Env, wait func() error, err error) {
	r = opts.runner()
	predicted, ok := predictFlags(r.Env)
	if !ok {
		// The go env file sets GOFLAGS: ask first.
		env, err = r.GoEnv(ctx)
		if err != nil {
			return nil, env, nil, err
		}
		r.Env = append(r.Env, gocmd.ReadonlyGOFLAGS(env.GOFLAGS)...)
		err := start(ctx, r, env.GOFLAGS)
		return r, env, func() error { return err }, nil
	}
	spec := *r
	// An empty GOFLAGS in the environment would let the go command read
	// it from its env files; a blank one is explicitly no flags.
	spec.Env = append(slices.Clip(r.Env), "GOFLAGS="+predicted+" ")
	if s := gocmd.ReadonlyGOFLAGS(predicted); s != nil {
		spec.Env = append(spec.Env, s...)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- start(sctx, &spec, predicted) }()
	env, err = r.GoEnv(ctx)
	if err != nil {
		cancel()
		<-done
		return nil, env, nil, err
	}
	r.Env = append(r.Env, gocmd.ReadonlyGOFLAGS(env.GOFLAGS)...)
	if strings.Join(strings.Fields(env.GOFLAGS), " ") == strings.Join(strings.Fields(predicted), " ") {
		return r, env, func() error { defer cancel(); return <-done }, nil
	}
	cancel()
	<-done
	go func() { done <- start(ctx, r, env.GOFLAGS) }()
	return r, env, func() error { return <-done }, nil
}

// predictFlags is predictGOFLAGS; tests replace it to prove that a wrong
// prediction still gives the right answer.
var predictFlags = predictGOFLAGS

// predictGOFLAGS returns the GOFLAGS the go command will use as the
// environment (the process's, then extra) sets it, and false when it
// cannot tell: GOFLAGS is unset and the user's go env file sets it. (The
// toolchain's own go.env could too; go env tells.)
func predictGOFLAGS(extra []string) (string, bool) {
	v, env := "", append(os.Environ(), extra...)
	goenv := ""
	for _, kv := range env {
		if s, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			v = s
		}
		if s, ok := strings.CutPrefix(kv, "GOENV="); ok {
			goenv = s
		}
	}
	if v != "" {
		return v, true
	}
	if goenv == "" {
		d, err := os.UserConfigDir()
		if err != nil {
			return "", true
		}
		goenv = filepath.Join(d, "go", "env")
	}
	if _, set := gocmd.EnvFileValue(goenv, "GOFLAGS"); set {
		return "", false
	}
	return "", true // no file, or nothing set there
}
