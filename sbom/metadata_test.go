package sbom_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdxlib"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
)

// metaOpts are options with every document field set, for the tests that
// must cover them (schemas, round trips).
func metaOpts(spec cdx.SpecVersion) sbom.Options {
	return sbom.Options{
		Spec: spec, Timestamp: time.Unix(1700000000, 0), ToolVersion: "v9",
		Authors: []sbom.Party{
			{Name: "Jane Doe", Email: "jane@example.com", Person: true},
			{Name: "Example Inc.", URL: "https://example.com"},
		},
		Manufacturer:   &sbom.Party{Name: "Example Inc.", Email: "psirt@example.com", URL: "https://example.com"},
		Supplier:       &sbom.Party{Name: "Example Distribution", URL: "https://dist.example.com/x"},
		ProductVersion: "v1.2.3",
	}
}

func TestParseParty(t *testing.T) {
	ok := map[string]sbom.Party{
		"Jane Doe <jane@example.com>":                      {Name: "Jane Doe", Email: "jane@example.com", Person: true},
		"Example Inc., https://example.com":                {Name: "Example Inc.", URL: "https://example.com"},
		"Example Inc. <psirt@example.com>, https://ex.com": {Name: "Example Inc.", Email: "psirt@example.com", URL: "https://ex.com"},
		"Example Inc.":                     {Name: "Example Inc."},
		"Organization: ACME <a@acme.test>": {Name: "ACME", Email: "a@acme.test"},
		"Person: Jo, https://jo.example":   {Name: "Jo", URL: "https://jo.example", Person: true},
		"  Doe, Jane <jane@example.com>  ": {Name: "Doe, Jane", Email: "jane@example.com", Person: true},
	}
	for in, want := range ok {
		got, err := sbom.ParseParty(in)
		if err != nil || got != want {
			t.Errorf("ParseParty(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if err == nil {
			if again, err := sbom.ParseParty(got.String()); err != nil || (again.Person != got.Person && !strings.Contains(in, ":")) || again.Name != got.Name {
				t.Errorf("ParseParty(%q.String()) = %+v, %v", in, again, err)
			}
		}
	}
	for _, in := range []string{"", "<jane@example.com>", "Jane <not an address>", "Jane <jane@example.com", "X, ftp://x.test", "X, https://", "Jane (x)"} {
		if p, err := sbom.ParseParty(in); err == nil {
			t.Errorf("ParseParty(%q) = %+v, want an error", in, p)
		}
	}
}

func TestCycloneDXMetadata(t *testing.T) {
	for _, spec := range sbom.CycloneDXSpecs() {
		for _, ff := range []cdx.BOMFileFormat{cdx.BOMFileFormatJSON, cdx.BOMFileFormatXML} {
			f := sbom.CycloneDXJSON
			if ff == cdx.BOMFileFormatXML {
				f = sbom.CycloneDXXML
			}
			var bom cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(encode(t, testInventory(), f, metaOpts(spec))), ff).Decode(&bom); err != nil {
				t.Fatal(err)
			}
			m := bom.Metadata
			if m.Authors == nil || len(*m.Authors) != 2 || (*m.Authors)[0] != (cdx.OrganizationalContact{Name: "Jane Doe", Email: "jane@example.com"}) {
				t.Errorf("%v %s: authors = %+v", spec, f, m.Authors)
			}
			// The product's manufacturer: metadata.component.manufacturer
			// from 1.6, metadata.manufacture before.
			man := m.Component.Manufacturer
			if spec < cdx.SpecVersion1_6 {
				man = m.Manufacture
			}
			if man == nil || man.Name != "Example Inc." || man.URL == nil || (*man.URL)[0] != "https://example.com" ||
				man.Contact == nil || (*man.Contact)[0].Email != "psirt@example.com" {
				t.Errorf("%v %s: manufacturer = %+v", spec, f, man)
			}
			// From 1.6, metadata.manufacturer is the organisation that
			// made the BOM: the organisation author, with its URL.
			if spec >= cdx.SpecVersion1_6 {
				if a := m.Manufacturer; a == nil || a.Name != "Example Inc." || a.URL == nil || (*a.URL)[0] != "https://example.com" {
					t.Errorf("%v %s: BOM manufacturer (organisation author) = %+v", spec, f, a)
				}
			}
			if u := sbom.Unwritten(f, metaOpts(spec)); (spec < cdx.SpecVersion1_6) != (len(u) == 1) || (len(u) == 1 && !strings.Contains(u[0], "https://example.com")) {
				t.Errorf("%v %s: Unwritten = %q", spec, f, u)
			}
			if m.Licenses == nil || len(*m.Licenses) != 1 || (*m.Licenses)[0].License == nil || (*m.Licenses)[0].License.ID != "CC0-1.0" {
				t.Errorf("%v %s: data licence = %+v", spec, f, m.Licenses)
			}
			if m.Component.PackageURL != "pkg:golang/example.com/app@v1.2.3" {
				t.Errorf("%v %s: product purl %q, want the version in it", spec, f, m.Component.PackageURL)
			}
			if m.Supplier == nil || m.Supplier.Name != "Example Distribution" {
				t.Errorf("%v %s: supplier = %+v", spec, f, m.Supplier)
			}
			if m.Component.Version != "v1.2.3" || m.Component.Supplier == nil || m.Component.Supplier.Name != "Example Distribution" {
				t.Errorf("%v %s: primary component version %q supplier %+v", spec, f, m.Component.Version, m.Component.Supplier)
			}
		}
	}
}

