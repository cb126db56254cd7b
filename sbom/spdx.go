package sbom

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"golang.org/x/mod/module"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/tagvalue"

	"github.com/baseline-cm/baseline/inventory"
)

// NoAssertion is SPDX's "this document says nothing about it".
const NoAssertion = "NOASSERTION"

// ModuleProxy is the module proxy whose URLs SPDX download locations name.
const ModuleProxy = "https://proxy.golang.org"

// SPDX converts an inventory to an SPDX 2.3 document.
//
// Each component is a package whose SPDXID is "SPDXRef-" and the
// component ID with every character outside [A-Za-z0-9.-] turned into
// "-" (and, should two IDs meet, a digest of the ID appended to each).
// The document DESCRIBES the main component and holds a DEPENDS_ON
// relationship for every dependency edge. Checksums are only digests of
// real files (the module .zip); the go.sum "h1:" hash, with the other
// facts CycloneDX keeps in properties, is in the package comment, one
// "name: value" line each. The document namespace is
// https://spdx.org/spdxdocs/ followed by the main module path, its version
// if any, and the version 5 UUID (in Namespace) of the document's compact
// JSON encoding without the namespace: the same inventory and options give
// the same document, on any machine.
//
// SPDX requires a creation time: the encoders fail when opts.Timestamp is
// zero.
func SPDX(inv *inventory.Inventory, opts Options) *spdx.Document {
	ids := spdxIDs(inv)
	doc := &spdx.Document{
		SPDXVersion:    spdx.Version,
		DataLicense:    spdx.DataLicense,
		SPDXIdentifier: "DOCUMENT",
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: "baseline-" + toolVersion(opts)}},
		},
	}
	if !opts.Timestamp.IsZero() {
		doc.CreationInfo.Created = opts.Timestamp.UTC().Format(time.RFC3339)
	}
	main := inv.Main()
	name, version := "", ""
	if main != nil {
		name, version = main.Effective()
		if inventory.Placeholder(version) {
			version = ""
		}
	}
	doc.DocumentName = name
	if !inv.EdgesKnown {
		doc.DocumentComment = "The dependency relationships are not known (the inventory was read from " +
			"a binary's build information, which records none): the absence of DEPENDS_ON relationships " +
			"does not mean that packages depend on nothing."
	}
	if version != "" {
		doc.DocumentName += "@" + version
	}
	for i := range inv.Components {
		c := &inv.Components[i]
		doc.Packages = append(doc.Packages, spdxPackage(c, ids[c.ID], c.ID == inv.MainID))
	}
	if main != nil {
		doc.Relationships = append(doc.Relationships, &spdx.Relationship{
			RefA:         common.MakeDocElementID("", "DOCUMENT"),
			RefB:         common.MakeDocElementID("", string(ids[main.ID])),
			Relationship: spdx.RelationshipDescribes,
		})
	}
	for i := range inv.Components {
		c := &inv.Components[i]
		for _, d := range inv.Dependencies[c.ID] {
			to, ok := ids[d]
			if !ok {
				continue // not a component: nothing to point at
			}
			doc.Relationships = append(doc.Relationships, &spdx.Relationship{
				RefA:         common.MakeDocElementID("", string(ids[c.ID])),
				RefB:         common.MakeDocElementID("", string(to)),
				Relationship: spdx.RelationshipDependsOn,
			})
		}
	}
	doc.DocumentNamespace = documentNamespace(doc, name, version)
	return doc
}

// documentNamespace derives the document namespace from the content.
func documentNamespace(doc *spdx.Document, name, version string) string {
	u := newUUIDv5(namespace)
	enc := json.NewEncoder(u)
	enc.SetEscapeHTML(false)
	d := *doc
	d.DocumentNamespace = ""
	if err := enc.Encode(&d); err != nil {
		return "" // the encoders report it
	}
	ns := "https://spdx.org/spdxdocs/"
	if name != "" {
		ns += name + "-"
	}
	if version != "" {
		ns += version + "-"
	}
	return ns + u.sum(nil).String()
}

func toolVersion(opts Options) string {
	if opts.ToolVersion == "" {
		return "devel"
	}
	return opts.ToolVersion
}

