package change

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/product"
)

// FindingKind names a kind of traceability finding.
type FindingKind string

// The kinds of finding, as "baseline change check" prints them.
const (
	// Unauthorised: a configuration item changed by a commit that names
	// no change request, or one that does not exist, is not approved, or
	// was approved after the commit's committer date (IEC 62304 8.2.1,
	// 8.2.3).
	Unauthorised FindingKind = "unauthorised"
	// Duplicate: two records with the same identifier.
	Duplicate FindingKind = "duplicate"
	// OutOfScope: a change request changed an item it does not list
	// (8.2.4).
	OutOfScope FindingKind = "out-of-scope"
	// Unverified: a release includes a change request that is not
	// verified (8.2.3).
	Unverified FindingKind = "unverified"
	// Dangling: a problem report resolved by a change request that does
	// not exist, is rejected or is not released, or a change request
	// resolving a problem report that does not exist (8.2.4, 9.7).
	Dangling FindingKind = "dangling"
	// ReleaseType: a change does not fit the release type under
	// baseline.yaml's release policy.
	ReleaseType FindingKind = "release-type"
)

// FindingKinds lists the kinds in the order findings are reported.
var FindingKinds = []FindingKind{Unauthorised, OutOfScope, Unverified, Dangling, Duplicate, ReleaseType}

// Finding is one problem of traceability.
type Finding struct {
	Kind FindingKind `json:"kind"`
	// Commit is the commit at fault, if any (full hash).
	Commit string `json:"commit,omitempty"`
	// Request, Problem and Item are the change request, problem report
	// and configuration item concerned, if any.
	Request string `json:"request,omitempty"`
	Problem string `json:"problem,omitempty"`
	Item    string `json:"item,omitempty"`
	// File and Line place the finding in a record, if it is about one.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Msg  string `json:"message"`
}

