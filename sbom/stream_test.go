package sbom

import (
	"bytes"
	"encoding/json"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	spdxjson "github.com/spdx/tools-golang/json"

	"github.com/baseline-cm/baseline/inventory"
)

// trickyInventory is fixtureInventory with names, versions and copyright
// lines that look like the keys streamJSON looks for, escapes and HTML.
func trickyInventory() *inventory.Inventory {
	inv := fixtureInventory()
	c := &inv.Components[0]
	c.Copyright = []string{`","components":[],"dependencies":[{"ref":"x"}]`, `\"<&>\\`, "é\u2028"}
	c.Licenses = []string{"MIT"}
	inv.Components = append(inv.Components, inventory.Component{ID: `example.com/"components":[]`, Kind: inventory.Module,
		Path: `example.com/"components":[]`, Version: `v1.0.0-"packages":[null]`, PURL: `pkg:golang/x@v1`, Scope: inventory.Required})
	inv.Dependencies[`example.com/"components":[]`] = []string{"example.com/a"}
	inv.Dependencies["example.com/app"] = append(inv.Dependencies["example.com/app"], `example.com/"components":[]`)
	inv.Sort()
	return inv
}

// TestStreamJSON: the CycloneDX (from 1.6) and SPDX JSON documents,
// written array element by array element, are the bytes the libraries'
// own encoders write for the whole document, indented as json.Indent
// does.
func TestStreamJSON(t *testing.T) {
	indent := func(t *testing.T, b []byte) []byte {
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", "  "); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	for invName, inv := range map[string]*inventory.Inventory{"fixture": fixtureInventory(), "tricky": trickyInventory(), "empty": {Mode: inventory.Modules}} {
		for _, spec := range CycloneDXSpecs() {
			for name, opts := range fixtureOptions(spec) {
				bom := CycloneDX(inv, opts)
				var want, got bytes.Buffer
				enc := cdx.NewBOMEncoder(&want, cdx.BOMFileFormatJSON)
				enc.SetEscapeHTML(false)
				if err := enc.EncodeVersion(bom, spec); err != nil {
					t.Fatal(err)
				}
				if spec >= cdx.SpecVersion1_6 {
					// Compact, each component converted as it is written.
					b, comps := cycloneDX(inv, opts, nil)
					if err := encodeStreamJSON(&got, b, comps, spec, nil); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got.Bytes(), want.Bytes()) {
						t.Errorf("CycloneDX %v %s %s: streamed\n%s\nwant\n%s", spec, invName, name, got.Bytes(), want.Bytes())
					}
				}
				var doc bytes.Buffer
				if err := EncodeCycloneDX(&doc, inv, opts); err != nil {
					t.Fatal(err)
				}
				if w := indent(t, want.Bytes()); !bytes.Equal(doc.Bytes(), w) {
					t.Errorf("EncodeCycloneDX %v %s %s: got\n%s\nwant\n%s", spec, invName, name, doc.Bytes(), w)
				}
			}
		}
		for name, opts := range fixtureOptions(0) {
			sd := SPDX(inv, opts)
			var want, doc bytes.Buffer
			if err := spdxjson.Write(sd, &want, spdxjson.EscapeHTML(false)); err != nil {
				t.Fatal(err)
			}
			if err := EncodeSPDXJSON(&doc, inv, opts); err != nil {
				t.Fatal(err)
			}
			if w := indent(t, want.Bytes()); !bytes.Equal(doc.Bytes(), w) {
				t.Errorf("EncodeSPDXJSON %s %s: got\n%s\nwant\n%s", invName, name, doc.Bytes(), w)
			}
		}
	}
}
