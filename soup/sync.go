package soup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"
	"go.yaml.in/yaml/v3"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/atomicfile"
	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/internal/spdxexpr"
	"github.com/baseline-cm/baseline/internal/yamledit"
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
	// Builds, when given, are the inventories of every build
	// configuration the product is released for: sync works over their
	// union (it never retires an item one of them uses), records in each
	// Go item the configurations using it, and the inventory argument is
	// not used.
	Builds []Build
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
	// anomaly evaluation names the old version until it is redone, and its
	// licence, required hardware and software and verification date are
	// marked "TODO: re-verify for VERSION: ..." until a person confirms
	// them.
	Updated ChangeKind = "updated"
	// Retired: an item the build no longer uses was removed and its
	// identifier recorded under ids.retired, with its last version and
	// the conclusion of its last anomaly evaluation.
	Retired ChangeKind = "retired"
	// Identified: an item written without an identifier was given one.
	Identified ChangeKind = "identified"
	// Reformatted: an item (or, with no ID, the whole register) could not
	// be edited in place (written in flow style, or a multi-line value to
	// change) and was rewritten in block style; Reason says why.
	Reformatted ChangeKind = "reformatted"
	// Configured: the build configurations recorded as using a Go item
	// changed.
	Configured ChangeKind = "configured"
)

// Change is one change Sync made.
type Change struct {
	Kind   ChangeKind `json:"kind"`
	ID     string     `json:"id"`
	Title  string     `json:"title,omitempty"`
	Module string     `json:"module,omitempty"`
	// From and To are the versions of an updated item; To is the version
	// of an added one. A module replaced by a local directory has no
	// version: Directory names the directory instead.
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	Directory string `json:"directory,omitempty"`
	// TODOs are the fields of an added item a person must fill in or
	// confirm.
	TODOs []string `json:"todos,omitempty"`
	// Reason says why an item was reformatted.
	Reason string `json:"reason,omitempty"`
	// Configurations are the build configurations using an item, as
	// recorded by a Configured change.
	Configurations []string `json:"configurations,omitempty"`
}

