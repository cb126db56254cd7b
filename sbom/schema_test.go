package sbom_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
)

// cycloneDXSchemaDir is the schema directory of the cyclonedx-go module,
// which ships the official JSON schemas.
func cycloneDXSchemaDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/CycloneDX/cyclonedx-go").Output()
	if err != nil {
		t.Skipf("go list -m github.com/CycloneDX/cyclonedx-go: %v: schema validation skipped", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "schema")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no CycloneDX schemas (%v): schema validation skipped", err)
	}
	return dir
}

func addResource(t *testing.T, c *jsonschema.Compiler, url, file string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
}

// TestCycloneDXSchemas validates the JSON of every supported spec version
// against that version's official schema (TestCycloneDXXSD does the XML).
// The schemas' references are served from local files: nothing is
// fetched.
func TestCycloneDXSchemas(t *testing.T) {
	dir := cycloneDXSchemaDir(t)
	const base = "http://cyclonedx.org/schema/"
	for _, spec := range sbom.CycloneDXSpecs() {
		t.Run(spec.String(), func(t *testing.T) {
			c := jsonschema.NewCompiler()
			c.AssertFormat()
			addResource(t, c, base+"spdx.schema.json", filepath.Join(dir, "spdx.schema.json"))
			addResource(t, c, base+"jsf-0.82.schema.json", filepath.Join(dir, "jsf-0.82.schemax.json"))
			if spec >= cdx.SpecVersion1_7 {
				addResource(t, c, base+"cryptography-defs.schema.json", filepath.Join("testdata", "schema", "cryptography-defs.schema.json"))
			}
			name := "bom-" + spec.String() + ".schema.json"
			addResource(t, c, base+name, filepath.Join(dir, name))
			sch, err := c.Compile(base + name)
			if err != nil {
				t.Fatal(err)
			}
			binv := bigInventory(50)
			binv.Mode, binv.EdgesKnown, binv.Dependencies = inventory.Binary, false, nil
			binv.Build.Binary = &inventory.File{Name: "app", Size: 3, Hashes: []inventory.Hash{{Algorithm: "SHA-256", Value: sha256Hex}, {Algorithm: "SHA-512", Value: sha512Hex}}}
			for name, inv := range map[string]*inventory.Inventory{"test": testInventory(), "big": bigInventory(50), "binary": binv} {
				for _, opts := range []sbom.Options{{Spec: spec, Timestamp: time.Unix(1700000000, 0), ToolVersion: "v9"}, metaOpts(spec), withRegister(t, spec)} {
					v, err := jsonschema.UnmarshalJSON(bytes.NewReader(encode(t, inv, sbom.CycloneDXJSON, opts)))
					if err != nil {
						t.Fatal(err)
					}
					if err := sch.Validate(v); err != nil {
						t.Errorf("%s inventory, authors %d, register %t: CycloneDX %v JSON does not validate:\n%v", name, len(opts.Authors), opts.Register != nil, spec, err)
					}
				}
			}
			// The schema is strict enough to catch a broken document.
			v, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"bomFormat": "CycloneDX", "specVersion": "` + spec.String() + `", "serialNumber": "urn:uuid:x", "components": [{"type": "bogus"}]}`))
			if sch.Validate(v) == nil {
				t.Error("the schema accepts a broken document: the test proves nothing")
			}
		})
	}
}
