// Package cli implements the baseline command. It only parses arguments
// and wires calls to the public packages (discover, sbom, ...), so that
// everything the command does, a Go program can do too.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/internal/atomicfile"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
	"github.com/baseline-cm/baseline/soup"
)

// Exit codes, part of the command's contract.
const (
	ExitOK      = 0 // success
	ExitFinding = 1 // a check found something
	ExitUsage   = 2 // bad usage or input
)

const usage = `usage: baseline <command> [flags]

Commands:
  sbom      write an SBOM (CycloneDX or SPDX) of what a Go code base is built from
  discover  write the discovered inventory as JSON
  soup      check, sync or list the SOUP register (soup.yaml)
  vex       write the SOUP components' known vulnerabilities and their analysis (CycloneDX or OpenVEX)
  items     check or sync the product's own configuration items (items.yaml)
  change    write change requests (new, approve, verify) and check traceability
  plan      render the configuration management plan (IEC 62304 5.1.9) from baseline.yaml
  sign      add a signature (name, user ID, meaning, time) to a release
  verify    verify a release's signatures, digests and notes against a policy or keys
  init      write a commented starting baseline.yaml and the first items.yaml
  release   write a release baseline: manifest, SBOMs, artifacts, release notes
  diff      compare two release baselines
  history   list the archived releases, check their chain, or trace one item
  version   print baseline's version
  help      explain a record format: baseline help TOPIC (baseline help lists them)

Run "baseline <command> -h" for a command's flags.
`

// Main runs the baseline command with args (without the program name) and
// returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	var err error
	switch args[0] {
	case "sbom":
		err = runSBOM(ctx, args[1:], stdout, stderr)
	case "discover":
		err = runDiscover(ctx, args[1:], stdout, stderr)
	case "soup":
		err = runSOUP(ctx, args[1:], stdout, stderr)
	case "change":
		err = runChange(ctx, args[1:], stdout, stderr)
	case "plan":
		err = runPlan(ctx, args[1:], stdout, stderr)
	case "vex":
		err = runVEX(ctx, args[1:], stdout, stderr)
	case "items":
		err = runItems(ctx, args[1:], stdout, stderr)
	case "sign":
		err = runSign(ctx, args[1:], stdout, stderr)
	case "verify":
		err = runVerify(ctx, args[1:], stdout, stderr)
	case "init":
		err = runInit(ctx, args[1:], stdout, stderr)
	case "release":
		err = runRelease(ctx, args[1:], stdout, stderr)
	case "diff":
		err = runDiff(ctx, args[1:], stdout, stderr)
	case "history":
		err = runHistory(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "baseline %s %s\n", Version(), runtime.Version())
		return ExitOK
	case "help", "-h", "--help":
		err = runHelp(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "baseline: unknown command %q\n%s", args[0], usage)
		return ExitUsage
	}
	if err != nil && ctx.Err() != nil {
		// Ctrl-C: whatever the interrupted step said (a go command
		// killed by a signal, "context canceled"), say what happened.
		fmt.Fprintf(stderr, "baseline: interrupted (%v)\n", err)
		return ExitUsage
	}
	return exitCode(err, stderr)
}

// Version is baseline's own module version, from its build information:
// the version "go install github.com/baseline-cm/baseline/cmd/baseline@VERSION"
// installed, or "devel" for a build from a checkout.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// usageError is bad usage: exit 2 with the message.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// flagError is bad usage the flag package has already reported: exit 2,
// printed once.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }

// findingError means a check found something: exit 1.
type findingError struct{ msg string }

func (e *findingError) Error() string { return e.msg }

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	var fe *flagError
	if errors.As(err, &fe) {
		return ExitUsage
	}
	fmt.Fprintln(stderr, "baseline:", err)
	var f *findingError
	if errors.As(err, &f) {
		return ExitFinding
	}
	return ExitUsage
}

