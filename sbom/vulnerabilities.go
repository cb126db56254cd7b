package sbom

import (
	"slices"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// BOMRefs returns the function giving the bom-ref a CycloneDX BOM of
// this package gives a component, with register reg (nil for none): its
// register item's ID when it has one, else its package URL. VEX
// statements (package anomaly) name components by it.
func BOMRefs(reg *soup.Register) func(c *inventory.Component) string { return newItems(reg).ref }

// addVulnerabilities embeds opts.Vulnerabilities and
// opts.MetadataProperties.
func addVulnerabilities(bom *cdx.BOM, opts Options) {
	if len(opts.Vulnerabilities) > 0 {
		v := slices.Clone(opts.Vulnerabilities)
		bom.Vulnerabilities = &v
	}
	if len(opts.MetadataProperties) > 0 && bom.Metadata != nil {
		var props []cdx.Property
		if bom.Metadata.Properties != nil {
			props = slices.Clone(*bom.Metadata.Properties)
		}
		props = append(props, opts.MetadataProperties...)
		bom.Metadata.Properties = &props
	}
}
