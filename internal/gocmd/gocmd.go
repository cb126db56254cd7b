// Package gocmd runs the go command for discovery: in a chosen directory,
// with the user's environment plus overrides, offline unless allowed, and
// with go's error messages turned into ones that say what to do.
package gocmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Runner runs one go command binary in one directory.
type Runner struct {
	// Go is the go command; "go" when empty.
	Go string
	// Dir is the working directory; the current one when empty.
	Dir string
	// Env is added to the process environment (later entries win).
	Env []string
	// Download allows the go command to reach the module proxy. When
	// false, GOPROXY=off is set so that discovery never uses the network.
	Download bool
	// Missing makes the error for modules missing from the module cache
	// (see MissingModuleMessage); an error with that message when nil.
	Missing func(modules []string, detail string) error
	// Raw makes a failed command's error an *Error with all the go
	// command printed, uninterpreted; Explain interprets it later.
	Raw bool
}

func (r *Runner) cmd(ctx context.Context, args ...string) *exec.Cmd {
	g := r.Go
	if g == "" {
		g = "go"
	}
	cmd := exec.CommandContext(ctx, g, args...)
	// Cancelled (Ctrl-C), the go command is asked to stop as a terminal
	// would ask it, so that it cleans up (lock files, temporary
	// directories); one that has not stopped WaitDelay later is killed.
	cmd.Cancel = func() error {
		if runtime.GOOS == "windows" {
			return cmd.Process.Kill()
		}
		return cmd.Process.Signal(os.Interrupt)
	}
	cmd.WaitDelay = WaitDelay
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), r.Env...)
	if !r.Download {
		cmd.Env = append(cmd.Env, "GOPROXY=off")
	}
	return cmd
}

// WaitDelay is how long a cancelled go command has to stop after it was
// interrupted before it is killed.
var WaitDelay = 3 * time.Second

// Output runs go with args and returns its standard output.
func (r *Runner) Output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := r.cmd(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), r.explain(ctx, args, stderr.String(), err)
	}
	return stdout.Bytes(), nil
}

// StreamJSON runs go with args and calls fn with a decoder over its
// standard output, which fn must consume; the command's failure, if any,
// takes precedence over fn's.
func (r *Runner) StreamJSON(ctx context.Context, fn func(*json.Decoder) error, args ...string) error {
	cmd := r.cmd(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return r.explain(ctx, args, "", err)
	}
	ferr := fn(json.NewDecoder(out))
	if ferr != nil {
		io.Copy(io.Discard, out)
	}
	if err := cmd.Wait(); err != nil {
		return r.explain(ctx, args, stderr.String(), err)
	}
	if ferr != nil {
		return fmt.Errorf("reading output of go %s: %w", strings.Join(args, " "), ferr)
	}
	return nil
}

// Each runs go with args and calls fn with each JSON value of its standard
// output (the stream that go list -json writes), decoded as a T, in order;
// see StreamJSON for how the command's failure and fn's combine.
func Each[T any](ctx context.Context, r *Runner, fn func(*T) error, args ...string) error {
	return r.StreamJSON(ctx, func(d *json.Decoder) error { return DecodeEach(d, fn) }, args...)
}

// DecodeEach decodes the JSON values of d one T at a time and calls fn
// with each, in order, until the stream ends or fn returns an error.
func DecodeEach[T any](d *json.Decoder, fn func(*T) error) error {
	for {
		var v T
		if err := d.Decode(&v); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
}

// MissingModuleMessage says that modules (path@version, in the order the
// go command reported them; none when it named none) are not in the
// module cache and the network was not allowed; detail is what the go
// command said.
func MissingModuleMessage(modules []string, detail string) string {
	what := "a module the build needs is"
	fetch := "go mod download"
	if len(modules) > 0 {
		what = "module " + strings.Join(modules, ", ") + " is"
		if len(modules) > 1 {
			what = "modules " + strings.Join(modules, ", ") + " are"
		}
		fetch += " " + strings.Join(modules, " ")
	}
	return fmt.Sprintf("%s not in the module cache and discovery does not use the network: run %q (or pass --download)\n\t%s",
		what, fetch, detail)
}

// An Error is a failed go command with what it printed.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("go %s: %s", strings.Join(e.Args, " "), msg)
}

func (e *Error) Unwrap() error { return e.Err }

