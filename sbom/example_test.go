package sbom_test

import (
	"fmt"
	"os"
	"time"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
)

// exampleInventory is what discovery returns for a product that links
// one module and the standard library.
func exampleInventory() *inventory.Inventory {
	inv := &inventory.Inventory{
		Mode: inventory.Packages, MainID: "example.com/app", EdgesKnown: true,
		Components: []inventory.Component{
			{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app", PURL: "pkg:golang/example.com/app", Scope: inventory.Required},
			{ID: "github.com/google/uuid", Kind: inventory.Module, Path: "github.com/google/uuid", Version: "v1.6.0",
				PURL: "pkg:golang/github.com/google/uuid@v1.6.0", Scope: inventory.Required, Direct: true,
				Sum:         "h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=",
				DownloadURL: "https://proxy.golang.org/github.com/google/uuid/@v/v1.6.0.zip",
				Licenses:    []string{"BSD-3-Clause"}, LicenseExpression: "BSD-3-Clause", LicenseFiles: []string{"LICENSE"},
				Copyright: []string{"Copyright (c) 2009,2014 Google Inc. All rights reserved."}},
			{ID: "stdlib", Kind: inventory.Stdlib, Path: "stdlib", Version: "v1.26.8", PURL: "pkg:golang/stdlib@v1.26.8", Scope: inventory.Required},
		},
		Dependencies: map[string][]string{"example.com/app": {"github.com/google/uuid", "stdlib"}},
	}
	inv.Sort()
	return inv
}

func ExampleParseParty() {
	for _, s := range []string{"Jane Doe <jane@example.com>", "Example Medical Ltd, https://example.com"} {
		p, err := sbom.ParseParty(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: person %t, email %q, URL %q\n", p.Name, p.Person, p.Email, p.URL)
	}
	// Output:
	// Jane Doe: person true, email "jane@example.com", URL ""
	// Example Medical Ltd: person false, email "", URL "https://example.com"
}

// ExampleEncode writes the SPDX tag-value document of an inventory; the
// same inventory and options give the same bytes on any machine.
func ExampleEncode() {
	opts := sbom.Options{
		Timestamp:      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		ToolVersion:    "v1.0.0",
		ProductVersion: "v2.3.4",
		Authors:        []sbom.Party{{Name: "Jane Doe", Email: "jane@example.com", Person: true}},
		Supplier:       &sbom.Party{Name: "Example Medical Ltd", URL: "https://example.com"},
	}
	if err := sbom.Encode(os.Stdout, exampleInventory(), sbom.SPDXTagValue, opts); err != nil {
		fmt.Println(err)
	}
	// Output:
	// SPDXVersion: SPDX-2.3
	// DataLicense: CC0-1.0
	// SPDXID: SPDXRef-DOCUMENT
	// DocumentName: example.com/app@v2.3.4
	// DocumentNamespace: https://spdx.org/spdxdocs/example.com/app-v2.3.4-beaaf5a4-6a0b-53c9-b0aa-b5dcc4ffdc85
	// Creator: Tool: baseline-v1.0.0
	// Creator: Person: Jane Doe (jane@example.com)
	// Created: 2026-01-02T03:04:05Z
	//
	// ##### Package: example.com/app
	//
	// PackageName: example.com/app
	// SPDXID: SPDXRef-example.com-app
	// PackageVersion: v2.3.4
	// PackageSupplier: Organization: Example Medical Ltd
	// PackageDownloadLocation: NOASSERTION
	// PrimaryPackagePurpose: APPLICATION
	// FilesAnalyzed: false
	// PackageLicenseConcluded: NOASSERTION
	// PackageLicenseDeclared: NOASSERTION
	// PackageCopyrightText: NOASSERTION
	// PackageComment: <text>baseline:go:module:path: example.com/app
	// baseline:go:module:kind: main
	// baseline:supplier:url: https://example.com</text>
	// ExternalRef: PACKAGE-MANAGER purl pkg:golang/example.com/app@v2.3.4
	//
	// ##### Package: github.com/google/uuid
	//
	// PackageName: github.com/google/uuid
	// SPDXID: SPDXRef-github.com-google-uuid
	// PackageVersion: v1.6.0
	// PackageFileName: v1.6.0.zip
	// PackageSupplier: Organization: Google LLC
	// PackageDownloadLocation: https://proxy.golang.org/github.com/google/uuid/@v/v1.6.0.zip
	// PrimaryPackagePurpose: LIBRARY
	// FilesAnalyzed: false
	// PackageSourceInfo: Source code: https://proxy.golang.org/github.com/google/uuid/@v/v1.6.0.zip (the module zip: a Go module is published as its source); repository https://github.com/google/uuid.
	// PackageLicenseConcluded: BSD-3-Clause
	// PackageLicenseDeclared: BSD-3-Clause
	// PackageCopyrightText: Copyright (c) 2009,2014 Google Inc. All rights reserved.
	// PackageComment: <text>baseline:go:module:path: github.com/google/uuid
	// baseline:go:sum: h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=
	// baseline:go:module:kind: module
	// baseline:go:module:direct: true
	// baseline:go:module:scope: required
	// baseline:supplier:derived: true</text>
	// ExternalRef: PACKAGE-MANAGER purl pkg:golang/github.com/google/uuid@v1.6.0
	// ExternalRef: OTHER vcs https://github.com/google/uuid
	//
	// ##### Package: stdlib
	//
	// PackageName: stdlib
	// SPDXID: SPDXRef-stdlib
	// PackageVersion: v1.26.8
	// PackageSupplier: Organization: The Go Authors
	// PackageDownloadLocation: NOASSERTION
	// PrimaryPackagePurpose: FRAMEWORK
	// FilesAnalyzed: false
	// PackageSourceInfo: Source code repository: https://go.googlesource.com/go.
	// PackageLicenseConcluded: NOASSERTION
	// PackageLicenseDeclared: NOASSERTION
	// PackageCopyrightText: NOASSERTION
	// PackageComment: <text>baseline:go:module:path: stdlib
	// baseline:go:module:kind: stdlib
	// baseline:supplier:derived: true</text>
	// ExternalRef: PACKAGE-MANAGER purl pkg:golang/stdlib@v1.26.8
	// ExternalRef: SECURITY cpe23Type cpe:2.3:a:golang:go:1.26.8:*:*:*:*:*:*:*
	// ExternalRef: OTHER vcs https://go.googlesource.com/go
	//
	// ##### Relationships
	//
	// Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-example.com-app
	// Relationship: SPDXRef-example.com-app DEPENDS_ON SPDXRef-github.com-google-uuid
	// Relationship: SPDXRef-example.com-app DEPENDS_ON SPDXRef-stdlib
}

// ExampleCheck lists what an SBOM lacks of the NTIA minimum elements:
// here the author of the SBOM data and the product's producer.
func ExampleCheck() {
	opts := sbom.Options{Timestamp: time.Unix(1700000000, 0), ProductVersion: "v2.3.4"}
	gaps, err := sbom.Check(exampleInventory(), sbom.CycloneDXJSON, sbom.NTIA, opts)
	if err != nil {
		fmt.Println(err)
	}
	for _, g := range gaps {
		fmt.Println(g)
	}
	// Output:
	// document: author: no author of the SBOM data (--author)
	// pkg:golang/example.com/app: producer: the product has no producer: give its supplier or manufacturer (--supplier, --manufacturer, or product.supplier in baseline.yaml)
}

// ExampleCycloneDX builds the CycloneDX model without encoding it: the
// product's package URL carries its version, the serial number is
// derived from the inputs.
func ExampleCycloneDX() {
	opts := sbom.Options{Timestamp: time.Unix(1700000000, 0), ProductVersion: "v2.3.4"}
	bom := sbom.CycloneDX(exampleInventory(), opts)
	fmt.Println(bom.SerialNumber)
	fmt.Println(bom.Metadata.Component.PackageURL)
	for _, c := range *bom.Components {
		fmt.Printf("%s %s, supplier %s, CPE %q\n", c.Name, c.Version, c.Supplier.Name, c.CPE)
	}
	// Output:
	// urn:uuid:d28914bf-7e3a-55ca-bbdb-e75a4d4a21f1
	// pkg:golang/example.com/app@v2.3.4
	// github.com/google/uuid v1.6.0, supplier Google LLC, CPE ""
	// stdlib v1.26.8, supplier The Go Authors, CPE "cpe:2.3:a:golang:go:1.26.8:*:*:*:*:*:*:*"
}