// discoverFlags are the flags shared by commands that discover.
type discoverFlags struct {
	dir, mode, main, tags, cacheDir string
	download                        bool
	jobs                            int
	stderr                          io.Writer     // for the inventory's warnings
	env                             []string      // GOOS=... of a build configuration
	flags                           *flag.FlagSet // where they are registered
}

// set reports whether the flag name was given on the command line.
func (d *discoverFlags) set(name string) bool {
	given := false
	if d.flags != nil {
		d.flags.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	}
	return given
}

// checkMode refuses a --mode that names no discovery mode.
func (d *discoverFlags) checkMode() error {
	switch inventory.Mode(d.mode) {
	case inventory.Packages, inventory.Modules, inventory.Binary:
		return nil
	}
	return &usageError{fmt.Sprintf("unknown --mode %q (want packages, modules or binary)", d.mode)}
}

func (d *discoverFlags) register(fs *flag.FlagSet) {
	d.stderr, d.flags = fs.Output(), fs
	fs.StringVar(&d.dir, "C", "", "run in `DIR` (like go -C)")
	fs.StringVar(&d.mode, "mode", "packages", "discovery `mode`: packages, modules or binary")
	fs.StringVar(&d.main, "main", "", "the product `module` among a workspace's main modules")
	fs.StringVar(&d.tags, "tags", "", "comma-separated build `tags`, as go build -tags (they replace GOFLAGS' -tags)")
	fs.StringVar(&d.cacheDir, "cache-dir", "", "digest, licence, vulnerability-scan and SBOM cache `DIR` (\"off\" for none; default under the user cache directory)")
	fs.BoolVar(&d.download, "download", false, "let the go command download missing modules")
	fs.IntVar(&d.jobs, "jobs", 0, "parallel hashing and licence `workers` (default GOMAXPROCS)")
}

// discover runs discovery for the parsed flags and positional args, and
// prints the inventory's warnings on standard error: a record poorer than
// it should be is never made silently.
func (d *discoverFlags) discover(ctx context.Context, args []string) (*inventory.Inventory, error) {
	inv, err := d.run(ctx, args)
	if inv != nil && d.stderr != nil {
		for _, w := range inv.Warnings {
			fmt.Fprintln(d.stderr, "baseline: warning:", w)
		}
	}
	return inv, err
}

// options are the discovery options of the flags, for the patterns args.
func (d *discoverFlags) options(args []string) *discover.Options {
	opts := &discover.Options{
		Dir:        d.dir,
		Patterns:   args,
		Download:   d.download,
		MainModule: d.main,
		CacheDir:   d.cacheDir,
		NoCache:    d.cacheDir == "off",
		Jobs:       d.jobs,
		Env:        d.env,
	}
	if opts.NoCache {
		opts.CacheDir = ""
	}
	return opts
}

func (d *discoverFlags) run(ctx context.Context, args []string) (*inventory.Inventory, error) {
	opts := *d.options(args)
	// Hashing and licence scanning of modules the cache has not seen:
	// a bar on a terminal, nothing otherwise.
	var finish func()
	opts.Progress, finish = progressBar(d.stderr, "hashing and scanning licences")
	defer finish()
	if d.tags != "" {
		opts.Tags = strings.Split(d.tags, ",")
	}
	switch inventory.Mode(d.mode) {
	case inventory.Packages:
		return discover.Packages(ctx, opts)
	case inventory.Modules:
		if len(args) > 0 {
			opts.Patterns = args
		}
		return discover.Modules(ctx, opts)
	case inventory.Binary:
		if len(args) != 1 {
			return nil, &usageError{"--mode binary takes exactly one executable"}
		}
		file := args[0]
		if d.dir != "" && !filepath.IsAbs(file) {
			file = filepath.Join(d.dir, file)
		}
		return discover.Binary(ctx, file, opts)
	}
	return nil, d.checkMode()
}

