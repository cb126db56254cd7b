package sbom_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdxlib"

	"github.com/baseline-cm/baseline/sbom"
	"github.com/baseline-cm/baseline/soup"
)

const testRegister = `version: 1
ids:
  prefix: SOUP-
  width: 3
items:
  - id: SOUP-001
    title: example.com/fork
    kind: go-module
    module: example.com/fork
    version: v1.0.1
    manufacturer: Fork Corp
    website: https://fork.example.com
    license: MIT
    used_by: [app]
    safety_class: B
    anomaly_evaluation:
      anomaly_list: https://fork.example.com/issues
      version_evaluated: v1.0.1
      date: 2026-01-02
      evaluator: Jane Doe
      relevant_anomalies: []
      conclusion: No relevant anomalies.
    support:
      level: actively-maintained
      assessed: 2026-01-02
      end_of_support: 2030-12-31
  - id: SOUP-002
    title: Go standard library
    kind: runtime
    module: stdlib
    version: v1.26.8
    manufacturer: TODO
    license: BSD-3-Clause OR MIT
  - id: SOUP-003
    title: Debian GNU/Linux
    kind: os
    version: "12"
    manufacturer: The Debian Project
    website: https://www.debian.org
    support:
      level: actively-maintained
      end_of_support: 2028-06-30
`

func withRegister(t *testing.T, spec cdx.SpecVersion) sbom.Options {
	t.Helper()
	reg, err := soup.ParseRegister("soup.yaml", []byte(testRegister))
	if err != nil {
		t.Fatal(err)
	}
	o := metaOpts(spec)
	o.Register = reg
	return o
}

