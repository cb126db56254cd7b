package sbom_test

import (
	"slices"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"testing"

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
	// directory replacement has no version.
	got := gapStrings(sbom.CheckNTIA(testInventory(), sbom.Options{}))
	want := []string{
		"document author",
		"document timestamp",
		"pkg:golang/example.com/app version",
		"pkg:golang/example.com/local version",
	}
	if !slices.Equal(got, want) {
		t.Errorf("gaps:\n%v\nwant:\n%v", got, want)
	}
	// Everything given: derived suppliers count as present; the
	// directory replacement still has no version.
	opts := metaOpts(0)
	local := "pkg:golang/example.com/local version"
	if got := gapStrings(sbom.CheckNTIA(testInventory(), opts)); !slices.Equal(got, []string{local}) {
		t.Errorf("gaps with every element present: %v", got)
	}
	inv := testInventory()
	inv.Mode, inv.EdgesKnown, inv.Dependencies = inventory.Binary, false, nil
	if got := gapStrings(sbom.CheckNTIA(inv, opts)); !slices.Equal(got, []string{"pkg:golang/example.com/app relationships", local}) {
		t.Errorf("binary inventory: gaps %v, want the relationships", got)
	}
	// A register item without a purl is a component without an identifier.
	g := sbom.CheckNTIA(testInventory(), withRegister(t, 0))
	if s := gapStrings(g); !slices.Equal(s, []string{local, "SOUP-003 identifier"}) {
		t.Errorf("with the register: gaps %v", s)
	}
	if g[1].String() != "SOUP-003: identifier: no package URL or file digest" {
		t.Errorf("Gap.String() = %q", g[1].String())
	}
}

func TestCheckBSI(t *testing.T) {
	got := gapStrings(sbom.CheckBSI(testInventory(), withRegister(t, 0)))
	for _, w := range []string{"pkg:golang/example.com/local creator", "SOUP-002 creator", "SOUP-002 hash", "pkg:golang/example.com/app hash"} {
		if !slices.Contains(got, w) {
			t.Errorf("no gap %q in %v", w, got)
		}
	}
	for _, nw := range []string{"SOUP-001 creator", "SOUP-001 hash", "SOUP-001 uri", "SOUP-001 license", "document creator", "document spec"} {
		if slices.Contains(got, nw) {
			t.Errorf("gap %q reported: %v", nw, got)
		}
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