// parse parses flags anywhere among the arguments, as users of go tools
// expect ("baseline sbom ./cmd/app -o app.json").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			// The flag package has printed the error and the usage.
			return nil, &flagError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("baseline "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func runSBOM(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sbom", stderr)
	var d discoverFlags
	d.register(fs)
	format := fs.String("format", string(sbom.CycloneDXJSON), "output `format`: "+formatList())
	spec := fs.String("spec", "", "specification `version`: CycloneDX 1.4, 1.5, 1.6 (default) or 1.7; SPDX 2.3")
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	var authors partiesFlag
	fs.Var(&authors, "author", "an author of the SBOM data: \"Name <email>\" (a person) or \"Organisation, https://url\" (repeatable)")
	supplier := &partyFlag{}
	fs.Var(supplier, "supplier", "the product's `supplier`: \"Name <email>\", \"Organisation, https://url\" or both")
	manufacturer := &partyFlag{}
	fs.Var(manufacturer, "manufacturer", "the product's `manufacturer`, written like --supplier")
	check := fs.String("check", "", "after writing the SBOM, check it against the `profile` ntia or bsi (BSI TR-03183-2): exit 1 naming every gap")
	var reg registerFlag
	fs.StringVar(&reg.file, "register", "", "the SOUP register `FILE` whose fields the components carry (default soup.yaml in the -C directory, when there is one)")
	version := fs.String("version", "", "the product's `version` (default: the binary's build information, else git describe --tags of the module's tags, -dirty when modified)")
	var vulndb vulndbFlag
	vulndb.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	f, err := sbom.ParseFormat(*format)
	if err != nil {
		return &usageError{fmt.Sprintf("unknown --format %q (want %s)", *format, formatList())}
	}
	opts := sbom.Options{ToolVersion: Version(), Authors: authors, Supplier: supplier.p, Manufacturer: manufacturer.p,
		CacheDir: d.options(nil).CacheDirInUse()}
	var profile sbom.Profile
	if *check != "" {
		if profile, err = sbom.ParseProfile(*check); err != nil {
			return &usageError{fmt.Sprintf("unknown --check %q (want ntia or bsi)", *check)}
		}
	}
	switch {
	case *spec == "":
	case f == sbom.SPDXJSON || f == sbom.SPDXTagValue:
		if *spec != "2.3" {
			return &usageError{fmt.Sprintf("unsupported --spec %q for --format %s (want 2.3)", *spec, f)}
		}
	default:
		if opts.Spec, err = sbom.ParseCycloneDXSpec(*spec); err != nil {
			return &usageError{fmt.Sprintf("unsupported --spec %q (want 1.4, 1.5, 1.6 or 1.7)", *spec)}
		}
	}
	// baseline.yaml's product section gives what the flags leave out.
	cfg, err := loadProduct(d.dir)
	if err != nil {
		return err
	}
	if err := opts.ApplyProduct(cfg.Product); err != nil {
		return err
	}
	ts, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	// The register before discovery: a broken one is reported at once.
	if file := reg.path(d.dir); reg.file != "" || fileExists(file) {
		if opts.Register, err = soup.LoadRegister(file); err != nil {
			return err
		}
	}
	if vulndb.url != "" && f != sbom.CycloneDXJSON && f != sbom.CycloneDXXML {
		return &usageError{"--vulndb embeds the vulnerabilities in CycloneDX only (use baseline vex --format openvex beside an SPDX SBOM)"}
	}
	inv, vulns, err := vulndb.discoverAndScan(ctx, &d, pos, stderr)
	if err != nil {
		return err
	}
	if vulns != nil {
		addVEX(&opts, opts.Register, inv, vulns)
	}
	if opts.ProductVersion, err = productVersion(ctx, *version, inv, d.dir); err != nil {
		return err
	}
	opts.Timestamp = ts
	if err := writeDocument(*out, stdout, func(w io.Writer) error { return sbom.Encode(w, inv, f, opts) }); err != nil {
		return err
	}
	for _, msg := range sbom.Unwritten(f, opts) {
		fmt.Fprintln(stderr, "baseline: warning:", msg)
	}
	if profile == "" {
		return nil
	}
	gaps, err := sbom.Check(inv, f, profile, opts)
	if err != nil {
		return err
	}
	if len(gaps) == 0 {
		return nil
	}
	for _, g := range gaps {
		fmt.Fprintln(stderr, g)
	}
	noun := "gaps"
	if len(gaps) == 1 {
		noun = "gap"
	}
	return &findingError{fmt.Sprintf("%d %s in the %s minimum elements", len(gaps), noun, strings.ToUpper(*check))}
}

// productVersion is the product's version: the --version flag, else
// discover.ProductVersion. Never empty: without one, it is bad usage.
func productVersion(ctx context.Context, flagValue string, inv *inventory.Inventory, dir string) (string, error) {
	if v := strings.TrimSpace(flagValue); v != "" {
		return v, nil
	}
	v, err := discover.ProductVersion(ctx, inv, dir)
	if errors.Is(err, discover.ErrUnknownVersion) {
		return "", &usageError{err.Error() + ": pass --version"}
	}
	return v, err
}

// fileExists reports whether file exists, or might: an error other than
// "does not exist" is left for the reader to report.
func fileExists(file string) bool {
	_, err := os.Stat(file)
	return !errors.Is(err, os.ErrNotExist)
}

// partyFlag is a flag holding one sbom.Party.
type partyFlag struct{ p *sbom.Party }

func (f *partyFlag) String() string {
	if f == nil || f.p == nil {
		return ""
	}
	return f.p.String()
}

func (f *partyFlag) Set(s string) error {
	p, err := sbom.ParseParty(s)
	if err != nil {
		return err
	}
	f.p = &p
	return nil
}

// partiesFlag is a repeatable flag of parties.
type partiesFlag []sbom.Party

func (f *partiesFlag) String() string { return "" }

func (f *partiesFlag) Set(s string) error {
	p, err := sbom.ParseParty(s)
	if err != nil {
		return err
	}
	*f = append(*f, p)
	return nil
}

// formatList names the SBOM formats for usage messages.
func formatList() string {
	var s []string
	for _, f := range sbom.Formats() {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

func runDiscover(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("discover", stderr)
	var d discoverFlags
	d.register(fs)
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	inv, err := d.discover(ctx, pos)
	if err != nil {
		return err
	}
	return writeDocument(*out, stdout, inv.WriteJSON)
}

// write writes data to file atomically, or to stdout when file is "" or
// "-" (see package atomicfile: a symbolic link is written through, a
// read-only file refused, a device or pipe written in place).
func write(file string, stdout io.Writer, data []byte) error {
	if file == "" || file == "-" {
		_, err := stdout.Write(data)
		return err
	}
	return atomicfile.WriteFile(file, data, 0o666)
}

// writeDocument writes the document encode writes: to stdout only once
// it is whole (held in chunks, so that a failure leaves nothing written),
// to a file as it is encoded, into the temporary file that replaces the
// file only once the document is whole (see package atomicfile), so that
// a large SBOM is never held in memory.
func writeDocument(file string, stdout io.Writer, encode func(io.Writer) error) error {
	if file == "" || file == "-" {
		var buf chunks
		if err := encode(&buf); err != nil {
			return err
		}
		_, err := buf.WriteTo(stdout)
		return err
	}
	return atomicfile.WriteWith(file, encode, 0o666)
}

// sourceDateEpoch returns discover.Timestamp: the time SOURCE_DATE_EPOCH
// sets, or now.
func sourceDateEpoch() (time.Time, error) {
	t, err := discover.Timestamp()
	if err != nil {
		return time.Time{}, &usageError{err.Error()}
	}
	return t, nil
}
