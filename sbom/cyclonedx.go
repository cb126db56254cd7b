// Package sbom turns an inventory into software bills of materials: the
// SBOM that FDA premarket cybersecurity guidance and the NTIA minimum
// elements ask for (supplier, component name, version, other unique
// identifiers, dependency relationships, author, timestamp), in CycloneDX
// 1.4 to 1.7 (JSON or XML) and SPDX 2.3 (JSON or tag-value); see Format
// and Encode.
//
// Every SBOM is built from an inventory.Inventory with the field's own
// libraries (github.com/CycloneDX/cyclonedx-go, github.com/spdx/tools-golang);
// nothing is hand-written JSON, XML or tag-value. Module digests go into
// hashes or checksums only when they are real file digests of the module
// .zip; the go.sum "h1:" hash, which is a directory hash, goes into the
// property baseline:go:sum (a line of the package comment in SPDX).
//
// SBOMs are reproducible: the same inventory and Options give the same
// bytes on any machine. Nothing depends on map order, the host or the
// checkout path, the timestamp is Options.Timestamp, and the CycloneDX
// serial number and the SPDX document namespace are version 5 UUIDs of
// the document's content (see Namespace).
//
// Options carry what the inventory cannot know: the authors of the SBOM
// data and the product's manufacturer and supplier (Party, ParseParty),
// the product's version, and the SOUP register whose items give the
// components their suppliers, internal IDs (bom-refs and SPDXIDs),
// declared licences, external references and IEC 62304 / FDA fields
// (properties under PropertyPrefix "soup:", see SOUPProperties). Suppliers
// the register does not give are derived from the module path and marked
// so (DerivedSupplierProperty). CycloneDX compositions say whether the
// dependency graph is complete. CheckNTIA and CheckBSI list the minimum
// elements a document lacks.
package sbom

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/internal/jsonstream"
	"github.com/baseline-cm/baseline/internal/parallel"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// PropertyPrefix is the namespace of baseline's CycloneDX properties.
const PropertyPrefix = "baseline:"

// ErrNoTimestamp is the error the encoders return, wrapped, when
// Options.Timestamp is zero: every format writes the time the SBOM was
// made (an NTIA minimum element; SPDX requires it), so none is written
// without one. The command takes it from SOURCE_DATE_EPOCH, for
// reproducible documents, else the current time.
var ErrNoTimestamp = errors.New("no timestamp (Options.Timestamp): an SBOM states when it was made; set SOURCE_DATE_EPOCH for a reproducible one")

// Options describe the SBOM document itself.
type Options struct {
	// Timestamp of the document. The encoders refuse a zero one
	// (ErrNoTimestamp), in every format alike; CycloneDX and SPDX, which
	// build the models, leave it out.
	Timestamp time.Time
	// ToolVersion is the version of baseline recorded as the tool.
	ToolVersion string
	// Spec is the CycloneDX specification version, one of
	// CycloneDXSpecs; DefaultCycloneDXSpec (1.6) when zero.
	Spec cdx.SpecVersion
	// Authors are the authors of the SBOM data (NTIA "author"):
	// CycloneDX metadata.authors, SPDX creators besides the tool.
	Authors []Party
	// Manufacturer and Supplier are the product's: CycloneDX
	// metadata.manufacturer (metadata.manufacture before 1.6) and
	// metadata.supplier, which is also the primary component's supplier;
	// in SPDX the primary package's originator and supplier.
	Manufacturer, Supplier *Party
	// Register is the SOUP register whose items' fields the components
	// carry (see SOUPProperties); nil for none.
	Register *soup.Register
	// License is the product's licence, an SPDX licence expression: the
	// primary component's declared and concluded licence, which its own
	// licence files would otherwise give.
	License string
	// Website is the product's web page (an external reference).
	Website string
	// ProductVersion is the primary component's version; when empty, the
	// main component's version in the inventory (a binary's build
	// information), if any.
	ProductVersion string
	// Vulnerabilities are embedded in a CycloneDX BOM as its
	// vulnerabilities array (VEX; package anomaly makes them, affecting
	// the components' bom-refs, see BOMRef); SPDX leaves them out.
	Vulnerabilities []cdx.Vulnerability
	// MetadataProperties are added to a CycloneDX BOM's metadata (the
	// vulnerability database the vulnerabilities come from).
	MetadataProperties []cdx.Property
	// CacheDir, when not empty, is a cache directory (such as
	// discover.DefaultCacheDir) where EncodeCycloneDX keeps the encoded
	// components and dependencies of the last JSON document (1.6 and
	// later) of each product, mode, build target and spec version, and
	// EncodeSPDXJSON the packages and relationships of the last SPDX
	// JSON document, for each of the last three builds of baseline that
	// wrote them. When nothing that decides them has changed (the
	// inventory, these options but the timestamp, baseline's own build),
	// they are written again instead of encoded: the document is
	// byte-identical either way (TestElementMemo). It decides nothing in
	// the document, so no digest of the options covers it.
	CacheDir string `json:"-"`
}

