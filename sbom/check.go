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
	// Element is the minimum element missing: supplier, name, version,
	// identifier, relationships, author, timestamp (NTIA); creator,
	// hash, license, uri, spec (BSI).
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
// data (Options.Authors) and the timestamp. It checks the document the
// encoders write (CycloneDX; SPDX carries the same facts). A supplier
// derived from the module path counts as present: it names who publishes
// the module, and the document says it was derived. None is nil.
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
		if c.Supplier == nil || c.Supplier.Name == "" {
			gap(ref, "supplier", "no supplier (--supplier for the product; manufacturer in the SOUP register)")
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
		switch {
		case primary && !inv.EdgesKnown:
			gap(ref, "relationships", "the dependency relationships are unknown (a binary records none: use --mode packages or modules)")
		case primary && !deps[ref]:
			gap(ref, "relationships", "the product's dependencies are not listed")
		}
	})
	return gaps
}

// CheckBSI returns what the CycloneDX SBOM that inv and opts give lacks
// of what BSI TR-03183-2 (v2.1) requires: CycloneDX 1.6 or later; the
// SBOM's creator with an email address or URL (an author or the
// manufacturer, Options); per component a creator (supplier), name,
// version, licence, SHA-512 digest and, for third-party modules, the URI
// of the deployable form; dependencies as CheckNTIA. A supplier derived
// from the module path is a gap here ("derived"): the TR asks for the
// component's creator with a way to reach them, which only the register
// records. SPDX 2.3 does not meet the TR (it asks for SPDX 3.0.1 or
// later); the check assumes CycloneDX at opts.Spec. Not checked: the
// filename and the bsi:component:* properties (executable, archive,
// structured), which baseline does not write yet.
func CheckBSI(inv *inventory.Inventory, opts Options) []Gap {
	bom := CycloneDX(inv, opts)
	var gaps []Gap
	gap := func(c, e, format string, args ...any) {
		gaps = append(gaps, Gap{c, e, fmt.Sprintf(format, args...)})
	}
	if spec, err := opts.cycloneDXSpec(); err != nil || spec < cdx.SpecVersion1_6 {
		gap(DocumentGap, "spec", "BSI TR-03183-2 requires CycloneDX 1.6 or later")
	}
	contact := false
	for _, a := range opts.Authors {
		contact = contact || a.Email != "" || a.URL != ""
	}
	if m := opts.Manufacturer; m != nil {
		contact = contact || m.Email != "" || m.URL != ""
	}
	if !contact {
		gap(DocumentGap, "creator", "no author or manufacturer with an email address or URL")
	}
	if opts.Timestamp.IsZero() {
		gap(DocumentGap, "timestamp", "no timestamp")
	}
	forComponents(bom, func(c *cdx.Component, primary bool) {
		ref := c.BOMRef
		switch {
		case c.Supplier == nil || c.Supplier.Name == "":
			gap(ref, "creator", "no supplier")
		case hasProperty(c, DerivedSupplierProperty):
			gap(ref, "creator", "supplier %q derived from the module path, with no email or URL: record the manufacturer in the SOUP register", c.Supplier.Name)
		case (c.Supplier.URL == nil || len(*c.Supplier.URL) == 0) && c.Supplier.Contact == nil:
			gap(ref, "creator", "supplier %q has no email address or URL", c.Supplier.Name)
		}
		if c.Name == "" {
			gap(ref, "name", "no name")
		}
		if c.Version == "" {
			gap(ref, "version", "no version")
		}
		if c.Licenses == nil || len(*c.Licenses) == 0 {
			gap(ref, "license", "no licence (declared in the SOUP register or detected)")
		}
		sha512 := false
		if c.Hashes != nil {
			for _, h := range *c.Hashes {
				sha512 = sha512 || h.Algorithm == cdx.HashAlgoSHA512
			}
		}
		if !sha512 {
			gap(ref, "hash", "no SHA-512 digest of the deployable form")
		}
		if hasProperty(c, PropertyPrefix+"go:module:kind") && propertyValue(c, PropertyPrefix+"go:module:kind") == string(inventory.Module) &&
			!hasExternalRef(c, cdx.ERTypeDistribution) {
			gap(ref, "uri", "no URI of the deployable form")
		}
		if primary && !inv.EdgesKnown {
			gap(ref, "relationships", "the dependency relationships are unknown (a binary records none: use --mode packages or modules)")
		}
	})
	return gaps
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
