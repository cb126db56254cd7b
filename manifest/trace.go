package manifest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/change"
	"github.com/baseline-cm/baseline/internal/git"
	"github.com/baseline-cm/baseline/items"
	"github.com/baseline-cm/baseline/product"
	"github.com/baseline-cm/baseline/soup"
)

// ChangeRequest is a change request as a release manifest lists it: the
// trace from the request to the problem reports it resolves, its
// approval and verification, and the commits and items of its
// implementation (IEC 62304 8.2.4, 8.3).
type ChangeRequest struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	State    string   `json:"state"`
	Resolves []string `json:"resolves"`
	// Approved and Verified are the request's approval and verification
	// events (workflow records, not signatures); nil when it has none.
	Approved *Event `json:"approved"`
	Verified *Event `json:"verified"`
	// Commits are the commits since the previous baseline whose trailers
	// name the request, oldest first.
	Commits []string `json:"commits"`
	// Items are the configuration items those commits changed, by ID (or
	// name for an item without one), sorted.
	Items []string `json:"items"`
}

// Event is who moved a change request into a state, and when.
type Event struct {
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Evidence string    `json:"evidence,omitempty"`
}

// ProblemReport is a problem report as a release manifest lists it.
type ProblemReport struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	State      string `json:"state"`
	ResolvedBy string `json:"resolvedBy,omitempty"`
}

// TraceOptions are the inputs of Trace.
type TraceOptions struct {
	// Dir is the product's root, where baseline.yaml is, inside a git
	// work tree; "" is the current directory.
	Dir string
	// Config is the product configuration; nil loads Dir/baseline.yaml
	// (its defaults when there is none).
	Config *product.Config
	// Since is where the checked history starts (exclusive): the baseline
	// ID or version of an archived release, or a git ref. "" is the
	// commit of Previous, else of the last archived release, else the
	// start of change control in baseline.yaml; without any of them no
	// commit is checked (change control starts with the first baseline).
	Since string
	// Until is the last commit checked; "" is HEAD.
	Until string
	// Archive are the archived releases; nil loads them from the
	// configuration's archive directory.
	Archive []*Manifest
	// For a release: its type (Major, Minor, Patch; First or "" skips the
	// policy), its changes since the previous baseline (Diff), checked
	// against baseline.yaml's release policy, and the previous baseline.
	ReleaseType string
	Changes     *Changes
	Previous    *Manifest
	// First says the release is a first release (Previous is nil): its
	// history starts at the start of change control (baseline.yaml's, or
	// else the first archived baseline), whatever releases are archived,
	// not after the last of them.
	First bool
}

// TraceReport is the result of Trace.
type TraceReport struct {
	// Since is the commit the checked history starts after ("" when
	// there is none: from the start of change control given as a date,
	// or, without one and without a baseline, no commit); SinceFrom says
	// where it comes from; NotBefore is the start of change control when
	// baseline.yaml gives it as a date.
	Since     string    `json:"since"`
	SinceFrom string    `json:"sinceFrom"`
	NotBefore time.Time `json:"notBefore,omitzero"`
	Until     string    `json:"until"`
	// Commits are the commits checked, newest first, with the change
	// requests they name and the items they changed.
	Commits []change.Commit `json:"commits"`
	// Requests are the change requests the commits name that have a
	// record; Problems the problem reports those requests resolve.
	Requests []ChangeRequest `json:"changeRequests"`
	Problems []ProblemReport `json:"problemReports"`
	// Records are the change-control records read.
	Records  *change.Records  `json:"-"`
	Findings []change.Finding `json:"findings"`

	none bool // no commit is under change control yet
}

