package anomaly

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"golang.org/x/vuln/scan"

	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/soup"
)

// Database identifies the vulnerability database a result comes from.
type Database struct {
	// URL is the database's URL when it is not a local directory; empty
	// for a file:// database, whose path says nothing to another reader
	// (and would make outputs depend on the machine).
	URL string `json:"url,omitempty"`
	// LastModified is the database's last-modified time (index/db.json),
	// as govulncheck's config message reports it: how current the
	// evaluation is. Zero when the database does not say (a copy laid out
	// from golang.org/x/vulndb's data/osv, whose entries carry no times).
	LastModified time.Time `json:"last_modified"`
}

// String describes the database in a few words: "https://vuln.go.dev
// (modified 2024-05-20T12:00:00Z)" or "local copy (modified ...)".
func (d Database) String() string {
	where := cmp.Or(d.URL, "local copy")
	if d.LastModified.IsZero() {
		return where + " (last-modified time unknown)"
	}
	return fmt.Sprintf("%s (modified %s)", where, d.LastModified.UTC().Format(time.RFC3339))
}

// Frame is one function of a call path.
type Frame struct {
	Module   string `json:"module"`
	Version  string `json:"version,omitempty"`
	Package  string `json:"package"`
	Function string `json:"function"`
	// Receiver is the receiver type of a method ("*Decoder").
	Receiver string `json:"receiver,omitempty"`
	// Position is "file:line:column", the file relative to its module.
	Position string `json:"position,omitempty"`
}

// Symbol is the frame's symbol as Go code names it: "pkg.Func",
// "pkg.Type.Method".
func (f Frame) Symbol() string {
	name := f.Function
	if f.Receiver != "" {
		name = strings.TrimPrefix(f.Receiver, "*") + "." + name
	}
	return f.Package + "." + name
}

// Advisory is one advisory of the database that affects a module at the
// version the build uses, with govulncheck's evidence.
type Advisory struct {
	// ID is the database's identifier ("GO-2024-1234"); Aliases are its
	// other identifiers (CVE, GHSA).
	ID      string   `json:"id"`
	Aliases []string `json:"aliases,omitempty"`
	Summary string   `json:"summary,omitempty"`
	// URL is the advisory's page (the entry's database_specific.url).
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published"`
	Modified  time.Time `json:"modified"`
	// Module is the affected module ("stdlib" for the standard library)
	// and Version the version the build uses; FixedVersion is the version
	// that fixes it, empty when there is none.
	Module       string `json:"module"`
	Version      string `json:"version"`
	FixedVersion string `json:"fixed_version,omitempty"`
	// Evidence is how far the product's code gets to the vulnerable code.
	Evidence soup.Evidence `json:"evidence"`
	// Package is the vulnerable package imported (PackageImported and
	// SymbolReached).
	Package string `json:"package,omitempty"`
	// CallPath is one call path from an entry point of the product to the
	// vulnerable symbol, which is its last frame (SymbolReached).
	CallPath []Frame `json:"call_path,omitempty"`
}

// Symbol is the vulnerable symbol reached, "" unless Evidence is
// SymbolReached.
func (a *Advisory) Symbol() string {
	if len(a.CallPath) == 0 {
		return ""
	}
	return a.CallPath[len(a.CallPath)-1].Symbol()
}

// Result is what a scan found.
type Result struct {
	// Database is the database used.
	Database Database `json:"database"`
	// Scanner is the scanner's name and version ("govulncheck v1.9.0").
	Scanner string `json:"scanner,omitempty"`
	// GoVersion is the Go toolchain whose standard library was checked.
	GoVersion string `json:"go_version,omitempty"`
	// Advisories are the advisories affecting the versions used, by
	// module and then ID. Empty (not nil) when there are none.
	Advisories []Advisory `json:"advisories"`
}

