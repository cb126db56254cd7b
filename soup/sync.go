package soup

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"
	"go.yaml.in/yaml/v3"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/atomicfile"
	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/internal/spdxexpr"
	"github.com/baseline-cm/baseline/inventory"
)

// SyncOptions control Sync.
type SyncOptions struct {
	// Now dates retirements; time.Now() when zero.
	Now time.Time
	// KeepUnused leaves items the build no longer uses in the register
	// instead of retiring them (for a register shared by several builds,
	// each synced on its own).
	KeepUnused bool
	// Advisories are the advisories of the vulnerability database that
	// affect the versions the build uses (package anomaly looks them up):
	// each one an item does not list is added to its
	// anomaly_evaluation.advisories, evidence filled in, conclusion TODO.
	Advisories []KnownAdvisory
}

// ChangeKind is what Sync did to an item.
type ChangeKind string

// The kinds of changes.
const (
	// Added: a new item for an undeclared component, with TODO markers.
	Added ChangeKind = "added"
	// Updated: the version (and package URL) of an item changed; its
	// anomaly evaluation names the old version until it is redone.
	Updated ChangeKind = "updated"
	// Retired: an item the build no longer uses was removed and its
	// identifier recorded under ids.retired.
	Retired ChangeKind = "retired"
	// Identified: an item written without an identifier was given one.
	Identified ChangeKind = "identified"
)

