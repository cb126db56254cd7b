package sbom

import (
	"strings"

	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// The SOUP register's fields in an SBOM (Options.Register). A component
// whose module a register item names (see inventory.Component.Built) gets:
//
//   - bom-ref (CycloneDX) the item's internal ID, and an SPDXID derived
//     from it; components without an item keep their package URL;
//   - supplier the item's manufacturer (with its website); without an
//     item, or without a manufacturer, a supplier derived from the module
//     path, marked by the property baseline:supplier:derived=true: a URL
//     (the organisation's site, else the module's repository or web page)
//     and a name where the path tells one (an organisation of a small
//     curated table: golang.org/x/... and the standard library are "The
//     Go Authors", k8s.io/... "The Kubernetes Authors"; else the owner of
//     github.com/OWNER/...). A host name names no one: any other path
//     gives a supplier with a URL and no name (SPDX, which has no place
//     for a supplier's URL, writes NOASSERTION and the URL in the
//     package comment as baseline:supplier:url);
//   - the item's licence as the concluded licence, the manufacturer's
//     conclusion for its use (CycloneDX acknowledgement "concluded", SPDX
//     PackageLicenseConcluded), next to the declared one the licence
//     files give;
//   - external references: website, VCS, anomaly list (issue tracker);
//   - the IEC 62304 and FDA fields as properties named
//     baseline:soup:FIELD (SOUPProperties lists them), the end of support
//     also as cdx:lifecycle:milestone:endOfSupport (CycloneDX) and
//     ValidUntilDate (SPDX).
//
// Register items that are not Go modules (an operating system, a
// database, a service) become components too, which the primary
// component depends on.

// SOUPProperties returns the names of the properties (after
// PropertyPrefix) that carry a register item's fields, in the order they
// are written.
func SOUPProperties() []string {
	return []string{
		"soup:id", "soup:title", "soup:kind", "soup:manufacturer:justification",
		"soup:license", "soup:used-by", "soup:safety-class", "soup:risk",
		"soup:required-hw-sw",
		"soup:anomaly-evaluation:version", "soup:anomaly-evaluation:date",
		"soup:anomaly-evaluation:evaluator", "soup:anomaly-evaluation:relevant-anomalies",
		"soup:anomaly-evaluation:conclusion",
		"soup:support-level", "soup:support-assessed", "soup:end-of-support",
		"soup:end-of-support:justification", "soup:last-verified",
	}
}

// EndOfSupportProperty is CycloneDX's official property for a
// component's end of support.
const EndOfSupportProperty = "cdx:lifecycle:milestone:endOfSupport"

// DerivedSupplierProperty marks a supplier derived from the module path.
const DerivedSupplierProperty = PropertyPrefix + "supplier:derived"

// items indexes a register's items by the module they are matched with.
type items struct {
	byModule map[string]*soup.Item
	// others are the items that are not Go components, in register order.
	others []*soup.Item
}

// newItems indexes reg's items. A register soup parses holds at most one
// item per module; in one built by hand, the first wins.
func newItems(reg *soup.Register) *items {
	ix := &items{byModule: map[string]*soup.Item{}}
	if reg == nil {
		return ix
	}
	for i := range reg.Items {
		it := &reg.Items[i]
		if !it.IsGo() {
			ix.others = append(ix.others, it)
		} else if _, ok := ix.byModule[it.Module]; !ok {
			ix.byModule[it.Module] = it
		}
	}
	return ix
}

// item returns the register item of a component, or nil.
func (ix *items) item(c *inventory.Component) *soup.Item {
	if ix == nil || c == nil || (c.Kind != inventory.Module && c.Kind != inventory.Stdlib) {
		return nil
	}
	m, _ := c.Built()
	return ix.byModule[m]
}

// ref is a component's stable bom-ref: its register item's ID when it
// has one, else its package URL.
func (ix *items) ref(c *inventory.Component) string {
	if id := itemID(ix.item(c)); id != "" {
		return id
	}
	return c.PURL
}

// otherRef is the bom-ref of a register item that is not a Go component.
func otherRef(it *soup.Item) string {
	if id := itemID(it); id != "" {
		return id
	}
	if p := it.PackageURL(); p != "" {
		return p
	}
	return "soup:" + it.Title + "@" + it.Version
}

func itemID(it *soup.Item) string {
	if it == nil || it.ID == "" || soup.IsTODO(it.ID) {
		return ""
	}
	return it.ID
}

// known returns s, or "" for a TODO marker.
func known(s string) string {
	if soup.IsTODO(s) {
		return ""
	}
	return strings.TrimSpace(s)
}

// supplier is a component's supplier: given (the product's
// Options.Supplier) when not nil, else the register item's manufacturer,
// else derived from the module path (derived true): a URL, with a name
// only where the path tells one. The zero Party is no supplier.
func supplier(c *inventory.Component, it *soup.Item, given *Party) (p Party, derived bool) {
	if given != nil {
		return *given, false
	}
	if it != nil {
		// "unknown" (with a justification in the register) names no one:
		// the supplier is derived, as without an item.
		if m := known(it.Manufacturer); m != "" && !strings.EqualFold(m, "unknown") {
			return Party{Name: m, URL: webURL(known(it.Website))}, false
		}
	}
	d := modpath.SupplierOf(modulePath(c))
	if d.Name == "" && d.URL == "" {
		return Party{}, false
	}
	return Party{Name: d.Name, URL: d.URL}, true
}

// webURL returns u when it is an http(s) URL.
func webURL(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}

// modulePath is the path whose module-path knowledge (repository,
// supplier) applies to a component: the replacement's for a module
// replacement, the module's own for a directory replacement.
func modulePath(c *inventory.Component) string {
	if c.Kind == inventory.Stdlib {
		return modpath.Stdlib
	}
	path, _ := c.Effective()
	if c.Replace != nil && c.Replace.Local {
		path = c.Path
	}
	return path
}

// vcsURL is the source repository of a module, when its path names one.
func vcsURL(c *inventory.Component) string {
	if c.Replace != nil && c.Replace.Local {
		return ""
	}
	return modpath.Repository(modulePath(c))
}

// soupProperties are a register item's fields as properties.
func soupProperties(it *soup.Item) []property {
	if it == nil {
		return nil
	}
	var props []property
	prop := func(name, value string) {
		if v := known(value); v != "" {
			props = append(props, property{PropertyPrefix + name, v})
		}
	}
	prop("soup:id", it.ID)
	prop("soup:title", it.Title)
	prop("soup:kind", string(it.Kind))
	prop("soup:manufacturer:justification", it.ManufacturerJustification)
	prop("soup:license", it.License)
	prop("soup:used-by", strings.Join(it.UsedBy, ", "))
	prop("soup:safety-class", string(it.SafetyClass))
	prop("soup:risk", string(it.Risk))
	prop("soup:required-hw-sw", strings.Join(it.RequiredHWSW, ", "))
	if ae := it.AnomalyEvaluation; ae != nil {
		prop("soup:anomaly-evaluation:version", ae.VersionEvaluated)
		prop("soup:anomaly-evaluation:date", string(ae.Date))
		prop("soup:anomaly-evaluation:evaluator", ae.Evaluator)
		if ae.RelevantAnomalies != nil {
			v := strings.Join(ae.RelevantAnomalies, ", ")
			if v == "" {
				v = "none"
			}
			prop("soup:anomaly-evaluation:relevant-anomalies", v)
		}
		prop("soup:anomaly-evaluation:conclusion", ae.Conclusion)
	}
	if s := it.Support; s != nil {
		prop("soup:support-level", string(s.Level))
		prop("soup:support-assessed", string(s.Assessed))
		prop("soup:end-of-support", string(s.EndOfSupport))
		prop("soup:end-of-support:justification", s.EndOfSupportJustification)
	}
	if v := it.Verification; v != nil {
		prop("soup:last-verified", string(v.LastVerified))
	}
	return props
}

// endOfSupport is the item's end-of-support date, when known.
func endOfSupport(it *soup.Item) (string, bool) {
	if it == nil || it.Support == nil {
		return "", false
	}
	if _, ok := it.Support.EndOfSupport.Time(); !ok {
		return "", false
	}
	return string(it.Support.EndOfSupport), true
}

// anomalyList is the item's anomaly list URL.
func anomalyList(it *soup.Item) string {
	if it == nil || it.AnomalyEvaluation == nil {
		return ""
	}
	return webURL(known(it.AnomalyEvaluation.AnomalyList))
}

// registerLicense is the item's licence expression: the manufacturer's
// conclusion for its use (the concluded licence).
func registerLicense(it *soup.Item) string {
	if it == nil {
		return ""
	}
	return known(it.License)
}