func TestSPDXMetadata(t *testing.T) {
	for _, f := range []sbom.Format{sbom.SPDXJSON, sbom.SPDXTagValue} {
		doc := decodeWith(t, testInventory(), f, metaOpts(0))
		if err := spdxlib.ValidateDocument(doc); err != nil {
			t.Error(err)
		}
		want := []common.Creator{
			{CreatorType: "Tool", Creator: "baseline-v9"},
			{CreatorType: "Person", Creator: "Jane Doe (jane@example.com)"},
			{CreatorType: "Organization", Creator: "Example Inc."},
		}
		if !slices.Equal(doc.CreationInfo.Creators, want) {
			t.Errorf("%s: creators = %+v", f, doc.CreationInfo.Creators)
		}
		for _, p := range doc.Packages {
			if p.PackageName != "example.com/app" {
				continue
			}
			if p.PackageVersion != "v1.2.3" {
				t.Errorf("%s: primary version %q", f, p.PackageVersion)
			}
			if p.PackageSupplier == nil || *p.PackageSupplier != (common.Supplier{SupplierType: "Organization", Supplier: "Example Distribution"}) {
				t.Errorf("%s: supplier %+v", f, p.PackageSupplier)
			}
			purl := ""
			for _, r := range p.PackageExternalReferences {
				if r.RefType == common.TypePackageManagerPURL {
					purl = r.Locator
				}
			}
			if purl != "pkg:golang/example.com/app@v1.2.3" {
				t.Errorf("%s: product purl %q", f, purl)
			}
			if !strings.Contains(p.PackageComment, "baseline:supplier:url: https://dist.example.com/x") || !strings.Contains(p.PackageComment, "baseline:manufacturer:url: https://example.com") {
				t.Errorf("%s: primary package comment lacks the supplier's and manufacturer's URLs:\n%s", f, p.PackageComment)
			}
			if p.PackageOriginator == nil || *p.PackageOriginator != (common.Originator{OriginatorType: "Organization", Originator: "Example Inc. (psirt@example.com)"}) {
				t.Errorf("%s: originator %+v", f, p.PackageOriginator)
			}
		}
		if !strings.Contains(doc.CreationInfo.CreatorComment, "Organization: Example Inc.: https://example.com") {
			t.Errorf("%s: the organisation author's URL is not in the creator comment: %q", f, doc.CreationInfo.CreatorComment)
		}
		if u := sbom.Unwritten(f, metaOpts(0)); u != nil {
			t.Errorf("%s: Unwritten = %q", f, u)
		}
		if !strings.HasPrefix(doc.DocumentNamespace, "https://spdx.org/spdxdocs/example.com/app-v1.2.3-") {
			t.Errorf("%s: namespace %s", f, doc.DocumentNamespace)
		}
	}
}

// TestProductVersionFromInventory: without Options.ProductVersion, the
// main component's version (a binary's build information) is the
// product's, in both formats.
func TestProductVersionFromInventory(t *testing.T) {
	inv := testInventory()
	inv.Main().Version = "v2.0.0"
	if v := sbom.CycloneDX(inv, sbom.Options{}).Metadata.Component.Version; v != "v2.0.0" {
		t.Errorf("CycloneDX primary version %q", v)
	}
	if v := sbom.CycloneDX(inv, sbom.Options{ProductVersion: "v3"}).Metadata.Component.Version; v != "v3" {
		t.Errorf("CycloneDX primary version %q, want the option's", v)
	}
	doc := sbom.SPDX(inv, spdxOpts)
	for _, p := range doc.Packages {
		if p.PackageName == "example.com/app" && p.PackageVersion != "v2.0.0" {
			t.Errorf("SPDX primary version %q", p.PackageVersion)
		}
	}
}

// TestBinaryDigests: for a binary, the primary component carries the
// executable's digests (the deployable form).
func TestBinaryDigests(t *testing.T) {
	inv := testInventory()
	inv.Mode, inv.EdgesKnown, inv.Dependencies = inventory.Binary, false, nil
	inv.Build.Binary = &inventory.File{Name: "app", Size: 3, Hashes: []inventory.Hash{{Algorithm: "SHA-256", Value: sha256Hex}, {Algorithm: "SHA-512", Value: sha512Hex}}}
	m := sbom.CycloneDX(inv, metaOpts(0)).Metadata.Component
	if m.Hashes == nil || len(*m.Hashes) != 2 || (*m.Hashes)[1].Value != sha512Hex {
		t.Errorf("primary hashes %+v", m.Hashes)
	}
	for _, g := range sbom.CheckBSI(inv, metaOpts(0)) {
		if g.Component == m.BOMRef && g.Element == "hash" {
			t.Errorf("BSI gap %v for a binary with digests", g)
		}
	}
	doc := sbom.SPDX(inv, spdxOpts)
	if err := spdxlib.ValidateDocument(doc); err != nil {
		t.Error(err)
	}
	for _, p := range doc.Packages {
		if p.PackageName == "example.com/app" && (p.PackageFileName != "app" || len(p.PackageChecksums) != 2) {
			t.Errorf("SPDX primary: file %q checksums %v", p.PackageFileName, p.PackageChecksums)
		}
	}
}
