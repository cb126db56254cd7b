package cli

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sync/errgroup"
	"golang.org/x/term"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
	"github.com/baseline-cm/baseline/soup"
)

// vulndbFlag is the --vulndb flag: the vulnerability database, always
// named (nothing reaches the network unless an https URL is given).
type vulndbFlag struct{ url string }

func (v *vulndbFlag) register(fs *flag.FlagSet) {
	fs.StringVar(&v.url, "vulndb", "", "the Go vulnerability database `URL`: https://vuln.go.dev, or file:///path (or a directory) for a local copy (default: vulndb in baseline.yaml, else none)")
}

// resolve takes the database from baseline.yaml in dir when the flag is
// not given.
func (v *vulndbFlag) resolve(dir string) error {
	if v.url != "" {
		return nil
	}
	c, err := loadProduct(dir)
	if err != nil {
		return err
	}
	v.url = c.VulnDB
	return nil
}

// dbURL returns the flag's database as a URL ("" when not given): a
// directory becomes a file URL.
func (v *vulndbFlag) dbURL() (string, error) {
	if v.url == "" {
		return "", nil
	}
	db, err := anomaly.DBURL(v.url)
	if err == nil {
		err = anomaly.CheckDB(db)
	}
	if err != nil {
		return "", &usageError{fmt.Sprintf("--vulndb: %v", err)}
	}
	return db, nil
}

// discoverAndScan runs discovery and, with --vulndb, govulncheck over the
// same packages and build configuration, concurrently.
func (v *vulndbFlag) discoverAndScan(ctx context.Context, d *discoverFlags, pos []string, stderr io.Writer) (*inventory.Inventory, *anomaly.Result, error) {
	if err := v.resolve(d.dir); err != nil {
		return nil, nil, err
	}
	if v.url == "" {
		inv, err := d.discover(ctx, pos)
		return inv, nil, err
	}
	db, err := v.dbURL()
	if err != nil {
		return nil, nil, err
	}
	return discoverAndScanDB(ctx, d, pos, db, stderr)
}

// discoverAndScanDB runs discovery of the build d and pos describe and,
// when db is not empty, govulncheck over the same packages and build
// configuration in db, concurrently.
func discoverAndScanDB(ctx context.Context, d *discoverFlags, pos []string, db string, stderr io.Writer) (*inventory.Inventory, *anomaly.Result, error) {
	if db == "" {
		inv, err := d.discover(ctx, pos)
		return inv, nil, err
	}
	if inventory.Mode(d.mode) == inventory.Binary {
		return nil, nil, &usageError{"--vulndb looks up the source of the product's packages; it does not take --mode binary"}
	}
	opts := anomaly.Options{DB: db, Dir: d.dir, Patterns: pos, Env: d.env, Download: d.download, Progress: progress(stderr),
		CacheDir: d.cacheDir, NoCache: d.cacheDir == "off"}
	if d.tags != "" {
		opts.Tags = strings.Split(d.tags, ",")
	}
	var inv *inventory.Inventory
	var res *anomaly.Result
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		inv, err = d.discover(gctx, pos)
		return err
	})
	g.Go(func() (err error) {
		res, err = anomaly.Scan(gctx, opts)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	// The scan reads the package graph: the modules only modules mode
	// lists are looked up at module level.
	if mods := anomaly.UnlinkedModules(inv); len(mods) > 0 {
		extra, err := anomaly.LookupModules(ctx, opts, mods)
		if err != nil {
			return nil, nil, err
		}
		res = anomaly.Union(res, extra)
	}
	return inv, res, nil
}

// progress returns a function writing progress messages to stderr when it
// is a terminal, and nil (silence) in scripts.
func progress(stderr io.Writer) func(string) {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(msg string) { fmt.Fprintf(stderr, "baseline: %s\n", strings.TrimSpace(msg)) }
}

const vexUsage = `usage: baseline vex [-C DIR] [--vulndb URL] [--format cyclonedx-json|openvex] [--version V] [-o FILE] [discovery flags] [PATTERN...]

Writes the known vulnerabilities of the product's SOUP components and
their analysis (VEX) from the SOUP register's conclusions
(anomaly_evaluation.advisories) and, with --vulndb, the advisories of the
Go vulnerability database that affect the versions the build uses, with
govulncheck's evidence. An advisory the register does not conclude on
(not listed, TODO, incomplete, or evaluated for another version than the
one used: anomaly_evaluation.version_evaluated) is in_triage (CycloneDX)
or under_investigation (OpenVEX).
`

func runVEX(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("vex", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, vexUsage); fs.PrintDefaults() }
	var d discoverFlags
	d.register(fs)
	var vulndb vulndbFlag
	vulndb.register(fs)
	var reg registerFlag
	reg.register(fs)
	format := fs.String("format", "cyclonedx-json", "output `format`: cyclonedx-json (the SBOM with its vulnerabilities) or openvex")
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	version := fs.String("version", "", "the product's `version` (default: the binary's build information, else git describe --tags --always --dirty)")
	author := fs.String("author", "", "the OpenVEX document's `author` (default: the SOUP register's file name)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "cyclonedx-json" && *format != "openvex" {
		return &usageError{fmt.Sprintf("unknown --format %q (want cyclonedx-json or openvex)", *format)}
	}
	ts, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	file := reg.path(d.dir)
	r, err := soup.LoadRegister(file)
	if err != nil {
		return err
	}
	inv, vulns, err := vulndb.discoverAndScan(ctx, &d, pos, stderr)
	if err != nil {
		return err
	}
	pv, err := productVersion(ctx, *version, inv, d.dir)
	if err != nil {
		return err
	}
	stmts := anomaly.Statements(r, inv, vulns)
	var buf bytes.Buffer
	switch *format {
	case "openvex":
		opts := anomaly.OpenVEXOptions{
			Author:    cmp.Or(*author, "SOUP register "+filepath.Base(file)),
			Timestamp: ts,
			Tooling:   "baseline " + Version(),
		}
		if m := inv.Main(); m != nil {
			opts.Product = modpath.PackageURL(m.Path, pv)
		}
		if vulns != nil {
			opts.Database = &vulns.Database
			opts.Tooling += "; " + vulns.Scanner
		}
		doc, err := anomaly.OpenVEX(stmts, opts)
		if err != nil {
			return err
		}
		if err := anomaly.EncodeOpenVEX(&buf, doc); err != nil {
			return err
		}
	default:
		opts := sbom.Options{ToolVersion: Version(), Register: r, ProductVersion: pv, Timestamp: ts}
		addVEX(&opts, r, inv, vulns)
		if err := sbom.Encode(&buf, inv, sbom.CycloneDXJSON, opts); err != nil {
			return err
		}
	}
	return write(*out, stdout, buf.Bytes())
}

// addVEX sets the SBOM options that embed the vulnerabilities.
func addVEX(opts *sbom.Options, r *soup.Register, inv *inventory.Inventory, vulns *anomaly.Result) {
	stmts := anomaly.Statements(r, inv, vulns)
	opts.Vulnerabilities = anomaly.CycloneDXVulnerabilities(stmts, sbom.BOMRefs(r))
	if vulns != nil {
		opts.MetadataProperties = anomaly.DatabaseProperties(vulns.Database)
	}
}
