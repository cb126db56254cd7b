package sbom_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/sbom"
)

// TestCycloneDXSpecsAndFormats encodes the test inventory at every
// supported spec version in JSON and XML, decodes it with cyclonedx-go and
// checks the version written and that the facts survive the downgrade.
func TestCycloneDXSpecsAndFormats(t *testing.T) {
	for _, f := range []sbom.Format{sbom.CycloneDXJSON, sbom.CycloneDXXML} {
		ff := cdx.BOMFileFormatJSON
		if f == sbom.CycloneDXXML {
			ff = cdx.BOMFileFormatXML
		}
		for _, spec := range append([]cdx.SpecVersion{0}, sbom.CycloneDXSpecs()...) {
			t.Run(f.String()+"-"+spec.String(), func(t *testing.T) {
				var buf bytes.Buffer
				opts := sbom.Options{Spec: spec, Timestamp: time.Unix(1700000000, 0), ToolVersion: "v9"}
				if err := sbom.Encode(&buf, testInventory(), f, opts); err != nil {
					t.Fatal(err)
				}
				if !bytes.HasSuffix(buf.Bytes(), []byte("}\n")) && !bytes.HasSuffix(buf.Bytes(), []byte(">\n")) {
					t.Errorf("document does not end with a newline")
				}
				var bom cdx.BOM
				if err := cdx.NewBOMDecoder(bytes.NewReader(buf.Bytes()), ff).Decode(&bom); err != nil {
					t.Fatalf("decoding: %v\n%s", err, buf.Bytes())
				}
				want := spec
				if want == 0 {
					want = sbom.DefaultCycloneDXSpec
				}
				if bom.SpecVersion != want {
					t.Errorf("spec version %v, want %v", bom.SpecVersion, want)
				}
				if f == sbom.CycloneDXXML && !strings.Contains(buf.String(), `xmlns="http://cyclonedx.org/schema/bom/`+want.String()+`"`) {
					t.Errorf("XML namespace is not that of %v:\n%s", want, buf.Bytes())
				}
				if bom.Metadata == nil || bom.Metadata.Component == nil || bom.Metadata.Component.BOMRef != "pkg:golang/example.com/app" {
					t.Fatalf("primary component lost: %+v", bom.Metadata)
				}
				if bom.Components == nil || len(*bom.Components) != 3 {
					t.Fatalf("components = %v, want 3", bom.Components)
				}
				fork := (*bom.Components)[0]
				if fork.PackageURL != "pkg:golang/example.com/fork@v1.0.1" || fork.Hashes == nil || len(*fork.Hashes) != 2 || fork.Properties == nil {
					t.Errorf("module lost facts: %+v", fork)
				}
				if bom.Dependencies == nil || len(*bom.Dependencies) != 4 {
					t.Errorf("dependencies = %v, want 4 entries", bom.Dependencies)
				}
				// Lifecycles arrived in 1.5: cyclonedx-go leaves them out of 1.4.
				if got := bom.Metadata.Lifecycles != nil; got != (want >= cdx.SpecVersion1_5) {
					t.Errorf("lifecycles present = %v at %v", got, want)
				}
				// Licence acknowledgement arrived in 1.6.
				if lic := (*fork.Licenses)[0].License; (lic.Acknowledgement != "") != (want >= cdx.SpecVersion1_6) {
					t.Errorf("licence acknowledgement %q at %v", lic.Acknowledgement, want)
				}
			})
		}
	}
}

func TestParse(t *testing.T) {
	for _, s := range []string{"1.4", "1.5", "1.6", "1.7"} {
		v, err := sbom.ParseCycloneDXSpec(s)
		if err != nil || v.String() != s {
			t.Errorf("ParseCycloneDXSpec(%q) = %v, %v", s, v, err)
		}
	}
	for _, s := range []string{"", "1.3", "2.3", "1.8", "v1.6"} {
		if _, err := sbom.ParseCycloneDXSpec(s); err == nil {
			t.Errorf("ParseCycloneDXSpec(%q) succeeded", s)
		}
	}
	for _, f := range sbom.Formats() {
		if g, err := sbom.ParseFormat(f.String()); err != nil || g != f {
			t.Errorf("ParseFormat(%q) = %v, %v", f, g, err)
		}
	}
	if _, err := sbom.ParseFormat("spdx-yaml"); err == nil || !strings.Contains(err.Error(), "cyclonedx-json") {
		t.Errorf("ParseFormat(spdx-yaml) error = %v, want one that lists the formats", err)
	}
	if err := sbom.EncodeCycloneDX(&bytes.Buffer{}, testInventory(), sbom.Options{Spec: cdx.SpecVersion1_3}); err == nil {
		t.Error("EncodeCycloneDX wrote spec 1.3, which baseline does not support")
	}
	if err := sbom.Encode(&bytes.Buffer{}, testInventory(), "bogus", sbom.Options{}); err == nil {
		t.Error("Encode accepted an unknown format")
	}
}