// spdxIDs maps component IDs to SPDX element IDs (without "SPDXRef-").
func spdxIDs(inv *inventory.Inventory) map[string]common.ElementID {
	ids := make(map[string]common.ElementID, len(inv.Components))
	count := make(map[common.ElementID]int, len(inv.Components))
	for _, c := range inv.Components {
		id := sanitizeSPDXID(c.ID)
		ids[c.ID] = id
		count[id]++
	}
	for cid, id := range ids {
		if count[id] > 1 || id == "DOCUMENT" {
			sum := sha256.Sum256([]byte(cid))
			ids[cid] = id + "-" + common.ElementID(hex.EncodeToString(sum[:6]))
		}
	}
	return ids
}

func sanitizeSPDXID(id string) common.ElementID {
	b := []byte(id)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "-"
	}
	return common.ElementID(b)
}

func spdxPackage(c *inventory.Component, id common.ElementID, isMain bool) *spdx.Package {
	path, version := c.Effective()
	if inventory.Placeholder(version) {
		version = ""
	}
	p := &spdx.Package{
		PackageName:               path,
		PackageSPDXIdentifier:     id,
		PackageVersion:            version,
		PackageSupplier:           &common.Supplier{Supplier: NoAssertion},
		PackageDownloadLocation:   NoAssertion,
		FilesAnalyzed:             false,
		IsFilesAnalyzedTagPresent: true,
		PackageLicenseConcluded:   NoAssertion,
		PackageLicenseDeclared:    NoAssertion,
		PackageCopyrightText:      NoAssertion,
	}
	switch {
	case isMain:
		p.PrimaryPackagePurpose = "APPLICATION"
	case c.Kind == inventory.Stdlib:
		p.PrimaryPackagePurpose = "FRAMEWORK"
	default:
		p.PrimaryPackagePurpose = "LIBRARY"
	}
	if c.Kind == inventory.Module && version != "" && (c.Replace == nil || !c.Replace.Local) {
		if loc, err := proxyURL(path, version); err == nil {
			p.PackageDownloadLocation = loc
		}
	}
	for _, h := range c.Hashes {
		switch h.Algorithm {
		case "SHA-256":
			p.PackageChecksums = append(p.PackageChecksums, common.Checksum{Algorithm: common.SHA256, Value: h.Value})
		case "SHA-512":
			p.PackageChecksums = append(p.PackageChecksums, common.Checksum{Algorithm: common.SHA512, Value: h.Value})
		}
	}
	if len(c.Licenses) > 0 {
		p.PackageLicenseConcluded = strings.Join(c.Licenses, " AND ")
	}
	if c.PURL != "" {
		p.PackageExternalReferences = []*spdx.PackageExternalReference{{
			Category: common.CategoryPackageManager,
			RefType:  common.TypePackageManagerPURL,
			Locator:  c.PURL,
		}}
	}
	var lines []string
	for _, pr := range properties(c) {
		lines = append(lines, pr.name+": "+pr.value)
	}
	if c.Kind == inventory.Module && c.Scope != "" {
		lines = append(lines, PropertyPrefix+"go:module:scope: "+string(c.Scope))
	}
	p.PackageComment = strings.Join(lines, "\n")
	return p
}

// proxyURL is the module proxy URL of a module version's zip.
func proxyURL(path, version string) (string, error) {
	ep, err := module.EscapePath(path)
	if err != nil {
		return "", err
	}
	ev, err := module.EscapeVersion(version)
	if err != nil {
		return "", err
	}
	return ModuleProxy + "/" + ep + "/@v/" + ev + ".zip", nil
}

func checkSPDX(doc *spdx.Document) error {
	if doc.CreationInfo.Created == "" {
		return errors.New("encoding SPDX: SPDX requires a creation time (Options.Timestamp)")
	}
	if doc.DocumentNamespace == "" {
		return errors.New("encoding SPDX: cannot compute the document namespace")
	}
	return nil
}

// EncodeSPDXJSON writes inv as an SPDX 2.3 JSON document.
func EncodeSPDXJSON(w io.Writer, inv *inventory.Inventory, opts Options) error {
	doc := SPDX(inv, opts)
	if err := checkSPDX(doc); err != nil {
		return err
	}
	if err := spdxjson.Write(doc, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("encoding SPDX: %w", err)
	}
	return nil
}

// EncodeSPDXTagValue writes inv as an SPDX 2.3 tag-value document.
func EncodeSPDXTagValue(w io.Writer, inv *inventory.Inventory, opts Options) error {
	doc := SPDX(inv, opts)
	if err := checkSPDX(doc); err != nil {
		return err
	}
	if err := tagvalue.Write(doc, w); err != nil {
		return fmt.Errorf("encoding SPDX: %w", err)
	}
	return nil
}