// Change is one change Sync made.
type Change struct {
	Kind   ChangeKind `json:"kind"`
	ID     string     `json:"id"`
	Title  string     `json:"title,omitempty"`
	Module string     `json:"module,omitempty"`
	// From and To are the versions of an updated item; To is the version
	// of an added one.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// String describes the change in a line.
func (c Change) String() string {
	what := oneLine(cmpOr(c.Module, c.Title))
	switch c.Kind {
	case Added:
		return fmt.Sprintf("added %s %s %s: fill in its TODO fields", c.ID, what, c.To)
	case Updated:
		return fmt.Sprintf("updated %s %s %s -> %s: evaluate its anomaly list again (7.1.3)", c.ID, what, c.From, c.To)
	case Retired:
		return fmt.Sprintf("retired %s %s: no longer used by the build", c.ID, what)
	case Identified:
		return fmt.Sprintf("identified %s %s", c.ID, what)
	case AdvisoryAdded:
		return fmt.Sprintf("listed %s in %s %s: evaluate it (7.1.3)", c.To, c.ID, what)
	}
	return string(c.Kind) + " " + c.ID
}

// Changes are the changes of one Sync: updates and retirements in register
// order, then identifications and additions in identifier order.
type Changes []Change

// newRegister is the register Sync starts from when the file does not
// exist.
const newRegister = `# SOUP register (IEC 62304 8.1.2, 5.3.3, 5.3.4, 7.1.3), kept by
# "baseline soup sync" and checked by "baseline soup check".
# Format: https://pkg.go.dev/github.com/baseline-cm/baseline/soup
version: 1
ids:
  prefix: SOUP-
  width: 3
policy:
  require_fda: true
  evaluation_max_age: 365
items: []
`

// Sync brings the register in file up to date with the inventory of a
// build, and returns what it changed:
//
//   - a SOUP component no item declares gets a new item (at the end of
//     items), with the next identifier and what discovery knows: title
//     (the module path), kind, module, version, purl, website, the
//     detected licence, and hints (manufacturer, anomaly list, required
//     software) marked "TODO: confirm: ..."; every field a person must
//     fill in says "TODO";
//   - a Go item whose version differs from the build's gets the build's
//     version (and purl, if it has one); its anomaly evaluation keeps the
//     version it was made for, so reconciliation reports it out of date
//     until it is redone;
//   - an item without an identifier gets one;
//   - a Go item the build no longer uses is removed, and its identifier
//     recorded under ids.retired with its title, the date and the reason
//     (unless opts.KeepUnused);
//   - ids.last_issued records the highest identifier issued.
//
// New identifiers are issued in the sorted order of the new items' package
// URLs (kind and title for hand-written items), after the highest ever
// issued, retired or recorded in ids.last_issued (see package ident).
//
// Sync edits the file's YAML tree in place and splices the changes into
// the original text: comments, key order, blank lines, quoting and
// hand-written text are kept. It holds an exclusive lock on file+".lock"
// (package lockedfile) from reading the file to replacing it, so that
// concurrent runs, in one process or several, never lose an identifier or
// an edit. The file is replaced atomically and keeps its mode and owner;
// a symbolic link is written through to its target (the lock is taken on
// the target); a read-only register is not written (the error
// matches fs.ErrPermission and names the file). With nothing to change, the file is not written at
// all, so a second run leaves it byte for byte as it was. A missing file
// is created. A register that does not parse is left untouched and the
// error returned lists every problem with its line.
func Sync(file string, inv *inventory.Inventory, opts SyncOptions) (Changes, error) {
	// A symbolic link is written through: the lock and the file replaced
	// are those of its target, so that the register never forks.
	target, err := atomicfile.Resolve(file)
	if err != nil {
		return nil, fmt.Errorf("SOUP register: %w", err)
	}
	unlock, err := lockedfile.MutexAt(target + ".lock").Lock()
	if err != nil {
		return nil, fmt.Errorf("locking SOUP register: %w", err)
	}
	defer unlock()
	// Temporary files of a run killed before its rename: no other writer
	// runs while the lock is held.
	if _, err := atomicfile.RemoveStale(target); err != nil {
		return nil, fmt.Errorf("removing stale temporary files of %s: %w", file, err)
	}

	created := false
	data, err := readRegister(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data, created = []byte(newRegister), true
	case err != nil:
		return nil, err
	}
	out, changes, err := syncData(file, data, inv, opts)
	if err != nil {
		return nil, err
	}
	if len(changes) == 0 && !created {
		return changes, nil
	}
	if err := atomicfile.WriteFile(target, out, 0o666); err != nil {
		return nil, fmt.Errorf("SOUP register: %w", err)
	}
	return changes, nil
}

// syncData is Sync on the register's bytes.
func syncData(name string, data []byte, inv *inventory.Inventory, opts SyncOptions) ([]byte, Changes, error) {
	reg, doc, err := parse(name, data)
	if err != nil {
		return nil, nil, err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	alloc, err := ident.New(reg.IDs.Scheme())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: ids: %w", name, err)
	}
	for _, it := range reg.Items {
		if it.ID != "" {
			if err := alloc.Issue(it.ID); err != nil {
				return nil, nil, fmt.Errorf("%s:%d: id: %w", name, it.Line, err)
			}
		}
	}
	for _, r := range reg.IDs.Retired {
		if err := alloc.Retire(r.ID); err != nil {
			return nil, nil, fmt.Errorf("%s:%d: ids.retired: %w", name, r.Line, err)
		}
	}
	alloc.Reserve(reg.IDs.LastIssued)

	ed := newEditor(doc)
	top := doc.top
	itemsIdx, _, _ := lookup(top, "items")
	itemsEnd := ed.valueEnd(top, itemsIdx, ed.lines()+1)
	comps := soupComponents(inv)

	var changes Changes
	var stale []int
	type pending struct {
		key  string
		item int                  // index of an existing item without an ID, or -1
		comp *inventory.Component // a new component
		mod  string
		ver  string
	}
	var newIDs []pending // items to number
	declared := map[string]bool{}
	for i := range reg.Items {
		it := &reg.Items[i]
		node := doc.items[i]
		if it.IsGo() {
			declared[it.Module] = true
			u, ok := comps[it.Module]
			if !ok && !opts.KeepUnused && it.ID != "" {
				stale = append(stale, i)
				continue
			}
			if ok && u.version != "" && it.Version != u.version {
				if _, _, v := lookup(node, "version"); v != nil && !isNull(v) {
					ed.setScalar(v, u.version)
				} else if v != nil {
					*v = *strNode(u.version)
					ed.fail("null version at line %d", it.Line)
				} else {
					ed.insertKeyAfter(node, "module", "version", strNode(u.version))
				}
				if _, _, p := lookup(node, "purl"); p != nil && !isNull(p) && u.c.PURL != "" {
					ed.setScalar(p, u.c.PURL)
				}
				changes = append(changes, Change{Kind: Updated, ID: it.ID, Title: it.Title, Module: it.Module, From: it.Version, To: u.version})
			}
			if ok {
				changes = append(changes, syncAdvisories(ed, it, node, itemEnd(ed, doc, i, itemsEnd), u.version, opts.Advisories)...)
			}
		}
		if it.ID == "" {
			key := it.PackageURL()
			if key == "" {
				key = string(it.Kind) + ":" + it.Title
			}
			newIDs = append(newIDs, pending{key: key, item: i})
		}
	}
	for _, mod := range slices.Sorted(maps.Keys(comps)) {
		if declared[mod] {
			continue
		}
		u := comps[mod]
		key := u.c.PURL
		if key == "" {
			key = modpath.PackageURL(mod, u.version)
		}
		newIDs = append(newIDs, pending{key: key, item: -1, comp: u.c, mod: mod, ver: u.version})
	}

	// New identifiers, in the sorted order of the keys.
	byKey := map[string]pending{}
	var keys []string
	for _, p := range newIDs {
		for byKey[p.key].key != "" { // keys are unique in practice; keep them so
			p.key += "\x00"
		}
		byKey[p.key] = p
		keys = append(keys, p.key)
	}
	assigned := alloc.Allocate(keys)

	// The high-water mark.
	if len(assigned) > 0 && alloc.High() > reg.IDs.LastIssued {
		_, _, ids := lookup(top, "ids")
		if _, _, li := lookup(ids, "last_issued"); li != nil && !isNull(li) {
			ed.setInt(li, alloc.High())
		} else if li != nil {
			*li = *intNode(alloc.High())
			ed.fail("null last_issued")
		} else {
			ed.insertKeyAfter(ids, "width", "last_issued", intNode(alloc.High()))
		}
	}

	// Retirements.
	if len(stale) > 0 {
		var entries []*yaml.Node
		for _, i := range stale {
			it := &reg.Items[i]
			if err := alloc.Retire(it.ID); err != nil {
				return nil, nil, fmt.Errorf("%s:%d: %w", name, it.Line, err)
			}
			title := it.Title
			if title == "" || IsTODO(title) {
				title = it.Module
			}
			entries = append(entries, mapNode(
				strNode("id"), strNode(it.ID),
				strNode("title"), strNode(title),
				strNode("date"), dateNode(now.UTC().Format(time.DateOnly)),
				strNode("reason"), strNode("no longer used by the build (baseline soup sync)"),
			))
			changes = append(changes, Change{Kind: Retired, ID: it.ID, Title: it.Title, Module: it.Module})
		}
		ed.removeItems(top, itemsIdx, itemsEnd, stale)
		idsIdx, _, ids := lookup(top, "ids")
		idsEnd := ed.valueEnd(top, idsIdx, ed.lines()+1)
		if ri, _, retired := lookup(ids, "retired"); retired != nil {
			ed.appendItems(ids, ri, ed.valueEnd(ids, ri, idsEnd), entries)
		} else {
			ed.appendKey(ids, idsEnd, "retired", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: entries})
		}
	}

	// Identifications and additions.
	var added []*yaml.Node
	for _, as := range assigned {
		p := byKey[as.Key]
		if p.item >= 0 {
			it := &reg.Items[p.item]
			ed.prependKey(doc.items[p.item], "id", strNode(as.ID))
			changes = append(changes, Change{Kind: Identified, ID: as.ID, Title: it.Title, Module: it.Module})
			continue
		}
		added = append(added, withAdvisories(newItem(as.ID, p.comp, p.mod, p.ver, reg.Policy.RequireFDA), p.mod, p.ver, opts.Advisories))
		changes = append(changes, Change{Kind: Added, ID: as.ID, Title: p.mod, Module: p.mod, To: p.ver})
	}
	if len(added) > 0 {
		ed.appendItems(top, itemsIdx, itemsEnd, added)
	}

	if len(changes) == 0 {
		return data, nil, nil
	}
	out, err := ed.result()
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := parse(name, out); err != nil {
		return nil, nil, fmt.Errorf("internal error: sync would write a register that does not parse: %w", err)
	}
	return out, changes, nil
}

