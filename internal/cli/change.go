package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/baseline-cm/baseline/change"
	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/git"
	"github.com/baseline-cm/baseline/items"
	"github.com/baseline-cm/baseline/manifest"
	"github.com/baseline-cm/baseline/product"
	"github.com/baseline-cm/baseline/soup"
)

const changeUsage = `usage: baseline change <command> [flags]

Commands:
  new      write a new change request and print its identifier
  approve  record a change request's approval (or, with --reject, rejection)
  verify   record a change request's verification, with its evidence
  check    check that every change since the last baseline was authorised:
           exit 0 when clean, 1 with one line per finding

The records are YAML files in the directories baseline.yaml names
(changes/requests, changes/problems, changes/anomalies by default),
described by "go doc github.com/baseline-cm/baseline/change". The
approvals recorded here are workflow state, not electronic signatures:
the Part 11 signature of a release is "baseline sign".

Run "baseline change <command> -h" for a command's flags.
`

func runChange(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, changeUsage)
		return &usageError{"change: missing command (new, approve, verify or check)"}
	}
	switch args[0] {
	case "new":
		return runChangeNew(ctx, args[1:], stdout, stderr)
	case "approve":
		return runChangeRecord(ctx, "approve", args[1:], stdout, stderr)
	case "verify":
		return runChangeRecord(ctx, "verify", args[1:], stdout, stderr)
	case "check":
		return runChangeCheck(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, changeUsage)
		return nil
	}
	fmt.Fprint(stderr, changeUsage)
	return &usageError{fmt.Sprintf("change: unknown command %q", args[0])}
}

// changeProduct is a product's change-control settings: baseline.yaml in
// dir, or the defaults when there is none.
type changeProduct struct {
	dir     string
	cfg     *product.Config // nil without baseline.yaml
	dirs    change.Dirs
	schemes change.Schemes
}

func loadChangeProduct(dir string) (*changeProduct, error) {
	if dir == "" {
		dir = "."
	}
	cp := &changeProduct{dir: dir, dirs: change.DefaultDirs, schemes: change.DefaultSchemes}
	cfg, err := product.Load(filepath.Join(dir, product.DefaultFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return cp, nil
	case err != nil:
		return nil, err
	}
	cp.cfg = cfg
	cp.dirs = change.Dirs{Requests: cfg.Records.ChangeRequests, Problems: cfg.Records.ProblemReports, Anomalies: cfg.Records.Anomalies}
	cp.schemes.Requests = cfg.ChangeControl.IDs
	cp.schemes.Problems = cfg.ChangeControl.ProblemIDs
	cp.schemes.Anomalies = cfg.ChangeControl.AnomalyIDs
	return cp, nil
}

func (cp *changeProduct) trailer() string {
	if cp.cfg == nil {
		return change.DefaultTrailer
	}
	return cp.cfg.ChangeControl.Trailer
}

func (cp *changeProduct) path(rel string) string {
	return filepath.Join(cp.dir, filepath.FromSlash(rel))
}

func (cp *changeProduct) load() (*change.Records, error) {
	return change.Load(cp.dir, cp.dirs, cp.schemes)
}

// requestFile returns the file of change request id.
func (cp *changeProduct) requestFile(id string) (string, error) {
	if _, err := cp.schemes.Requests.Parse(id); err != nil {
		return "", &usageError{err.Error()}
	}
	dir := cp.path(cp.dirs.Requests)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("change request %s: %w", id, err)
	}
	var files []string
	for _, e := range ents {
		base := strings.TrimSuffix(strings.TrimSuffix(e.Name(), ".yaml"), ".yml")
		if change.IsRecordFile(e.Name()) && (base == id || strings.HasPrefix(base, id+"-")) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	switch len(files) {
	case 0:
		return "", &usageError{fmt.Sprintf("change request %s: no record in %s", id, dir)}
	case 1:
		return files[0], nil
	}
	return "", &usageError{fmt.Sprintf("change request %s: %d records hold it (%s); renumber all but one", id, len(files), strings.Join(files, ", "))}
}

// timeFlag is an RFC 3339 time; now when not given.
type timeFlag struct{ t time.Time }

func (f *timeFlag) String() string {
	if f.t.IsZero() {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f *timeFlag) Set(s string) error {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("%q is not an RFC 3339 date-time (such as 2026-03-14T09:30:00Z)", s)
	}
	f.t = t.UTC()
	return nil
}

func (f *timeFlag) time() time.Time {
	if f.t.IsZero() {
		return time.Now().UTC().Truncate(time.Second)
	}
	return f.t
}

func runChangeNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("change new", stderr)
	dir := fs.String("C", "", "the product's repository `DIR` (default the current directory)")
	title := fs.String("title", "", "the change request's `title` (required)")
	var resolves, items stringsFlag
	fs.Var(&resolves, "resolves", "a problem report the change resolves, such as PR-004 (repeatable)")
	fs.Var(&items, "items", "a configuration item the change may change: an item `ID`, a module path or a path glob (repeatable)")
	by := fs.String("by", "", "who initiates the request, \"Name <email>\" (default git's author identity)")
	var at timeFlag
	fs.Var(&at, "at", "when, an RFC 3339 `time` (default now)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: baseline change new --title T [--resolves PR-ID]... [--items ID|GLOB|MODULE]...")
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &usageError{fmt.Sprintf("change new: unexpected argument %q", pos[0])}
	}
	if strings.TrimSpace(*title) == "" {
		return &usageError{"change new: --title is required"}
	}
	cp, err := loadChangeProduct(*dir)
	if err != nil {
		return err
	}
	recs, err := cp.load()
	if err != nil {
		return fmt.Errorf("the existing records have problems; fix them first:\n%w", err)
	}
	for _, pr := range resolves {
		if _, err := cp.schemes.Problems.Parse(pr); err != nil {
			return &usageError{fmt.Sprintf("--resolves %s: %v", pr, err)}
		}
		if recs.Problem(pr) == nil {
			return &usageError{fmt.Sprintf("--resolves %s: no such problem report in %s", pr, cp.path(cp.dirs.Problems))}
		}
	}
	var refs []change.ItemRef
	if len(items) > 0 {
		schemes, modules, known, err := cp.itemUniverse()
		if err != nil {
			return err
		}
		for _, arg := range items {
			ref, err := change.Classify(arg, schemes, modules)
			if err != nil {
				return &usageError{"--items " + err.Error()}
			}
			if ref.Kind == change.ItemID && !known[ref.Value] && known[prefixOf(ref.Value, schemes)] {
				return &usageError{fmt.Sprintf("--items %s: no such configuration item in items.yaml or soup.yaml", ref.Value)}
			}
			refs = append(refs, ref)
		}
	}
	who := *by
	if who == "" {
		who = git.Identity(ctx, cp.dir)
	}
	if who == "" {
		return &usageError{"change new: who initiates the request? Give --by \"Name <email>\" (git has no user.name)"}
	}
	reserved, err := change.TakenIDs(ctx, cp.dir, cp.dirs.Requests, cp.trailer(), cp.schemes.Requests)
	if err != nil {
		return err
	}
	id, file, err := change.New(cp.path(cp.dirs.Requests), cp.schemes.Requests, change.NewRequest{
		Title: *title, Resolves: resolves, Items: refs, By: who, At: at.time(), Reserved: reserved,
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, id)
	fmt.Fprintf(stderr, "baseline: wrote %s: fill in its TODOs, then \"baseline change approve\"\n", file)
	return nil
}

