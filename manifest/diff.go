package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/baseline-cm/baseline/product"
)

// Changes is what changed between two baselines: items added, removed and
// changed (version or digest), by ID, and the SOUP items whose version
// changed, separately. SBOM documents are left out: each release has its
// own.
type Changes struct {
	Old Ref `json:"old"`
	New Ref `json:"new"`
	// Added and Removed items; Changed items with both sides.
	Added   []ItemRef `json:"added"`
	Removed []ItemRef `json:"removed"`
	Changed []Change  `json:"changed"`
	// SOUPUpgrades are the SOUP items among Changed whose version
	// changed, with the kind of change (product.SOUPMajor...).
	SOUPUpgrades []Change `json:"soupUpgrades"`
}

// Ref names a baseline.
type Ref struct {
	BaselineID string `json:"baselineId"`
	Version    string `json:"version"`
}

// ItemRef is an item as a diff names it.
type ItemRef struct {
	ID      string `json:"id"`
	Class   string `json:"class"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Digest  string `json:"digest,omitempty"`
}

// Change is an item in both baselines whose version or digest differs.
type Change struct {
	ID         string `json:"id"`
	Class      string `json:"class"`
	Name       string `json:"name"`
	OldName    string `json:"oldName,omitempty"`
	OldVersion string `json:"oldVersion,omitempty"`
	NewVersion string `json:"newVersion,omitempty"`
	OldDigest  string `json:"oldDigest,omitempty"`
	NewDigest  string `json:"newDigest,omitempty"`
	// Kind is the change kind of the release policy: item-changed, or
	// soup-major, soup-minor, soup-patch, soup-other for a SOUP item
	// whose version changed (soup-patch for a digest change alone).
	Kind string `json:"kind"`
}

// Empty reports whether nothing changed.
func (d *Changes) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// ChangeKinds returns the release-policy change kinds the diff contains
// (product.ItemAdded...), each once, in product.ChangeKinds order.
func (d *Changes) ChangeKinds() []string {
	has := map[string]bool{}
	for _, a := range d.Added {
		if a.Class == ClassSOUP {
			has[product.SOUPAdded] = true
		} else {
			has[product.ItemAdded] = true
		}
	}
	for _, r := range d.Removed {
		if r.Class == ClassSOUP {
			has[product.SOUPRemoved] = true
		} else {
			has[product.ItemRemoved] = true
		}
	}
	for _, c := range d.Changed {
		has[c.Kind] = true
	}
	var out []string
	for _, k := range product.ChangeKinds {
		if has[k] {
			out = append(out, k)
		}
	}
	return out
}

// digest is the digest an item is compared by: h1 for packages and
// modules, else SHA-256.
func (it *Item) digest() string {
	if it.H1 != "" {
		return it.H1
	}
	if it.SHA256 != "" {
		return "sha256:" + it.SHA256
	}
	return ""
}

func ref(it *Item) ItemRef {
	return ItemRef{ID: it.ID, Class: it.Class, Name: it.Name, Version: it.Version, Digest: it.digest()}
}

// Diff returns what changed from baseline old to baseline new. old may be
// nil (a first release): every item is added.
func Diff(old, new *Manifest) *Changes {
	d := &Changes{New: Ref{new.BaselineID, new.Version}, Added: []ItemRef{}, Removed: []ItemRef{}, Changed: []Change{}, SOUPUpgrades: []Change{}}
	oldItems := map[string]*Item{}
	if old != nil {
		d.Old = Ref{old.BaselineID, old.Version}
		for i := range old.Items {
			if old.Items[i].Class != ClassSBOM {
				oldItems[old.Items[i].ID] = &old.Items[i]
			}
		}
	}
	seen := map[string]bool{}
	for i := range new.Items {
		n := &new.Items[i]
		if n.Class == ClassSBOM {
			continue
		}
		seen[n.ID] = true
		o, ok := oldItems[n.ID]
		if !ok {
			d.Added = append(d.Added, ref(n))
			continue
		}
		if o.Version == n.Version && o.digest() == n.digest() && o.Name == n.Name {
			continue
		}
		c := Change{ID: n.ID, Class: n.Class, Name: n.Name, OldVersion: o.Version, NewVersion: n.Version,
			OldDigest: o.digest(), NewDigest: n.digest(), Kind: product.ItemChanged}
		if o.Name != n.Name {
			c.OldName = o.Name
		}
		if n.Class == ClassSOUP {
			c.Kind = soupKind(o.Version, n.Version)
			if o.Version != n.Version {
				d.SOUPUpgrades = append(d.SOUPUpgrades, c)
			}
		}
		d.Changed = append(d.Changed, c)
	}
	if old != nil {
		for i := range old.Items {
			o := &old.Items[i]
			if o.Class != ClassSBOM && !seen[o.ID] {
				d.Removed = append(d.Removed, ref(o))
			}
		}
	}
	return d
}

// soupKind classifies a SOUP version change.
func soupKind(old, new string) string {
	if old == new {
		return product.SOUPPatch
	}
	o, n := canonicalGo(old), canonicalGo(new)
	if o == "" || n == "" {
		return product.SOUPOther
	}
	switch {
	case semver.Major(o) != semver.Major(n):
		return product.SOUPMajor
	case semver.Major(n) == "v0" && semver.MajorMinor(o) != semver.MajorMinor(n):
		return product.SOUPMajor // v0: a minor change may break
	case semver.MajorMinor(o) != semver.MajorMinor(n):
		return product.SOUPMinor
	}
	return product.SOUPPatch
}

func canonicalGo(v string) string {
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if !semver.IsValid(v) {
		return ""
	}
	return v
}

// WriteText writes the diff as plain text, one line per change.
func (d *Changes) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s (%s) -> %s (%s)\n", d.Old.BaselineID, d.Old.Version, d.New.BaselineID, d.New.Version)
	if d.Empty() {
		b.WriteString("no changes\n")
	}
	for _, a := range d.Added {
		fmt.Fprintf(&b, "added    %s %s %s%s\n", a.ID, a.Class, a.Name, at(a.Version))
	}
	for _, r := range d.Removed {
		fmt.Fprintf(&b, "removed  %s %s %s%s\n", r.ID, r.Class, r.Name, at(r.Version))
	}
	for _, c := range d.Changed {
		fmt.Fprintf(&b, "changed  %s %s %s: %s\n", c.ID, c.Class, c.Name, c.what("->"))
	}
	for _, c := range d.SOUPUpgrades {
		fmt.Fprintf(&b, "soup     %s %s %s -> %s (%s)\n", c.ID, c.Name, c.OldVersion, c.NewVersion, c.Kind)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func at(v string) string {
	if v == "" {
		return ""
	}
	return " " + v
}

// what says what changed.
func (c Change) what(arrow string) string {
	var parts []string
	if c.OldName != "" {
		parts = append(parts, fmt.Sprintf("renamed from %s", c.OldName))
	}
	if c.OldVersion != c.NewVersion {
		parts = append(parts, fmt.Sprintf("version %s %s %s", orNone(c.OldVersion), arrow, orNone(c.NewVersion)))
	}
	if c.OldDigest != c.NewDigest {
		parts = append(parts, fmt.Sprintf("digest %s %s %s", short(c.OldDigest), arrow, short(c.NewDigest)))
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// short abbreviates a digest for people: its first 12 hex digits.
func short(d string) string {
	if d == "" {
		return "(none)"
	}
	alg, v, ok := strings.Cut(d, ":")
	if !ok {
		v, alg = d, ""
	}
	if alg == "h1" {
		return d[:min(len(d), 15)] + "…"
	}
	return v[:min(len(v), 12)]
}

// WriteMarkdown writes the diff as a Markdown section.
func (d *Changes) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Changes from %s (%s) to %s (%s)\n\n", mdText(d.Old.BaselineID), mdText(d.Old.Version), mdText(d.New.BaselineID), mdText(d.New.Version))
	d.markdownBody(&b, "##")
	_, err := w.Write(b.Bytes())
	return err
}

func (d *Changes) markdownBody(b *bytes.Buffer, h string) {
	if d.Empty() {
		b.WriteString("No configuration item changed.\n\n")
		return
	}
	table := func(title string, header string, rows []string) {
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(b, "%s %s\n\n%s\n", h, title, header)
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
		b.WriteString("\n")
	}
	var rows []string
	for _, a := range d.Added {
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", mdCell(a.ID), mdCell(a.Class), mdCell(a.Name), mdCell(orDash(a.Version))))
	}
	table("Added", "| ID | Class | Name | Version |\n|---|---|---|---|", rows)
	rows = nil
	for _, r := range d.Removed {
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", mdCell(r.ID), mdCell(r.Class), mdCell(r.Name), mdCell(orDash(r.Version))))
	}
	table("Removed", "| ID | Class | Name | Version |\n|---|---|---|---|", rows)
	rows = nil
	for _, c := range d.Changed {
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", mdCell(c.ID), mdCell(c.Class), mdCell(c.Name), mdCell(c.what("→"))))
	}
	table("Changed", "| ID | Class | Name | Change |\n|---|---|---|---|", rows)
	rows = nil
	for _, c := range d.SOUPUpgrades {
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s |", mdCell(c.ID), mdCell(c.Name), mdCell(orDash(c.OldVersion)), mdCell(orDash(c.NewVersion)), mdCell(c.Kind)))
	}
	table("SOUP upgrades", "| ID | SOUP item | Old version | New version | Change |\n|---|---|---|---|---|", rows)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// WriteJSON writes the diff as indented JSON.
func (d *Changes) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(lineBreaks.Replace(s)), "|", `\|`)
}

var (
	lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
	mdEscapes  = strings.NewReplacer(`\`, `\\`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)
)

// mdText escapes characters that Markdown or HTML would interpret.
func mdText(s string) string {
	return mdEscapes.Replace(s)
}
