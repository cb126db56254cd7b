//go:build xsd

// The XSD validation needs libxml2 through cgo (gcc, pkg-config,
// libxml2-dev), so it runs only with the build tag xsd, which .ci/run
// sets: go test -tags xsd ./sbom. Without the tag, go test ./... builds
// and runs everything else on a machine without libxml2.

package sbom_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	xsdvalidate "github.com/terminalstatic/go-xsd-validate"

	"github.com/baseline-cm/baseline/sbom"
)

// TestCycloneDXXSD validates the XML of every supported spec version
// against that version's official XSD from the cyclonedx-go module, with
// libxml2 through cgo, as cyclonedx-go's own tests do. Nothing is fetched:
// the XSDs' import of the SPDX licence list is served from the module's
// spdx.xsd.
func TestCycloneDXXSD(t *testing.T) {
	dir := cycloneDXSchemaDir(t)
	if err := xsdvalidate.Init(); err != nil {
		t.Fatal(err)
	}
	defer xsdvalidate.Cleanup()
	for _, spec := range sbom.CycloneDXSpecs() {
		t.Run(spec.String(), func(t *testing.T) {
			xsd, err := os.ReadFile(filepath.Join(dir, "bom-"+spec.String()+".xsd"))
			if err != nil {
				t.Fatal(err)
			}
			// The 1.7 XSD imports the SPDX licence list by URL; serve it
			// from the module's spdx.xsd, as the older versions do.
			spdx, err := filepath.Abs(filepath.Join(dir, "spdx.xsd"))
			if err != nil {
				t.Fatal(err)
			}
			xsd = regexp.MustCompile(`schemaLocation="(http://cyclonedx.org/schema/spdx|spdx.xsd)"`).
				ReplaceAll(xsd, []byte(`schemaLocation="`+spdx+`"`))
			h, err := xsdvalidate.NewXsdHandlerMem(xsd, xsdvalidate.ParsErrDefault)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Free()
			for name, opts := range map[string]sbom.Options{
				"plain":    {Spec: spec, Timestamp: time.Unix(1700000000, 0), ToolVersion: "v9"},
				"metadata": metaOpts(spec),
				"register": withRegister(t, spec),
			} {
				xml := encode(t, testInventory(), sbom.CycloneDXXML, opts)
				if err := h.ValidateMem(xml, xsdvalidate.ValidErrDefault); err != nil {
					t.Errorf("%s options: CycloneDX %v XML does not validate: %v", name, spec, err)
				}
				xml = encode(t, bigInventory(20), sbom.CycloneDXXML, opts)
				if err := h.ValidateMem(xml, xsdvalidate.ValidErrDefault); err != nil {
					t.Errorf("%s options, big inventory: CycloneDX %v XML does not validate: %v", name, spec, err)
				}
			}
			// The XSD is strict enough to catch a broken document.
			broken := []byte(`<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/` + spec.String() + `" version="1"><components><component type="bogus"><name>x</name></component></components></bom>`)
			if h.ValidateMem(broken, xsdvalidate.ValidErrDefault) == nil {
				t.Error("the XSD accepts a broken document: the test proves nothing")
			}
		})
	}
}