// String returns the finding as one line: "[FILE:LINE: ]KIND: message".
func (f Finding) String() string {
	var b strings.Builder
	if f.File != "" {
		b.WriteString(f.File)
		if f.Line > 0 {
			fmt.Fprintf(&b, ":%d", f.Line)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s: %s", f.Kind, oneLine(f.Msg))
	return b.String()
}

// Commit is a commit as the check sees it: who committed it when, the
// change requests its trailers name, and the configuration items it
// changed.
type Commit struct {
	Hash    string    `json:"commit"`
	Subject string    `json:"subject"`
	Time    time.Time `json:"committerTime"`
	// Requests are the change requests its trailers name.
	Requests []string `json:"requests,omitempty"`
	// Items are the configuration items it changed; a commit that
	// changed none (only records, say) needs no change request.
	Items []ItemChange `json:"items,omitempty"`
}

// Short returns the commit's abbreviated hash.
func (c Commit) Short() string {
	if len(c.Hash) > 12 {
		return c.Hash[:12]
	}
	return c.Hash
}

// ItemChange is a configuration item a commit changed.
type ItemChange struct {
	// ID is the item's identifier (items.yaml or soup.yaml), "" when it
	// has none yet.
	ID string `json:"id,omitempty"`
	// Name is an own item's name (import path or file path) or a SOUP
	// item's module path.
	Name string `json:"name"`
	// Path is the item's path relative to the repository root (a package
	// directory, a file); "" for a SOUP item.
	Path string `json:"path,omitempty"`
	// Files are the paths the commit changed in the item.
	Files []string `json:"files,omitempty"`
	// Module, Old and New describe a SOUP item's change: the module path
	// and its versions before and after ("" when added or removed).
	Module string `json:"module,omitempty"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
}

// Label names the item in messages: "CI-003 example.com/app/dose".
func (it ItemChange) Label() string {
	if it.ID == "" {
		return it.Name
	}
	return it.ID + " " + it.Name
}

// InScope reports whether a change request that lists refs may change
// item: one of refs names its identifier, its module, or a glob that
// matches its path or one of the files changed.
func InScope(refs []ItemRef, item ItemChange) bool {
	for _, r := range refs {
		switch r.Kind {
		case ItemID:
			if item.ID != "" && r.Value == item.ID {
				return true
			}
		case ItemModule:
			if item.Module != "" && r.Value == item.Module {
				return true
			}
		case ItemPath:
			if item.Path != "" && product.Match(r.Value, item.Path) {
				return true
			}
			for _, f := range item.Files {
				if product.Match(r.Value, f) {
					return true
				}
			}
		}
	}
	return false
}

// CheckInput is what Check checks.
type CheckInput struct {
	Records *Records
	// Commits are the commits since the last baseline.
	Commits []Commit
	// Released maps each change request an archived release lists to
	// the version of the first such release.
	Released map[string]string
	// Included are the change requests of the release being made or
	// checked, besides those the commits name (for a release: those its
	// manifest lists).
	Included []string
}

// Check returns the traceability findings of in, in the order of
// FindingKinds, then commit (oldest first) and identifier. It does not
// check the release type (that needs the release's diff; see
// manifest.Trace).
func Check(in CheckInput) []Finding {
	rs := in.Records
	if rs == nil {
		rs = &Records{}
	}
	var unauth, scope, unverified, dangling, dups []Finding
	included := map[string]bool{}
	for _, id := range in.Included {
		included[id] = true
	}
	commits := slices.Clone(in.Commits)
	slices.Reverse(commits) // oldest first
	for _, c := range commits {
		for _, id := range c.Requests {
			included[id] = true
		}
		if len(c.Items) == 0 {
			continue
		}
		labels := itemLabels(c.Items)
		if len(c.Requests) == 0 {
			unauth = append(unauth, Finding{Kind: Unauthorised, Commit: c.Hash,
				Msg: fmt.Sprintf("commit %s %q changes %s but names no change request", c.Short(), c.Subject, labels)})
			continue
		}
		var valid []*Request
		for _, id := range c.Requests {
			r := rs.Request(id)
			switch {
			case r == nil:
				unauth = append(unauth, Finding{Kind: Unauthorised, Commit: c.Hash, Request: id,
					Msg: fmt.Sprintf("commit %s %q changes %s under %s, which has no record", c.Short(), c.Subject, labels, id)})
				continue
			case !r.IsApproved():
				unauth = append(unauth, Finding{Kind: Unauthorised, Commit: c.Hash, Request: id, File: r.File, Line: r.History[len(r.History)-1].Line,
					Msg: fmt.Sprintf("commit %s %q changes %s under %s, which is %s, not approved", c.Short(), c.Subject, labels, id, r.State())})
			default:
				ev, _ := r.Event(Approved)
				if ev.At.After(c.Time) {
					unauth = append(unauth, Finding{Kind: Unauthorised, Commit: c.Hash, Request: id, File: r.File, Line: ev.Line,
						Msg: fmt.Sprintf("commit %s %q (committed %s) changes %s under %s, approved only at %s", c.Short(), c.Subject,
							c.Time.UTC().Format(time.RFC3339), labels, id, ev.At.Format(time.RFC3339))})
				}
			}
			valid = append(valid, r)
		}
		if len(valid) == 0 {
			continue
		}
		for _, it := range c.Items {
			ok := false
			for _, r := range valid {
				if InScope(r.Items, it) {
					ok = true
					break
				}
			}
			if !ok {
				ids := make([]string, len(valid))
				for i, r := range valid {
					ids[i] = r.ID
				}
				scope = append(scope, Finding{Kind: OutOfScope, Commit: c.Hash, Request: ids[0], Item: it.ID, File: valid[0].File, Line: valid[0].Line,
					Msg: fmt.Sprintf("commit %s %q changes %s, which %s does not list in its items", c.Short(), c.Subject, it.Label(), strings.Join(ids, " or "))})
			}
		}
	}
	for _, r := range rs.Requests {
		if included[r.ID] && !r.IsVerified() {
			unverified = append(unverified, Finding{Kind: Unverified, Request: r.ID, File: r.File, Line: r.Line,
				Msg: fmt.Sprintf("%s %q is in the release but %s, not verified", r.ID, r.Title, r.State())})
		}
		for _, pr := range r.Resolves {
			if rs.Problem(pr) == nil {
				dangling = append(dangling, Finding{Kind: Dangling, Request: r.ID, Problem: pr, File: r.File, Line: r.Line,
					Msg: fmt.Sprintf("%s resolves %s, which has no record", r.ID, pr)})
			}
		}
	}
	for _, p := range rs.Problems {
		if p.State != Resolved {
			continue
		}
		r := rs.Request(p.ResolvedBy)
		var why string
		switch {
		case r == nil:
			why = "which has no record"
		case r.State() == Rejected:
			why = "which is rejected"
		case in.Released[r.ID] == "" && !included[r.ID]:
			why = "which is not released (no archived release lists it, and no commit since the last baseline names it)"
		}
		if why != "" {
			dangling = append(dangling, Finding{Kind: Dangling, Problem: p.ID, Request: p.ResolvedBy, File: p.File, Line: p.Line,
				Msg: fmt.Sprintf("%s is resolved by %s, %s", p.ID, p.ResolvedBy, why)})
		}
	}
	for _, d := range rs.Duplicates() {
		dups = append(dups, Finding{Kind: Duplicate, Request: d.ID, File: d.Files[1], Line: 1,
			Msg: fmt.Sprintf("%s is also the identifier of %s; renumber one (\"baseline change new\" allocates a free identifier)", d.ID, strings.Join(without(d.Files, 1), ", "))})
	}
	return slices.Concat(unauth, scope, unverified, dangling, dups)
}

func without(s []string, i int) []string {
	return slices.Concat(s[:i], s[i+1:])
}

// itemLabels lists items for a message, at most three by name.
func itemLabels(items []ItemChange) string {
	var names []string
	for i, it := range items {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(items)-3))
			break
		}
		names = append(names, it.Label())
	}
	return strings.Join(names, ", ")
}