// String describes the change in a line.
func (c Change) String() string {
	what := oneLine(cmpOr(c.Module, c.Title))
	to := c.To
	if to == "" && c.Directory != "" {
		to = "(local directory " + c.Directory + ")"
	}
	from := cmpOr(c.From, "(local directory)")
	switch c.Kind {
	case Added:
		n := len(c.TODOs)
		return fmt.Sprintf("added %s %s %s: fill in its %d TODO field%s (%s)", c.ID, what, to, n, plural(n), summarizeFields(c.TODOs))
	case Updated:
		return fmt.Sprintf("updated %s %s %s -> %s: evaluate its anomaly list again (7.1.3) and re-verify the fields marked TODO", c.ID, what, from, to)
	case Retired:
		return fmt.Sprintf("retired %s %s: no longer used by the build", c.ID, what)
	case Identified:
		return fmt.Sprintf("identified %s %s", c.ID, what)
	case AdvisoryAdded:
		return fmt.Sprintf("listed %s in %s %s: evaluate it (7.1.3)", c.To, c.ID, what)
	case Configured:
		return fmt.Sprintf("recorded %s %s as used by %s", c.ID, what, listOrNone(c.Configurations))
	case Reformatted:
		if c.ID == "" {
			return "reformatted the whole register: " + c.Reason
		}
		return fmt.Sprintf("reformatted %s %s in block style: %s", c.ID, what, c.Reason)
	}
	return string(c.Kind) + " " + c.ID
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// summarizeFields names fields by their sections: "manufacturer,
// safety_class, requirements, anomaly_evaluation".
func summarizeFields(fields []string) string {
	var out []string
	for _, f := range fields {
		if i := strings.IndexByte(f, '.'); i >= 0 {
			f = f[:i]
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return strings.Join(out, ", ")
}

// Changes are the changes of one Sync: updates and retirements in register
// order, then identifications and additions in identifier order, then
// reformatted items.
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
// build, and returns what it changed (see SyncData for what it does to
// the register's text).
//
// It holds an exclusive lock on file+".lock" from reading the file to
// replacing it, so that concurrent runs, in one process or several,
// never lose an identifier or an edit; waiting for the lock ends when
// ctx is done, with ctx's error and nothing written. The file is
// replaced atomically and keeps its mode and owner; a symbolic link is
// written through to its target (the lock is taken on the target, so the
// register never forks); a register without write permission is not
// written (the error matches fs.ErrPermission and names the file).
// Temporary files a killed run left beside the register are removed
// under the lock. With nothing to change, the file is not written at
// all, so a second run leaves it byte for byte as it was. A missing file
// is created. A register that does not parse is left untouched and the
// error returned lists every problem with its line.
func Sync(ctx context.Context, file string, inv *inventory.Inventory, opts SyncOptions) (Changes, error) {
	target, err := atomicfile.Resolve(file)
	if err != nil {
		return nil, fmt.Errorf("SOUP register: %w", err)
	}
	if err := atomicfile.CheckDir(filepath.Dir(target)); err != nil {
		return nil, fmt.Errorf("SOUP register %s: %w", file, err)
	}
	unlock, err := lock(ctx, target+".lock")
	if err != nil {
		return nil, err
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
	out, changes, err := SyncData(file, data, inv, opts)
	if err != nil {
		return nil, err
	}
	if len(changes) == 0 && !created {
		return changes, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("SOUP register %s not written: %w", file, context.Cause(ctx))
	}
	if err := atomicfile.WriteFile(target, out, 0o666); err != nil {
		return nil, fmt.Errorf("SOUP register: %w", err)
	}
	return changes, nil
}

// lock takes the lock file's lock, giving up when ctx is done.
func lock(ctx context.Context, file string) (unlock func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("waiting for the lock %s: %w", file, context.Cause(ctx))
	}
	type result struct {
		unlock func()
		err    error
	}
	ch := make(chan result, 1)
	go func() {
		u, err := lockedfile.MutexAt(file).Lock()
		ch <- result{u, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, fmt.Errorf("locking SOUP register: %w", r.err)
		}
		return r.unlock, nil
	case <-ctx.Done():
		// The lock is released as soon as it is obtained.
		go func() {
			if r := <-ch; r.err == nil {
				r.unlock()
			}
		}()
		return nil, fmt.Errorf("waiting for the lock %s: %w", file, context.Cause(ctx))
	}
}

// SyncData brings the register data (read from the file name, for
// messages) up to date with the inventory of a build, and returns the new
// register text and what changed; with nothing to change it returns data
// itself and no changes:
//
//   - a SOUP component no item declares gets a new item (at the end of
//     items), with the next identifier and what discovery knows: title
//     (the module path), kind, module, version (for a module replaced by
//     a local directory, the directory instead), purl, website, the
//     detected licence, and hints (manufacturer, anomaly list, required
//     software) marked "TODO: confirm: ..."; every field a person must
//     fill in says "TODO";
//   - a Go item whose version differs from the build's gets the build's
//     version (and purl, if it has one); its anomaly evaluation keeps the
//     version it was made for, so reconciliation reports it out of date
//     until it is redone, and its licence, required hardware and software
//     and verification date become "TODO: re-verify for VERSION: ..."
//     until a person confirms them for the new version;
//   - an item without an identifier gets one;
//   - a Go item the build no longer uses is removed, and its identifier
//     recorded under ids.retired with its title, last version, the
//     conclusion of its last anomaly evaluation, the date and the reason
//     (unless opts.KeepUnused);
//   - ids.last_issued records the highest identifier issued.
//
// New identifiers are issued in the sorted order of the new items' package
// URLs (kind and title for hand-written items), after the highest ever
// issued, retired or recorded in ids.last_issued (see package ident).
//
// The changes are spliced into the original text: comments, key order,
// blank lines, quoting, a byte-order mark and hand-written text are kept
// byte for byte. An item whose change cannot be spliced (written in flow
// style, or a multi-line value to change) is rewritten alone, in block
// style, and a Reformatted change says so; only when even that is not
// possible (the items list itself in flow style) is the whole register
// re-encoded, and reported likewise. The result is parsed again before
// it is returned.
func SyncData(name string, data []byte, inv *inventory.Inventory, opts SyncOptions) ([]byte, Changes, error) {
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

	ed := yamledit.New(data, doc.root)
	top := doc.top
	itemsIdx, _, itemsSeq := yamledit.Lookup(top, "items")
	itemsEnd := ed.ValueEnd(top, itemsIdx, ed.Lines()+1)
	bs := builds(inv, opts.Builds)
	comps := soupComponents(bs, reg.Policy)

	var changes Changes
	reformatted := map[int]bool{}
	// edit runs f, the edits of item i, rewriting the item whole when
	// they cannot be spliced.
	edit := func(i int, f func()) {
		if ed.Scope(itemsSeq, itemsEnd, doc.items[i], f) {
			reformatted[i] = true
		}
	}
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
			// A local directory has no version: a version written by hand
			// for one is left alone (it is not compared).
			if ok && (u.dir == "" && (it.Version != u.version || it.Directory != "") ||
				u.dir != "" && it.Version == "" && it.Directory != u.dir) {
				edit(i, func() { updateItem(ed, node, it, u) })
				changes = append(changes, Change{Kind: Updated, ID: it.ID, Title: it.Title, Module: it.Module,
					From: it.Version, To: u.version, Directory: u.dir})
			}
			if ok && named(bs) && !slices.Equal(sortedCopy(it.Configurations), u.configs) {
				edit(i, func() { ed.SetList(node, "configurations", "module", u.configs) })
				changes = append(changes, Change{Kind: Configured, ID: it.ID, Title: it.Title, Module: it.Module, Configurations: u.configs})
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
		_, _, ids := yamledit.Lookup(top, "ids")
		if _, _, li := yamledit.Lookup(ids, "last_issued"); li != nil && !isNull(li) {
			ed.SetInt(li, alloc.High())
		} else if li != nil {
			*li = *yamledit.Int(alloc.High())
			ed.Fail("null last_issued")
		} else {
			ed.InsertKeyAfter(ids, "width", "last_issued", yamledit.Int(alloc.High()))
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
			entries = append(entries, retiredEntry(it, now))
			changes = append(changes, Change{Kind: Retired, ID: it.ID, Title: it.Title, Module: it.Module})
		}
		ed.RemoveItems(top, itemsIdx, itemsEnd, stale)
		idsIdx, _, ids := yamledit.Lookup(top, "ids")
		idsEnd := ed.ValueEnd(top, idsIdx, ed.Lines()+1)
		if ri, _, retired := yamledit.Lookup(ids, "retired"); retired != nil {
			ed.AppendItems(ids, ri, ed.ValueEnd(ids, ri, idsEnd), entries)
		} else {
			ed.AppendKey(ids, idsEnd, "retired", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: entries})
		}
	}

	// Identifications and additions.
	var added []*yaml.Node
	for _, as := range assigned {
		p := byKey[as.Key]
		if p.item >= 0 {
			it := &reg.Items[p.item]
			edit(p.item, func() { ed.PrependKey(doc.items[p.item], "id", yamledit.Str(as.ID)) })
			changes = append(changes, Change{Kind: Identified, ID: as.ID, Title: it.Title, Module: it.Module})
			continue
		}
		n, todos := newItem(as.ID, p.comp, p.mod, p.ver, reg.Policy.RequireFDA, comps[p.mod].configs)
		added = append(added, withAdvisories(n, p.mod, p.ver, opts.Advisories))
		c := Change{Kind: Added, ID: as.ID, Title: p.mod, Module: p.mod, To: p.ver, TODOs: todos}
		if p.comp.Replace != nil && p.comp.Replace.Local {
			c.Directory = p.comp.Replace.Path
		}
		changes = append(changes, c)
	}
	if len(added) > 0 {
		ed.AppendItems(top, itemsIdx, itemsEnd, added)
	}

	if len(changes) == 0 {
		return data, nil, nil
	}
	out, err := ed.Result()
	if err != nil {
		return nil, nil, err
	}
	if !ed.Spliced() {
		changes = append(changes, Change{Kind: Reformatted, Reason: ed.Why() + "; comments and key order are kept, blank lines and indentation are not"})
	} else {
		for _, i := range slices.Sorted(maps.Keys(reformatted)) {
			it := &reg.Items[i]
			id := it.ID
			for _, as := range assigned {
				if p := byKey[as.Key]; p.item == i {
					id = as.ID
				}
			}
			changes = append(changes, Change{Kind: Reformatted, ID: id, Title: it.Title, Module: it.Module,
				Reason: "written in flow style or with a multi-line value, it could not be edited in place"})
		}
	}
	if _, _, err := parse(name, out); err != nil {
		return nil, nil, fmt.Errorf("internal error: sync would write a register that does not parse: %w", err)
	}
	return out, changes, nil
}

// updateItem gives item it (node) the version, or local directory, the
// build uses, and marks what was verified for the old version for
// re-verification.
func updateItem(ed *yamledit.Editor, node *yaml.Node, it *Item, u used) {
	set := func(key, after, value string) {
		_, _, v := yamledit.Lookup(node, key)
		switch {
		case value == "" && v != nil:
			ed.RemoveKey(node, key)
		case value == "":
		case v != nil && !isNull(v):
			ed.SetScalar(v, value)
		case v != nil:
			*v = *yamledit.Str(value)
			ed.Fail("null %s at line %d", key, it.Line)
		default:
			ed.InsertKeyAfter(node, after, key, yamledit.Str(value))
		}
	}
	set("version", "module", u.version)
	set("directory", "module", u.dir)
	if _, _, p := yamledit.Lookup(node, "purl"); p != nil && !isNull(p) && u.c.PURL != "" {
		ed.SetScalar(p, u.c.PURL)
	}
	// What was verified for the old version is out of date too.
	ver := cmpOr(u.version, "local directory "+u.dir)
	mark := func(v *yaml.Node, value string) {
		if v != nil && v.Kind == yaml.ScalarNode && !isNull(v) && !IsTODO(v.Value) {
			ed.SetScalar(v, value)
		}
	}
	if _, _, v := yamledit.Lookup(node, "license"); v != nil {
		mark(v, "TODO: re-verify for "+ver+": "+v.Value)
	}
	if _, _, v := yamledit.Lookup(node, "required_hw_sw"); v != nil {
		if v.Kind == yaml.SequenceNode {
			for _, e := range v.Content {
				mark(e, "TODO: re-verify for "+ver+": "+e.Value)
			}
		} else {
			mark(v, "TODO: re-verify for "+ver+": "+v.Value)
		}
	}
	if _, _, ver1 := yamledit.Lookup(node, "verification"); ver1 != nil {
		if _, _, v := yamledit.Lookup(ver1, "last_verified"); v != nil {
			mark(v, "TODO: re-verify for "+ver+" (last verified "+v.Value+")")
		}
	}
}

// retiredEntry is the ids.retired entry of an item leaving the product:
// what it was, its last version and the conclusion of its last anomaly
// evaluation, so that the history reads without version control.
func retiredEntry(it *Item, now time.Time) *yaml.Node {
	title := it.Title
	if title == "" || IsTODO(title) {
		title = it.Module
	}
	kv := []*yaml.Node{yamledit.Str("id"), yamledit.Str(it.ID), yamledit.Str("title"), yamledit.Str(title)}
	if v := cmpOr(it.Version, it.Directory); v != "" && !IsTODO(v) {
		kv = append(kv, yamledit.Str("last_version"), yamledit.Str(v))
	}
	if a := it.AnomalyEvaluation; a != nil && strings.TrimSpace(a.Conclusion) != "" && !IsTODO(a.Conclusion) {
		c := strings.TrimSpace(a.Conclusion)
		if a.VersionEvaluated != "" && !IsTODO(a.VersionEvaluated) && a.VersionEvaluated != it.Version {
			c += " (evaluated for " + a.VersionEvaluated + ")"
		}
		kv = append(kv, yamledit.Str("last_evaluation"), yamledit.Str(c))
	}
	kv = append(kv,
		yamledit.Str("date"), yamledit.Date(now.UTC().Format(time.DateOnly)),
		yamledit.Str("reason"), yamledit.Str("no longer used by the build (baseline soup sync)"))
	return yamledit.Map(kv...)
}

// newItem is the register item for a component nobody declared yet: what
// discovery knows, and TODO markers for what a person must fill in.
func newItem(id string, c *inventory.Component, mod, version string, requireFDA bool, configs []string) (*yaml.Node, []string) {
	kv := []*yaml.Node{yamledit.Str("id"), yamledit.Str(id)}
	add := func(k string, v *yaml.Node) { kv = append(kv, yamledit.Str(k), v) }
	hint := func(s string) *yaml.Node {
		if s == "" {
			return yamledit.Str("TODO")
		}
		return yamledit.Str("TODO: confirm: " + s)
	}
	stdlib := mod == inventory.StdlibID
	if stdlib {
		add("title", yamledit.Str("Go standard library and runtime"))
		add("kind", yamledit.Str(string(Runtime)))
	} else {
		add("title", yamledit.Str(mod))
		add("kind", yamledit.Str(string(GoModule)))
	}
	add("module", yamledit.Str(mod))
	if c.Replace != nil && c.Replace.Local {
		// A directory has no version: the item records the directory.
		add("directory", yamledit.Str(c.Replace.Path))
	} else {
		add("version", yamledit.Str(version))
	}
	if c.PURL != "" {
		add("purl", yamledit.Str(c.PURL))
	}
	add("manufacturer", hint(supplierHint(mod)))
	add("website", yamledit.Str(modpath.Website(mod)))
	add("license", yamledit.Str(proposedLicense(c.Licenses)))
	if len(configs) > 0 {
		add("configurations", yamledit.List(configs))
	}
	add("used_by", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: []*yaml.Node{yamledit.Str("TODO")}})
	add("safety_class", yamledit.Str("TODO"))
	add("requirements", yamledit.Map(yamledit.Str("functional"), yamledit.Str("TODO"), yamledit.Str("performance"), yamledit.Str("TODO")))
	hw := ""
	switch {
	case stdlib:
		hw = "the GOOS/GOARCH targets of the product"
	case c.GoVersion != "":
		hw = "Go " + c.GoVersion + " or later (its go.mod)"
	}
	add("required_hw_sw", hint(hw))
	todoList := func() *yaml.Node {
		return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: []*yaml.Node{yamledit.Str("TODO")}}
	}
	add("hazards", todoList())       // references into the risk file; [] if none
	add("risk_controls", todoList()) // references into the risk file
	add("anomaly_evaluation", yamledit.Map(
		yamledit.Str("anomaly_list"), hint(modpath.IssueTracker(mod)),
		yamledit.Str("version_evaluated"), yamledit.Str("TODO"),
		yamledit.Str("date"), yamledit.Str("TODO"),
		yamledit.Str("evaluator"), yamledit.Str("TODO"),
		yamledit.Str("relevant_anomalies"), yamledit.Str("TODO"),
		yamledit.Str("conclusion"), yamledit.Str("TODO"),
	))
	if requireFDA {
		eos := yamledit.Str("end_of_support")
		eos.LineComment = "# or end_of_support_justification: why there is no date"
		add("support", yamledit.Map(
			yamledit.Str("level"), yamledit.Str("TODO"),
			yamledit.Str("assessed"), yamledit.Str("TODO"),
			eos, yamledit.Str("TODO"),
		))
	}
	add("verification", yamledit.Map(yamledit.Str("reasoning"), yamledit.Str("TODO"), yamledit.Str("last_verified"), yamledit.Str("TODO")))
	var todos []string
	var walk func(path string, n *yaml.Node)
	walk = func(path string, n *yaml.Node) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(join(path, n.Content[i].Value), n.Content[i+1])
			}
		case yaml.SequenceNode:
			for _, e := range n.Content {
				walk(path, e)
			}
		case yaml.ScalarNode:
			if IsTODO(n.Value) && !slices.Contains(todos, path) {
				todos = append(todos, path)
			}
		}
	}
	m := yamledit.Map(kv...)
	walk("", m)
	return m, todos
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
