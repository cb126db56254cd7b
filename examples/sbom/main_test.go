package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun runs the example on a module that links only the standard
// library (no module proxy needed) and checks the SBOM it writes.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/pump\n\ngo 1.22\n")
	write("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"pump\") }\n")
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPROXY", "off")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())

	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), dir, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	var bom struct {
		BOMFormat string `json:"bomFormat"`
		Metadata  struct {
			Component struct {
				Name    string `json:"name"`
				Version string `json:"version"`
			} `json:"component"`
		} `json:"metadata"`
		Components []struct {
			Name string `json:"name"`
		} `json:"components"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &bom); err != nil {
		t.Fatalf("the SBOM is not JSON: %v", err)
	}
	if bom.BOMFormat != "CycloneDX" || bom.Metadata.Component.Name != "example.com/pump" || bom.Metadata.Component.Version != "v1.0.0" {
		t.Errorf("metadata: got %+v, format %q", bom.Metadata.Component, bom.BOMFormat)
	}
	var names []string
	for _, c := range bom.Components {
		names = append(names, c.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "stdlib") {
		t.Errorf("components %v: want the standard library", names)
	}
	if !strings.Contains(stderr.String(), "stdlib") {
		t.Errorf("the SOUP list on stderr does not name stdlib:\n%s", stderr.String())
	}
}
