package sbom

import (
	"fmt"
	"slices"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
)

// Gap is a minimum element an SBOM lacks.
type Gap struct {
	// Component is the bom-ref of the component the gap is in, or
	// "document" for the document itself.
	Component string
	// Element is the minimum element missing: supplier, producer, name,
	// version, identifier, relationships, author, timestamp (NTIA); the
	// Element of a BSIRequirements entry (BSI).
	Element string
	// Reason says what is missing or why it does not count.
	Reason string
}

func (g Gap) String() string { return g.Component + ": " + g.Element + ": " + g.Reason }

// DocumentGap is Gap.Component for gaps in the document itself.
const DocumentGap = "document"

// Profile names a set of minimum elements an SBOM is checked against.
type Profile string

const (
	// NTIA is the NTIA minimum elements (CheckNTIA).
	NTIA Profile = "ntia"
	// BSI is BSI TR-03183-2 v2.1 (CheckBSI).
	BSI Profile = "bsi"
)

// Profiles lists the profiles Check knows, as the --check flag names them.
func Profiles() []Profile { return []Profile{NTIA, BSI} }

func (p Profile) String() string { return string(p) }

// ParseProfile returns the profile named s.
func ParseProfile(s string) (Profile, error) {
	for _, p := range Profiles() {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("unknown profile %q (want %s)", s, join(Profiles()))
}

// Check returns the gaps of the SBOM in format f that inv and opts give
// against profile p: which checks apply to which format is decided here.
// NTIA's elements are facts both formats carry alike (CheckNTIA). BSI
// TR-03183-2 asks for CycloneDX 1.6 or later or SPDX 3.0.1 or later: an
// SPDX 2.3 document gets a "spec" gap, followed by the gaps in the facts
// as CycloneDX at DefaultCycloneDXSpec would carry them (CheckBSI).
func Check(inv *inventory.Inventory, f Format, p Profile, opts Options) ([]Gap, error) {
	if !slices.Contains(Formats(), f) {
		return nil, fmt.Errorf("unknown format %q (want %s)", f, join(Formats()))
	}
	spdx := f == SPDXJSON || f == SPDXTagValue
	switch p {
	case NTIA:
		return CheckNTIA(inv, opts), nil
	case BSI:
		var gaps []Gap
		if spdx {
			gaps = append(gaps, Gap{DocumentGap, "spec", "BSI TR-03183-2 requires SPDX 3.0.1 or later, or CycloneDX 1.6 or later"})
			opts.Spec = DefaultCycloneDXSpec
		}
		return append(gaps, CheckBSI(inv, opts)...), nil
	}
	return nil, fmt.Errorf("unknown profile %q (want %s)", p, join(Profiles()))
}

// CheckNTIA returns what the SBOM that inv and opts give lacks of the
// NTIA minimum elements (2021): per component supplier, name, version,
// an identifier other than the name (a package URL or a file digest),
// and dependency relationships; for the document the author of the SBOM
// data (Options.Authors) and the timestamp; and, as the 2025 CISA
// minimum elements ask, the product's producer (Options.Supplier or
// Options.Manufacturer: a supplier derived from the product's module
// path names no one who answers for it). It checks the document the
// encoders write (CycloneDX; SPDX carries the same facts). A supplier
// derived from the module path counts as present when it has a name (an
// organisation of the curated table, a repository's owner): it names who
// publishes the module, and the document says it was derived. One known
// only by a URL (a path on any other host) names no one and is a gap.
// None is nil.
func CheckNTIA(inv *inventory.Inventory, opts Options) []Gap {
	bom := CycloneDX(inv, opts)
	var gaps []Gap
	gap := func(c, e, format string, args ...any) {
		gaps = append(gaps, Gap{c, e, fmt.Sprintf(format, args...)})
	}
	if len(opts.Authors) == 0 {
		gap(DocumentGap, "author", "no author of the SBOM data (--author)")
	}
	if opts.Timestamp.IsZero() {
		gap(DocumentGap, "timestamp", "no timestamp")
	}
	deps := map[string]bool{}
	if bom.Dependencies != nil {
		for _, d := range *bom.Dependencies {
			deps[d.Ref] = true
		}
	}
	forComponents(bom, func(c *cdx.Component, primary bool) {
		ref := c.BOMRef
		noProducer := primary && opts.Supplier == nil && opts.Manufacturer == nil
		switch {
		case noProducer:
			// the producer gap below says it
		case c.Supplier == nil:
			gap(ref, "supplier", "no supplier (--supplier for the product; manufacturer in the SOUP register)")
		case c.Supplier.Name == "":
			u := ""
			if c.Supplier.URL != nil && len(*c.Supplier.URL) > 0 {
				u = " (" + (*c.Supplier.URL)[0] + ")"
			}
			gap(ref, "supplier", "supplier known only by a URL%s: the module path names a host, not who supplies the module (give the manufacturer in the SOUP register)", u)
		}
		if c.Name == "" {
			gap(ref, "name", "no name")
		}
		if c.Version == "" {
			gap(ref, "version", "no version")
		}
		if c.PackageURL == "" && (c.Hashes == nil || len(*c.Hashes) == 0) {
			gap(ref, "identifier", "no package URL or file digest")
		}
		if noProducer {
			gap(ref, "producer", "the product has no producer: give its supplier or manufacturer (--supplier, --manufacturer, or product.supplier in baseline.yaml)")
		}
		switch {
		case primary && !inv.EdgesKnown:
			gap(ref, "relationships", "the dependency relationships are unknown (a binary records none: use --mode packages or modules)")
		case primary && !deps[ref]:
			gap(ref, "relationships", "the product's dependencies are not listed")
		}
	})
	return gaps
}

// A Requirement is one data field BSI TR-03183-2 v2.1 requires (SHALL).
type Requirement struct {
	// Element is the Gap.Element that CheckBSI reports it as.
	Element string
	// Section is the TR's section: 4 (format), 5.2.1 (SBOM), 5.2.2
	// (component).
	Section string
	// Field is the TR's name of the data field, and Where what baseline
	// writes for it in CycloneDX.
	Field, Where string
}

// BSIRequirements lists every data field the table of BSI TR-03183-2
// v2.1 requires (sections 4, 5.2.1 and 5.2.2), in its order, with where
// baseline's CycloneDX carries it; CheckBSI checks each.
func BSIRequirements() []Requirement {
	return []Requirement{
		{"spec", "4", "SBOM format", "CycloneDX 1.6 or later (or SPDX 3.0.1 or later)"},
		{"creator", "5.2.1", "Creator of the SBOM", "an email of metadata.authors, or the URL or email of metadata.manufacturer (the first organisation among the authors)"},
		{"timestamp", "5.2.1", "Timestamp", "metadata.timestamp"},
		{"sbom-uri", "5.2.1", "SBOM-URI", "serialNumber (urn:uuid:...)"},
		{"creator", "5.2.2", "Component creator", "supplier or manufacturer with an email or URL"},
		{"name", "5.2.2", "Component name", "name"},
		{"version", "5.2.2", "Component version", "version"},
		{"filename", "5.2.2", "Filename of the component", "property " + BSIFilename},
		{"dependencies", "5.2.2", "Dependencies on other components", "dependencies and compositions (complete)"},
		{"distribution-licence", "5.2.2", "Distribution licences", "licenses with acknowledgement concluded"},
		{"hash", "5.2.2", "Hash value of the deployable component", "SHA-512 on the distribution external reference"},
		{"executable", "5.2.2", "Executable property", "property " + BSIExecutable},
		{"archive", "5.2.2", "Archive property", "property " + BSIArchive},
		{"structured", "5.2.2", "Structured property", "property " + BSIStructured},
		{"source-uri", "5.2.2", "Source code URI", "source-distribution (or vcs) external reference"},
		{"deployable-uri", "5.2.2", "URI of the deployable form", "distribution external reference"},
		{"identifier", "5.2.2", "Other unique identifiers", "purl or cpe"},
		{"original-licence", "5.2.2", "Original licences", "licenses with acknowledgement declared"},
	}
}

// CheckBSI returns what the CycloneDX SBOM that inv and opts give lacks
// of what BSI TR-03183-2 v2.1 requires: every field of BSIRequirements,
// for the document and for each component. A supplier derived from the
// module path counts as the component's creator when it has a URL (the
// organisation's site, or the module's repository). Gaps baseline cannot
// fill say why: the standard library is part of the Go toolchain and a
// main module discovered from source is not built yet, so neither has a
// deployable form (a file, its hash, its URI); a binary records no
// dependencies. SPDX 2.3 does not meet the TR (Check says so); the check
// assumes CycloneDX at opts.Spec.
func CheckBSI(inv *inventory.Inventory, opts Options) []Gap {
	bom := CycloneDX(inv, opts)
	var gaps []Gap
	gap := func(c, e, format string, args ...any) {
		gaps = append(gaps, Gap{c, e, fmt.Sprintf(format, args...)})
	}
	if spec, err := opts.cycloneDXSpec(); err != nil || spec < cdx.SpecVersion1_6 {
		gap(DocumentGap, "spec", "BSI TR-03183-2 requires CycloneDX 1.6 or later")
	}
	if !creatorContact(bom) {
		gap(DocumentGap, "creator", "no author with an email address and no organisation author with a URL (--author)")
	}
	if opts.Timestamp.IsZero() {
		gap(DocumentGap, "timestamp", "no timestamp")
	}
	if bom.SerialNumber == "" {
		gap(DocumentGap, "sbom-uri", "no serial number")
	}
	deps := map[string]bool{}
	if bom.Dependencies != nil {
		for _, d := range *bom.Dependencies {
			deps[d.Ref] = true
		}
	}
	forComponents(bom, func(c *cdx.Component, primary bool) {
		ref := c.BOMRef
		kind := propertyValue(c, PropertyPrefix+"go:module:kind")
		why := ""
		switch {
		case kind == string(inventory.Stdlib):
			why = ": the standard library is part of the Go toolchain, not a file of its own"
		case primary:
			why = ": a product discovered from source is not built yet (--mode binary describes the executable)"
		case kind == string(inventory.Module) && c.Version == "":
			why = ": a directory replacement is not published"
		}
		switch {
		case c.Supplier == nil && c.Manufacturer == nil:
			gap(ref, "creator", "no supplier or manufacturer")
		case !entityContact(c.Supplier) && !entityContact(c.Manufacturer):
			name := ""
			if c.Supplier != nil {
				name = c.Supplier.Name
			}
			gap(ref, "creator", "supplier %q has no email address or URL", name)
		}
		if c.Name == "" {
			gap(ref, "name", "no name")
		}
		if c.Version == "" {
			gap(ref, "version", "no version")
		}
		if propertyValue(c, BSIFilename) == "" {
			gap(ref, "filename", "no file name of the deployable form%s", why)
		}
		switch {
		case !inv.EdgesKnown && primary:
			gap(ref, "dependencies", "the dependency relationships are unknown (a binary records none: use --mode packages or modules)")
		case primary && !deps[ref]:
			gap(ref, "dependencies", "the product's dependencies are not listed")
		}
		if !hasLicense(c, cdx.LicenseAcknowledgementConcluded) {
			gap(ref, "distribution-licence", "no concluded licence (the SOUP register's license, or one the licence files state unambiguously)")
		}
		if !hasDeployableHash(c) {
			gap(ref, "hash", "no SHA-512 digest of the deployable form on its distribution reference%s", why)
		}
		for _, p := range []struct{ name, element string }{{BSIExecutable, "executable"}, {BSIArchive, "archive"}, {BSIStructured, "structured"}} {
			if propertyValue(c, p.name) == "" {
				gap(ref, p.element, "no property %s%s", p.name, why)
			}
		}
		if !hasExternalRef(c, cdx.ERTypeSourceDistribution) && !hasExternalRef(c, cdx.ERTypeVCS) {
			gap(ref, "source-uri", "no URI of the source code")
		}
		if !hasExternalRef(c, cdx.ERTypeDistribution) {
			gap(ref, "deployable-uri", "no URI of the deployable form%s", why)
		}
		if c.PackageURL == "" && c.CPE == "" {
			gap(ref, "identifier", "no package URL or CPE")
		}
		if !hasLicense(c, cdx.LicenseAcknowledgementDeclared) && propertyValue(c, DeclaredLicenseProperty) == "" {
			gap(ref, "original-licence", "no declared licence (none found in the module's licence files)")
		}
	})
	return gaps
}

// creatorContact reports whether the BOM names its creator with a way to
// reach them: an author's email, or metadata.manufacturer's URL or email.
func creatorContact(bom *cdx.BOM) bool {
	if m := bom.Metadata; m != nil {
		if m.Authors != nil {
			for _, a := range *m.Authors {
				if a.Email != "" {
					return true
				}
			}
		}
		return entityContact(m.Manufacturer)
	}
	return false
}

// entityContact reports whether e has a URL or an email.
func entityContact(e *cdx.OrganizationalEntity) bool {
	if e == nil {
		return false
	}
	if e.URL != nil && len(*e.URL) > 0 {
		return true
	}
	if e.Contact != nil {
		for _, c := range *e.Contact {
			if c.Email != "" {
				return true
			}
		}
	}
	return false
}

func hasLicense(c *cdx.Component, ack cdx.LicenseAcknowledgement) bool {
	if c.Licenses == nil {
		return false
	}
	for _, l := range *c.Licenses {
		if (l.License != nil && l.License.Acknowledgement == ack) || (l.Expression != "" && l.Acknowledgement != nil && *l.Acknowledgement == ack) {
			return true
		}
	}
	return false
}

func hasDeployableHash(c *cdx.Component) bool {
	if c.ExternalReferences != nil {
		for _, r := range *c.ExternalReferences {
			if r.Type != cdx.ERTypeDistribution || r.Hashes == nil {
				continue
			}
			for _, h := range *r.Hashes {
				if h.Algorithm == cdx.HashAlgoSHA512 {
					return true
				}
			}
		}
	}
	// An executable has no URL to hang the digest on: its own hashes.
	if propertyValue(c, BSIExecutable) == "executable" && c.Hashes != nil {
		for _, h := range *c.Hashes {
			if h.Algorithm == cdx.HashAlgoSHA512 {
				return true
			}
		}
	}
	return false
}

// forComponents calls f for the primary component, then every other.
func forComponents(bom *cdx.BOM, f func(c *cdx.Component, primary bool)) {
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		f(bom.Metadata.Component, true)
	}
	if bom.Components != nil {
		for i := range *bom.Components {
			f(&(*bom.Components)[i], false)
		}
	}
}

func hasProperty(c *cdx.Component, name string) bool {
	return propertyValue(c, name) != ""
}

func propertyValue(c *cdx.Component, name string) string {
	if c.Properties == nil {
		return ""
	}
	for _, p := range *c.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

func hasExternalRef(c *cdx.Component, t cdx.ExternalReferenceType) bool {
	if c.ExternalReferences == nil {
		return false
	}
	for _, r := range *c.ExternalReferences {
		if r.Type == t {
			return true
		}
	}
	return false
}
