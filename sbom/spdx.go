package sbom

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/tagvalue"

	"github.com/baseline-cm/baseline/internal/jsonstream"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// NoAssertion is SPDX's "this document says nothing about it".
const NoAssertion = "NOASSERTION"

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
// if any, and the version 5 UUID (in Namespace) of a digest of the
// inventory and the options: the same inventory and options give the
// same document, on any machine.
//
// SPDX requires a creation time: the encoders fail when opts.Timestamp is
// zero (ErrNoTimestamp), as the CycloneDX ones do.
func SPDX(inv *inventory.Inventory, opts Options) *spdx.Document {
	return spdxDocument(inv, opts, nil)
}

// spdxDocument is SPDX; content is the document's content digest
// (startContentDigest), or nil to compute it here.
func spdxDocument(inv *inventory.Inventory, opts Options, content *contentDigest) *spdx.Document {
	if content == nil {
		content = startContentDigest("spdx", inv, opts, 0)
	}
	ix := newItems(opts.Register)
	ids := spdxIDs(inv, ix)
	doc := &spdx.Document{
		SPDXVersion:    spdx.Version,
		DataLicense:    spdx.DataLicense,
		SPDXIdentifier: "DOCUMENT",
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: "baseline-" + toolVersion(opts)}},
		},
	}
	var urls []string
	for _, a := range opts.Authors {
		doc.CreationInfo.Creators = append(doc.CreationInfo.Creators, a.spdxCreator())
		if a.URL != "" {
			urls = append(urls, a.spdxType()+": "+a.Name+": "+a.URL)
		}
	}
	if len(urls) > 0 {
		// An SPDX 2.3 creator holds a name and an email, no URL.
		doc.CreationInfo.CreatorComment = "Creator URLs:\n" + strings.Join(urls, "\n")
	}
	if !opts.Timestamp.IsZero() {
		doc.CreationInfo.Created = opts.Timestamp.UTC().Format(time.RFC3339)
	}
	main := inv.Main()
	name, version := "", ""
	if main != nil {
		name, _ = main.Effective()
		version = opts.productVersion(main)
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
	doc.Packages = make([]*spdx.Package, 0, len(inv.Components)+len(ix.others))
	for i := range inv.Components {
		c := &inv.Components[i]
		var given *Party
		if c.ID == inv.MainID {
			given = opts.Supplier
		}
		p := spdxPackage(c, ids[c.ID], c.ID == inv.MainID, ix.item(c), given)
		if c.ID == inv.MainID {
			p.PackageVersion = version
			if purl := productPURL(c, version); purl != "" {
				p.PackageExternalReferences = replacePURL(p.PackageExternalReferences, purl)
			}
			if b := inv.Build.Binary; b != nil {
				// The product is the executable, a real file.
				p.PackageFileName = b.Name
				p.PackageChecksums = spdxChecksums(b.Hashes)
			}
			if opts.License != "" {
				p.PackageLicenseDeclared, p.PackageLicenseConcluded, p.PackageLicenseComments = opts.License, opts.License, ""
			}
			if opts.Website != "" {
				p.PackageHomePage = opts.Website
			}
			var lines []string
			if s := opts.Supplier; s != nil && s.URL != "" {
				lines = append(lines, PropertyPrefix+"supplier:url: "+s.URL)
			}
			if m := opts.Manufacturer; m != nil {
				p.PackageOriginator = &common.Originator{OriginatorType: m.spdxType(), Originator: m.spdxName()}
				if m.URL != "" {
					lines = append(lines, PropertyPrefix+"manufacturer:url: "+m.URL)
				}
			}
			if len(lines) > 0 {
				// SPDX 2.3 suppliers and originators hold no URL.
				p.PackageComment = strings.TrimSpace(p.PackageComment + "\n" + strings.Join(lines, "\n"))
			}
		}
		doc.Packages = append(doc.Packages, p)
	}
	others := make([]common.ElementID, 0, len(ix.others))
	for _, it := range ix.others {
		p := spdxOtherPackage(it, ids)
		others = append(others, p.PackageSPDXIdentifier)
		doc.Packages = append(doc.Packages, p)
	}
	// The relationships in one array, allocated at their number (at
	// most), rather than one by one.
	n := 1 + len(others)
	for i := range inv.Components {
		n += len(inv.Dependencies[inv.Components[i].ID])
	}
	rels := make([]spdx.Relationship, 0, n)
	doc.Relationships = make([]*spdx.Relationship, 0, n)
	relate := func(a, b common.ElementID, kind string) {
		rels = append(rels, spdx.Relationship{
			RefA:         common.MakeDocElementID("", string(a)),
			RefB:         common.MakeDocElementID("", string(b)),
			Relationship: kind,
		})
		doc.Relationships = append(doc.Relationships, &rels[len(rels)-1])
	}
	if main != nil {
		relate("DOCUMENT", ids[main.ID], spdx.RelationshipDescribes)
	}
	for i := range inv.Components {
		c := &inv.Components[i]
		for _, d := range inv.Dependencies[c.ID] {
			to, ok := ids[d]
			if !ok {
				continue // not a component: nothing to point at
			}
			relate(ids[c.ID], to, spdx.RelationshipDependsOn)
		}
		if c.ID == inv.MainID {
			for _, o := range others {
				relate(ids[c.ID], o, spdx.RelationshipDependsOn)
			}
		}
	}
	if len(doc.Packages) == 0 {
		doc.Packages = nil
	}
	if len(doc.Relationships) == 0 {
		doc.Relationships = nil
	}
	doc.DocumentNamespace = documentNamespace(content.get(), opts.Timestamp, name, version)
	return doc
}