// productVersion is the version of the primary component c.
func (o Options) productVersion(c *inventory.Component) string {
	if o.ProductVersion != "" {
		return o.ProductVersion
	}
	if c == nil || inventory.Placeholder(c.Version) {
		return ""
	}
	return c.Version
}

// CycloneDX converts an inventory to a CycloneDX BOM. Its serial number is
// derived from its content (see Namespace): the same inventory and options
// give the same BOM, on any machine.
func CycloneDX(inv *inventory.Inventory, opts Options) *cdx.BOM {
	bom, comps := cycloneDX(inv, opts, nil)
	if comps.n > 0 {
		all := make([]cdx.Component, comps.n)
		parallel.For(comps.n, 64, func(i int) { all[i] = comps.elem(i) })
		bom.Components = &all
		if spec, err := opts.cycloneDXSpec(); err == nil && spec < cdx.SpecVersion1_6 {
			stripExpressionAcknowledgements(bom)
		}
	}
	return bom
}

// lazyComponents are a BOM's components (but the product's, in its
// metadata), each converted only when asked for: the JSON encoder converts
// them as it writes them, on every processor, instead of holding them all.
type lazyComponents struct {
	n    int
	elem func(i int) cdx.Component
}

// cycloneDX is CycloneDX with the components left to convert. content
// is the digest of inv and opts (startContentDigest), or nil to compute
// it here.
func cycloneDX(inv *inventory.Inventory, opts Options, content *contentDigest) (*cdx.BOM, lazyComponents) {
	spec, specErr := opts.cycloneDXSpec()
	if specErr != nil {
		spec = DefaultCycloneDXSpec // the encoders reject it
	}
	// The serial number is a digest of the inputs alone: it is computed
	// while the BOM is built.
	if content == nil {
		content = startContentDigest("cyclonedx", inv, opts, spec)
	}
	bom := cdx.NewBOM()
	meta := &cdx.Metadata{
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type:    cdx.ComponentTypeApplication,
			Name:    "baseline",
			Group:   "github.com/baseline-cm",
			Version: opts.ToolVersion,
		}}},
	}
	if !opts.Timestamp.IsZero() {
		meta.Timestamp = opts.Timestamp.UTC().Format(time.RFC3339)
	}
	phase := cdx.LifecyclePhaseBuild
	if inv.Mode == inventory.Binary {
		phase = cdx.LifecyclePhasePostBuild
	}
	meta.Lifecycles = &[]cdx.Lifecycle{{Phase: phase}}
	if len(opts.Authors) > 0 {
		authors := make([]cdx.OrganizationalContact, len(opts.Authors))
		for i, a := range opts.Authors {
			authors[i] = a.cdxContact()
		}
		meta.Authors = &authors
		// From 1.6, metadata.manufacturer is the organisation that
		// made the BOM: the first organisation among the authors, with
		// its URL (a contact has none).
		if org := firstOrganisation(opts.Authors); org != nil && spec >= cdx.SpecVersion1_6 {
			meta.Manufacturer = org.cdxEntity()
		}
	}
	if opts.Supplier != nil {
		meta.Supplier = opts.Supplier.cdxEntity()
	}
	// The data licence of the SBOM itself, as SPDX's DataLicense.
	meta.Licenses = &cdx.Licenses{{License: &cdx.License{ID: DataLicense}}}
	bom.Metadata = meta

	ix := newItems(opts.Register)
	var rest []int // the inventory's components but the product
	for i := range inv.Components {
		c := &inv.Components[i]
		if c.ID != inv.MainID {
			rest = append(rest, i)
			continue
		}
		cc := component(c, ix, spec, opts.Supplier)
		cc.Type = cdx.ComponentTypeApplication
		cc.Version = opts.productVersion(c)
		cc.PackageURL = productPURL(c, cc.Version)
		if d, ok := deployableOf(inv, c, true); ok {
			// The product is the executable: its digests are the
			// deployable form's (BSI TR-03183-2).
			cc.Hashes = cdxHashes(d.hashes)
			cc.Properties = appendProperties(cc.Properties, d.bsiProperties())
		}
		if opts.License != "" {
			pl := licensing{declared: opts.License, concluded: opts.License}
			var props []property
			cc.Licenses, props = pl.cdx(spec)
			cc.Properties = appendProperties(withoutProperty(cc.Properties, DeclaredLicenseProperty), props)
		}
		if opts.Website != "" {
			refs := []cdx.ExternalReference{{Type: cdx.ERTypeWebsite, URL: opts.Website}}
			if cc.ExternalReferences != nil {
				refs = append(refs, *cc.ExternalReferences...)
			}
			cc.ExternalReferences = &refs
		}
		if m := opts.Manufacturer; m != nil {
			if spec < cdx.SpecVersion1_6 {
				meta.Manufacture = m.cdxEntity() // its place before 1.6
			} else {
				cc.Manufacturer = m.cdxEntity()
			}
		}
		meta.Component = &cc
	}
	// The components: the inventory's in its order, then the register's
	// items that are not Go components.
	var otherRefs []string
	for _, it := range ix.others {
		otherRefs = append(otherRefs, otherRef(it))
	}
	comps := lazyComponents{n: len(rest) + len(ix.others), elem: func(i int) cdx.Component {
		if i < len(rest) {
			return component(&inv.Components[rest[i]], ix, spec, nil)
		}
		return otherComponent(ix.others[i-len(rest)], spec)
	}}

	deps := make([]cdx.Dependency, 0, len(inv.Components))
	for i := range inv.Components {
		c := &inv.Components[i]
		var on []string
		for _, d := range inv.Dependencies[c.ID] {
			if dc := inv.Component(d); dc != nil {
				on = append(on, ix.ref(dc))
			}
		}
		if c.ID == inv.MainID {
			on = append(on, otherRefs...)
		}
		if !inv.EdgesKnown && len(on) == 0 {
			continue // unknown, not "depends on nothing"
		}
		slices.Sort(on)
		dep := cdx.Dependency{Ref: ix.ref(c)}
		if len(on) > 0 {
			dep.Dependencies = &on
		}
		deps = append(deps, dep)
	}
	if len(deps) > 0 {
		bom.Dependencies = &deps
	}
	bom.Compositions = compositions(inv, ix, otherRefs)
	addVulnerabilities(bom, opts)
	bom.SerialNumber = serialNumber(content.get(), opts.Timestamp)
	return bom, comps
}

