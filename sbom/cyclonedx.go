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
package sbom

import (
	"encoding/json"
	"errors"
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
	// Spec is the CycloneDX specification version, one of
	// CycloneDXSpecs; DefaultCycloneDXSpec (1.6) when zero.
	Spec cdx.SpecVersion
}

// CycloneDX converts an inventory to a CycloneDX BOM. Its serial number is
// derived from its content (see Namespace): the same inventory and options
// give the same BOM, on any machine.
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
	bom.SerialNumber = serialNumber(bom, opts)
	return bom
}

// serialNumber is the BOM's serial number, derived from its content so
// that the same inputs give the same document: "urn:uuid:" and the
// version 5 UUID (in Namespace) of the compact JSON encoding of bom, with
// its specVersion set to the version to be written and no serial number.
// The JSON and XML documents of one BOM share it; documents that differ in
// anything, the timestamp or the spec version included, do not.
func serialNumber(bom *cdx.BOM, opts Options) string {
	spec, err := opts.cycloneDXSpec()
	if err != nil {
		spec = DefaultCycloneDXSpec // the encoder rejects it anyway
	}
	b := *bom
	b.SerialNumber = ""
	b.SpecVersion = spec
	u := newUUIDv5(namespace)
	enc := json.NewEncoder(u)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&b); err != nil {
		// Only a json.Marshaler of cyclonedx-go can fail, on values
		// baseline never sets; the encoders report the missing serial.
		return ""
	}
	return "urn:uuid:" + u.sum(nil).String()
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
	bom := CycloneDX(inv, opts)
	if bom.SerialNumber == "" {
		return errors.New("encoding CycloneDX: cannot compute the serial number")
	}
	enc := cdx.NewBOMEncoder(w, ff)
	enc.SetPretty(true)
	enc.SetEscapeHTML(false)
	if err := enc.EncodeVersion(bom, spec); err != nil {
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
	for _, p := range properties(c) {
		props = append(props, cdx.Property{Name: p.name, Value: p.value})
	}
	if len(props) > 0 {
		cc.Properties = &props
	}
	return cc
}

type property struct{ name, value string }

// properties are the facts about a component that neither format has a
// field for, under PropertyPrefix: CycloneDX properties, and lines of the
// SPDX package comment.
func properties(c *inventory.Component) []property {
	var props []property
	prop := func(name, value string) {
		if value != "" {
			props = append(props, property{PropertyPrefix + name, value})
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
	return props
}