// For returns the advisories affecting a module at a version.
func (r *Result) For(module, version string) []Advisory {
	var out []Advisory
	for _, a := range r.Advisories {
		if a.Module == module && a.Version == version {
			out = append(out, a)
		}
	}
	return out
}

// Known returns the advisories as the SOUP register's check and sync take
// them.
func (r *Result) Known() []soup.KnownAdvisory {
	out := make([]soup.KnownAdvisory, 0, len(r.Advisories))
	for _, a := range r.Advisories {
		out = append(out, soup.KnownAdvisory{
			ID: a.ID, Module: a.Module, Version: a.Version, Evidence: a.Evidence,
			Summary: a.Summary, FixedVersion: a.FixedVersion,
		})
	}
	return out
}

// Options control Scan.
type Options struct {
	// DB is the vulnerability database's URL (required): https://... or
	// file:///path; see CheckDB.
	DB string
	// Dir is the directory of the module to scan (like go -C); the current
	// one when empty.
	Dir string
	// Patterns are the package patterns; "./..." when empty.
	Patterns []string
	// Tags are the build tags. As with "go build -tags" (and discovery),
	// they replace the tags of a -tags flag in GOFLAGS; those apply when
	// Tags is empty.
	Tags []string
	// Env holds environment overrides ("GOOS=windows"), added to the
	// process environment; GOOS, GOARCH, CGO_ENABLED and GOFLAGS are
	// honoured as go build would.
	Env []string
	// Download lets the go command fetch missing modules; without it the
	// go command runs with GOPROXY=off.
	Download bool
	// Progress, when set, receives govulncheck's progress messages.
	Progress func(message string)
	// CacheDir is where results are kept, beside discovery's digests;
	// discover.DefaultCacheDir() when empty. A result is reused only for
	// a local database (file URL) and when none of the inputs that decide
	// it has changed: the database's files, the scanner, the patterns,
	// the go environment and toolchain, and the go.mod, go.sum, go.work
	// and Go files of the main modules and of their directory
	// replacements (module versions are pinned by those files and never
	// change). A database reached over the network is scanned every time.
	CacheDir string
	// NoCache disables the cache.
	NoCache bool
}

// CheckDB checks a database URL: an absolute https or http URL, or a
// file URL naming an existing directory.
func CheckDB(db string) error {
	if db == "" {
		return errors.New("no vulnerability database named (want https://vuln.go.dev, or file:///path for a local copy)")
	}
	u, err := url.Parse(db)
	if err != nil || !u.IsAbs() {
		return fmt.Errorf("vulnerability database %q is not a URL (want https://..., or file:///path for a local copy)", db)
	}
	switch u.Scheme {
	case "https", "http":
		if u.Host == "" {
			return fmt.Errorf("vulnerability database %q names no host", db)
		}
	case "file":
		dir := filepath.FromSlash(u.Path)
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("vulnerability database %s: %w", db, err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("vulnerability database %s: not a directory", db)
		}
		// govulncheck would also take a directory of bare OSV files, an
		// empty one included: a mistyped path must not read as "no
		// advisories".
		for _, f := range []string{"index/db.json", "index/modules.json"} {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
				return fmt.Errorf("vulnerability database %s: no %s: not a database in the layout govulncheck reads (index/db.json, index/modules.json, ID/*.json)", db, f)
			}
		}
	default:
		return fmt.Errorf("vulnerability database %q: unsupported scheme %q (want https or file)", db, u.Scheme)
	}
	return nil
}

// DBURL turns a database argument into a URL: an https, http or file URL
// is returned as it is; a local directory path becomes a file URL.
func DBURL(s string) (string, error) {
	if strings.Contains(s, "://") {
		return s, nil
	}
	abs, err := filepath.Abs(s)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
}