// A contentDigest is the digest of what decides a document but its
// timestamp: its format, the inventory, the options (the register
// included) and, for CycloneDX, the spec version to be written. Computed
// once for a document, beside its conversion, it gives both the
// document's identity with the timestamp (the CycloneDX serial number,
// the SPDX namespace) and the key of its encoded elements in the cache
// (elementMemo).
type contentDigest struct {
	done chan struct{}
	sum  [sha256.Size]byte
}

// startContentDigest starts computing the content digest of a document
// of format ("cyclonedx" or "spdx") of inv and opts, at the CycloneDX
// spec version spec (0 for SPDX).
func startContentDigest(format string, inv *inventory.Inventory, opts Options, spec cdx.SpecVersion) *contentDigest {
	d := &contentDigest{done: make(chan struct{})}
	go func() {
		defer close(d.done)
		h := sha256.New()
		opts.Timestamp, opts.Spec = time.Time{}, spec
		digestIdentity(h, struct {
			Format string
			Inv    *inventory.Inventory
			Opts   Options
		}{format, inv, opts})
		h.Sum(d.sum[:0])
	}()
	return d
}

// get waits for the digest and returns it.
func (d *contentDigest) get() [sha256.Size]byte {
	<-d.done
	return d.sum
}

// serialNumber is the BOM's serial number, derived from what decides its
// content so that the same inputs give the same document: "urn:uuid:" and
// the version 5 UUID (in Namespace) of its content digest and its
// timestamp. The JSON and XML documents of one BOM share it; documents
// that differ in anything, the timestamp or the spec version included,
// do not. No second encoding of the BOM is needed.
func serialNumber(content [sha256.Size]byte, timestamp time.Time) string {
	return "urn:uuid:" + identity(content, timestamp).String()
}

