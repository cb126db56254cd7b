package git

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// repo makes a repository with modules at the root, in a/ and in b/, each
// tagged as the go command expects, and returns its directory.
func repo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=a@example.com",
			"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=c@example.com",
			"GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	write := func(name, data string) {
		t.Helper()
		name = filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(name), 0o755)
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q", "-b", "main")
	write("go.mod", "module example.com/r\n")
	write("a/go.mod", "module example.com/r/a\n")
	write("b/go.mod", "module example.com/r/b/v2\n")
	run("add", ".")
	run("commit", "-q", "-m", "first")
	run("tag", "v0.1.0")
	run("tag", "a/v1.2.3")
	run("tag", "a/not-a-version")
	write("b/b.go", "package b\n")
	run("add", ".")
	run("commit", "-q", "-m", "second\n\nChange-Request: CR-001")
	run("tag", "b/v2.0.0")
	return dir
}

func TestDescribe(t *testing.T) {
	ctx := context.Background()
	dir := repo(t)
	for _, tc := range []struct {
		dir, module, prefix, want string
	}{
		{".", "example.com/r", "", "v0.1.0-1-g"},
		{"a", "example.com/r/a", "a/", "v1.2.3-1-g"},
		{"b", "example.com/r/b/v2", "b/", "v2.0.0"},
	} {
		prefix, err := TagPrefix(ctx, filepath.Join(dir, tc.dir), tc.module)
		if err != nil || prefix != tc.prefix {
			t.Errorf("TagPrefix(%s, %s) = %q, %v; want %q", tc.dir, tc.module, prefix, err, tc.prefix)
		}
		v, err := Describe(ctx, filepath.Join(dir, tc.dir), prefix)
		if err != nil || !strings.HasPrefix(v, tc.want) {
			t.Errorf("Describe(%s, %q) = %q, %v; want %s...", tc.dir, prefix, v, err, tc.want)
		}
	}
	if tags, err := Tags(ctx, dir, "a/"); err != nil || !slices.Equal(tags, []string{"v1.2.3"}) {
		t.Errorf("Tags(a/) = %q, %v", tags, err)
	}
	if tags, err := Tags(ctx, dir, ""); err != nil || !slices.Equal(tags, []string{"v0.1.0"}) {
		t.Errorf("Tags() = %q, %v; the tags of other modules are not the root module's", tags, err)
	}
	if _, err := Describe(ctx, t.TempDir(), ""); !errors.Is(err, ErrNotRepository) {
		t.Errorf("Describe outside a repository: err = %v", err)
	}
}

func TestTagPrefixMajorSubdirectory(t *testing.T) {
	for _, tc := range []struct{ rel, module, want string }{
		{".", "example.com/r", ""},
		{"a", "example.com/r/a", "a/"},
		{"a/v2", "example.com/r/a/v2", "a/"},
		{"v2", "example.com/r/v2", ""},
		{"x/v2", "example.com/r/x", "x/v2/"},
	} {
		if got := tagPrefix(tc.rel, tc.module); got != tc.want {
			t.Errorf("tagPrefix(%q, %q) = %q, want %q", tc.rel, tc.module, got, tc.want)
		}
	}
}

func TestLogCommit(t *testing.T) {
	ctx := context.Background()
	dir := repo(t)
	head, err := Commit(ctx, dir, "HEAD")
	if err != nil || len(head) != 40 {
		t.Fatalf("Commit(HEAD) = %q, %v", head, err)
	}
	log, err := Log(ctx, dir, "v0.1.0..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	want := LogEntry{Commit: head, Author: "A U Thor <a@example.com>", AuthorTime: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Committer: "C O Mitter <c@example.com>", CommitTime: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Subject: "second", Body: "Change-Request: CR-001"}
	if len(log) != 1 || log[0] != want {
		t.Errorf("Log = %+v\nwant [%+v]", log, want)
	}
	if log, err := Log(ctx, dir, "HEAD", "a"); err != nil || len(log) != 1 || log[0].Subject != "first" {
		t.Errorf("Log(HEAD, a) = %+v, %v", log, err)
	}
}

// TestReadOnly: nothing this package runs writes to the repository, not
// even the index refresh that "git status" and "git describe --dirty" do
// when a tracked file's stat information changed.
func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := repo(t)
	index := filepath.Join(dir, ".git", "index")
	// A tracked file touched (same content, new mtime) makes the index's
	// stat data stale: a writing command would refresh it.
	touch := func() {
		t.Helper()
		future := time.Now().Add(time.Duration(1+time.Now().UnixNano()%1000) * time.Second)
		if err := os.Chtimes(filepath.Join(dir, "go.mod"), future, future); err != nil {
			t.Fatal(err)
		}
	}
	state := func() string {
		t.Helper()
		fi, err := os.Stat(index)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(index)
		return fi.ModTime().String() + string(data)
	}
	touch()
	before := state()
	if dirty, err := Dirty(ctx, dir); err != nil || dirty {
		t.Errorf("Dirty of a clean (touched) tree = %v, %v", dirty, err)
	}
	if _, err := Describe(ctx, dir, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := Root(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Log(ctx, dir, "HEAD"); err != nil {
		t.Fatal(err)
	}
	if state() != before {
		t.Errorf(".git/index was modified")
	}
	// The check can fail: git describe --dirty does rewrite the index.
	cmd := exec.Command("git", "-C", dir, "--no-optional-locks", "describe", "--tags", "--always", "--dirty")
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git describe --dirty: %v\n%s", err, out)
	}
	if state() == before {
		t.Logf("this git's describe --dirty did not rewrite the index either")
	}

	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/r // changed\n"), 0o644)
	if dirty, err := Dirty(ctx, dir); err != nil || !dirty {
		t.Errorf("Dirty of a modified tree = %v, %v", dirty, err)
	}
	for _, args := range [][]string{{"commit", "-m", "x"}, {"describe", "--dirty"}, {"describe", "--broken=x"}, {"diff", "--output=f"}, {}} {
		if _, err := Output(ctx, dir, args...); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("Output(%q): err = %v, want a refusal", args, err)
		}
	}
	if _, err := Output(ctx, dir, "status", "--porcelain", "--", "--dirty"); err != nil {
		t.Errorf("a path after -- was taken for an option: %v", err)
	}
}
