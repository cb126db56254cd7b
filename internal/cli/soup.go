package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/internal/git"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/product"
	"github.com/baseline-cm/baseline/soup"
)

const soupUsage = `usage: baseline soup <command> [flags]

Commands:
  check  compare the SOUP register with the build: exit 0 when they match,
         1 with a report naming every finding
  sync   bring the register up to date with the build (adds, updates and
         retires items; keeps comments and hand-written text)
  list   write the SOUP list an auditor reads (markdown, csv or json)

Run "baseline soup <command> -h" for a command's flags.
`

func runSOUP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, soupUsage)
		return &usageError{"soup: missing command (check, sync or list)"}
	}
	switch args[0] {
	case "check":
		return runSOUPCheck(ctx, args[1:], stdout, stderr)
	case "sync":
		return runSOUPSync(ctx, args[1:], stdout, stderr)
	case "list":
		return runSOUPList(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, soupUsage)
		return nil
	}
	fmt.Fprint(stderr, soupUsage)
	return &usageError{fmt.Sprintf("soup: unknown command %q", args[0])}
}

// registerFlag is the --register flag: soup.yaml in the -C directory by
// default; a FILE given is relative to the current directory, like -o.
type registerFlag struct{ file string }

func (r *registerFlag) register(fs *flag.FlagSet) {
	fs.StringVar(&r.file, "register", "", "the SOUP register `FILE` (default soup.yaml in the -C directory)")
}

func (r *registerFlag) path(dir string) string {
	if r.file != "" {
		return r.file
	}
	return filepath.Join(dir, soup.DefaultFile)
}

func runSOUPCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("soup check", stderr)
	var d discoverFlags
	d.register(fs)
	var reg registerFlag
	reg.register(fs)
	format := fs.String("format", "text", "report `format`: text or json")
	var vulndb vulndbFlag
	vulndb.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return &usageError{fmt.Sprintf("unknown --format %q (want text or json)", *format)}
	}
	now, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	// The register first: a broken one is reported without waiting for
	// discovery.
	r, err := soup.LoadRegister(reg.path(d.dir))
	if err != nil {
		return err
	}
	bs, vulns, err := configurationBuilds(ctx, &d, pos, &vulndb, stderr)
	if err != nil {
		return err
	}
	var inv *inventory.Inventory
	if bs == nil {
		if inv, vulns, err = vulndb.discoverAndScan(ctx, &d, pos, stderr); err != nil {
			return err
		}
	}
	ropts := soup.ReconcileOptions{Now: now, Builds: bs}
	if vulns != nil {
		ropts.Advisories = vulns.Known()
	}
	rep := soup.Reconcile(r, inv, ropts)
	if vulns != nil {
		rep.VulnDB = vulns.Database.String()
	}
	var buf bytes.Buffer
	if *format == "json" {
		err = rep.WriteJSON(&buf)
	} else {
		err = rep.WriteText(&buf)
	}
	if err != nil {
		return err
	}
	if vulns != nil && *format == "text" {
		fmt.Fprintf(&buf, "%s: advisories from the vulnerability database %s\n", rep.Register, vulns.Database)
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		return err
	}
	if !rep.OK() {
		return &findingError{fmt.Sprintf("soup check: %s: %s", rep.Register, rep.Summary())}
	}
	return nil
}

func runSOUPSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("soup sync", stderr)
	var d discoverFlags
	d.register(fs)
	var reg registerFlag
	reg.register(fs)
	retire := fs.Bool("retire", true, "retire items the build no longer uses (false: keep them, for a register shared by several builds)")
	verbose := fs.Bool("v", false, "list every field of an added item a person must fill in")
	format := fs.String("format", "text", "report `format`: text (one line a change) or json (every change with all its fields)")
	var vulndb vulndbFlag
	vulndb.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return &usageError{fmt.Sprintf("unknown --format %q (want text or json)", *format)}
	}
	now, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	file := reg.path(d.dir)
	// Refuse a broken register before discovery (Sync checks again under
	// its lock).
	if _, err := soup.LoadRegister(file); err != nil && !isNotExist(err) {
		return err
	}
	bs, vulns, err := configurationBuilds(ctx, &d, pos, &vulndb, stderr)
	if err != nil {
		return err
	}
	var inv *inventory.Inventory
	if bs == nil {
		if inv, vulns, err = vulndb.discoverAndScan(ctx, &d, pos, stderr); err != nil {
			return err
		}
	}
	sopts := soup.SyncOptions{Now: now, KeepUnused: !*retire, Builds: bs}
	if vulns != nil {
		sopts.Advisories = vulns.Known()
	}
	changes, err := soup.Sync(ctx, file, inv, sopts)
	if err != nil {
		return err
	}
	if *format == "json" {
		if changes == nil {
			changes = soup.Changes{}
		}
		data, err := json.MarshalIndent(struct {
			Register string       `json:"register"`
			Changes  soup.Changes `json:"changes"`
		}{file, changes}, "", "  ")
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(data, '\n'))
		return err
	}
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "%s: %s\n", file, c)
		if *verbose {
			for _, f := range c.TODOs {
				fmt.Fprintf(&b, "%s:     %s\n", file, f)
			}
		}
	}
	if len(changes) == 0 {
		fmt.Fprintf(&b, "%s: up to date\n", file)
	}
	if vulns != nil {
		fmt.Fprintf(&b, "%s: advisories from the vulnerability database %s\n", file, vulns.Database)
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}