// identity is the version 5 UUID (in Namespace) of a document's content
// digest and timestamp.
func identity(content [sha256.Size]byte, timestamp time.Time) uuid {
	u := newUUIDv5(namespace)
	digest(u, struct {
		Content   [sha256.Size]byte
		Timestamp time.Time
	}{content, timestamp})
	return u.sum(nil)
}

// EncodeCycloneDX writes inv as a CycloneDX JSON document of the
// specification version opts.Spec (DefaultCycloneDXSpec when zero).
// cyclonedx-go downgrades the document for older versions, leaving out
// what they cannot express.
func EncodeCycloneDX(w io.Writer, inv *inventory.Inventory, opts Options) error {
	return encodeCycloneDX(w, inv, opts, cdx.BOMFileFormatJSON)
}

// EncodeCycloneDXXML writes inv as a CycloneDX XML document, like
// EncodeCycloneDX.
func EncodeCycloneDXXML(w io.Writer, inv *inventory.Inventory, opts Options) error {
	return encodeCycloneDX(w, inv, opts, cdx.BOMFileFormatXML)
}

func encodeCycloneDX(w io.Writer, inv *inventory.Inventory, opts Options, ff cdx.BOMFileFormat) error {
	spec, err := opts.cycloneDXSpec()
	if err != nil {
		return err
	}
	if opts.Timestamp.IsZero() {
		return fmt.Errorf("encoding CycloneDX: %w", ErrNoTimestamp)
	}
	// From 1.6 the JSON encoder converts each component as it writes it
	// (encodeStreamJSON); the others encode the whole BOM.
	streamed := ff == cdx.BOMFileFormatJSON && spec >= cdx.SpecVersion1_6
	var bom *cdx.BOM
	var comps lazyComponents
	var memo *elementMemo
	if streamed {
		content := startContentDigest("cyclonedx", inv, opts, spec)
		memo = newElementMemo("cyclonedx-json", inv, opts, spec, content)
		bom, comps = cycloneDX(inv, opts, content)
	} else {
		bom = CycloneDX(inv, opts)
	}
	if bom.SerialNumber == "" {
		return errors.New("encoding CycloneDX: cannot compute the serial number")
	}
	if ff == cdx.BOMFileFormatJSON {
		// Compact, indented on the way out (jsonstream.Indenter).
		in := jsonstream.NewIndenter(w)
		if streamed {
			err = encodeStreamJSON(in, bom, comps, spec, memo)
		} else {
			err = encodeVersion(cdx.NewBOMEncoder(in, cdx.BOMFileFormatJSON).SetEscapeHTML(false), bom, spec)
		}
		if cerr := in.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("encoding CycloneDX: %w", err)
		}
		return nil
	}
	enc := cdx.NewBOMEncoder(w, ff)
	enc.SetPretty(true)
	if err := encodeVersion(enc, bom, spec); err != nil {
		return fmt.Errorf("encoding CycloneDX: %w", err)
	}
	if ff == cdx.BOMFileFormatXML {
		// The JSON encoder ends the document with a newline; the XML one
		// does not.
		if _, err := io.WriteString(w, "\n"); err != nil {
			return fmt.Errorf("encoding CycloneDX: %w", err)
		}
	}
	return nil
}

