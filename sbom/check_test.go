package sbom_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
)

func gapStrings(gaps []sbom.Gap) []string {
	var s []string
	for _, g := range gaps {
		s = append(s, g.Component+" "+g.Element)
	}
	return s
}

func TestCheckNTIA(t *testing.T) {
	// Bare options: no author, no timestamp, no product version; the
	// directory replacement has no version; example.com names a host,
	// not a supplier.
	fork, local := "pkg:golang/example.com/fork@v1.0.1 supplier", "pkg:golang/example.com/local supplier"
	got := gapStrings(sbom.CheckNTIA(testInventory(), sbom.Options{}))
	want := []string{
		"document author",
		"document timestamp",
		"pkg:golang/example.com/app version",
		"pkg:golang/example.com/app producer", // a derived supplier is no producer
		fork,
		local,
		"pkg:golang/example.com/local version",
	}
	if !slices.Equal(got, want) {
		t.Errorf("gaps:\n%v\nwant:\n%v", got, want)
	}
	// Everything given: suppliers derived with a name (github.com/google
	// is Google LLC) count as present; those known only by a URL do not;
	// the directory replacement still has no version.
	opts := metaOpts(0)
	version := "pkg:golang/example.com/local version"
	if got := gapStrings(sbom.CheckNTIA(testInventory(), opts)); !slices.Equal(got, []string{fork, local, version}) {
		t.Errorf("gaps with every element present: %v", got)
	}
	for _, g := range sbom.CheckNTIA(testInventory(), opts) {
		if g.Element == "supplier" && !strings.Contains(g.Reason, "known only by a URL (https://pkg.go.dev/example.com/") {
			t.Errorf("supplier gap does not say what is known: %s", g)
		}
	}
	inv := testInventory()
	inv.Mode, inv.EdgesKnown, inv.Dependencies = inventory.Binary, false, nil
	if got := gapStrings(sbom.CheckNTIA(inv, opts)); !slices.Equal(got, []string{"pkg:golang/example.com/app relationships", fork, local, version}) {
		t.Errorf("binary inventory: gaps %v, want the relationships", got)
	}
	// The register's manufacturer names fork's supplier. A register item
	// without a purl is a component without an identifier.
	g := sbom.CheckNTIA(testInventory(), withRegister(t, 0))
	if s := gapStrings(g); !slices.Equal(s, []string{local, version, "SOUP-003 identifier"}) {
		t.Errorf("with the register: gaps %v", s)
	}
	if g[2].String() != "SOUP-003: identifier: no package URL or file digest" {
		t.Errorf("Gap.String() = %q", g[2].String())
	}
}

func TestCheckBSI(t *testing.T) {
	gaps := sbom.CheckBSI(testInventory(), withRegister(t, 0))
	got := gapStrings(gaps)
	// SOUP-001, a module with its zip's digests and a register item,
	// meets every requirement; so does the document.
	for _, g := range got {
		if strings.HasPrefix(g, "SOUP-001 ") || strings.HasPrefix(g, "document ") {
			t.Errorf("gap %q reported", g)
		}
	}
	// The standard library and the product discovered from source have
	// no deployable form, and say why.
	for _, w := range []string{"SOUP-002 filename", "SOUP-002 hash", "SOUP-002 deployable-uri", "pkg:golang/example.com/app hash"} {
		if !slices.Contains(got, w) {
			t.Errorf("no gap %q in %v", w, got)
		}
	}
	for _, g := range gaps {
		if g.Component == "SOUP-002" && g.Element == "hash" && !strings.Contains(g.Reason, "toolchain") {
			t.Errorf("stdlib hash gap does not say why: %s", g)
		}
	}
	// Derived suppliers have a URL: they name a creator with a contact.
	if slices.Contains(got, "SOUP-002 creator") || slices.Contains(got, "pkg:golang/example.com/local creator") {
		t.Errorf("derived supplier with a URL reported: %v", got)
	}
	old := withRegister(t, 0)
	old.Spec, old.Authors, old.Manufacturer = cdx.SpecVersion1_4, nil, nil
	got = gapStrings(sbom.CheckBSI(testInventory(), old))
	for _, w := range []string{"document spec", "document creator"} {
		if !slices.Contains(got, w) {
			t.Errorf("no gap %q in %v", w, got)
		}
	}
}

// TestCheckBSIEveryRequirement: a product with nothing known lacks every
// field of the TR's table, and CheckBSI names each.
func TestCheckBSIEveryRequirement(t *testing.T) {
	inv := &inventory.Inventory{Mode: inventory.Binary, MainID: "x", Components: []inventory.Component{{ID: "x", Kind: inventory.Main}}}
	found := map[string]bool{}
	for _, g := range sbom.CheckBSI(inv, sbom.Options{Spec: cdx.SpecVersion1_4}) {
		found[g.Element] = true
	}
	for _, r := range sbom.BSIRequirements() {
		if r.Element == "sbom-uri" {
			continue // every document has its serial number
		}
		if !found[r.Element] {
			t.Errorf("requirement %s (%s %s) not checked", r.Element, r.Section, r.Field)
		}
	}
	if n := len(sbom.BSIRequirements()); n != 18 {
		t.Errorf("%d requirements, want the 18 of the TR v2.1 table (4, 5.2.1, 5.2.2)", n)
	}
}

// TestCheckFormats: the library decides which checks apply to which
// format; the command only calls Check.
func TestCheckFormats(t *testing.T) {
	opts := withRegister(t, 0)
	for _, f := range sbom.Formats() {
		gaps, err := sbom.Check(testInventory(), f, sbom.BSI, opts)
		if err != nil {
			t.Fatal(err)
		}
		spdx := f == sbom.SPDXJSON || f == sbom.SPDXTagValue
		if got := slices.Contains(gapStrings(gaps), "document spec"); got != spdx {
			t.Errorf("%s: BSI spec gap %t, want %t", f, got, spdx)
		}
		ntia, err := sbom.Check(testInventory(), f, sbom.NTIA, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(gapStrings(ntia), gapStrings(sbom.CheckNTIA(testInventory(), opts))) {
			t.Errorf("%s: NTIA gaps differ from CheckNTIA's", f)
		}
	}
	if _, err := sbom.Check(testInventory(), sbom.CycloneDXJSON, "cra", opts); err == nil {
		t.Error("unknown profile accepted")
	}
	if _, err := sbom.Check(testInventory(), "bogus", sbom.NTIA, opts); err == nil {
		t.Error("unknown format accepted")
	}
	for _, p := range sbom.Profiles() {
		if q, err := sbom.ParseProfile(p.String()); err != nil || q != p {
			t.Errorf("ParseProfile(%q) = %q, %v", p, q, err)
		}
	}
	if _, err := sbom.ParseProfile("cra"); err == nil {
		t.Error(`ParseProfile("cra") succeeded`)
	}
}

// TestZeroTimestamp: every format treats a zero timestamp alike.
func TestZeroTimestamp(t *testing.T) {
	for _, f := range sbom.Formats() {
		var buf bytes.Buffer
		err := sbom.Encode(&buf, testInventory(), f, sbom.Options{ToolVersion: "v9"})
		if !errors.Is(err, sbom.ErrNoTimestamp) {
			t.Errorf("%s without a timestamp: err = %v, want ErrNoTimestamp", f, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%s without a timestamp wrote %d bytes", f, buf.Len())
		}
	}
}