// Trace checks that every change since the previous baseline was
// authorised (IEC 62304 8.2; ISO 13485 7.3.9): it reads the commits of
// the git history between Since and Until with the paths each touched,
// maps them to configuration items (own items by items.yaml and
// baseline.yaml's classes; SOUP items by the go.mod and go.sum changes,
// with soup.yaml's identifiers), and joins them with the change-control
// records and the commit trailers. The findings are change.Check's
// (unauthorised, out-of-scope, unverified, dangling, duplicate) and, for
// a release, release-type: a change the release policy does not allow
// in a release of its type. The change-control records and the release
// archive are not configuration items. Trace only reads the repository.
//
// A record that does not parse is an error, not a finding: the check
// cannot be trusted without every record.
func Trace(ctx context.Context, opts TraceOptions) (*TraceReport, error) {
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	cfg := opts.Config
	if cfg == nil {
		c, err := product.Load(filepath.Join(dir, product.DefaultFile))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			c, err = product.Parse(filepath.Join(dir, product.DefaultFile), []byte("version: 1\nproduct: {name: product}\n"))
			if err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		}
		cfg = c
	}
	join := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	recs, err := change.Load(dir, change.Dirs{
		Requests: cfg.Records.ChangeRequests, Problems: cfg.Records.ProblemReports, Anomalies: cfg.Records.Anomalies,
	}, change.Schemes{Requests: cfg.ChangeControl.IDs, Problems: cfg.ChangeControl.ProblemIDs, Anomalies: cfg.ChangeControl.AnomalyIDs})
	if err != nil {
		return nil, err
	}
	archive := opts.Archive
	if archive == nil {
		rels, err := Archive(join(cfg.Archive))
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if r.Err != nil {
				return nil, r.Err
			}
			archive = append(archive, r.Manifest)
		}
	}
	until := opts.Until
	if until == "" {
		until = "HEAD"
	}
	rep := &TraceReport{Records: recs, Requests: []ChangeRequest{}, Problems: []ProblemReport{}, Findings: []change.Finding{}}
	if rep.Until, err = git.Commit(ctx, dir, until); err != nil {
		return nil, err
	}
	if err := rep.since(ctx, dir, cfg, opts, archive); err != nil {
		return nil, err
	}

	base := opts.Previous
	if base == nil && len(archive) > 0 {
		base = archive[len(archive)-1]
	}
	catalog, err := buildCatalog(cfg, dir, base)
	if err != nil {
		return nil, err
	}
	revRange := rep.Until
	if rep.Since != "" {
		revRange = rep.Since + ".." + rep.Until
	}
	if !rep.none {
		rep.Commits, err = change.Commits(ctx, dir, revRange, change.CommitOptions{
			Trailer: cfg.ChangeControl.Trailer, Catalog: catalog, NotBefore: rep.NotBefore,
		})
		if err != nil {
			return nil, err
		}
	}
	if rep.Commits == nil {
		rep.Commits = []change.Commit{}
	}
	released := map[string]string{}
	for _, m := range archive {
		for _, cr := range m.ChangeRequests {
			if released[cr.ID] == "" {
				released[cr.ID] = m.Version
			}
		}
	}
	rep.Findings = append(rep.Findings, change.Check(change.CheckInput{Records: recs, Commits: rep.Commits, Released: released})...)
	rep.Findings = append(rep.Findings, releaseTypeFindings(cfg, opts.ReleaseType, opts.Changes)...)
	rep.trace(recs)
	return rep, nil
}