// encodeVersion encodes bom at spec. cyclonedx-go's EncodeVersion
// deep-copies the BOM (through encoding/gob) before it removes what
// older versions cannot hold: a third of the allocations of a large
// document. From 1.6 the BOM CycloneDX builds holds nothing a conversion
// would remove (TestEncodeWithoutConversion proves the bytes identical),
// so it is encoded as it is, with the version's header fields set.
func encodeVersion(enc cdx.BOMEncoder, bom *cdx.BOM, spec cdx.SpecVersion) error {
	if spec < cdx.SpecVersion1_6 {
		return enc.EncodeVersion(bom, spec)
	}
	b := *bom
	b.SpecVersion = spec
	b.JSONSchema = "http://cyclonedx.org/schema/bom-" + spec.String() + ".schema.json"
	b.XMLNS = "http://cyclonedx.org/schema/bom/" + spec.String()
	return enc.Encode(&b)
}

// encodeStreamJSON writes at spec (1.6 or later, where no conversion is
// needed: encodeVersion) the BOM whose components are comps (bom's own
// are none) as compact JSON, the components and the dependencies one by
// one, on every processor (jsonstream.Write), rather than in one buffer
// of the size of the whole document. With memo, the elements are taken
// from the cache when it holds them, and kept there when it does not.
func encodeStreamJSON(w io.Writer, bom *cdx.BOM, comps lazyComponents, spec cdx.SpecVersion, memo *elementMemo) error {
	skel := *bom
	var arrays []jsonstream.Array
	if comps.n > 0 {
		skel.Components = &[]cdx.Component{}
		arrays = append(arrays, jsonstream.Array{Key: "components", N: comps.n, Elem: func(i int) any {
			c := comps.elem(i)
			return &c
		}})
	}
	if d := bom.Dependencies; d != nil && len(*d) > 0 {
		skel.Dependencies = &[]cdx.Dependency{}
		arrays = append(arrays, jsonstream.Array{Key: "dependencies", N: len(*d), Elem: func(i int) any { return &(*d)[i] }})
	}
	done := memo.use(arrays)
	err := jsonstream.Write(w, func(w io.Writer) error {
		return encodeVersion(cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetEscapeHTML(false), &skel, spec)
	}, false, arrays...)
	done(err)
	return err
}

// cycloneDXSpec returns the CycloneDX version to write.
func (o Options) cycloneDXSpec() (cdx.SpecVersion, error) {
	if o.Spec == 0 {
		return DefaultCycloneDXSpec, nil
	}
	if !slices.Contains(CycloneDXSpecs(), o.Spec) {
		return 0, fmt.Errorf("unsupported CycloneDX spec version %s (want %s)", o.Spec, join(CycloneDXSpecs()))
	}
	return o.Spec, nil
}

// component is c as a CycloneDX component; supplied, when not nil, is
// its given supplier (the product's Options.Supplier).
func component(c *inventory.Component, ix *items, spec cdx.SpecVersion, supplied *Party) cdx.Component {
	path, version := c.Built() // a directory replacement has no version
	if inventory.Placeholder(version) {
		version = ""
	}
	it := ix.item(c)
	cc := cdx.Component{
		BOMRef:     ix.ref(c),
		Type:       cdx.ComponentTypeLibrary,
		Name:       path,
		Version:    version,
		PackageURL: c.PURL,
	}
	if c.Kind == inventory.Stdlib {
		cc.Type = cdx.ComponentTypeFramework
	}
	if c.Kind == inventory.Module {
		cc.Scope = cdx.ScopeRequired
		if c.Scope == inventory.Optional {
			cc.Scope = cdx.ScopeOptional
		}
	}
	sup, derived := supplier(c, it, supplied)
	if sup != (Party{}) {
		cc.Supplier = sup.cdxEntity()
	}
	cc.Hashes = cdxHashes(c.Hashes)
	lics, licProps := licensingOf(c, it).cdx(spec)
	cc.Licenses = lics
	cc.Copyright = strings.Join(c.Copyright, "\n")
	if c.Kind == inventory.Stdlib {
		cc.CPE = stdlibCPE(version)
	}
	d, _ := deployableOf(nil, c, false)
	cc.ExternalReferences = cdxExternalRefs(it, vcsURL(c), d, spec)
	base := properties(c)
	var bsi []property
	if d.file != "" {
		bsi = d.bsiProperties()
	}
	soupProps := cdxSOUPProperties(it)
	n := len(base) + len(bsi) + len(licProps) + len(soupProps)
	if derived {
		n++
	}
	if n == 0 {
		return cc
	}
	props := make([]cdx.Property, 0, n)
	for _, ps := range [][]property{base, bsi, licProps} {
		for _, p := range ps {
			props = append(props, cdx.Property{Name: p.name, Value: p.value})
		}
	}
	if derived {
		props = append(props, cdx.Property{Name: DerivedSupplierProperty, Value: "true"})
	}
	props = append(props, soupProps...)
	cc.Properties = &props
	return cc
}