func runSOUPList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("soup list", stderr)
	dir := fs.String("C", "", "run in `DIR` (like go -C)")
	var reg registerFlag
	reg.register(fs)
	format := fs.String("format", "markdown", "list `format`: markdown, csv or json")
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	var lo soup.ListOptions
	fs.StringVar(&lo.Product, "product", "", "the product's `name` in the list's header (default: product.name in baseline.yaml)")
	fs.StringVar(&lo.Version, "version", "", "the product's `version` in the header (default: git describe --tags --always)")
	fs.StringVar(&lo.Commit, "commit", "", "the `revision` in the header (default: the HEAD commit)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &usageError{fmt.Sprintf("soup list takes no arguments (found %q)", pos[0])}
	}
	var write1 func(*soup.Register, io.Writer) error
	switch *format {
	case "markdown":
		write1 = func(r *soup.Register, w io.Writer) error { return r.WriteMarkdown(w, lo) }
	case "csv":
		write1 = (*soup.Register).WriteCSV
	case "json":
		write1 = (*soup.Register).WriteJSON
	default:
		return &usageError{fmt.Sprintf("unknown --format %q (want markdown, csv or json)", *format)}
	}
	r, err := soup.LoadRegister(reg.path(*dir))
	if err != nil {
		return err
	}
	if *format == "markdown" {
		if lo.Date, err = sourceDateEpoch(); err != nil {
			return err
		}
		if lo.Product == "" {
			if cfg, err := product.Load(filepath.Join(*dir, product.DefaultFile)); err == nil {
				lo.Product = cfg.Product.Name
			}
		}
		d := cmp.Or(*dir, ".")
		if lo.Commit == "" {
			lo.Commit, _ = git.Commit(ctx, d, "HEAD")
		}
		if lo.Version == "" {
			lo.Version, _ = git.Describe(ctx, d, "")
		}
	}
	var buf bytes.Buffer
	if err := write1(r, &buf); err != nil {
		return err
	}
	return write(*out, stdout, buf.Bytes())
}

// isNotExist reports whether err says the register does not exist (sync
// creates it).
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// configurationBuilds discovers every build configuration baseline.yaml
// (in the -C directory) lists, for check and sync over their union; nil
// when there is no such file or it lists none, when patterns are given
// on the command line, or in binary mode. With a vulnerability database
// (--vulndb, or baseline.yaml's vulndb) each configuration is also
// looked up in it, and the advisories of all of them are returned, each
// with the strongest evidence any configuration gives (anomaly.Union), as
// the release records them.
func configurationBuilds(ctx context.Context, d *discoverFlags, pos []string, v *vulndbFlag, stderr io.Writer) ([]soup.Build, *anomaly.Result, error) {
	if err := d.checkMode(); err != nil {
		return nil, nil, err
	}
	if len(pos) > 0 || d.mode == string(inventory.Binary) {
		return nil, nil, nil
	}
	if err := v.resolve(d.dir); err != nil {
		return nil, nil, err
	}
	cfg, err := product.Load(filepath.Join(d.dir, product.DefaultFile))
	if isNotExist(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if len(cfg.Configurations) == 0 {
		return nil, nil, nil
	}
	// Each configuration has its mode and tags: a flag that would be
	// ignored (one that differs from a configuration's) is refused, so
	// that no check passes for a build it did not check.
	for _, c := range cfg.Configurations {
		for _, f := range []struct{ name, flag, conf string }{
			{"mode", d.mode, cmp.Or(c.Mode, string(inventory.Packages))},
			{"tags", d.tags, strings.Join(c.Tags, ",")},
		} {
			if d.set(f.name) && f.flag != f.conf {
				return nil, nil, &usageError{fmt.Sprintf("--%s %s: %s lists build configurations, and check and sync cover each with its own mode and tags (%s: %q): drop --%s, or name packages to check one build",
					f.name, f.flag, filepath.Join(d.dir, product.DefaultFile), c.Name, f.conf, f.name)}
			}
		}
	}
	db, err := v.dbURL()
	if err != nil {
		return nil, nil, err
	}
	bs := make([]soup.Build, len(cfg.Configurations))
	results := make([]*anomaly.Result, len(cfg.Configurations))
	for i, c := range cfg.Configurations {
		dc := *d
		dc.mode = cmp.Or(c.Mode, string(inventory.Packages))
		dc.tags = strings.Join(c.Tags, ",")
		dc.env = c.Env()
		inv, res, err := discoverAndScanDB(ctx, &dc, c.Patterns, db, stderr)
		if err != nil {
			return nil, nil, fmt.Errorf("configuration %s (%s): %w", c.Name, product.DefaultFile, err)
		}
		bs[i], results[i] = soup.Build{Name: c.Name, Inventory: inv}, res
	}
	if db == "" {
		return bs, nil, nil
	}
	return bs, anomaly.Union(results...), nil
}