// itemUniverse returns the identifier schemes of configuration items
// (the product's own, the SOUP register's), the modules the build uses
// (the register's Go modules and the main module's requirements), for
// classifying --items arguments, and the identifiers items.yaml and
// soup.yaml hold, with the prefix of each file that exists (so that an
// identifier is checked only against a file that exists).
func (cp *changeProduct) itemUniverse() ([]ident.Scheme, []string, map[string]bool, error) {
	var schemes []ident.Scheme
	if cp.cfg != nil {
		schemes = append(schemes, cp.cfg.Items.IDs)
	} else {
		schemes = append(schemes, product.DefaultItemIDs)
	}
	known := map[string]bool{}
	f, err := items.Load(cp.path(items.DefaultFile))
	switch {
	case err == nil:
		known[schemes[0].Prefix] = true
		for _, it := range f.Items {
			known[it.ID] = true
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, nil, nil, err
	}
	var modules []string
	reg, err := soup.LoadRegister(cp.path(soup.DefaultFile))
	switch {
	case err == nil:
		schemes = append(schemes, reg.IDs.Scheme())
		known[reg.IDs.Prefix] = true
		for _, it := range reg.Items {
			known[it.ID] = true
			if it.Module != "" {
				modules = append(modules, it.Module)
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, nil, nil, err
	}
	if data, err := os.ReadFile(cp.path("go.mod")); err == nil {
		if f, err := modfile.ParseLax("go.mod", data, nil); err == nil {
			for _, r := range f.Require {
				modules = append(modules, r.Mod.Path)
			}
		}
	}
	return schemes, modules, known, nil
}

// checkItems refuses a change request whose items name a configuration
// item ID that neither items.yaml nor soup.yaml holds (in a scheme one of
// them uses).
func (cp *changeProduct) checkItems(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	r, err := change.ParseRequest(file, data, cp.schemes.Requests)
	if err != nil {
		return err // Record reports it as well
	}
	var ids []change.ItemRef
	for _, ref := range r.Items {
		if ref.Kind == change.ItemID {
			ids = append(ids, ref)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, _, known, err := cp.itemUniverse()
	if err != nil {
		return err
	}
	for _, ref := range ids {
		// Without items.yaml and soup.yaml nothing is known to check.
		if len(known) > 0 && !known[ref.Value] {
			return &usageError{fmt.Sprintf("%s:%d: items.item: %s: no such configuration item in items.yaml or soup.yaml", file, ref.Line, ref.Value)}
		}
	}
	return nil
}

func runChangeRecord(ctx context.Context, verb string, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("change "+verb, stderr)
	dir := fs.String("C", "", "the product's repository `DIR` (default the current directory)")
	by := fs.String("by", "", "who approves or verifies, \"Name <email>\" (required)")
	var at timeFlag
	fs.Var(&at, "at", "when, an RFC 3339 `time` (default now)")
	note := fs.String("note", "", "a comment recorded with the event (such as the reason for a rejection)")
	var reject *bool
	var evidence *string
	if verb == "approve" {
		reject = fs.Bool("reject", false, "record a rejection instead of an approval (final)")
		fs.Usage = func() {
			fmt.Fprintln(stderr, "usage: baseline change approve --by NAME [--reject] ID")
			fs.PrintDefaults()
		}
	} else {
		evidence = fs.String("evidence", "", "the verification record: a test report, a CI run (`REF`, required)")
		fs.Usage = func() {
			fmt.Fprintln(stderr, "usage: baseline change verify --by NAME --evidence REF ID")
			fs.PrintDefaults()
		}
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{fmt.Sprintf("change %s: want one change request identifier", verb)}
	}
	if strings.TrimSpace(*by) == "" {
		return &usageError{fmt.Sprintf("change %s: --by is required", verb)}
	}
	t := change.Transition{State: change.Approved, By: *by, At: at.time(), Note: *note}
	if verb == "approve" && *reject {
		t.State = change.Rejected
	}
	if verb == "verify" {
		if strings.TrimSpace(*evidence) == "" {
			return &usageError{"change verify: --evidence is required"}
		}
		t.State, t.Evidence = change.Verified, *evidence
	}
	cp, err := loadChangeProduct(*dir)
	if err != nil {
		return err
	}
	file, err := cp.requestFile(pos[0])
	if err != nil {
		return err
	}
	if t.State == change.Approved {
		// An approval covers the items the request names: they must
		// exist, as change new requires of --items.
		if err := cp.checkItems(file); err != nil {
			return err
		}
	}
	r, err := change.Record(file, cp.schemes.Requests, t)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s by %s at %s\n", r.ID, r.State(), t.By, t.At.Format(time.RFC3339))
	return nil
}

// stringsFlag is a repeatable flag.
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}

var _ flag.Value = (*stringsFlag)(nil)

func runChangeCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("change check", stderr)
	dir := fs.String("C", "", "the product's repository `DIR` (default the current directory)")
	since := fs.String("since", "", "check the commits after `BASELINE|REF`: an archived baseline (ID or version) or a git revision (default the last archived baseline, else baseline.yaml's change_control.start)")
	format := fs.String("format", "text", "report `format`: text (one line per finding) or json (the whole trace)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: baseline change check [--since BASELINE|REF] [-C DIR] [--format text|json]")
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &usageError{fmt.Sprintf("change check: unexpected argument %q", pos[0])}
	}
	if *format != "text" && *format != "json" {
		return &usageError{fmt.Sprintf("unknown --format %q (want text or json)", *format)}
	}
	rep, err := manifest.Trace(ctx, manifest.TraceOptions{Dir: *dir, Since: *since})
	if err != nil {
		return err
	}
	if *format == "json" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if _, err := stdout.Write(append(data, '\n')); err != nil {
			return err
		}
	} else {
		for _, f := range rep.Findings {
			fmt.Fprintln(stdout, f)
		}
	}
	from := rep.SinceFrom
	if rep.Since != "" {
		from += " (" + rep.Since[:min(12, len(rep.Since))] + ")"
	}
	if n := len(rep.Findings); n > 0 {
		return &findingError{fmt.Sprintf("change check: %d finding%s in %d commit%s since %s", n, plural(n), len(rep.Commits), plural(len(rep.Commits)), from)}
	}
	fmt.Fprintf(stderr, "baseline: change check: %d commit%s since %s, %d change request%s, every change authorised\n",
		len(rep.Commits), plural(len(rep.Commits)), from, len(rep.Requests), plural(len(rep.Requests)))
	return nil
}

// prefixOf returns the prefix of the scheme id is in.
func prefixOf(id string, schemes []ident.Scheme) string {
	for _, s := range schemes {
		if s.Prefix != "" && strings.HasPrefix(id, s.Prefix) {
			return s.Prefix
		}
	}
	return ""
}
