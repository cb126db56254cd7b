package sbom_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
)

// Digests of "abc" (FIPS 180-2 examples), shaped like the real ones.
const (
	sha256Hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	sha512Hex = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
)

func testInventory() *inventory.Inventory {
	inv := &inventory.Inventory{
		Mode:       inventory.Packages,
		MainID:     "example.com/app",
		EdgesKnown: true,
		Components: []inventory.Component{
			{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app", PURL: "pkg:golang/example.com/app", Scope: inventory.Required},
			{ID: "example.com/a", Kind: inventory.Module, Path: "example.com/a", Version: "v1.0.0",
				Replace: &inventory.Replacement{Path: "example.com/fork", Version: "v1.0.1"},
				Sum:     "h1:AAAA", PURL: "pkg:golang/example.com/fork@v1.0.1", Direct: true, Scope: inventory.Required,
				DownloadURL: "https://proxy.golang.org/example.com/fork/@v/v1.0.1.zip",
				Hashes:      []inventory.Hash{{Algorithm: "SHA-256", Value: sha256Hex}, {Algorithm: "SHA-512", Value: sha512Hex}},
				Licenses:    []string{"Apache-2.0", "MIT"}},
			{ID: "example.com/local", Kind: inventory.Module, Path: "example.com/local", Version: "v0.0.0-00010101000000-000000000000",
				Replace: &inventory.Replacement{Path: "../local", Local: true}, DirSum: "h1:BBBB",
				PURL: "pkg:golang/example.com/local", Scope: inventory.Optional},
			{ID: "stdlib", Kind: inventory.Stdlib, Path: "stdlib", Version: "v1.26.8", PURL: "pkg:golang/stdlib@v1.26.8", Scope: inventory.Required, Direct: true},
		},
		Dependencies: map[string][]string{
			"example.com/app": {"example.com/a", "example.com/local", "stdlib"},
			"example.com/a":   {"stdlib"},
		},
	}
	inv.Sort()
	return inv
}

// TestCycloneDX encodes an inventory, decodes it with cyclonedx-go, and
// checks that every fact made it across.
func TestCycloneDX(t *testing.T) {
	var buf bytes.Buffer
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := sbom.EncodeCycloneDX(&buf, testInventory(), sbom.Options{Timestamp: ts, ToolVersion: "v9"}); err != nil {
		t.Fatal(err)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(&buf, cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	if bom.SpecVersion != cdx.SpecVersion1_6 {
		t.Errorf("spec %v, want 1.6", bom.SpecVersion)
	}
	if bom.Metadata.Timestamp != "2024-01-02T03:04:05Z" {
		t.Errorf("timestamp %q", bom.Metadata.Timestamp)
	}
	if m := bom.Metadata.Component; m == nil || m.BOMRef != "pkg:golang/example.com/app" || m.Type != cdx.ComponentTypeApplication {
		t.Fatalf("primary component = %+v", m)
	}
	byRef := map[string]cdx.Component{}
	for _, c := range *bom.Components {
		byRef[c.BOMRef] = c
	}
	if len(byRef) != 3 {
		t.Errorf("%d components, want 3 (the main one is in metadata)", len(byRef))
	}
	a := byRef["pkg:golang/example.com/fork@v1.0.1"]
	if a.Name != "example.com/fork" || a.Version != "v1.0.1" || a.Scope != cdx.ScopeRequired {
		t.Errorf("replaced module: name %q version %q scope %q, want what was built", a.Name, a.Version, a.Scope)
	}
	if a.Hashes == nil || len(*a.Hashes) != 2 || (*a.Hashes)[0].Algorithm != cdx.HashAlgoSHA256 || (*a.Hashes)[1].Algorithm != cdx.HashAlgoSHA512 {
		t.Errorf("hashes = %+v", a.Hashes)
	}
	for _, h := range *a.Hashes {
		if h.Value == "h1:AAAA" {
			t.Error("the h1: hash is in a hash field")
		}
	}
	if a.Licenses == nil || len(*a.Licenses) != 2 || (*a.Licenses)[0].License.ID != "Apache-2.0" {
		t.Errorf("licences = %+v", a.Licenses)
	}
	props := map[string]string{}
	for _, p := range *a.Properties {
		props[p.Name] = p.Value
	}
	// example.com is a host, not a supplier's name: the derived supplier
	// is its URL alone.
	if a.Supplier == nil || a.Supplier.Name != "" || a.Supplier.URL == nil || !slices.Equal(*a.Supplier.URL, []string{"https://pkg.go.dev/example.com/fork"}) || props[sbom.DerivedSupplierProperty] != "true" {
		t.Errorf("supplier = %+v, derived %q; want the URL alone, derived", a.Supplier, props[sbom.DerivedSupplierProperty])
	}
	if props["baseline:go:sum"] != "h1:AAAA" || props["baseline:go:module:path"] != "example.com/a" || props["baseline:go:module:version"] != "v1.0.0" {
		t.Errorf("properties = %v", props)
	}
	local := byRef["pkg:golang/example.com/local"]
	if local.Version != "" || local.Scope != cdx.ScopeOptional {
		t.Errorf("local replacement: version %q (want none: a placeholder names no code), scope %q", local.Version, local.Scope)
	}
	if std := byRef["pkg:golang/stdlib@v1.26.8"]; std.Name != "stdlib" {
		t.Errorf("stdlib component = %+v", std)
	}
	deps := map[string][]string{}
	for _, d := range *bom.Dependencies {
		if d.Dependencies != nil {
			deps[d.Ref] = *d.Dependencies
		} else {
			deps[d.Ref] = nil
		}
	}
	if got, want := deps["pkg:golang/example.com/app"], []string{"pkg:golang/example.com/fork@v1.0.1", "pkg:golang/example.com/local", "pkg:golang/stdlib@v1.26.8"}; !slices.Equal(got, want) {
		t.Errorf("primary depends on %v, want %v", got, want)
	}
	if _, ok := deps["pkg:golang/stdlib@v1.26.8"]; !ok {
		t.Error("a component with no dependencies has no dependency entry (it should say: none)")
	}
}

// TestCycloneDXUnknownEdges: a binary's inventory records no edges, and
// the SBOM must not claim that components depend on nothing.
func TestCycloneDXUnknownEdges(t *testing.T) {
	inv := testInventory()
	inv.Mode, inv.EdgesKnown, inv.Dependencies = inventory.Binary, false, nil
	bom := sbom.CycloneDX(inv, sbom.Options{})
	if bom.Dependencies != nil {
		t.Errorf("dependencies = %+v, want none", *bom.Dependencies)
	}
	if (*bom.Metadata.Lifecycles)[0].Phase != cdx.LifecyclePhasePostBuild {
		t.Errorf("lifecycle = %v, want post-build for a binary", (*bom.Metadata.Lifecycles)[0].Phase)
	}
}

// TestStdlibCPEAndCopyright: the standard library carries the NVD's CPE
// for Go, modules none; copyright statements reach both formats.
func TestStdlibCPEAndCopyright(t *testing.T) {
	inv := testInventory()
	for i := range inv.Components {
		if inv.Components[i].ID == "example.com/a" {
			inv.Components[i].Copyright = []string{"Copyright (c) 2020 Fork Corp", "Copyright 2021 Jane Doe"}
		}
	}
	opts := metaOpts(0)
	bom := sbom.CycloneDX(inv, opts)
	for _, c := range *bom.Components {
		switch c.Name {
		case "stdlib":
			if c.CPE != "cpe:2.3:a:golang:go:1.26.8:*:*:*:*:*:*:*" {
				t.Errorf("stdlib CPE %q", c.CPE)
			}
		case "example.com/fork":
			if c.Copyright != "Copyright (c) 2020 Fork Corp\nCopyright 2021 Jane Doe" {
				t.Errorf("copyright %q", c.Copyright)
			}
			fallthrough
		default:
			if c.Name != "stdlib" && c.CPE != "" {
				t.Errorf("%s: CPE %q invented for a module", c.Name, c.CPE)
			}
		}
	}
	inv.Components[len(inv.Components)-1].Version = "v1.27.0-rc.1"
	if inv.Components[len(inv.Components)-1].ID != "stdlib" {
		t.Fatal("stdlib is not the last component")
	}
	for _, c := range *sbom.CycloneDX(inv, opts).Components {
		if c.Name == "stdlib" && c.CPE != "cpe:2.3:a:golang:go:1.27.0:rc1:*:*:*:*:*:*" {
			t.Errorf("release candidate CPE %q", c.CPE)
		}
	}
	doc := sbom.SPDX(inv, opts)
	for _, p := range doc.Packages {
		cpe := ""
		for _, r := range p.PackageExternalReferences {
			if r.RefType == "cpe23Type" && r.Category == "SECURITY" {
				cpe = r.Locator
			}
		}
		if (p.PackageName == "stdlib") != (cpe != "") {
			t.Errorf("SPDX %s: CPE %q", p.PackageName, cpe)
		}
		if p.PackageName == "example.com/fork" && p.PackageCopyrightText != "Copyright (c) 2020 Fork Corp\nCopyright 2021 Jane Doe" {
			t.Errorf("SPDX copyright %q", p.PackageCopyrightText)
		}
	}
}
