package sbom_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdxlib"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/tagvalue"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
)

var spdxOpts = sbom.Options{Timestamp: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), ToolVersion: "v9"}

// decodeSPDX encodes the inventory in f and parses it back with
// tools-golang's reader for that format.
func decodeSPDX(t *testing.T, inv *inventory.Inventory, f sbom.Format) (*spdx.Document, []byte) {
	t.Helper()
	return decodeSPDXWith(t, inv, f, spdxOpts)
}

// decodeWith is decodeSPDX with other options.
func decodeWith(t *testing.T, inv *inventory.Inventory, f sbom.Format, opts sbom.Options) *spdx.Document {
	t.Helper()
	doc, _ := decodeSPDXWith(t, inv, f, opts)
	return doc
}

func decodeSPDXWith(t *testing.T, inv *inventory.Inventory, f sbom.Format, opts sbom.Options) (*spdx.Document, []byte) {
	t.Helper()
	data := encode(t, inv, f, opts)
	var doc *spdx.Document
	var err error
	if f == sbom.SPDXJSON {
		doc, err = spdxjson.Read(bytes.NewReader(data))
	} else {
		doc, err = tagvalue.Read(bytes.NewReader(data))
	}
	if err != nil {
		t.Fatalf("parsing %s: %v\n%s", f, err, data)
	}
	return doc, data
}