var (
	lookupDisabled = regexp.MustCompile(`(?:([^\s:'"]+@[^\s:'"]+): )?module lookup disabled by GOPROXY=off`)
	downloading    = regexp.MustCompile(`(?m)^go: downloading (\S+) (\S+)$`)
	missingSum     = regexp.MustCompile(`missing go\.sum entry for module providing package ([^\s;]+)`)
	noModule       = regexp.MustCompile(`no required module provides package ([^\s;]+)`)
	toolchain      = regexp.MustCompile(`download (go\S+) for \S+: toolchain not available`)
)

// Explain turns a failed go command (args, what it printed on standard
// error, and err from running it) into an error that says what to do.
func (r *Runner) Explain(ctx context.Context, args []string, stderr string, err error) error {
	raw := *r
	raw.Raw = false
	return raw.explain(ctx, args, stderr, err)
}

// LookupDisabled splits what a failed offline go command printed on
// standard error into its reports of modules it could not look up with
// the network off (GOPROXY=off), and the rest: each "go: " error with the
// indented lines that follow it (the go command's remedy). lookups says
// whether there were any.
func LookupDisabled(stderr string) (rest string, lookups bool) {
	var b strings.Builder
	skip := false
	for line := range strings.Lines(stderr) {
		if !strings.HasPrefix(line, "\t") && !strings.HasPrefix(line, " ") {
			skip = lookupDisabled.MatchString(line)
			lookups = lookups || skip
		}
		if !skip {
			b.WriteString(line)
		}
	}
	return b.String(), lookups
}

func (r *Runner) explain(ctx context.Context, args []string, stderr string, err error) error {
	if ctx.Err() != nil {
		// Interrupted: what the go command printed on its way out is
		// not the reason.
		return fmt.Errorf("go %s: %w", args[0], context.Cause(ctx))
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		// The go command could not be started at all.
		return fmt.Errorf("running go: %w", err)
	}
	if r.Raw {
		return &Error{Args: args, Stderr: stderr, Err: err}
	}
	if m := lookupDisabled.FindStringSubmatch(stderr); m != nil {
		mods, detail := missingModules(stderr), firstLine(stderr, m[0])
		if r.Missing != nil {
			return r.Missing(mods, detail)
		}
		return errors.New(MissingModuleMessage(mods, detail))
	}
	if m := toolchain.FindStringSubmatch(stderr); m != nil && !r.Download {
		return fmt.Errorf("the go command needs toolchain %s (go.mod's go or toolchain line), which is not installed, and discovery does not use the network: pass --download to let it fetch the toolchain, or install it\n\t%s", m[1], firstLine(stderr, m[0]))
	}
	// The go command's own remedy ("to add:\n\tgo get pkg@version") is
	// the right one: it knows which module needs which requirement.
	if m := missingSum.FindStringSubmatch(stderr); m != nil {
		return fmt.Errorf("go.sum has no entry for the module providing package %s:\n\t%s", m[1], block(stderr, m[0]))
	}
	if m := noModule.FindStringSubmatch(stderr); m != nil {
		return fmt.Errorf("no required module provides package %s:\n\t%s", m[1], block(stderr, m[0]))
	}
	return &Error{Args: args, Stderr: stderr, Err: err}
}

// missingModules lists the modules a failed offline go command could not
// fetch: those it names in "path@version: module lookup disabled" errors,
// else those it announced "go: downloading path version" for.
func missingModules(stderr string) []string {
	var mods []string
	for _, m := range lookupDisabled.FindAllStringSubmatch(stderr, -1) {
		if m[1] != "" && !slices.Contains(mods, m[1]) {
			mods = append(mods, m[1])
		}
	}
	if len(mods) > 0 {
		return mods
	}
	for _, d := range downloading.FindAllStringSubmatch(stderr, -1) {
		if mod := d[1] + "@" + d[2]; !slices.Contains(mods, mod) {
			mods = append(mods, mod)
		}
	}
	return mods
}

// block returns the line of text that contains sub with the indented
// lines that follow it (the go command's remedy), without "go: ".
func block(text, sub string) string {
	var out []string
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		switch {
		case len(out) == 0 && strings.Contains(line, sub):
			out = append(out, strings.TrimPrefix(strings.TrimSpace(line), "go: "))
		case len(out) > 0 && strings.HasPrefix(line, "\t"):
			out = append(out, line)
		case len(out) > 0:
			return strings.Join(out, "\n\t")
		}
	}
	if len(out) == 0 {
		return strings.TrimSpace(text)
	}
	return strings.Join(out, "\n\t")
}

