package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestQuickstart keeps docs/quickstart.md and the script that runs it in
// step: every baseline and git command in the page's code blocks is an
// exec line of testdata/script/quickstart.txtar, in the same order, so a
// command the page shows is a command the tests run.
//
// README.md's quick start is held to the same rule.
func TestQuickstart(t *testing.T) {
	script := scriptCommands(t, filepath.Join("..", "..", "testdata", "script", "quickstart.txtar"))
	for _, page := range []string{"docs/quickstart.md", "README.md"} {
		doc := docCommands(t, filepath.Join("..", "..", filepath.FromSlash(page)))
		if len(doc) < 10 {
			t.Fatalf("%s shows %d baseline or git commands, want the whole quick start", page, len(doc))
		}
		for _, want := range []string{"baseline init", "baseline soup sync", "baseline change new", "baseline change approve", "baseline change verify", "baseline release", "baseline sign", "baseline verify"} {
			if !hasPrefix(doc, want) {
				t.Errorf("%s has no %q command", page, want)
			}
		}
		i := 0
		for _, cmd := range doc {
			for i < len(script) && script[i] != cmd {
				i++
			}
			if i == len(script) {
				t.Fatalf("%s's command\n\t%s\nis not in quickstart.txtar (in this order, as an exec line): change the two together", page, cmd)
			}
			i++
		}
	}
}

func hasPrefix(cmds []string, prefix string) bool {
	for _, c := range cmds {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

// docCommands returns the "$ baseline ..." and "$ git ..." lines of the
// Markdown file's fenced code blocks, without the prompt.
func docCommands(t *testing.T, name string) []string {
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	inBlock := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			continue
		}
		if cmd, ok := strings.CutPrefix(line, "$ "); inBlock && ok {
			if strings.HasPrefix(cmd, "baseline ") || strings.HasPrefix(cmd, "git ") {
				cmds = append(cmds, strings.TrimSpace(cmd))
			}
		}
	}
	return cmds
}

// scriptCommands returns the commands of the script's exec lines.
func scriptCommands(t *testing.T, name string) []string {
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for line := range strings.Lines(string(ar.Comment)) { // the script, before the files
		if cmd, ok := strings.CutPrefix(line, "exec "); ok {
			cmds = append(cmds, strings.TrimSpace(cmd))
		}
	}
	return cmds
}

// TestRecipes keeps docs/recipes.md's Makefile and policy identical to the
// files testdata/script/recipes.txtar runs.
func TestRecipes(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "recipes.md"))
	if err != nil {
		t.Fatal(err)
	}
	ar, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "script", "recipes.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, file string }{{"make", "pump/Makefile"}, {"yaml", "pump/release-policy.yaml"}} {
		block := fencedBlock(string(doc), c.lang)
		var want string
		for _, f := range ar.Files {
			if f.Name == c.file {
				want = string(f.Data)
			}
		}
		if want == "" {
			t.Fatalf("recipes.txtar has no %s", c.file)
		}
		if block != want {
			t.Errorf("docs/recipes.md's first %s block differs from recipes.txtar's %s:\n%s\nwant:\n%s", c.lang, c.file, block, want)
		}
	}
}

// fencedBlock returns the content of the first ```lang block of the
// Markdown text.
func fencedBlock(md, lang string) string {
	_, rest, ok := strings.Cut(md, "\n```"+lang+"\n")
	if !ok {
		return ""
	}
	block, _, _ := strings.Cut(rest, "\n```\n")
	return block + "\n"
}