// TestSPDX encodes an inventory in both SPDX formats, parses each back
// with tools-golang and checks that every fact made it across.
func TestSPDX(t *testing.T) {
	for _, f := range []sbom.Format{sbom.SPDXJSON, sbom.SPDXTagValue} {
		t.Run(f.String(), func(t *testing.T) {
			doc, data := decodeSPDX(t, testInventory(), f)
			if err := spdxlib.ValidateDocument(doc); err != nil {
				t.Errorf("spdxlib.ValidateDocument: %v", err)
			}
			if doc.SPDXVersion != "SPDX-2.3" || doc.DataLicense != "CC0-1.0" || doc.SPDXIdentifier != "DOCUMENT" {
				t.Errorf("header: %q %q %q", doc.SPDXVersion, doc.DataLicense, doc.SPDXIdentifier)
			}
			if !strings.HasPrefix(doc.DocumentNamespace, "https://spdx.org/spdxdocs/example.com/app-") || !uuidSuffix.MatchString(doc.DocumentNamespace) {
				t.Errorf("namespace %q", doc.DocumentNamespace)
			}
			if ci := doc.CreationInfo; ci == nil || ci.Created != "2024-01-02T03:04:05Z" || len(ci.Creators) != 1 ||
				ci.Creators[0] != (common.Creator{CreatorType: "Tool", Creator: "baseline-v9"}) {
				t.Errorf("creation info = %+v", ci)
			}
			pkgs := map[common.ElementID]*spdx.Package{}
			for _, p := range doc.Packages {
				pkgs[p.PackageSPDXIdentifier] = p
			}
			if len(pkgs) != 4 {
				t.Fatalf("%d packages, want 4", len(pkgs))
			}
			app := pkgs["example.com-app"]
			if app == nil || app.PrimaryPackagePurpose != "APPLICATION" || app.PackageName != "example.com/app" {
				t.Fatalf("main package = %+v", app)
			}
			a := pkgs["example.com-a"]
			if a == nil {
				t.Fatalf("no package SPDXRef-example.com-a in %v", pkgs)
			}
			if a.PackageName != "example.com/fork" || a.PackageVersion != "v1.0.1" || a.PrimaryPackagePurpose != "LIBRARY" {
				t.Errorf("replaced module: name %q version %q purpose %q", a.PackageName, a.PackageVersion, a.PrimaryPackagePurpose)
			}
			if a.PackageDownloadLocation != "https://proxy.golang.org/example.com/fork/@v/v1.0.1.zip" {
				t.Errorf("download location %q", a.PackageDownloadLocation)
			}
			if want := []common.Checksum{{Algorithm: common.SHA256, Value: sha256Hex}, {Algorithm: common.SHA512, Value: sha512Hex}}; !slices.Equal(a.PackageChecksums, want) {
				t.Errorf("checksums = %v, want %v", a.PackageChecksums, want)
			}
			// Two licences found and no text saying how they combine: no
			// expression (never an invented AND), the licences named in
			// the comment.
			if a.PackageLicenseConcluded != "NOASSERTION" || a.PackageLicenseDeclared != "NOASSERTION" || !strings.Contains(a.PackageLicenseComments, "Apache-2.0, MIT") {
				t.Errorf("licences: concluded %q declared %q comment %q", a.PackageLicenseConcluded, a.PackageLicenseDeclared, a.PackageLicenseComments)
			}
			// The source code's origin, as CycloneDX's source-distribution
			// and vcs references give it.
			if want := "Source code: https://proxy.golang.org/example.com/fork/@v/v1.0.1.zip (the module zip: a Go module is published as its source)."; a.PackageSourceInfo != want {
				t.Errorf("source info %q, want %q", a.PackageSourceInfo, want)
			}
			if a.PackageFileName != "v1.0.1.zip" {
				t.Errorf("file name %q, want the module zip's", a.PackageFileName)
			}
			// A host name names no one: NOASSERTION, the derived URL in
			// the comment.
			if a.PackageSupplier == nil || *a.PackageSupplier != (common.Supplier{Supplier: "NOASSERTION"}) {
				t.Errorf("supplier = %+v, want NOASSERTION", a.PackageSupplier)
			}
			if !slices.Contains(strings.Split(a.PackageComment, "\n"), "baseline:supplier:url: https://pkg.go.dev/example.com/fork") {
				t.Errorf("comment without the supplier's URL:\n%s", a.PackageComment)
			}
			if a.FilesAnalyzed {
				t.Error("FilesAnalyzed is true")
			}
			if len(a.PackageExternalReferences) != 1 || *a.PackageExternalReferences[0] != (spdx.PackageExternalReference{
				Category: "PACKAGE-MANAGER", RefType: "purl", Locator: "pkg:golang/example.com/fork@v1.0.1"}) {
				t.Errorf("external refs = %+v", a.PackageExternalReferences)
			}
			if !strings.Contains(a.PackageComment, "baseline:go:sum: h1:AAAA") || !strings.Contains(a.PackageComment, "baseline:go:module:version: v1.0.0") {
				t.Errorf("comment lacks the h1: hash or the required version:\n%s", a.PackageComment)
			}
			if bytes.Contains(data, []byte("SHA256: h1:")) || bytes.Contains(data, []byte(`"checksumValue": "h1:`)) {
				t.Error("the h1: hash is in a checksum")
			}
			local := pkgs["example.com-local"]
			if local.PackageVersion != "" || local.PackageDownloadLocation != "NOASSERTION" || local.PackageLicenseConcluded != "NOASSERTION" {
				t.Errorf("local replacement: version %q location %q licence %q", local.PackageVersion, local.PackageDownloadLocation, local.PackageLicenseConcluded)
			}
			if std := pkgs["stdlib"]; std.PackageVersion != "v1.26.8" || std.PackageDownloadLocation != "NOASSERTION" ||
				std.PackageSourceInfo != "Source code repository: https://go.googlesource.com/go." {
				t.Errorf("stdlib: %+v", std)
			}
			if local.PackageSourceInfo != "" {
				t.Errorf("local replacement: source info %q, want none (its directory is not published)", local.PackageSourceInfo)
			}
			var rels []string
			for _, r := range doc.Relationships {
				rels = append(rels, string(r.RefA.ElementRefID)+" "+r.Relationship+" "+string(r.RefB.ElementRefID))
			}
			slices.Sort(rels)
			want := []string{
				"DOCUMENT DESCRIBES example.com-app",
				"example.com-a DEPENDS_ON stdlib",
				"example.com-app DEPENDS_ON example.com-a",
				"example.com-app DEPENDS_ON example.com-local",
				"example.com-app DEPENDS_ON stdlib",
			}
			if !slices.Equal(rels, want) {
				t.Errorf("relationships:\n%s\nwant:\n%s", strings.Join(rels, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestSPDXSameFacts: the JSON and tag-value documents are the same
// document.
func TestSPDXSameFacts(t *testing.T) {
	j, _ := decodeSPDX(t, testInventory(), sbom.SPDXJSON)
	tv, _ := decodeSPDX(t, testInventory(), sbom.SPDXTagValue)
	var a, b bytes.Buffer
	if err := spdxjson.Write(j, &a); err != nil {
		t.Fatal(err)
	}
	if err := spdxjson.Write(tv, &b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("JSON and tag-value documents differ once parsed:\n%s\n%s", a.Bytes(), b.Bytes())
	}
}

// TestSPDXReproducible: the same inventory gives the same bytes; any
// change gives another namespace.
func TestSPDXReproducible(t *testing.T) {
	for _, f := range []sbom.Format{sbom.SPDXJSON, sbom.SPDXTagValue} {
		inv := testInventory()
		deps := inv.Dependencies
		inv.Dependencies = map[string][]string{}
		for _, k := range []string{"example.com/a", "example.com/app"} {
			inv.Dependencies[k] = deps[k]
		}
		if a, b := encode(t, testInventory(), f, spdxOpts), encode(t, inv, f, spdxOpts); !bytes.Equal(a, b) {
			t.Errorf("%s: two encodings of the same inventory differ", f)
		}
	}
	base := sbom.SPDX(testInventory(), spdxOpts).DocumentNamespace
	differ := map[string]func(*inventory.Inventory, *sbom.Options){
		"version":   func(inv *inventory.Inventory, _ *sbom.Options) { inv.Components[3].Version = "v1.26.9" },
		"edge":      func(inv *inventory.Inventory, _ *sbom.Options) { delete(inv.Dependencies, "example.com/a") },
		"timestamp": func(_ *inventory.Inventory, o *sbom.Options) { o.Timestamp = o.Timestamp.Add(time.Second) },
		"tool":      func(_ *inventory.Inventory, o *sbom.Options) { o.ToolVersion = "v10" },
	}
	for name, change := range differ {
		inv, o := testInventory(), spdxOpts
		change(inv, &o)
		if ns := sbom.SPDX(inv, o).DocumentNamespace; ns == base {
			t.Errorf("changing the %s leaves the namespace %s", name, ns)
		}
	}
	if err := sbom.EncodeSPDXJSON(&bytes.Buffer{}, testInventory(), sbom.Options{}); err == nil {
		t.Error("an SPDX document without a creation time was written")
	}
}

// TestSPDXIDs: IDs are sanitised to [A-Za-z0-9.-], stay unique when
// sanitising makes two meet, and never take the document's ID.
func TestSPDXIDs(t *testing.T) {
	inv := &inventory.Inventory{MainID: "example.com/app", EdgesKnown: true, Components: []inventory.Component{
		{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app"},
		{ID: "example.com/a_b", Kind: inventory.Module, Path: "example.com/a_b", Version: "v1.0.0"},
		{ID: "example.com/a~b", Kind: inventory.Module, Path: "example.com/a~b", Version: "v1.0.0"},
		{ID: "DOCUMENT", Kind: inventory.Module, Path: "DOCUMENT", Version: "v1.0.0"},
		{ID: "github.com/Foo/Bar.v2", Kind: inventory.Module, Path: "github.com/Foo/Bar.v2", Version: "v2.0.0",
			DownloadURL: "https://proxy.golang.org/github.com/!foo/!bar.v2/@v/v2.0.0.zip"},
		{ID: "example.com/direct", Kind: inventory.Module, Path: "example.com/direct", Version: "v1.0.0"},
	}, Dependencies: map[string][]string{"example.com/app": {"DOCUMENT", "example.com/a_b", "example.com/a~b", "github.com/Foo/Bar.v2"}}}
	inv.Sort()
	doc := sbom.SPDX(inv, spdxOpts)
	if err := spdxlib.ValidateDocument(doc); err != nil {
		t.Error(err)
	}
	seen := map[common.ElementID]bool{"DOCUMENT": true}
	for _, p := range doc.Packages {
		id := p.PackageSPDXIdentifier
		if seen[id] {
			t.Errorf("SPDXID %s used twice", id)
		}
		seen[id] = true
		if strings.Trim(string(id), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != "" {
			t.Errorf("SPDXID %q has characters outside [A-Za-z0-9.-]", id)
		}
	}
	if !seen["github.com-Foo-Bar.v2"] || !seen["example.com-app"] {
		t.Errorf("IDs that need no disambiguation were changed: %v", seen)
	}
	for _, p := range doc.Packages {
		if p.PackageSPDXIdentifier == "github.com-Foo-Bar.v2" && p.PackageDownloadLocation != "https://proxy.golang.org/github.com/!foo/!bar.v2/@v/v2.0.0.zip" {
			t.Errorf("download location %q, want the component's DownloadURL", p.PackageDownloadLocation)
		}
		// Fetched directly (GONOPROXY, GOPRIVATE): no location is known.
		if p.PackageSPDXIdentifier == "example.com-direct" && (p.PackageDownloadLocation != "NOASSERTION" || p.PackageFileName != "v1.0.0.zip" || strings.Contains(p.PackageSourceInfo, "zip")) {
			t.Errorf("directly fetched module: download location %q, file %q, source %q", p.PackageDownloadLocation, p.PackageFileName, p.PackageSourceInfo)
		}
	}
	if len(doc.Relationships) != 5 {
		t.Errorf("%d relationships, want 5", len(doc.Relationships))
	}
}

// TestSPDXSchema validates the JSON document against the official SPDX
// 2.3 JSON schema.
func TestSPDXSchema(t *testing.T) {
	file := filepath.Join("..", "..", "shared", "schemas", "spdx-2.3.schema.json")
	if _, err := os.Stat(file); err != nil {
		t.Skipf("SPDX 2.3 schema not available (%v): schema validation skipped", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(file)
	if err != nil {
		t.Fatal(err)
	}
	for name, inv := range map[string]*inventory.Inventory{"test": testInventory(), "big": bigInventory(50)} {
		for _, opts := range []sbom.Options{spdxOpts, metaOpts(0), withRegister(t, 0)} {
			data := encode(t, inv, sbom.SPDXJSON, opts)
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("%s inventory: SPDX JSON does not validate against the SPDX 2.3 schema:\n%v", name, err)
			}
		}
	}
	// The schema is strict enough to catch a broken document.
	v, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"spdxVersion": "SPDX-2.3", "packages": [{"name": 1}]}`))
	if sch.Validate(v) == nil {
		t.Error("the schema accepts a broken document: the test proves nothing")
	}
}

// TestSPDXUnknownEdges: a binary's inventory records no edges; the
// document says so rather than implying there are none.
func TestSPDXUnknownEdges(t *testing.T) {
	inv := testInventory()
	inv.Mode, inv.EdgesKnown, inv.Dependencies = inventory.Binary, false, nil
	doc := sbom.SPDX(inv, spdxOpts)
	if err := spdxlib.ValidateDocument(doc); err != nil {
		t.Error(err)
	}
	if len(doc.Relationships) != 1 || doc.Relationships[0].Relationship != "DESCRIBES" {
		t.Errorf("relationships = %v, want only DESCRIBES", doc.Relationships)
	}
	if !strings.Contains(doc.DocumentComment, "not known") {
		t.Errorf("document comment %q does not say the edges are unknown", doc.DocumentComment)
	}
	if sbom.SPDX(testInventory(), spdxOpts).DocumentComment != "" {
		t.Error("a document with known edges has a comment")
	}
}