// since resolves where the checked history starts.
func (rep *TraceReport) since(ctx context.Context, dir string, cfg *product.Config, opts TraceOptions, archive []*Manifest) error {
	if s := opts.Since; s != "" {
		for _, m := range archive {
			if m.BaselineID == s || m.Version == s || product.Canonical(m.Version) != "" && product.Canonical(m.Version) == product.Canonical(s) {
				if m.VCS.Commit == "" {
					return fmt.Errorf("--since %s: the archived release names no commit", s)
				}
				rep.Since, rep.SinceFrom = m.VCS.Commit, "baseline "+m.BaselineID
				return nil
			}
		}
		c, err := git.Commit(ctx, dir, s)
		if err != nil {
			return fmt.Errorf("--since %s: neither an archived baseline nor a git revision (%v)", s, err)
		}
		rep.Since, rep.SinceFrom = c, s
		return nil
	}
	last := opts.Previous
	if last == nil && len(archive) > 0 && !opts.First {
		last = archive[len(archive)-1]
	}
	if last != nil && last.VCS.Commit != "" {
		rep.Since, rep.SinceFrom = last.VCS.Commit, "baseline "+last.BaselineID
		return nil
	}
	start := cfg.ChangeControl.Start
	if start == "" {
		if opts.First && len(archive) > 0 && archive[0].VCS.Commit != "" {
			// Change control started with the first archived baseline:
			// another first release answers for everything since.
			first := archive[0]
			rep.Since, rep.SinceFrom = first.VCS.Commit, "baseline "+first.BaselineID+", where change control started"
			return nil
		}
		rep.SinceFrom, rep.none = "no baseline yet (change control starts with the first release, or at baseline.yaml's change_control.start)", true
		return nil
	}
	if t, ok := cfg.ChangeControl.StartTime(); ok {
		rep.NotBefore, rep.SinceFrom = t, "change_control.start "+start
		return nil
	}
	c, err := git.Commit(ctx, dir, start)
	if err != nil {
		return fmt.Errorf("%s: change_control.start: %q is not a git revision of the repository (%v)", cfg.File, start, err)
	}
	rep.Since, rep.SinceFrom = c, "change_control.start "+start
	return nil
}

