package sbom_test

import (
	"bytes"
	"errors"
	"slices"
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