// newItem is the register item for a component nobody declared yet: what
// discovery knows, and TODO markers for what a person must fill in.
func newItem(id string, c *inventory.Component, mod, version string, requireFDA bool) *yaml.Node {
	kv := []*yaml.Node{strNode("id"), strNode(id)}
	add := func(k string, v *yaml.Node) { kv = append(kv, strNode(k), v) }
	hint := func(s string) *yaml.Node {
		if s == "" {
			return strNode("TODO")
		}
		return strNode("TODO: confirm: " + s)
	}
	stdlib := mod == StdlibModule
	if stdlib {
		add("title", strNode("Go standard library and runtime"))
		add("kind", strNode(string(Runtime)))
	} else {
		add("title", strNode(mod))
		add("kind", strNode(string(GoModule)))
	}
	add("module", strNode(mod))
	if version != "" {
		add("version", strNode(version))
	} else {
		add("version", strNode("TODO: the version of the local directory replacement"))
	}
	if c.PURL != "" {
		add("purl", strNode(c.PURL))
	}
	add("manufacturer", hint(supplierHint(mod)))
	add("website", strNode(modpath.Website(mod)))
	add("license", strNode(proposedLicense(c.Licenses)))
	add("used_by", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: []*yaml.Node{strNode("TODO")}})
	add("safety_class", strNode("TODO"))
	add("requirements", mapNode(strNode("functional"), strNode("TODO"), strNode("performance"), strNode("TODO")))
	hw := ""
	switch {
	case stdlib:
		hw = "the GOOS/GOARCH targets of the product"
	case c.GoVersion != "":
		hw = "Go " + c.GoVersion + " or later (its go.mod)"
	}
	add("required_hw_sw", hint(hw))
	add("anomaly_evaluation", mapNode(
		strNode("anomaly_list"), hint(modpath.IssueTracker(mod)),
		strNode("version_evaluated"), strNode("TODO"),
		strNode("date"), strNode("TODO"),
		strNode("evaluator"), strNode("TODO"),
		strNode("relevant_anomalies"), strNode("TODO"),
		strNode("conclusion"), strNode("TODO"),
	))
	if requireFDA {
		eos := strNode("end_of_support")
		eos.LineComment = "# or end_of_support_justification: why there is no date"
		add("support", mapNode(
			strNode("level"), strNode("TODO"),
			strNode("assessed"), strNode("TODO"),
			eos, strNode("TODO"),
		))
	}
	add("verification", mapNode(strNode("reasoning"), strNode("TODO"), strNode("last_verified"), strNode("TODO")))
	return mapNode(kv...)
}

// supplierHint is the supplier modpath derives from a module path, for a
// person to confirm: a curated organisation, or a repository's owner
// (saying so); nothing for a bare host name.
func supplierHint(mod string) string {
	switch s := modpath.SupplierOf(mod); s.Basis {
	case modpath.Curated:
		return s.Name
	case modpath.Owner:
		return s.Name + " (owner of " + strings.TrimPrefix(modpath.Repository(mod), "https://") + ")"
	}
	return ""
}

// proposedLicense is the licence sync proposes for the licences detected
// in a module's licence files. One valid licence is the module's licence.
// With several, the files alone do not say whether all apply or the user
// may choose: AND (all apply) is the conservative reading, proposed for
// a person to confirm; so is a detection that is not a valid SPDX
// expression.
func proposedLicense(ids []string) string {
	expr := spdxexpr.Join(ids)
	switch {
	case expr == "":
		return "TODO: no licence recognised in the module's licence files"
	case spdxexpr.Validate(expr) != nil:
		return "TODO: confirm: " + expr + " (detected; not a current SPDX expression)"
	case len(ids) > 1:
		return "TODO: confirm: " + expr + " (several licences detected; OR if they are alternatives)"
	}
	return expr
}