// buildCatalog returns what maps paths to configuration items: items.yaml
// (when there is one), the files classes of baseline.yaml, the SOUP
// register's modules, and the paths that are never items; and the items
// of the previous baseline base (if any) that are no longer in items.yaml
// or soup.yaml, so that a removed item is named by its identifier.
func buildCatalog(cfg *product.Config, dir string, base *Manifest) (change.Catalog, error) {
	cat := change.Catalog{Classes: cfg.Items.Classes, Modules: map[string]string{}}
	for _, d := range []string{cfg.Records.ChangeRequests, cfg.Records.ProblemReports, cfg.Records.Anomalies, cfg.Archive} {
		if d != "" {
			cat.Ignore = append(cat.Ignore, strings.TrimSuffix(d, "/")+"/**")
		}
	}
	cat.Ignore = append(cat.Ignore, items.DefaultFile, soup.DefaultFile, product.DefaultFile)
	kind := map[string]string{}
	for _, c := range cfg.Items.Classes {
		kind[c.Name] = c.Kind
	}
	f, err := items.Load(filepath.Join(dir, items.DefaultFile))
	switch {
	case err == nil:
		for _, it := range f.Items {
			cat.Items = append(cat.Items, change.CatalogItem{ID: it.ID, Name: it.Name, Path: it.Path, Package: kind[it.Class] == product.GoPackage})
		}
	case !errors.Is(err, fs.ErrNotExist):
		return cat, err
	}
	reg, err := soup.LoadRegister(filepath.Join(dir, soup.DefaultFile))
	switch {
	case err == nil:
		for _, it := range reg.Items {
			if it.Module != "" {
				cat.Modules[it.Module] = it.ID
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return cat, err
	}
	if base != nil {
		known := map[string]bool{}
		for _, it := range cat.Items {
			known[it.ID] = true
		}
		for _, id := range cat.Modules {
			known[id] = true
		}
		for _, it := range base.Items {
			switch {
			case known[it.ID] || it.ID == "":
			case it.Class == ClassSOUP:
				if it.Kind == string(soup.GoModule) {
					if _, ok := cat.Modules[it.Name]; !ok {
						cat.Modules[it.Name] = it.ID
					}
				}
			case it.Class != ClassSBOM && it.Class != ClassArtifact && it.Path != "":
				cat.Items = append(cat.Items, change.CatalogItem{ID: it.ID, Name: it.Name, Path: it.Path, Package: it.Kind == product.GoPackage})
			}
		}
	}
	return cat, nil
}

// releaseTypeFindings checks a release's changes against the policy.
func releaseTypeFindings(cfg *product.Config, typ string, d *Changes) []change.Finding {
	if d == nil || typ == "" || typ == First {
		return nil
	}
	var out []change.Finding
	field := "change_control.release_policy." + typ
	add := func(kind, item, what string) {
		if cfg.ChangeControl.ReleasePolicy.Allows(typ, kind) {
			return
		}
		out = append(out, change.Finding{Kind: change.ReleaseType, Item: item, File: product.DefaultFile, Line: cfg.Line(field),
			Msg: fmt.Sprintf("a %s release may not hold %s: %s (%s)", typ, kind, what, field)})
	}
	for _, a := range d.Added {
		kind := product.ItemAdded
		if a.Class == ClassSOUP {
			kind = product.SOUPAdded
		}
		add(kind, a.ID, fmt.Sprintf("%s %s added", a.ID, a.Name))
	}
	for _, r := range d.Removed {
		kind := product.ItemRemoved
		if r.Class == ClassSOUP {
			kind = product.SOUPRemoved
		}
		add(kind, r.ID, fmt.Sprintf("%s %s removed", r.ID, r.Name))
	}
	for _, c := range d.Changed {
		what := fmt.Sprintf("%s %s changed", c.ID, c.Name)
		if c.OldVersion != c.NewVersion {
			what = fmt.Sprintf("%s %s %s -> %s", c.ID, c.Name, c.OldVersion, c.NewVersion)
		}
		add(c.Kind, c.ID, what)
	}
	return out
}

// trace fills Requests and Problems from the commits and records.
func (rep *TraceReport) trace(recs *change.Records) {
	byID := map[string]*ChangeRequest{}
	var order []string
	commits := slices.Clone(rep.Commits)
	slices.Reverse(commits)
	for _, c := range commits {
		for _, id := range c.Requests {
			r := recs.Request(id)
			if r == nil {
				continue
			}
			cr := byID[id]
			if cr == nil {
				cr = requestOf(r)
				byID[id] = cr
				order = append(order, id)
			}
			cr.Commits = append(cr.Commits, c.Hash)
			for _, it := range c.Items {
				label := it.ID
				if label == "" {
					label = it.Name
				}
				if !slices.Contains(cr.Items, label) {
					cr.Items = append(cr.Items, label)
				}
			}
		}
	}
	slices.Sort(order)
	problems := map[string]bool{}
	for _, id := range order {
		cr := byID[id]
		slices.Sort(cr.Items)
		rep.Requests = append(rep.Requests, *cr)
		for _, pr := range cr.Resolves {
			problems[pr] = true
		}
	}
	for _, p := range recs.Problems {
		if problems[p.ID] || byID[p.ResolvedBy] != nil {
			rep.Problems = append(rep.Problems, ProblemReport{ID: p.ID, Title: p.Title, State: string(p.State), ResolvedBy: p.ResolvedBy})
		}
	}
}

func requestOf(r *change.Request) *ChangeRequest {
	cr := &ChangeRequest{ID: r.ID, Title: r.Title, State: string(r.State()), Resolves: slices.Clone(r.Resolves), Commits: []string{}, Items: []string{}}
	if cr.Resolves == nil {
		cr.Resolves = []string{}
	}
	if r.IsApproved() {
		if ev, ok := r.Event(change.Approved); ok {
			cr.Approved = &Event{By: ev.By, At: ev.At}
		}
	}
	if ev, ok := r.Event(change.Verified); ok && r.IsVerified() {
		cr.Verified = &Event{By: ev.By, At: ev.At, Evidence: ev.Evidence}
	}
	return cr
}

// requestsFor returns the change requests of m whose commits changed the
// item with identifier id.
func requestsFor(m *Manifest, id string) []string {
	var out []string
	for _, cr := range m.ChangeRequests {
		if slices.Contains(cr.Items, id) {
			out = append(out, cr.ID)
		}
	}
	return out
}