func TestCycloneDXRegister(t *testing.T) {
	for _, f := range []sbom.Format{sbom.CycloneDXJSON, sbom.CycloneDXXML} {
		ff := cdx.BOMFileFormatJSON
		if f == sbom.CycloneDXXML {
			ff = cdx.BOMFileFormatXML
		}
		var bom cdx.BOM
		if err := cdx.NewBOMDecoder(bytes.NewReader(encode(t, testInventory(), f, withRegister(t, 0))), ff).Decode(&bom); err != nil {
			t.Fatal(err)
		}
		byRef := map[string]cdx.Component{}
		for _, c := range *bom.Components {
			byRef[c.BOMRef] = c
		}
		a, ok := byRef["SOUP-001"]
		if !ok {
			t.Fatalf("%s: no component with the register's ID as bom-ref: %v", f, byRef)
		}
		if a.Supplier == nil || a.Supplier.Name != "Fork Corp" || a.Supplier.URL == nil || (*a.Supplier.URL)[0] != "https://fork.example.com" {
			t.Errorf("%s: supplier %+v", f, a.Supplier)
		}
		props := map[string]string{}
		for _, p := range *a.Properties {
			props[p.Name] = p.Value
		}
		for k, v := range map[string]string{
			"baseline:soup:id": "SOUP-001", "baseline:soup:safety-class": "B",
			"baseline:soup:support-level":                         "actively-maintained",
			"baseline:soup:anomaly-evaluation:version":            "v1.0.1",
			"baseline:soup:anomaly-evaluation:relevant-anomalies": "none",
			"baseline:soup:end-of-support":                        "2030-12-31",
			"cdx:lifecycle:milestone:endOfSupport":                "2030-12-31",
		} {
			if props[k] != v {
				t.Errorf("%s: property %s = %q, want %q", f, k, props[k], v)
			}
		}
		if _, ok := props["baseline:supplier:derived"]; ok {
			t.Errorf("%s: the register's supplier is marked derived", f)
		}
		var lics []string
		for _, l := range *a.Licenses {
			lics = append(lics, l.License.ID+"/"+string(l.License.Acknowledgement))
		}
		// The licence files name two licences without saying how they
		// combine: each is declared; the register concludes MIT.
		if want := []string{"Apache-2.0/declared", "MIT/declared", "MIT/concluded"}; f == sbom.CycloneDXJSON && !slices.Equal(lics, want) {
			t.Errorf("%s: licences %v, want %v", f, lics, want)
		}
		var refs []string
		for _, r := range *a.ExternalReferences {
			refs = append(refs, string(r.Type)+" "+r.URL)
		}
		zip := "https://proxy.golang.org/example.com/fork/@v/v1.0.1.zip"
		if want := []string{"website https://fork.example.com", "distribution " + zip, "source-distribution " + zip, "issue-tracker https://fork.example.com/issues"}; !slices.Equal(refs, want) {
			t.Errorf("%s: external references %v, want %v", f, refs, want)
		}
		// stdlib: a TODO manufacturer gives a derived supplier
		std := byRef["SOUP-002"]
		if std.Supplier == nil || std.Supplier.Name != "The Go Authors" {
			t.Errorf("%s: stdlib supplier %+v", f, std.Supplier)
		}
		if !slices.ContainsFunc(*std.Properties, func(p cdx.Property) bool { return p.Name == "baseline:supplier:derived" && p.Value == "true" }) {
			t.Errorf("%s: stdlib's derived supplier is not marked", f)
		}
		// the OS item is a component the primary depends on
		osc, ok := byRef["SOUP-003"]
		if !ok || osc.Type != cdx.ComponentTypeOS || osc.Name != "Debian GNU/Linux" || osc.Version != "12" {
			t.Errorf("%s: OS component %+v", f, osc)
		}
		deps := map[string][]string{}
		for _, d := range *bom.Dependencies {
			if d.Dependencies != nil {
				deps[d.Ref] = *d.Dependencies
			}
		}
		if got, want := deps["pkg:golang/example.com/app"], []string{"SOUP-001", "SOUP-002", "SOUP-003", "pkg:golang/example.com/local"}; !sameSet(got, want) {
			t.Errorf("%s: primary depends on %v, want %v", f, got, want)
		}
		if got := deps["SOUP-001"]; !slices.Equal(got, []string{"SOUP-002"}) {
			t.Errorf("%s: SOUP-001 depends on %v: the refs of dependencies must follow the bom-refs", f, got)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestSPDXRegister(t *testing.T) {
	for _, f := range []sbom.Format{sbom.SPDXJSON, sbom.SPDXTagValue} {
		doc := decodeWith(t, testInventory(), f, withRegister(t, 0))
		if err := spdxlib.ValidateDocument(doc); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		pkgs := map[string]*spdx.Package{}
		for _, p := range doc.Packages {
			pkgs[string(p.PackageSPDXIdentifier)] = p
		}
		a := pkgs["SOUP-001"]
		if a == nil {
			t.Fatalf("%s: no package SPDXRef-SOUP-001", f)
		}
		if a.PackageSupplier.Supplier != "Fork Corp" || a.PackageSupplier.SupplierType != "Organization" {
			t.Errorf("%s: supplier %+v", f, a.PackageSupplier)
		}
		// Two licences found, no combination stated: nothing declared,
		// the licences named in the comment; the register concludes MIT.
		if a.PackageLicenseDeclared != "NOASSERTION" || a.PackageLicenseConcluded != "MIT" || !strings.Contains(a.PackageLicenseComments, "Apache-2.0, MIT") {
			t.Errorf("%s: declared %q concluded %q comment %q", f, a.PackageLicenseDeclared, a.PackageLicenseConcluded, a.PackageLicenseComments)
		}
		if a.ValidUntilDate != "2030-12-31T00:00:00Z" || a.PackageHomePage != "https://fork.example.com" {
			t.Errorf("%s: valid until %q home page %q", f, a.ValidUntilDate, a.PackageHomePage)
		}
		if !strings.Contains(a.PackageComment, "baseline:soup:safety-class: B") {
			t.Errorf("%s: comment %q", f, a.PackageComment)
		}
		if std := pkgs["SOUP-002"]; std == nil || std.PackageLicenseConcluded != "BSD-3-Clause OR MIT" || !strings.Contains(std.PackageComment, "baseline:supplier:derived: true") {
			t.Errorf("%s: stdlib %+v", f, std)
		}
		if os := pkgs["SOUP-003"]; os == nil || os.PrimaryPackagePurpose != "OPERATING_SYSTEM" || os.ValidUntilDate != "2028-06-30T00:00:00Z" {
			t.Errorf("%s: OS package %+v", f, os)
		}
		var rels []string
		for _, r := range doc.Relationships {
			rels = append(rels, string(r.RefA.ElementRefID)+" "+r.Relationship+" "+string(r.RefB.ElementRefID))
		}
		for _, want := range []string{"example.com-app DEPENDS_ON SOUP-003", "SOUP-001 DEPENDS_ON SOUP-002", "example.com-app DEPENDS_ON SOUP-001"} {
			if !slices.Contains(rels, want) {
				t.Errorf("%s: no relationship %q in %v", f, want, rels)
			}
		}
	}
}

func TestCycloneDXCompositions(t *testing.T) {
	bom := sbom.CycloneDX(testInventory(), withRegister(t, 0))
	if bom.Compositions == nil || len(*bom.Compositions) != 4 {
		t.Fatalf("compositions = %+v", bom.Compositions)
	}
	// The BOM as a whole: a composition without references (the form
	// consumers such as sbomqs read as the whole BOM's completeness);
	// unknown, because the dependencies of the register's other item are
	// unknown (without it, complete: see the loop below) ...
	if w := (*bom.Compositions)[0]; w.Aggregate != cdx.CompositionAggregateUnknown || w.Assemblies != nil || w.Dependencies != nil || w.Vulnerabilities != nil {
		t.Errorf("whole-BOM composition %+v", w)
	}
	// ... and the assembly of the primary component (the spec's own form).
	if w := (*bom.Compositions)[1]; w.Aggregate != cdx.CompositionAggregateComplete || w.Assemblies == nil || !slices.Equal(*w.Assemblies, []cdx.BOMReference{"pkg:golang/example.com/app"}) {
		t.Errorf("BOM-level composition %+v", w)
	}
	*bom.Compositions = (*bom.Compositions)[2:]
	c := (*bom.Compositions)[0]
	if c.Aggregate != cdx.CompositionAggregateComplete || len(*c.Dependencies) != 4 || (*c.Dependencies)[0] != "SOUP-001" {
		t.Errorf("Go components: %+v %v", c, *c.Dependencies)
	}
	if o := (*bom.Compositions)[1]; o.Aggregate != cdx.CompositionAggregateUnknown || (*o.Dependencies)[0] != "SOUP-003" {
		t.Errorf("other items: %+v", o)
	}
	inv := testInventory()
	inv.EdgesKnown, inv.Dependencies = false, nil
	bom = sbom.CycloneDX(inv, sbom.Options{})
	if bom.Compositions == nil || len(*bom.Compositions) != 3 || (*bom.Compositions)[0].Aggregate != cdx.CompositionAggregateUnknown ||
		(*bom.Compositions)[0].Assemblies != nil || (*bom.Compositions)[0].Dependencies != nil ||
		(*bom.Compositions)[1].Aggregate != cdx.CompositionAggregateUnknown || (*bom.Compositions)[1].Assemblies == nil ||
		(*bom.Compositions)[2].Aggregate != cdx.CompositionAggregateUnknown {
		t.Errorf("unknown edges: compositions = %+v", bom.Compositions)
	}
	// every spec keeps them, in JSON and XML
	for _, spec := range sbom.CycloneDXSpecs() {
		for _, f := range []sbom.Format{sbom.CycloneDXJSON, sbom.CycloneDXXML} {
			ff := cdx.BOMFileFormatJSON
			if f == sbom.CycloneDXXML {
				ff = cdx.BOMFileFormatXML
			}
			var got cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(encode(t, testInventory(), f, sbom.Options{Spec: spec, Timestamp: time.Unix(1700000000, 0)})), ff).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if got.Compositions == nil || len(*got.Compositions) != 3 ||
				(*got.Compositions)[0].Aggregate != cdx.CompositionAggregateComplete || (*got.Compositions)[0].Assemblies != nil || (*got.Compositions)[0].Dependencies != nil ||
				(*got.Compositions)[1].Assemblies == nil ||
				(*got.Compositions)[2].Aggregate != cdx.CompositionAggregateComplete || len(*(*got.Compositions)[2].Dependencies) != 4 {
				t.Errorf("%v %s: compositions = %+v", spec, f, got.Compositions)
			}
		}
	}
}

// TestReproducibleWithRegister: every format gives the same bytes for the
// same inventory, register and options; the register's content changes
// the serial number and the namespace.
func TestReproducibleWithRegister(t *testing.T) {
	for _, f := range sbom.Formats() {
		a := encode(t, testInventory(), f, withRegister(t, 0))
		b := encode(t, testInventory(), f, withRegister(t, 0))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two encodings differ", f)
		}
	}
	o := withRegister(t, 0)
	base := sbom.CycloneDX(testInventory(), o).SerialNumber
	ns := sbom.SPDX(testInventory(), o).DocumentNamespace
	o.Register.Items[0].Manufacturer = "Other Corp"
	if sbom.CycloneDX(testInventory(), o).SerialNumber == base || sbom.SPDX(testInventory(), o).DocumentNamespace == ns {
		t.Error("changing the register's manufacturer leaves the serial number or namespace")
	}
}
