package git

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

func TestLogFilesShowPrefix(t *testing.T) {
	ctx := context.Background()
	dir := repo(t)
	cs, err := LogFiles(ctx, dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Subject != "second" || !slices.Equal(cs[0].Files, []string{"b/b.go"}) ||
		!slices.Equal(cs[1].Files, []string{"a/go.mod", "b/go.mod", "go.mod"}) || len(cs[0].Parents) != 1 || cs[0].Parents[0] != cs[1].Commit || len(cs[1].Parents) != 0 {
		t.Errorf("LogFiles = %+v", cs)
	}
	data, ok, err := Show(ctx, dir, cs[1].Commit, "b/go.mod")
	if err != nil || !ok || string(data) != "module example.com/r/b/v2\n" {
		t.Errorf("Show = %q, %v, %v", data, ok, err)
	}
	if _, ok, err := Show(ctx, dir, cs[1].Commit, "b/b.go"); ok || err != nil {
		t.Errorf("Show of a file not in the commit: %v, %v", ok, err)
	}
	if p, err := Prefix(ctx, filepath.Join(dir, "a")); p != "a/" || err != nil {
		t.Errorf("Prefix(a) = %q, %v", p, err)
	}
	if p, err := Prefix(ctx, dir); p != "" || err != nil {
		t.Errorf("Prefix(root) = %q, %v", p, err)
	}
	t.Setenv("GIT_AUTHOR_NAME", "Ada Lovelace")
	t.Setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
	if id := Identity(ctx, dir); id != "Ada Lovelace <ada@example.com>" {
		t.Errorf("Identity = %q", id)
	}
}