// firstLine returns the line of text that contains sub.
func firstLine(text, sub string) string {
	for line := range strings.Lines(text) {
		if strings.Contains(line, sub) {
			return strings.TrimPrefix(strings.TrimSpace(line), "go: ")
		}
	}
	return strings.TrimSpace(text)
}

// Env is what discovery needs from "go env".
type Env struct {
	GOOS, GOARCH, CGO_ENABLED string
	GOVERSION, GOFLAGS        string
	GOMODCACHE, GOMOD, GOWORK string
	GOROOT, GOFIPS140         string
	// GOPROXY and GONOPROXY are the module proxies the user's go
	// environment names and the module paths it fetches directly; with
	// Runner.Download false, GOPROXY is the one the go command would use
	// without discovery's GOPROXY=off (the process environment, Runner.Env,
	// the go env file, the toolchain's go.env, in this order).
	GOPROXY, GONOPROXY string
	// GOENV is the go env file.
	GOENV string
	// Build is the JSON of the variables that decide which files, and
	// so which imports, a build selects (BuildVars), as go env prints it.
	Build []byte `json:"-"`
}

// BuildVars are the go environment variables that can change which files
// a build selects: target, cgo, experiments, architecture levels (build
// tags such as amd64.v3), flags and the toolchain.
var BuildVars = []string{
	"GOOS", "GOARCH", "CGO_ENABLED", "GOEXPERIMENT", "GOFLAGS", "GOVERSION",
	"GOROOT", "GOWORK", "GOMOD", "GO111MODULE", "GOFIPS140",
	"GO386", "GOAMD64", "GOARM", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
}

// GoEnv reads the go environment as the go command would use it.
func (r *Runner) GoEnv(ctx context.Context) (Env, error) {
	vars := append([]string{"env", "-json", "GOMODCACHE", "GOPROXY", "GONOPROXY", "GOENV"}, BuildVars...)
	out, err := r.Output(ctx, vars...)
	if err != nil {
		return Env{}, err
	}
	var e Env
	if err := json.Unmarshal(out, &e); err != nil {
		return Env{}, fmt.Errorf("reading go env: %w", err)
	}
	var all map[string]string
	if err := json.Unmarshal(out, &all); err != nil {
		return Env{}, fmt.Errorf("reading go env: %w", err)
	}
	for k := range all {
		if !slices.Contains(BuildVars, k) {
			delete(all, k)
		}
	}
	e.Build, _ = json.Marshal(all) // sorted keys
	if !r.Download {
		files := []string{e.GOENV}
		if e.GOROOT != "" {
			files = append(files, filepath.Join(e.GOROOT, "go.env"))
		}
		e.GOPROXY = r.UserVar("GOPROXY", DefaultGOPROXY, files...)
	}
	return e, nil
}

// DefaultGOPROXY is GOPROXY when nothing sets it.
const DefaultGOPROXY = "https://proxy.golang.org,direct"

// UserVar is the value of the go environment variable key as the go
// command reads it without the runner's overrides: the process
// environment and Env (the last entry wins), else the first of the go
// environment files that sets it (the go env file, then the toolchain's
// $GOROOT/go.env; "" and "off" name none), else def. An empty value
// counts as unset, as the go command counts it.
func (r *Runner) UserVar(key, def string, files ...string) string {
	v := ""
	for _, kv := range append(os.Environ(), r.Env...) {
		if s, ok := strings.CutPrefix(kv, key+"="); ok {
			v = s
		}
	}
	if v != "" {
		return v
	}
	for _, file := range files {
		if s, _ := EnvFileValue(file, key); s != "" {
			return s
		}
	}
	return def
}

// EnvFileValue reads key from a go environment file (the go env file,
// $GOROOT/go.env: KEY=VALUE lines) and reports whether the file sets it,
// possibly to "". A file that cannot be read, and the names "" and
// "off", set nothing.
func EnvFileValue(file, key string) (value string, set bool) {
	if file == "" || file == "off" {
		return "", false
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", false
	}
	for line := range strings.Lines(string(data)) {
		if s, ok := strings.CutPrefix(strings.TrimSpace(line), key+"="); ok {
			return s, true
		}
	}
	return "", false
}