// Scan runs govulncheck (golang.org/x/vuln/scan, in-process) over the
// packages of opts.Patterns at symbol level, against the database
// opts.DB, and returns the advisories that affect the versions the build
// uses, each at the strongest evidence govulncheck found.
//
// Cancelling ctx makes Scan return ctx's error promptly. govulncheck
// itself is not cancelled: golang.org/x/vuln v1.9.0 can panic in a
// goroutine of its own when its context is cancelled mid-scan, which
// would end the whole process; the abandoned scan runs on in the
// background until it ends or fails to write its output, whose pipe Scan
// has closed.
func Scan(ctx context.Context, opts Options) (*Result, error) {
	if err := CheckDB(opts.DB); err != nil {
		return nil, err
	}
	// The go environment as the scan's go commands see it: GOFLAGS from
	// the go env file too, and the build environment keying the cache.
	r := gocmd.Runner{Dir: opts.Dir, Env: opts.Env, Download: opts.Download}
	goenv, err := r.GoEnv(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("govulncheck: %w", ctx.Err())
		}
		return nil, err
	}
	env := scanEnv(opts, goenv.GOFLAGS)
	args := []string{"-format", "json", "-db", opts.DB}
	if opts.Dir != "" {
		args = append(args, "-C", opts.Dir)
	}
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	args = append(args, patterns...)

	cache, key := opts.cache(), ""
	if cache.Dir != "" {
		key = resultKey(ctx, opts, goenv, patterns, cache)
	}
	var cached Result
	if key != "" && cache.Get("vulnscan/"+key, &cached) {
		if opts.Progress != nil {
			opts.Progress("reusing the result of an earlier scan of the same inputs")
		}
		return &cached, nil
	}
	res, err := run(ctx, opts, env, args)
	// Kept only if no input changed while govulncheck ran: else the
	// result would be stored under the digest of files it did not read.
	if err == nil && key != "" && resultKey(ctx, opts, goenv, patterns, cache) == key {
		_ = cache.Put("vulnscan/"+key, res) // a cache that cannot be written costs time only
	}
	return res, err
}

// run runs govulncheck with args in env and decodes its output.
func run(ctx context.Context, opts Options, env, args []string) (*Result, error) {
	return runWith(ctx, opts, env, args, decode)
}

// runWith is run with the decoder dec.
func runWith(ctx context.Context, opts Options, env, args []string, dec func(io.Reader, func(string)) (*Result, error)) (*Result, error) {
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	cmd := scan.Command(context.WithoutCancel(ctx), args...) // see Scan
	cmd.Stdin = strings.NewReader("")
	cmd.Stdout, cmd.Stderr, cmd.Env = pw, &stderr, env
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	scanErr := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		pw.CloseWithError(io.EOF)
		scanErr <- err
	}()
	type decoded struct {
		r   *Result
		err error
	}
	decodedc := make(chan decoded, 1)
	go func() {
		r, err := dec(pr, opts.Progress)
		io.Copy(io.Discard, pr)
		decodedc <- decoded{r, err}
	}()
	select {
	case <-ctx.Done():
		pr.CloseWithError(ctx.Err())
		return nil, fmt.Errorf("govulncheck: %w", ctx.Err())
	case err := <-scanErr:
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("govulncheck: %w", ctx.Err())
			}
			msg := strings.TrimSpace(stderr.String())
			if msg != "" {
				return nil, fmt.Errorf("govulncheck: %s", msg)
			}
			return nil, err
		}
	}
	d := <-decodedc
	if d.err != nil {
		return nil, fmt.Errorf("reading govulncheck's output: %w", d.err)
	}
	return d.r, nil
}

// scanEnv is the environment govulncheck's go commands run in, for
// GOFLAGS as the go command reads it (the go env file included): the
// build flags discovery uses, so that the scan and the inventory are of
// the same build. Tags replace GOFLAGS' -tags, as with go build -tags;
// -mod=mod becomes -mod=readonly, so that package loading never rewrites
// go.mod or go.sum.
func scanEnv(opts Options, goflags string) []string {
	env := append(os.Environ(), opts.Env...)
	// The trailing blank keeps GOFLAGS set when no flag is left: an
	// empty GOFLAGS would make the go command read the go env file's
	// again, which goflags already holds.
	env = append(env, "GOFLAGS="+gocmd.BuildGOFLAGS(goflags, opts.Tags)+" ")
	if !opts.Download {
		env = append(env, "GOPROXY=off")
	}
	return env
}

