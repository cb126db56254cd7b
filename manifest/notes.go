package manifest

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// Signature is one signature of a release as the notes show it (21 CFR
// 11.50: printed name, date and time, meaning): plain data, so that the
// notes never depend on how signatures are made or verified.
type Signature struct {
	Name    string
	UserID  string
	Meaning string
	Time    time.Time
	// KeyFingerprint is the hex SHA-256 of the signing key's public key
	// (DER SubjectPublicKeyInfo).
	KeyFingerprint string
}

// RenderNotes renders the release notes of manifest m with the
// signatures sigs (in the order given; none for an unsigned release), as
// Markdown readable on a code-hosting site and printable: product,
// version, baseline ID, date, commit; a summary; the configuration item
// table; the changes since the previous baseline; the residual
// anomalies; the build environment; the signatures. The notes depend on
// m and sigs only: the same input always gives the same bytes, so that
// anyone can re-render them and compare.
func RenderNotes(m *Manifest, sigs []Signature) []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# %s %s: release notes\n\n", mdText(m.Product.Name), mdText(m.Version))
	p("| | |\n|---|---|\n")
	p("| Product | %s |\n", mdCell(m.Product.Name))
	p("| Version | %s (%s) |\n", mdCell(m.Version), releaseTypeText(m.ReleaseType))
	p("| Baseline | %s |\n", mdCell(m.BaselineID))
	p("| Date | %s |\n", m.Created.UTC().Format("2006-01-02 15:04:05 UTC"))
	commit := mdCell(m.VCS.Commit)
	if m.VCS.Tag != "" {
		commit += " (tag " + mdCell(m.VCS.Tag) + ")"
	}
	if m.VCS.Dirty {
		commit += " **with uncommitted changes**"
	}
	p("| Commit | %s |\n", commit)
	if m.VCS.Repository != "" {
		p("| Repository | %s |\n", mdCell(m.VCS.Repository))
	}
	if m.Previous != nil {
		p("| Previous baseline | %s (%s), manifest SHA-256 %s |\n", mdCell(m.Previous.BaselineID), mdCell(m.Previous.Version), m.Previous.SHA256)
	} else {
		p("| Previous baseline | none (first release) |\n")
	}
	if m.Product.Manufacturer != "" {
		p("| Manufacturer | %s |\n", mdCell(m.Product.Manufacturer))
	}
	if m.Product.Supplier != "" {
		p("| Supplier | %s |\n", mdCell(m.Product.Supplier))
	}
	sub := "not needed"
	if m.Submission {
		sub = "needed"
	}
	p("| Regulatory submission | %s (by the project's versioning definitions) |\n", sub)
	if data, err := m.Marshal(); err == nil {
		p("| Manifest SHA-256 | %s |\n", Digest(data))
	}
	p("| Archive | %s |\n\n", mdCell(m.Archive))

	p("## Summary\n\n")
	counts := map[string]int{}
	var classes []string
	for _, it := range m.Items {
		if counts[it.Class] == 0 {
			classes = append(classes, it.Class)
		}
		counts[it.Class]++
	}
	var parts []string
	for _, c := range classes {
		parts = append(parts, fmt.Sprintf("%s %d", mdText(c), counts[c]))
	}
	p("%d configuration items (%s).", len(m.Items), strings.Join(parts, ", "))
	if m.Changes != nil {
		p(" Since %s: %d added, %d removed, %d changed, %d SOUP upgrades.", mdText(m.Changes.Old.BaselineID),
			len(m.Changes.Added), len(m.Changes.Removed), len(m.Changes.Changed), len(m.Changes.SOUPUpgrades))
	}
	p(" %d residual anomalies.\n\n", len(m.Anomalies))

	p("## Configuration items\n\n| ID | Class | Name | Version | SHA-256 |\n|---|---|---|---|---|\n")
	for _, it := range m.Items {
		d := "–"
		switch {
		case it.SHA256 != "":
			d = "`" + it.SHA256[:12] + "`"
		case it.H1 != "":
			d = "`" + short(it.H1) + "` (dirhash)"
		}
		p("| %s | %s | %s | %s | %s |\n", mdCell(it.ID), mdCell(it.Class), mdCell(it.Name), mdCell(orDash(it.Version)), d)
	}
	p("\n")

	if m.Changes != nil {
		p("## Changes since %s\n\n", mdText(m.Changes.Old.BaselineID))
		m.Changes.markdownBody(&b, "###")
	} else {
		p("## Changes\n\nFirst release: every configuration item is new.\n\n")
	}
	writeChangeRecords(&b, m)

	p("## Residual anomalies\n\n")
	if len(m.Anomalies) == 0 {
		p("No known residual anomaly.\n\n")
	} else {
		p("| ID | Title | Description | Evaluation |\n|---|---|---|---|\n")
		for _, a := range m.Anomalies {
			p("| %s | %s | %s | %s |\n", mdCell(a.ID), mdCell(a.Title), mdCell(a.Description), mdCell(a.Evaluation))
		}
		p("\n")
	}

	renderKnownAnomalies(&b, m.KnownAnomalies)

	p("## Build environment\n\n| Configuration | Go | GOOS/GOARCH | CGO_ENABLED | Tags | Flags | Mode | Patterns |\n|---|---|---|---|---|---|---|---|\n")
	for _, e := range m.Environments {
		p("| %s | %s | %s/%s | %s | %s | %s | %s | %s |\n", mdCell(e.Configuration), mdCell(e.GoVersion), mdCell(e.GOOS), mdCell(e.GOARCH),
			mdCell(orDash(e.CGOEnabled)), mdCell(orDash(strings.Join(e.Tags, ","))), mdCell(orDash(strings.Join(e.Flags, " "))),
			mdCell(e.Mode), mdCell(strings.Join(e.Patterns, " ")))
	}
	p("\n")

	p("## Signatures\n\n")
	if len(sigs) == 0 {
		p("Not signed yet.\n")
	} else {
		p("| Name | User ID | Meaning | Time (UTC) | Key fingerprint (SHA-256) |\n|---|---|---|---|---|\n")
		for _, s := range sigs {
			p("| %s | %s | %s | %s | `%s` |\n", mdCell(s.Name), mdCell(orDash(s.UserID)), mdCell(s.Meaning),
				s.Time.UTC().Format("2006-01-02 15:04:05"), mdCell(s.KeyFingerprint))
		}
	}
	return b.Bytes()
}

func releaseTypeText(t string) string {
	if t == First {
		return "first release"
	}
	return t + " release"
}
