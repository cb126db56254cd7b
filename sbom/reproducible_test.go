package sbom_test

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
)

func TestUUIDv5(t *testing.T) {
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	// RFC 9562 appendix A.4's example; Python's uuid.uuid5 agrees.
	if got, want := sbom.UUIDv5(dns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2"; got != want {
		t.Errorf("uuid5(DNS, www.example.com) = %s, want %s", got, want)
	}
	if got, want := sbom.UUIDv5(dns, "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d"; got != want {
		t.Errorf("uuid5(DNS, python.org) = %s, want %s", got, want)
	}
	url := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got := sbom.UUIDv5(url, "https://github.com/baseline-cm/baseline/sbom"); got != sbom.Namespace {
		t.Errorf("Namespace = %s, but the documented derivation gives %s", sbom.Namespace, got)
	}
}

var uuidSuffix = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

var serialRE = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func encode(t *testing.T, inv *inventory.Inventory, f sbom.Format, opts sbom.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sbom.Encode(&buf, inv, f, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func serialOf(t *testing.T, doc []byte, f sbom.Format) string {
	t.Helper()
	ff := cdx.BOMFileFormatJSON
	if f == sbom.CycloneDXXML {
		ff = cdx.BOMFileFormatXML
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(doc), ff).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	if !serialRE.MatchString(bom.SerialNumber) {
		t.Fatalf("serial number %q is not a version 5 UUID URN", bom.SerialNumber)
	}
	return bom.SerialNumber
}

// TestReproducibleCycloneDX: the same inventory gives the same bytes, the
// serial number is a name-based UUID of the content, and the JSON and XML
// of one BOM share it.
func TestReproducibleCycloneDX(t *testing.T) {
	opts := sbom.Options{Timestamp: time.Unix(1700000000, 0), ToolVersion: "v9"}
	for _, f := range []sbom.Format{sbom.CycloneDXJSON, sbom.CycloneDXXML} {
		for _, spec := range sbom.CycloneDXSpecs() {
			o := opts
			o.Spec = spec
			a := encode(t, testInventory(), f, o)
			// A fresh inventory whose map was built in another order.
			inv := testInventory()
			deps := inv.Dependencies
			inv.Dependencies = map[string][]string{}
			for _, k := range []string{"example.com/a", "example.com/app"} {
				inv.Dependencies[k] = deps[k]
			}
			if b := encode(t, inv, f, o); !bytes.Equal(a, b) {
				t.Errorf("%s %v: two encodings of the same inventory differ:\n%s\n%s", f, spec, a, b)
			}
		}
	}

	base := serialOf(t, encode(t, testInventory(), sbom.CycloneDXJSON, opts), sbom.CycloneDXJSON)
	if x := serialOf(t, encode(t, testInventory(), sbom.CycloneDXXML, opts), sbom.CycloneDXXML); x != base {
		t.Errorf("JSON serial %s, XML serial %s: one BOM, two serials", base, x)
	}
	if sbom.CycloneDX(testInventory(), opts).SerialNumber != base {
		t.Error("CycloneDX and EncodeCycloneDX disagree on the serial number")
	}

	differ := map[string]func(*inventory.Inventory, *sbom.Options){
		"version":   func(inv *inventory.Inventory, _ *sbom.Options) { inv.Components[3].Version = "v1.26.9" },
		"edge":      func(inv *inventory.Inventory, _ *sbom.Options) { delete(inv.Dependencies, "example.com/a") },
		"timestamp": func(_ *inventory.Inventory, o *sbom.Options) { o.Timestamp = o.Timestamp.Add(time.Second) },
		"spec":      func(_ *inventory.Inventory, o *sbom.Options) { o.Spec = cdx.SpecVersion1_5 },
		"tool":      func(_ *inventory.Inventory, o *sbom.Options) { o.ToolVersion = "v10" },
	}
	for name, change := range differ {
		inv, o := testInventory(), opts
		change(inv, &o)
		if s := serialOf(t, encode(t, inv, sbom.CycloneDXJSON, o), sbom.CycloneDXJSON); s == base {
			t.Errorf("changing the %s leaves the serial number %s", name, s)
		}
	}
}

// TestIdentityIgnoresCacheState: a component's publication time, which
// the go command reports only when the version's .info file is in the
// module cache and which no SBOM writes, does not change any format's
// bytes (serial number and document namespace included).
func TestIdentityIgnoresCacheState(t *testing.T) {
	opts := sbom.Options{Timestamp: time.Unix(1700000000, 0), ToolVersion: "v9"}
	for _, f := range []sbom.Format{sbom.CycloneDXJSON, sbom.CycloneDXXML, sbom.SPDXJSON, sbom.SPDXTagValue} {
		a := encode(t, testInventory(), f, opts)
		inv := testInventory()
		for i := range inv.Components {
			inv.Components[i].Time = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
		}
		if b := encode(t, inv, f, opts); !bytes.Equal(a, b) {
			t.Errorf("%s: the module cache's .info times change the document:\n%s\n%s", f, a, b)
		}
	}
}
