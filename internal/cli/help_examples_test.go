package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/baseline-cm/baseline/product"
	"github.com/baseline-cm/baseline/soup"
)

// exampleCode returns the first code block of a package doc section
// that is a whole file (it starts with "version: 1"): its example.
func exampleCode(t *testing.T, pkg string, heading string) string {
	text := string(docSections(t, filepath.Join("..", "..", pkg), []string{heading}))
	var best, cur strings.Builder
	flush := func() {
		if best.Len() == 0 && strings.HasPrefix(cur.String(), "version: 1") {
			best.Reset()
			best.WriteString(cur.String())
		}
		cur.Reset()
	}
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(l, "    "):
			cur.WriteString(strings.TrimPrefix(l, "    ") + "\n")
		case l == "" && cur.Len() > 0:
			cur.WriteString("\n")
		default:
			flush()
		}
	}
	flush()
	return best.String()
}

// TestExamplesParse checks that the complete examples "baseline help"
// prints for baseline.yaml and soup.yaml are valid files. (The policy's
// example holds elided keys, "...", and is not checked.)
func TestExamplesParse(t *testing.T) {
	for _, c := range [][2]string{{"product", "The file"}, {"soup", "The register file"}} {
		if ex := exampleCode(t, c[0], c[1]); strings.Count(ex, "\n") < 10 {
			t.Errorf("package %s's %q has no complete example: %q", c[0], c[1], ex)
		}
	}
	if _, err := product.Parse("baseline.yaml", []byte(exampleCode(t, "product", "The file"))); err != nil {
		t.Error(err)
	}
	if _, err := soup.ParseRegister("soup.yaml", []byte(exampleCode(t, "soup", "The register file"))); err != nil {
		t.Error(err)
	}
}