func cdxHashes(hs []inventory.Hash) *[]cdx.Hash {
	if len(hs) == 0 {
		return nil
	}
	hashes := make([]cdx.Hash, 0, len(hs))
	for _, h := range hs {
		alg := cdx.HashAlgoSHA256
		if h.Algorithm == "SHA-512" {
			alg = cdx.HashAlgoSHA512
		}
		hashes = append(hashes, cdx.Hash{Algorithm: alg, Value: h.Value})
	}
	if len(hashes) == 0 {
		return nil
	}
	return &hashes
}

// otherComponent is a register item that is not a Go component.
func otherComponent(it *soup.Item, spec cdx.SpecVersion) cdx.Component {
	cc := cdx.Component{
		BOMRef:     otherRef(it),
		Type:       cdx.ComponentTypeApplication,
		Name:       known(it.Title),
		Version:    known(it.Version),
		PackageURL: it.PackageURL(),
		Scope:      cdx.ScopeRequired,
	}
	switch it.Kind {
	case soup.OS:
		cc.Type = cdx.ComponentTypeOS
	case soup.Runtime, soup.Service:
		cc.Type = cdx.ComponentTypePlatform
	case soup.Library:
		cc.Type = cdx.ComponentTypeLibrary
	}
	if m := known(it.Manufacturer); m != "" {
		cc.Supplier = Party{Name: m, URL: webURL(known(it.Website))}.cdxEntity()
	}
	cc.Licenses, _ = licensingOf(nil, it).cdx(spec)
	cc.ExternalReferences = cdxExternalRefs(it, "", deployable{}, spec)
	if props := cdxSOUPProperties(it); len(props) > 0 {
		cc.Properties = &props
	}
	return cc
}

func cdxSOUPProperties(it *soup.Item) []cdx.Property {
	var props []cdx.Property
	for _, p := range soupProperties(it) {
		props = append(props, cdx.Property{Name: p.name, Value: p.value})
	}
	if eos, ok := endOfSupport(it); ok {
		props = append(props, cdx.Property{Name: EndOfSupportProperty, Value: eos})
	}
	return props
}

// cdxExternalRefs are the website, VCS, the module zip (the deployable
// form, as SPDX's download location, with its digests where BSI
// TR-03183-2 puts the deployable hash, and the source distribution) and
// the anomaly list.
func cdxExternalRefs(it *soup.Item, vcs string, d deployable, spec cdx.SpecVersion) *[]cdx.ExternalReference {
	var buf [5]cdx.ExternalReference // at most one of each, copied out at their number
	refs := buf[:0]
	if it != nil {
		if w := webURL(known(it.Website)); w != "" {
			refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeWebsite, URL: w})
		}
	}
	if vcs != "" {
		refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeVCS, URL: vcs})
	}
	if d.url != "" {
		refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeDistribution, URL: d.url, Hashes: cdxHashes(d.hashes)})
	}
	if d.source != "" && spec >= cdx.SpecVersion1_6 { // the type is new in 1.6
		refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeSourceDistribution, URL: d.source})
	}
	if a := anomalyList(it); a != "" {
		refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeIssueTracker, URL: a})
	}
	if len(refs) == 0 {
		return nil
	}
	out := append([]cdx.ExternalReference(nil), refs...)
	return &out
}

