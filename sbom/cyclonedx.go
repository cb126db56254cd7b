// Package sbom turns an inventory into software bills of materials: the
// SBOM that FDA premarket cybersecurity guidance and the NTIA minimum
// elements ask for (supplier, component name, version, other unique
// identifiers, dependency relationships, author, timestamp), in CycloneDX.
//
// Every SBOM is built from an inventory.Inventory with the field's own
// library (github.com/CycloneDX/cyclonedx-go); nothing is hand-written JSON.
// Module digests go into hashes only when they are real file digests of the
// module .zip; the go.sum "h1:" hash, which is a directory hash, goes into
// the property baseline:go:sum.
package sbom

import (
	"fmt"
	"io"
	"slices"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
)

// PropertyPrefix is the namespace of baseline's CycloneDX properties.
const PropertyPrefix = "baseline:"

// Options describe the SBOM document itself.
type Options struct {
	// Timestamp of the document; zero for none.
	Timestamp time.Time
	// ToolVersion is the version of baseline recorded as the tool.
	ToolVersion string
	// Spec is the CycloneDX specification version; 1.6 when zero.
	Spec cdx.SpecVersion
}

// CycloneDX converts an inventory to a CycloneDX BOM.
func CycloneDX(inv *inventory.Inventory, opts Options) *cdx.BOM {
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
	bom.Metadata = meta

	var comps []cdx.Component
	for i := range inv.Components {
		c := &inv.Components[i]
		cc := component(c)
		if c.ID == inv.MainID {
			cc.Type = cdx.ComponentTypeApplication
			meta.Component = &cc
			continue
		}
		comps = append(comps, cc)
	}
	if len(comps) > 0 {
		bom.Components = &comps
	}

	var deps []cdx.Dependency
	for i := range inv.Components {
		c := &inv.Components[i]
		var on []string
		for _, d := range inv.Dependencies[c.ID] {
			on = append(on, ref(inv.Component(d)))
		}
		if !inv.EdgesKnown && len(on) == 0 {
			continue // unknown, not "depends on nothing"
		}
		slices.Sort(on)
		dep := cdx.Dependency{Ref: ref(c)}
		if len(on) > 0 {
			dep.Dependencies = &on
		}
		deps = append(deps, dep)
	}
	if len(deps) > 0 {
		bom.Dependencies = &deps
	}
	return bom
}

// EncodeCycloneDX writes inv as a CycloneDX JSON document.
func EncodeCycloneDX(w io.Writer, inv *inventory.Inventory, opts Options) error {
	spec := opts.Spec
	if spec == 0 {
		spec = cdx.SpecVersion1_6
	}
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true)
	enc.SetEscapeHTML(false)
	if err := enc.EncodeVersion(CycloneDX(inv, opts), spec); err != nil {
		return fmt.Errorf("encoding CycloneDX: %w", err)
	}
	return nil
}

// ref is a component's stable bom-ref: its package URL.
func ref(c *inventory.Component) string { return c.PURL }

func component(c *inventory.Component) cdx.Component {
	path, version := c.Effective()
	if inventory.Placeholder(version) {
		version = "" // a directory replacement: no version names its code
	}
	cc := cdx.Component{
		BOMRef:     ref(c),
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
	var hashes []cdx.Hash
	for _, h := range c.Hashes {
		alg := cdx.HashAlgoSHA256
		if h.Algorithm == "SHA-512" {
			alg = cdx.HashAlgoSHA512
		}
		hashes = append(hashes, cdx.Hash{Algorithm: alg, Value: h.Value})
	}
	if len(hashes) > 0 {
		cc.Hashes = &hashes
	}
	if len(c.Licenses) > 0 {
		var lics cdx.Licenses
		for _, id := range c.Licenses {
			lics = append(lics, cdx.LicenseChoice{License: &cdx.License{ID: id, Acknowledgement: cdx.LicenseAcknowledgementConcluded}})
		}
		cc.Licenses = &lics
	}
	var props []cdx.Property
	prop := func(name, value string) {
		if value != "" {
			props = append(props, cdx.Property{Name: PropertyPrefix + name, Value: value})
		}
	}
	prop("go:module:path", c.Path)
	if c.Replace != nil {
		prop("go:module:version", c.Version)
		prop("go:replace:path", c.Replace.Path)
		prop("go:replace:version", c.Replace.Version)
	}
	prop("go:sum", c.Sum)
	prop("go:dirsum", c.DirSum)
	prop("go:module:kind", string(c.Kind))
	if c.Direct {
		prop("go:module:direct", "true")
	}
	if len(props) > 0 {
		cc.Properties = &props
	}
	return cc
}