// The govulncheck JSON protocol (golang.org/x/vuln/internal/govulncheck),
// the fields read here.
type message struct {
	Config   *configMessage `json:"config"`
	Progress *struct {
		Message string `json:"message"`
	} `json:"progress"`
	OSV     *osvMessage `json:"osv"`
	Finding *struct {
		OSV          string `json:"osv"`
		FixedVersion string `json:"fixed_version"`
		Trace        []struct {
			Module   string `json:"module"`
			Version  string `json:"version"`
			Package  string `json:"package"`
			Function string `json:"function"`
			Receiver string `json:"receiver"`
			Position *struct {
				Filename string `json:"filename"`
				Line     int    `json:"line"`
				Column   int    `json:"column"`
			} `json:"position"`
		} `json:"trace"`
	} `json:"finding"`
}

// configure records in r what govulncheck's config message says: the
// go version, and the database (its URL when it is not local, and its
// last-modified time).
func (r *Result) configure(c *configMessage) {
	r.Scanner = scanner()
	r.GoVersion = c.GoVersion
	if u, err := url.Parse(c.DB); err == nil && u.Scheme != "file" {
		r.Database.URL = c.DB
	}
	if c.DBLastModified != nil && c.DBLastModified.Year() > 1 {
		r.Database.LastModified = c.DBLastModified.UTC()
	}
}

// osvMessage is an OSV entry of govulncheck's output, the fields read
// here.
type osvMessage struct {
	ID         string    `json:"id"`
	Aliases    []string  `json:"aliases"`
	Summary    string    `json:"summary"`
	Published  time.Time `json:"published"`
	Modified   time.Time `json:"modified"`
	DBSpecific *struct {
		URL string `json:"url"`
	} `json:"database_specific"`
	// Affected is read in query mode only (LookupModules).
	Affected []osvAffected `json:"affected"`
}

// configMessage is govulncheck's config message, the fields read here.
type configMessage struct {
	ScannerName    string     `json:"scanner_name"`
	ScannerVersion string     `json:"scanner_version"`
	DB             string     `json:"db"`
	DBLastModified *time.Time `json:"db_last_modified"`
	GoVersion      string     `json:"go_version"`
}

// scanner names the govulncheck that runs in-process: "govulncheck
// (golang.org/x/vuln v1.9.0)". The config message would name the program
// govulncheck runs in.
func scanner() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "golang.org/x/vuln" {
				return "govulncheck (golang.org/x/vuln " + d.Version + ")"
			}
		}
	}
	return "govulncheck (golang.org/x/vuln)"
}

// DecodeJSON reads a govulncheck JSON stream (govulncheck -format json,
// source mode at symbol level) and returns its result, as Scan does.
func DecodeJSON(r io.Reader) (*Result, error) { return decode(r, nil) }

// readMessages reads a govulncheck JSON stream into res: the config
// message (configure), progress messages (to progress, when not nil),
// and every other message to each.
func readMessages(r io.Reader, res *Result, progress func(string), each func(m *message)) error {
	d := json.NewDecoder(r)
	for {
		var m message
		if err := d.Decode(&m); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		switch {
		case m.Config != nil:
			res.configure(m.Config)
		case m.Progress != nil:
			if progress != nil {
				progress(m.Progress.Message)
			}
		default:
			each(&m)
		}
	}
}

