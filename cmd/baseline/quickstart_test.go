package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuickstart keeps docs/quickstart.md and the script that runs it in
// step: every baseline and git command in the page's code blocks is an
// exec line of testdata/script/quickstart.txtar, in the same order, so a
// command the page shows is a command the tests run.
func TestQuickstart(t *testing.T) {
	doc := docCommands(t, filepath.Join("..", "..", "docs", "quickstart.md"))
	script := scriptCommands(t, filepath.Join("..", "..", "testdata", "script", "quickstart.txtar"))
	if len(doc) < 10 {
		t.Fatalf("docs/quickstart.md shows %d baseline or git commands, want the whole quick start", len(doc))
	}
	for _, want := range []string{"baseline init", "baseline soup sync", "baseline change new", "baseline change approve", "baseline change verify", "baseline release", "baseline sign", "baseline verify"} {
		if !hasPrefix(doc, want) {
			t.Errorf("docs/quickstart.md has no %q command", want)
		}
	}
	i := 0
	for _, cmd := range doc {
		for i < len(script) && script[i] != cmd {
			i++
		}
		if i == len(script) {
			t.Fatalf("docs/quickstart.md's command\n\t%s\nis not in quickstart.txtar (in this order, as an exec line): change the two together", cmd)
		}
		i++
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
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "-- ") {
			break // the files of the archive
		}
		if cmd, ok := strings.CutPrefix(line, "exec "); ok {
			cmds = append(cmds, strings.TrimSpace(cmd))
		}
	}
	return cmds
}