// compositions say how complete the BOM is: as a whole (a composition
// without references, and the assembly of the primary component) and for
// the Go components' dependencies, "complete" when discovery saw every
// edge (inv.EdgesKnown: packages and modules mode), "unknown" otherwise (a
// binary records no edges); the register's items that are not Go
// components, whose own dependencies baseline does not know, are
// "unknown". Every supported spec (1.3 and later) has both aggregates.
//
// The spec defines no scope for a composition without references; it is
// written because consumers (sbomqs among them) read it as the whole BOM's
// completeness, so it says "complete" only when that holds for everything
// in the BOM: every edge seen and no register item whose dependencies
// baseline does not know; else "unknown".
func compositions(inv *inventory.Inventory, ix *items, otherRefs []string) *[]cdx.Composition {
	var goRefs []cdx.BOMReference
	for i := range inv.Components {
		goRefs = append(goRefs, cdx.BOMReference(ix.ref(&inv.Components[i])))
	}
	agg := cdx.CompositionAggregateComplete
	if !inv.EdgesKnown {
		agg = cdx.CompositionAggregateUnknown
	}
	// The BOM as a whole.
	whole := agg
	if len(otherRefs) > 0 {
		whole = cdx.CompositionAggregateUnknown
	}
	comps := []cdx.Composition{{Aggregate: whole}}
	if m := inv.Main(); m != nil {
		// The BOM as a whole: the assembly of the primary component.
		comps = append(comps, cdx.Composition{Aggregate: agg, Assemblies: &[]cdx.BOMReference{cdx.BOMReference(ix.ref(m))}})
	}
	if len(goRefs) > 0 {
		comps = append(comps, cdx.Composition{Aggregate: agg, Dependencies: &goRefs})
	}
	if len(otherRefs) > 0 {
		refs := make([]cdx.BOMReference, len(otherRefs))
		for i, r := range otherRefs {
			refs[i] = cdx.BOMReference(r)
		}
		comps = append(comps, cdx.Composition{Aggregate: cdx.CompositionAggregateUnknown, Dependencies: &refs})
	}
	return &comps
}

func stripExpressionAcknowledgements(bom *cdx.BOM) {
	if bom.Components == nil {
		return
	}
	for i := range *bom.Components {
		if l := (*bom.Components)[i].Licenses; l != nil {
			for j := range *l {
				(*l)[j].Acknowledgement = nil
			}
		}
	}
}

func appendProperties(props *[]cdx.Property, ps []property) *[]cdx.Property {
	var out []cdx.Property
	if props != nil {
		out = *props
	}
	for _, p := range ps {
		out = append(out, cdx.Property{Name: p.name, Value: p.value})
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

func withoutProperty(props *[]cdx.Property, name string) *[]cdx.Property {
	if props == nil {
		return nil
	}
	var out []cdx.Property
	for _, p := range *props {
		if p.Name != name {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

type property struct{ name, value string }

// properties are the facts about a component that neither format has a
// field for, under PropertyPrefix: CycloneDX properties, and lines of the
// SPDX package comment.
func properties(c *inventory.Component) []property {
	// At most nine, gathered on the stack and returned in a slice of
	// their number; the names are constants (no concatenation per
	// component).
	var buf [9]property
	props := buf[:0]
	prop := func(props []property, name, value string) []property {
		if value != "" {
			props = append(props, property{name, value})
		}
		return props
	}
	props = prop(props, PropertyPrefix+"go:module:path", c.Path)
	if c.Replace != nil {
		props = prop(props, PropertyPrefix+"go:module:version", c.Version)
		props = prop(props, PropertyPrefix+"go:replace:path", c.Replace.Path)
		props = prop(props, PropertyPrefix+"go:replace:version", c.Replace.Version)
	}
	props = prop(props, PropertyPrefix+"go:sum", c.Sum)
	props = prop(props, PropertyPrefix+"go:dirsum", c.DirSum)
	props = prop(props, PropertyPrefix+"digests:omitted", c.DigestsOmitted)
	props = prop(props, PropertyPrefix+"go:module:kind", string(c.Kind))
	if c.Direct {
		props = prop(props, PropertyPrefix+"go:module:direct", "true")
	}
	if len(props) == 0 {
		return nil
	}
	return append([]property(nil), props...)
}