// advisory is the advisory of an OSV entry, without a module.
func (o *osvMessage) advisory() Advisory {
	a := Advisory{ID: o.ID, Aliases: o.Aliases, Summary: o.Summary, Published: o.Published.UTC(), Modified: o.Modified.UTC()}
	if o.DBSpecific != nil {
		a.URL = o.DBSpecific.URL
	}
	return a
}

func decode(r io.Reader, progress func(string)) (*Result, error) {
	res := &Result{Advisories: []Advisory{}}
	type key struct{ id, module string }
	found := map[key]*Advisory{}
	var order []key
	osvs := map[string]Advisory{}
	err := readMessages(r, res, progress, func(m *message) {
		switch {
		case m.OSV != nil:
			osvs[m.OSV.ID] = m.OSV.advisory()
		case m.Finding != nil && len(m.Finding.Trace) > 0:
			f := m.Finding
			top := f.Trace[0]
			ev := soup.ModuleRequired
			switch {
			case top.Function != "":
				ev = soup.SymbolReached
			case top.Package != "":
				ev = soup.PackageImported
			}
			k := key{f.OSV, top.Module}
			a := found[k]
			if a == nil {
				a = &Advisory{ID: f.OSV, Module: top.Module, Version: top.Version}
				found[k] = a
				order = append(order, k)
			}
			if a.Evidence != "" && ev.Rank() <= a.Evidence.Rank() {
				return // keep the first finding of the strongest level
			}
			a.Evidence, a.FixedVersion = ev, f.FixedVersion
			a.Version = cmp.Or(top.Version, a.Version)
			if ev != soup.ModuleRequired {
				a.Package = top.Package
			}
			if ev == soup.SymbolReached {
				a.CallPath = nil
				for i := len(f.Trace) - 1; i >= 0; i-- {
					t := f.Trace[i]
					fr := Frame{Module: t.Module, Version: t.Version, Package: t.Package, Function: t.Function, Receiver: t.Receiver}
					if p := t.Position; p != nil && p.Line > 0 {
						fr.Position = fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
					}
					a.CallPath = append(a.CallPath, fr)
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for _, k := range order {
		a := found[k]
		if o, ok := osvs[a.ID]; ok {
			a.Aliases, a.Summary, a.URL, a.Published, a.Modified = o.Aliases, o.Summary, o.URL, o.Published, o.Modified
		}
		if a.Version != "" && a.Version[0] != 'v' {
			a.Version = "v" + a.Version
		}
		if a.FixedVersion != "" && a.FixedVersion[0] != 'v' {
			a.FixedVersion = "v" + a.FixedVersion
		}
		res.Advisories = append(res.Advisories, *a)
	}
	slices.SortFunc(res.Advisories, func(a, b Advisory) int {
		return cmp.Or(cmp.Compare(a.Module, b.Module), cmp.Compare(a.ID, b.ID))
	})
	return res, nil
}

// Union joins the results of scans of several builds of one product (its
// configurations: other GOOS, GOARCH, tags) against one database: every
// advisory any of them found, once for each module version, with the
// strongest evidence any build gives (soup.Evidence.Rank) and that
// build's call path. Database, Scanner and GoVersion are the first
// result's. It returns nil for no results.
func Union(results ...*Result) *Result {
	if len(results) == 0 {
		return nil
	}
	u := &Result{Database: results[0].Database, Scanner: results[0].Scanner, GoVersion: results[0].GoVersion, Advisories: []Advisory{}}
	at := map[[3]string]int{}
	for _, r := range results {
		for _, a := range r.Advisories {
			k := [3]string{a.Module, a.Version, a.ID}
			i, ok := at[k]
			switch {
			case !ok:
				at[k] = len(u.Advisories)
				u.Advisories = append(u.Advisories, a)
			case a.Evidence.Rank() > u.Advisories[i].Evidence.Rank():
				u.Advisories[i] = a
			}
		}
	}
	slices.SortFunc(u.Advisories, func(a, b Advisory) int {
		return cmp.Or(cmp.Compare(a.Module, b.Module), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
	return u
}
