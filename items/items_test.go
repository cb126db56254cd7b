package items

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/product"
)

func write(t *testing.T, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
		t.Fatal(err)
	}
}

const config = `version: 1
product: {name: Pump}
configurations:
  - {name: linux, goos: linux, goarch: amd64}
  - {name: windows, goos: windows, goarch: amd64}
items:
  ids: {prefix: CI-, width: 3}
  classes:
    - {name: source, kind: go-package, paths: [./...], exclude: ["internal/testutil"]}
    - {name: assets, paths: ["assets/**"]}
    - {name: documentation, paths: ["*.md", "docs/**"]}
`

// fixture is a product: a main package, a Windows-only package, a test
// helper excluded, assets, docs, change records and an archive (never
// items).
func fixture(t *testing.T) (string, *product.Config) {
	root := t.TempDir()
	write(t, root, "go.mod", "module example.com/pump\n\ngo 1.22\n")
	write(t, root, "baseline.yaml", config)
	write(t, root, "main.go", "package main\n\nimport _ \"example.com/pump/dose\"\n\nfunc main() {}\n")
	write(t, root, "dose/dose.go", "package dose\n")
	write(t, root, "dose/dose_test.go", "package dose\n")
	write(t, root, "winsvc/svc_windows.go", "package winsvc\n")
	write(t, root, "internal/testutil/u.go", "package testutil\n")
	write(t, root, "assets/logo.png", "PNG")
	write(t, root, "assets/icons/a.svg", "<svg/>")
	write(t, root, "README.md", "# Pump\n")
	write(t, root, "docs/manual.md", "manual\n")
	write(t, root, "changes/requests/CR-001.yaml", "id: CR-001\n")
	write(t, root, "releases/1.0.0/notes.md", "notes\n")
	cfg, err := product.Load(filepath.Join(root, "baseline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return root, cfg
}

func names(found []Found) []string {
	var out []string
	for _, f := range found {
		out = append(out, f.Class+" "+f.Name+" "+f.Path)
	}
	return out
}

func TestScan(t *testing.T) {
	root, cfg := fixture(t)
	found, err := Scan(context.Background(), cfg, root, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"source example.com/pump .",
		"source example.com/pump/dose dose",
		"source example.com/pump/winsvc winsvc", // Windows only: the union of configurations
		"assets assets/icons/a.svg assets/icons/a.svg",
		"assets assets/logo.png assets/logo.png",
		"documentation README.md README.md",
		"documentation docs/manual.md docs/manual.md",
	}
	if got := names(found); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Scan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range found {
		if f.Name == "example.com/pump/dose" && strings.Join(f.Files, ",") != "dose.go,dose_test.go" {
			t.Errorf("dose files = %v", f.Files)
		}
	}
}

func TestDigest(t *testing.T) {
	root, cfg := fixture(t)
	found, err := Scan(context.Background(), cfg, root, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	digests := map[string]Digest{}
	for _, f := range found {
		d, err := DigestOf(root, f)
		if err != nil {
			t.Fatal(err)
		}
		digests[f.Name] = d
	}
	if d := digests["assets/logo.png"]; d.SHA256 != sha256Hex("PNG") || len(d.SHA512) != 128 || d.H1 != "" {
		t.Errorf("file digest %+v", d)
	}
	if d := digests["example.com/pump/dose"]; !strings.HasPrefix(d.H1, "h1:") || d.SHA256 != "" {
		t.Errorf("package digest %+v", d)
	}
	// A change to a test file changes the package's digest; other
	// packages keep theirs.
	write(t, root, "dose/dose_test.go", "package dose // changed\n")
	found2, _ := Scan(context.Background(), cfg, root, ScanOptions{})
	for _, f := range found2 {
		d, _ := DigestOf(root, f)
		changed := d != digests[f.Name]
		if changed != (f.Name == "example.com/pump/dose") {
			t.Errorf("%s: digest changed = %v", f.Name, changed)
		}
	}
}

func TestSyncCheck(t *testing.T) {
	root, cfg := fixture(t)
	ctx := context.Background()
	file := filepath.Join(root, DefaultFile)
	scheme := cfg.Items.IDs
	found, _ := Scan(ctx, cfg, root, ScanOptions{})
	day := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	changes, err := Sync(file, found, scheme, SyncOptions{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 7 {
		t.Errorf("first sync: %v", changes)
	}
	f, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	// Numbered in the sorted order of class and name.
	if it, _ := f.Lookup("CI-001"); it.Name != "assets/icons/a.svg" {
		t.Errorf("CI-001 = %+v", it)
	}
	if fs := Check(f, found, scheme); len(fs) != 0 {
		t.Errorf("check after sync: %v", fs)
	}
	before, _ := os.ReadFile(file)
	if ch, err := Sync(file, found, scheme, SyncOptions{Now: day}); err != nil || len(ch) != 0 {
		t.Errorf("second sync: %v, %v", ch, err)
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Error("a no-op sync changed the file")
	}

	// Remove a package, add an asset: check reports both, sync retires
	// one identifier and issues a new one after the highest.
	os.RemoveAll(filepath.Join(root, "winsvc"))
	write(t, root, "assets/pump.png", "PNG2")
	found, _ = Scan(ctx, cfg, root, ScanOptions{})
	fs := Check(f, found, scheme)
	var got []string
	for _, x := range fs {
		got = append(got, x.String())
	}
	want := "missing: assets assets/pump.png (assets/pump.png) is not in items.yaml\nstale: CI-007 source example.com/pump/winsvc is no longer in the repository"
	if strings.Join(got, "\n") != want {
		t.Errorf("check:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	if _, err := Sync(file, found, scheme, SyncOptions{Now: day}); err != nil {
		t.Fatal(err)
	}
	f, err = Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if it, ok := f.Lookup("CI-008"); !ok || it.Name != "assets/pump.png" {
		t.Errorf("new item: %+v %v", it, ok)
	}
	if len(f.Retired) != 1 || f.Retired[0].ID != "CI-007" || f.Retired[0].Date != "2024-05-01" {
		t.Errorf("retired: %+v", f.Retired)
	}
	// The package comes back: a new identifier, never the retired one.
	write(t, root, "winsvc/svc_windows.go", "package winsvc\n")
	found, _ = Scan(ctx, cfg, root, ScanOptions{})
	if _, err := Sync(file, found, scheme, SyncOptions{Now: day}); err != nil {
		t.Fatal(err)
	}
	f, _ = Load(file)
	for _, it := range f.Items {
		if it.Name == "example.com/pump/winsvc" && it.ID != "CI-009" {
			t.Errorf("returning item got %s, want CI-009", it.ID)
		}
	}
	// An item deleted from the file by hand: its number stays reserved.
	data, _ := os.ReadFile(file)
	data = regexp.MustCompile(`(?m)^  - \{id: CI-009.*\n`).ReplaceAll(data, nil)
	os.WriteFile(file, data, 0o666)
	Sync(file, found, scheme, SyncOptions{Now: day})
	f, _ = Load(file)
	for _, it := range f.Items {
		if it.Name == "example.com/pump/winsvc" && it.ID != "CI-010" {
			t.Errorf("item deleted by hand got %s back, want CI-010", it.ID)
		}
	}
	// A changed identifier scheme is refused: identifiers are for life.
	if _, err := Sync(file, found, ident.Scheme{Prefix: "SWI-", Width: 3}, SyncOptions{}); err == nil {
		t.Error("sync with another scheme succeeded")
	}
	if fs := Check(f, found, ident.Scheme{Prefix: "SWI-", Width: 3}); len(fs) == 0 || fs[0].Kind != Scheme {
		t.Errorf("check with another scheme: %v", fs)
	}
}

func TestSyncFiles(t *testing.T) {
	root, cfg := fixture(t)
	found, _ := Scan(context.Background(), cfg, root, ScanOptions{})
	file := filepath.Join(root, DefaultFile)
	// Read-only: not written, error naming the file.
	os.WriteFile(file, []byte("version: 1\nids: {prefix: CI-, width: 3}\nitems: []\n"), 0o444)
	_, err := Sync(file, found, cfg.Items.IDs, SyncOptions{})
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), DefaultFile) {
		t.Errorf("read-only sync: %v", err)
	}
	os.Chmod(file, 0o640)
	// Through a symlink: the target is written, the link kept.
	target := filepath.Join(root, "real-items.yaml")
	os.Rename(file, target)
	os.Symlink("real-items.yaml", file)
	if _, err := Sync(file, found, cfg.Items.IDs, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(file); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced")
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", fi.Mode().Perm())
	}
	if f, err := Load(target); err != nil || len(f.Items) != 7 {
		t.Errorf("target: %v, %v", f, err)
	}
}

func TestConcurrentSync(t *testing.T) {
	root, cfg := fixture(t)
	found, _ := Scan(context.Background(), cfg, root, ScanOptions{})
	file := filepath.Join(root, DefaultFile)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each run sees a different subset; the union must keep every
			// identifier distinct and never reuse one.
			if _, err := Sync(file, found[:1+i%len(found)], cfg.Items.IDs, SyncOptions{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	f, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(file, found, cfg.Items.IDs, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if f, err = Load(file); err != nil || len(Check(f, found, cfg.Items.IDs)) != 0 {
		t.Errorf("after concurrent syncs: %v", err)
	}
}

func TestGitTracked(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	root, cfg := fixture(t)
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", root, "-c", "user.name=T", "-c", "user.email=t@example.com"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	write(t, root, ".gitignore", "assets/build/\n")
	write(t, root, "assets/build/generated.png", "x")
	run("add", "-A")
	run("commit", "-qm", "init")
	write(t, root, "assets/untracked.png", "x")
	found, err := Scan(context.Background(), cfg, root, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sawNew bool
	for _, f := range found {
		if strings.Contains(f.Name, "generated") {
			t.Errorf("an ignored file is an item: %s", f.Name)
		}
		sawNew = sawNew || f.Name == "assets/untracked.png"
	}
	if !sawNew {
		t.Error("a new file not yet committed is not an item")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"empty", "", `items.yaml: version: empty file`},
		{"unknown", "version: 1\nids: {prefix: CI-, width: 3}\nitems: []\nextra: 1\n", `items.yaml:4: extra: unknown key`},
		{"dup id", "version: 1\nids: {prefix: CI-, width: 3}\nitems:\n  - {id: CI-001, class: a, name: x, path: x}\n  - {id: CI-001, class: a, name: y, path: y}\n", `items.yaml:5: items.id: CI-001 is already the identifier of the item at line 4`},
		{"dup item", "version: 1\nids: {prefix: CI-, width: 3}\nitems:\n  - {id: CI-001, class: a, name: x, path: x}\n  - {id: CI-002, class: a, name: x, path: x}\n", `items.yaml:5: items.name: a x is already listed at line 4`},
		{"scheme", "version: 1\nids: {prefix: CI-, width: 3}\nitems:\n  - {id: SOUP-001, class: a, name: x, path: x}\n", `items.yaml:4: items.id: identifier "SOUP-001" does not start with "CI-"`},
		{"retired used", "version: 1\nids: {prefix: CI-, width: 3}\nitems:\n  - {id: CI-001, class: a, name: x, path: x}\nretired:\n  - {id: CI-001, date: 2024-01-01, reason: r}\n", `items.yaml:6: retired.id: CI-001 is retired but still`},
		{"path", "version: 1\nids: {prefix: CI-, width: 3}\nitems:\n  - {id: CI-001, class: a, name: x, path: ../x}\n", `items.yaml:4: items.path: "../x" is not a clean path`},
		{"missing key", "version: 1\nids: {prefix: CI-, width: 3}\nitems:\n  - {id: CI-001, class: a, name: x}\n", `items.yaml:4: items.path: missing`},
		{"date", "version: 1\nids: {prefix: CI-, width: 3}\nitems: []\nretired:\n  - {id: CI-001, date: yesterday, reason: r}\n", `items.yaml:5: retired.date: "yesterday" is not a date`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("items.yaml", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant %s", err, tc.want)
			}
		})
	}
}

// FuzzParse: Parse never panics; what parses re-encodes to text that
// parses to the same items.
func FuzzParse(f *testing.F) {
	f.Add([]byte("version: 1\nids: {prefix: CI-, width: 3, last_issued: 2}\nitems:\n  - {id: CI-001, class: a, name: \"x y\", path: x}\nretired:\n  - {id: CI-002, date: 2024-01-01, reason: r}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("items.yaml", data)
		if err != nil {
			return
		}
		again, err := Parse("items.yaml", file.Encode())
		if err != nil {
			t.Fatalf("encoded file does not parse: %v\n%s", err, file.Encode())
		}
		if len(again.Items) != len(file.Items) || len(again.Retired) != len(file.Retired) {
			t.Fatalf("round trip lost items")
		}
		for i := range file.Items {
			a, b := file.Items[i], again.Items[i]
			if a.ID != b.ID || a.Name != b.Name || a.Path != b.Path || a.Class != b.Class {
				t.Fatalf("round trip changed %+v into %+v", a, b)
			}
		}
	})
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
