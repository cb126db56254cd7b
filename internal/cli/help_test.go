package cli

import (
	"bytes"
	"flag"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateHelp = flag.Bool("update", false, "rewrite help/*.txt from the package docs")

// TestHelpTopics checks that each help topic's text is its package doc's
// format sections as they are now (-update rewrites them), so the package
// doc stays the one home of each format's description.
func TestHelpTopics(t *testing.T) {
	for _, topic := range helpTopics {
		t.Run(topic.name, func(t *testing.T) {
			want := docSections(t, filepath.Join("..", "..", topic.pkg), topic.headings)
			if !strings.Contains(string(want), "\n    ") {
				t.Errorf("package %s's sections %q hold no example", topic.pkg, topic.headings)
			}
			file := filepath.Join("help", topic.name+".txt")
			if *updateHelp {
				if err := os.WriteFile(file, want, 0o666); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from package %s's doc: run go test ./internal/cli -run TestHelpTopics -update", file, topic.pkg)
			}
		})
	}
}

// docSections returns the sections of the package doc in dir that the
// headings name, each up to the next heading, as go doc prints text.
func docSections(t *testing.T, dir string, headings []string) []byte {
	pkgs, err := parser.ParseDir(token.NewFileSet(), dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, p := range pkgs {
		for _, f := range p.Files {
			if f.Doc != nil {
				text += f.Doc.Text()
			}
		}
	}
	var p comment.Parser
	d := p.Parse(text)
	var out []comment.Block
	for _, h := range headings {
		start := -1
		for i, b := range d.Content {
			if hb, ok := b.(*comment.Heading); ok && headingText(hb) == h {
				start = i
				break
			}
		}
		if start < 0 {
			t.Fatalf("package %s's doc has no section %q", dir, h)
		}
		end := start + 1
		for end < len(d.Content) {
			if _, ok := d.Content[end].(*comment.Heading); ok {
				break
			}
			end++
		}
		out = append(out, d.Content[start:end]...)
	}
	pr := comment.Printer{TextCodePrefix: "    ", TextWidth: 80}
	return pr.Text(&comment.Doc{Content: out})
}

func headingText(h *comment.Heading) string {
	var b strings.Builder
	for _, t := range h.Text {
		if p, ok := t.(comment.Plain); ok {
			b.WriteString(string(p))
		}
	}
	return b.String()
}
