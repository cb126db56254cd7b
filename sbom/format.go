package sbom

import (
	"fmt"
	"io"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
)

// Format is an SBOM file format, named as the --format flag names it.
type Format string

const (
	// CycloneDXJSON is CycloneDX in JSON, the default.
	CycloneDXJSON Format = "cyclonedx-json"
	// CycloneDXXML is CycloneDX in XML.
	CycloneDXXML Format = "cyclonedx-xml"
	// SPDXJSON is SPDX 2.3 in JSON.
	SPDXJSON Format = "spdx-json"
	// SPDXTagValue is SPDX 2.3 in its tag-value text form.
	SPDXTagValue Format = "spdx-tag-value"
)

// Formats lists every format Encode writes, in the order the command
// documents them.
func Formats() []Format {
	return []Format{CycloneDXJSON, CycloneDXXML, SPDXJSON, SPDXTagValue}
}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want %s)", s, join(Formats()))
}

// CycloneDXSpecs lists the CycloneDX specification versions baseline
// writes, oldest first. The default is DefaultCycloneDXSpec.
func CycloneDXSpecs() []cdx.SpecVersion {
	return []cdx.SpecVersion{cdx.SpecVersion1_4, cdx.SpecVersion1_5, cdx.SpecVersion1_6, cdx.SpecVersion1_7}
}

// DefaultCycloneDXSpec is the CycloneDX version written when Options.Spec
// is zero.
const DefaultCycloneDXSpec = cdx.SpecVersion1_6

// ParseCycloneDXSpec returns the CycloneDX specification version named s,
// such as "1.6".
func ParseCycloneDXSpec(s string) (cdx.SpecVersion, error) {
	for _, v := range CycloneDXSpecs() {
		if v.String() == s {
			return v, nil
		}
	}
	return 0, fmt.Errorf("unsupported CycloneDX spec version %q (want %s)", s, join(CycloneDXSpecs()))
}

// Encode writes inv as an SBOM in format f. Options.Spec applies to the
// CycloneDX formats only.
func Encode(w io.Writer, inv *inventory.Inventory, f Format, opts Options) error {
	switch f {
	case CycloneDXJSON:
		return EncodeCycloneDX(w, inv, opts)
	case CycloneDXXML:
		return EncodeCycloneDXXML(w, inv, opts)
	case SPDXJSON:
		return EncodeSPDXJSON(w, inv, opts)
	case SPDXTagValue:
		return EncodeSPDXTagValue(w, inv, opts)
	}
	return fmt.Errorf("unknown format %q (want %s)", f, join(Formats()))
}

func join[T fmt.Stringer](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, ", ")
}

func (f Format) String() string { return string(f) }