// documentNamespace derives the document namespace from what decides the
// document's content (its content digest and timestamp, as serialNumber),
// without encoding the document twice.
func documentNamespace(content [sha256.Size]byte, timestamp time.Time, name, version string) string {
	ns := "https://spdx.org/spdxdocs/"
	if name != "" {
		ns += name + "-"
	}
	if version != "" {
		ns += version + "-"
	}
	return ns + identity(content, timestamp).String()
}

func toolVersion(opts Options) string {
	if opts.ToolVersion == "" {
		return "devel"
	}
	return opts.ToolVersion
}

// spdxIDs maps component IDs to SPDX element IDs (without "SPDXRef-"):
// the register item's ID when there is one, else the component ID. The
// register's other items are keyed by otherKey.
func spdxIDs(inv *inventory.Inventory, ix *items) map[string]common.ElementID {
	ids := make(map[string]common.ElementID, len(inv.Components))
	count := make(map[common.ElementID]int, len(inv.Components))
	for i := range inv.Components {
		c := &inv.Components[i]
		name := c.ID
		if id := itemID(ix.item(c)); id != "" {
			name = id
		}
		id := sanitizeSPDXID(name)
		ids[c.ID] = id
		count[id]++
	}
	for _, it := range ix.others {
		id := sanitizeSPDXID(otherRef(it))
		ids[otherKey(it)] = id
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

// otherKey is the key of a register item that is not a Go component in
// the map of SPDX IDs; no component ID starts with a space.
func otherKey(it *soup.Item) string { return " " + otherRef(it) }

// spdxOtherPackage is a register item that is not a Go component.
func spdxOtherPackage(it *soup.Item, ids map[string]common.ElementID) *spdx.Package {
	p := newSPDXPackage(known(it.Title), ids[otherKey(it)], known(it.Version))
	switch it.Kind {
	case soup.OS:
		p.PrimaryPackagePurpose = "OPERATING_SYSTEM"
	case soup.Library:
		p.PrimaryPackagePurpose = "LIBRARY"
	case soup.Runtime:
		p.PrimaryPackagePurpose = "FRAMEWORK"
	default:
		p.PrimaryPackagePurpose = "APPLICATION"
	}
	if m := known(it.Manufacturer); m != "" {
		p.PackageSupplier = &common.Supplier{SupplierType: "Organization", Supplier: m}
	}
	if purl := it.PackageURL(); purl != "" {
		p.PackageExternalReferences = []*spdx.PackageExternalReference{{
			Category: common.CategoryPackageManager,
			RefType:  common.TypePackageManagerPURL,
			Locator:  purl,
		}}
	}
	spdxSOUP(p, it, "")
	var lines []string
	for _, pr := range soupProperties(it) {
		lines = append(lines, pr.name+": "+pr.value)
	}
	p.PackageComment = strings.Join(lines, "\n")
	return p
}

// spdxSOUP sets the package fields that come from the register item.
func spdxSOUP(p *spdx.Package, it *soup.Item, vcs string) {
	if l := registerLicense(it); l != "" {
		p.PackageLicenseConcluded = l // the manufacturer's conclusion
	}
	if it != nil {
		if w := webURL(known(it.Website)); w != "" {
			p.PackageHomePage = w
		}
	}
	if vcs != "" {
		p.PackageExternalReferences = append(p.PackageExternalReferences, &spdx.PackageExternalReference{
			Category: common.CategoryOther, RefType: "vcs", Locator: vcs,
		})
	}
	if a := anomalyList(it); a != "" {
		p.PackageExternalReferences = append(p.PackageExternalReferences, &spdx.PackageExternalReference{
			Category: common.CategoryOther, RefType: "issue-tracker", Locator: a,
		})
	}
	if eos, ok := endOfSupport(it); ok {
		p.ValidUntilDate = eos + "T00:00:00Z"
	}
}

// spdxPackage is c as an SPDX package; supplied, when not nil, is its
// given supplier (the product's Options.Supplier).
func spdxPackage(c *inventory.Component, id common.ElementID, isMain bool, it *soup.Item, supplied *Party) *spdx.Package {
	path, version := c.Built() // a directory replacement has no version
	if inventory.Placeholder(version) {
		version = ""
	}
	p := newSPDXPackage(path, id, version)
	switch {
	case isMain:
		p.PrimaryPackagePurpose = "APPLICATION"
	case c.Kind == inventory.Stdlib:
		p.PrimaryPackagePurpose = "FRAMEWORK"
	default:
		p.PrimaryPackagePurpose = "LIBRARY"
	}
	d, _ := deployableOf(nil, c, false)
	if d.url != "" {
		p.PackageDownloadLocation = d.url
	}
	p.PackageFileName = d.file
	p.PackageSourceInfo = spdxSourceInfo(d.source, vcsURL(c))
	p.PackageChecksums = spdxChecksums(c.Hashes)
	p.PackageLicenseDeclared, p.PackageLicenseConcluded, p.PackageLicenseComments = licensingOf(c, it).spdxFields()
	if len(c.Copyright) > 0 {
		p.PackageCopyrightText = strings.Join(c.Copyright, "\n")
	}
	if c.PURL != "" {
		p.PackageExternalReferences = []*spdx.PackageExternalReference{{
			Category: common.CategoryPackageManager,
			RefType:  common.TypePackageManagerPURL,
			Locator:  c.PURL,
		}}
	}
	var cpe string // the standard library's only
	if c.Kind == inventory.Stdlib {
		cpe = stdlibCPE(version)
	}
	if cpe != "" {
		p.PackageExternalReferences = append(p.PackageExternalReferences, &spdx.PackageExternalReference{
			Category: common.CategorySecurity,
			RefType:  common.TypeSecurityCPE23Type,
			Locator:  cpe,
		})
	}
	sup, derived := supplier(c, it, supplied)
	switch {
	case sup.Name != "":
		p.PackageSupplier = &common.Supplier{SupplierType: sup.spdxType(), Supplier: sup.spdxName()}
	case sup.URL != "":
		// SPDX 2.3 suppliers hold a name and no URL: a supplier known
		// only by a URL is NOASSERTION, its URL in the comment.
		p.PackageSupplier = &common.Supplier{Supplier: NoAssertion}
	}
	spdxSOUP(p, it, vcsURL(c))
	// The comment's "name: value" lines, written into one builder.
	var comment strings.Builder
	comment.Grow(256)
	line := func(name, value string) {
		if comment.Len() > 0 {
			comment.WriteByte('\n')
		}
		comment.WriteString(name)
		comment.WriteString(": ")
		comment.WriteString(value)
	}
	for _, pr := range properties(c) {
		line(pr.name, pr.value)
	}
	if c.Kind == inventory.Module && c.Scope != "" {
		line(PropertyPrefix+"go:module:scope", string(c.Scope))
	}
	if derived {
		line(DerivedSupplierProperty, "true")
	}
	if derived && sup.Name == "" {
		line(PropertyPrefix+"supplier:url", sup.URL)
	}
	for _, pr := range soupProperties(it) {
		line(pr.name, pr.value)
	}
	p.PackageComment = comment.String()
	return p
}

// spdxSourceInfo is the package's source information: where its source
// code is, as CycloneDX's source-distribution (source, the module zip) and
// vcs references say; "" when neither is known.
func spdxSourceInfo(source, vcs string) string {
	switch {
	case source != "" && vcs != "":
		return "Source code: " + source + " (the module zip: a Go module is published as its source); repository " + vcs + "."
	case source != "":
		return "Source code: " + source + " (the module zip: a Go module is published as its source)."
	case vcs != "":
		return "Source code repository: " + vcs + "."
	}
	return ""
}

// replacePURL replaces the package URL among refs with purl.
func replacePURL(refs []*spdx.PackageExternalReference, purl string) []*spdx.PackageExternalReference {
	for _, r := range refs {
		if r.RefType == common.TypePackageManagerPURL {
			r.Locator = purl
			return refs
		}
	}
	return append(refs, &spdx.PackageExternalReference{
		Category: common.CategoryPackageManager,
		RefType:  common.TypePackageManagerPURL,
		Locator:  purl,
	})
}

func spdxChecksums(hs []inventory.Hash) []common.Checksum {
	var sums []common.Checksum
	for _, h := range hs {
		switch h.Algorithm {
		case "SHA-256":
			sums = append(sums, common.Checksum{Algorithm: common.SHA256, Value: h.Value})
		case "SHA-512":
			sums = append(sums, common.Checksum{Algorithm: common.SHA512, Value: h.Value})
		}
	}
	return sums
}

// newSPDXPackage is a package that asserts nothing beyond its name, ID
// and version; callers add what they know.
func newSPDXPackage(name string, id common.ElementID, version string) *spdx.Package {
	return &spdx.Package{
		PackageName:               name,
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
}

func checkSPDX(doc *spdx.Document) error {
	if doc.CreationInfo.Created == "" {
		return fmt.Errorf("encoding SPDX: %w", ErrNoTimestamp)
	}
	if doc.DocumentNamespace == "" {
		return errors.New("encoding SPDX: cannot compute the document namespace")
	}
	return nil
}

// EncodeSPDXJSON writes inv as an SPDX 2.3 JSON document.
func EncodeSPDXJSON(w io.Writer, inv *inventory.Inventory, opts Options) error {
	content := startContentDigest("spdx", inv, opts, 0)
	memo := newElementMemo("spdx-json", inv, opts, 0, content)
	doc := spdxDocument(inv, opts, content)
	if err := checkSPDX(doc); err != nil {
		return err
	}
	// Compact, indented on the way out (jsonstream.Indenter), the
	// packages and relationships one by one (jsonstream.Write).
	in := jsonstream.NewIndenter(w)
	skel := *doc
	var arrays []jsonstream.Array
	if ps := doc.Packages; len(ps) > 0 {
		skel.Packages = []*spdx.Package{nil} // a placeholder: an empty one is left out
		arrays = append(arrays, jsonstream.Array{Key: "packages", N: len(ps), Elem: func(i int) any { return ps[i] }})
	}
	if rs := doc.Relationships; len(rs) > 0 {
		skel.Relationships = []*spdx.Relationship{nil}
		arrays = append(arrays, jsonstream.Array{Key: "relationships", N: len(rs), Elem: func(i int) any { return rs[i] }})
	}
	done := memo.use(arrays)
	err := jsonstream.Write(in, func(w io.Writer) error { return spdxjson.Write(&skel, w, spdxjson.EscapeHTML(false)) }, false, arrays...)
	done(err)
	if cerr := in.Close(); err == nil {
		err = cerr
	}
	if err != nil {
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
