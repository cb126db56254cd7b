package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/baseline-cm/baseline/internal/cli"
	"github.com/baseline-cm/baseline/manifest"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestRelease in testdata/release/golden")

// product is a fixture repository for the release tests.
type product struct {
	t    *testing.T
	dir  string
	arch *txtar.Archive
	date int // commit date counter, for deterministic commit hashes
}

// newProduct sets up the environment (a module proxy serving
// testdata/mod, a private module cache, fixed git identities and dates)
// and writes release 1.0.0's files into a new git repository.
func newProduct(t *testing.T) *product {
	root := filepath.Join("..", "..", "testdata")
	proxy, err := goproxytest.NewServer(filepath.Join(root, "mod"), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	arch, err := txtar.ParseFile(filepath.Join(root, "release", "fixture.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"GOPROXY": proxy.URL, "GONOSUMDB": "*", "GOSUMDB": "off", "GOTOOLCHAIN": "local", "GOFLAGS": "-modcacherw",
		"GOMODCACHE": t.TempDir(), "SOURCE_DATE_EPOCH": "1700000000", "XDG_CACHE_HOME": t.TempDir(),
		"GIT_AUTHOR_NAME": "Jane Doe", "GIT_AUTHOR_EMAIL": "jane@acme.example",
		"GIT_COMMITTER_NAME": "Jane Doe", "GIT_COMMITTER_EMAIL": "jane@acme.example",
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
	} {
		t.Setenv(k, v)
	}
	p := &product{t: t, dir: filepath.Join(t.TempDir(), "pump"), arch: arch}
	for _, f := range arch.Files {
		if !strings.HasPrefix(f.Name, "v2/") {
			p.write(f.Name, f.Data)
		}
	}
	p.stdlibRegister("soup.tmpl")
	p.run("go", "mod", "tidy")
	p.run("git", "init", "-q", "-b", "main")
	// The manifest records the remote without its credentials.
	p.run("git", "remote", "add", "origin", "https://ci:s3cret@git.acme.example/pump.git")
	return p
}

func (p *product) write(name string, data []byte) {
	p.t.Helper()
	file := filepath.Join(p.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o666); err != nil {
		p.t.Fatal(err)
	}
}

// stdlibRegister writes soup.yaml from a template, with the toolchain's
// standard library version.
func (p *product) stdlibRegister(tmpl string) {
	data, err := os.ReadFile(filepath.Join(p.dir, tmpl))
	if err != nil {
		p.t.Fatal(err)
	}
	p.write("soup.yaml", bytes.ReplaceAll(data, []byte("STDLIB_VERSION"), []byte(stdlibVersion())))
}

// stdlibVersion is the standard library's version as discovery spells it.
func stdlibVersion() string {
	v := strings.TrimPrefix(strings.Fields(runtime.Version())[0], "go")
	pre := ""
	for _, kind := range []string{"rc", "beta"} {
		if i := strings.Index(v, kind); i > 0 {
			pre = "-" + kind + "." + v[i+len(kind):]
			v = v[:i]
			break
		}
	}
	switch strings.Count(v, ".") {
	case 0:
		v += ".0.0"
	case 1:
		v += ".0"
	}
	return "v" + v + pre
}

func (p *product) run(name string, args ...string) string {
	p.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = p.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func (p *product) commit(msg string) {
	p.t.Helper()
	p.date++
	d := "2023-11-" + string(rune('0'+p.date/10)) + string(rune('0'+p.date%10)) + "T10:00:00Z"
	p.t.Setenv("GIT_AUTHOR_DATE", d)
	p.t.Setenv("GIT_COMMITTER_DATE", d)
	p.run("git", "add", "-A")
	p.run("git", "commit", "-q", "-m", msg)
}

// baseline runs the command in the product directory.
func (p *product) baseline(want int, args ...string) (string, string) {
	p.t.Helper()
	var stdout, stderr bytes.Buffer
	wd, _ := os.Getwd()
	if err := os.Chdir(p.dir); err != nil {
		p.t.Fatal(err)
	}
	code := cli.Main(context.Background(), args, &stdout, &stderr)
	os.Chdir(wd)
	if code != want {
		p.t.Fatalf("baseline %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, want, stdout.String(), stderr.String())
	}
	return stdout.String(), stderr.String()
}

// toV2 applies release 1.1.0's changes.
func (p *product) toV2() {
	for _, f := range p.arch.Files {
		name, ok := strings.CutPrefix(f.Name, "v2/")
		switch {
		case !ok:
		case name == "REMOVE":
			for _, r := range strings.Fields(string(f.Data)) {
				if err := os.Remove(filepath.Join(p.dir, r)); err != nil {
					p.t.Fatal(err)
				}
			}
		default:
			p.write(name, f.Data)
		}
	}
	p.stdlibRegister("soup.tmpl")
	p.run("go", "mod", "tidy")
}

// normalizer replaces what depends on the toolchain (the Go version and
// everything derived from the SBOMs that record it) with placeholders.
type normalizer struct{ old, new []string }

func (n *normalizer) add(old, new string) {
	if old != "" {
		n.old, n.new = append(n.old, old), append(n.new, new)
	}
}

func (n *normalizer) learn(dir string) {
	m, sum, err := manifest.LoadRelease(dir)
	if err != nil {
		panic(err)
	}
	n.add(sum, "<manifest "+m.Version+" sha256>")
	n.add(sum[:12], "<manifest "+m.Version+" sha256 prefix>")
	// The commit depends on soup.yaml, which holds the stdlib version.
	n.add(m.VCS.Commit, "<commit "+m.Version+">")
	n.add(m.VCS.Commit[:12], "<commit "+m.Version+" prefix>")
	for _, it := range m.Items {
		if it.Class == manifest.ClassSBOM {
			n.add(it.SHA256, "<"+it.ID+" sha256>")
			n.add(it.SHA256[:12], "<"+it.ID+" sha256 prefix>")
			n.add(it.SHA512, "<"+it.ID+" sha512>")
			n.add(it.Serial, "<"+it.ID+" serial>")
			n.add(`"size": `+itoa(it.Size), `"size": "<`+it.ID+` size>"`)
		}
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func (n *normalizer) apply(s string) string {
	// Longest first, so that prefixes never cut a longer value.
	idx := make([]int, len(n.old))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return len(n.old[idx[a]]) > len(n.old[idx[b]]) })
	var pairs []string
	for _, i := range idx {
		pairs = append(pairs, n.old[i], n.new[i])
	}
	pairs = append(pairs, runtime.Version(), "<go version>", stdlibVersion(), "<stdlib version>", cli.Version(), "<tool version>")
	return strings.NewReplacer(pairs...).Replace(s)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("..", "..", "testdata", "release", "golden", name)
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/baseline -run TestRelease -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/baseline -run TestRelease -update rewrites it):\n%s", name, lineDiff(string(want), got))
	}
}

// lineDiff shows the first differing lines.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 20; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, "line "+itoa(int64(i+1))+":\n- "+a+"\n+ "+b)
		}
	}
	return strings.Join(out, "\n")
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRelease makes two successive releases of a fixture product (a SOUP
// upgrade, an added asset, a removed package) and checks the manifests,
// release notes, diff and history against golden files; then that a
// dirty tree and out-of-date records are refused, that releasing again
// gives the same bytes, and that the chain check catches an edited old
// manifest.
func TestRelease(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	p := newProduct(t)
	// Records out of date: refused before anything is written.
	p.commit("1.0.0")
	_, stderr := p.baseline(1, "release", "--version", "1.0.0")
	if !strings.Contains(stderr, "there is no items.yaml: run baseline items sync and commit it") {
		t.Errorf("release without items.yaml: %s", stderr)
	}
	p.baseline(0, "items", "sync")
	p.write("lib/extra.go", []byte("package lib\n"))
	p.write("extra.md", []byte("x\n"))
	p.commit("extra")
	_, stderr = p.baseline(1, "release", "--version", "1.0.0")
	if !strings.Contains(stderr, "items.yaml is out of date (1 findings, first: missing: documentation extra.md") {
		t.Errorf("release with stale items.yaml: %s", stderr)
	}
	os.Remove(filepath.Join(p.dir, "extra.md"))
	os.Remove(filepath.Join(p.dir, "lib", "extra.go"))
	p.commit("no extra")

	// A dirty tree is refused, unless --allow-dirty.
	p.write("README.md", []byte("# Pump, edited\n"))
	_, stderr = p.baseline(1, "release", "--version", "1.0.0")
	if !strings.Contains(stderr, "the work tree has uncommitted changes") {
		t.Errorf("dirty release: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(p.dir, "releases")); err == nil {
		t.Error("a refused release wrote into the archive")
	}
	dirty := filepath.Join(t.TempDir(), "dirty")
	p.baseline(0, "release", "--version", "1.0.0", "--allow-dirty", "--out", dirty)
	if m, _, err := manifest.LoadRelease(dirty); err != nil || !m.VCS.Dirty {
		t.Errorf("--allow-dirty: %v, dirty recorded %v", err, m != nil && m.VCS.Dirty)
	}
	p.run("git", "checkout", "README.md")

	// Release 1.0.0, with an artifact.
	bin := filepath.Join(t.TempDir(), "pump")
	os.WriteFile(bin, []byte("\x7fELF pump binary 1.0.0"), 0o755)
	out, _ := p.baseline(0, "release", "--version", "1.0.0", "--artifact", bin)
	if !strings.Contains(out, "BL-1.0.0 1.0.0 (first release)") {
		t.Errorf("release output: %s", out)
	}
	r1 := filepath.Join(p.dir, "releases", "1.0.0")
	if got := p.run("git", "status", "--porcelain"); got != "" {
		t.Errorf("release changed the repository:\n%s", got)
	}

	// Reproducible: releasing the same commit again gives the same bytes.
	again := filepath.Join(t.TempDir(), "again")
	p.baseline(0, "release", "--version", "1.0.0", "--previous", "none", "--artifact", bin, "--out", again)
	for _, f := range []string{"manifest.json", "RELEASE-NOTES.md", "sbom/linux-amd64.cdx.json", "sbom/linux-amd64.spdx.json", "artifacts/pump"} {
		if readFile(t, filepath.Join(r1, f)) != readFile(t, filepath.Join(again, f)) {
			t.Errorf("%s: not reproducible", f)
		}
	}
	// An archived release is never overwritten.
	_, stderr = p.baseline(2, "release", "--version", "1.0.0", "--previous", "none")
	if !strings.Contains(stderr, "releases/1.0.0 already exists") {
		t.Errorf("second release into the same directory: %s", stderr)
	}

	// Release 1.1.0: soup-a v1.0.0 -> v1.1.0, an asset added, package lib
	// removed.
	p.toV2()
	_, stderr = p.baseline(1, "release", "--version", "1.1.0")
	if !strings.Contains(stderr, "items.yaml is out of date") {
		t.Errorf("release 1.1.0 before items sync: %s", stderr)
	}
	p.baseline(0, "items", "sync")
	p.commit("1.1.0\n\nChange-Request: CR-001")
	p.run("git", "tag", "v1.1.0")
	_, stderr = p.baseline(2, "release", "--version", "0.9.0")
	if !strings.Contains(stderr, "release 1.0.0 is archived in releases/1.0.0, above 0.9.0") {
		t.Errorf("release 0.9.0: %s", stderr)
	}
	_, stderr = p.baseline(2, "release", "--version", "0.9.0", "--previous", "releases/1.0.0")
	if !strings.Contains(stderr, "version 0.9.0 is not above the previous baseline's 1.0.0") {
		t.Errorf("release 0.9.0 after 1.0.0: %s", stderr)
	}
	out, _ = p.baseline(0, "release", "--version", "1.1.0")
	if !strings.Contains(out, "BL-1.1.0 1.1.0 (minor release)") {
		t.Errorf("release output: %s", out)
	}
	r2 := filepath.Join(p.dir, "releases", "1.1.0")

	var n normalizer
	n.learn(r1)
	n.learn(r2)
	golden(t, "1.0.0-manifest.json", n.apply(readFile(t, filepath.Join(r1, "manifest.json"))))
	golden(t, "1.0.0-RELEASE-NOTES.md", n.apply(readFile(t, filepath.Join(r1, "RELEASE-NOTES.md"))))
	golden(t, "1.1.0-manifest.json", n.apply(readFile(t, filepath.Join(r2, "manifest.json"))))
	golden(t, "1.1.0-RELEASE-NOTES.md", n.apply(readFile(t, filepath.Join(r2, "RELEASE-NOTES.md"))))
	for _, f := range []string{"text", "markdown", "json"} {
		out, _ := p.baseline(0, "diff", "--format", f, "releases/1.0.0", "releases/1.1.0")
		golden(t, "diff."+f, n.apply(out))
	}
	out, _ = p.baseline(0, "history")
	golden(t, "history.txt", n.apply(out))
	m2, _, _ := manifest.LoadRelease(r2)
	var soupA, lib string
	for _, it := range m2.Items {
		if it.Name == "baseline.test/soup-a" {
			soupA = it.ID
		}
	}
	m1, _, _ := manifest.LoadRelease(r1)
	for _, it := range m1.Items {
		if it.Name == "example.com/pump/lib" {
			lib = it.ID
		}
	}
	out, _ = p.baseline(0, "history", soupA)
	out2, _ := p.baseline(0, "history", lib)
	golden(t, "history-items.txt", n.apply(out+out2))

	// The notes are rendered from the manifest only.
	if got := string(manifest.RenderNotes(m2, nil)); got != readFile(t, filepath.Join(r2, "RELEASE-NOTES.md")) {
		t.Error("RELEASE-NOTES.md is not RenderNotes(manifest)")
	}

	// An edited old manifest breaks the chain: exit 1 naming it.
	mf := filepath.Join(r1, "manifest.json")
	orig := readFile(t, mf)
	os.WriteFile(mf, []byte(strings.Replace(orig, `"name": "Pump Controller"`, `"name": "Pump Controler"`, 1)), 0o666)
	_, stderr = p.baseline(1, "history")
	if !strings.Contains(stderr, filepath.Join("releases", "1.0.0")+": edited: manifest.json is not the manifest BL-1.1.0 was released after") {
		t.Errorf("history after editing 1.0.0's manifest: %s", stderr)
	}
	os.WriteFile(mf, []byte(orig), 0o666)
	// An edited SBOM is caught too.
	sb := filepath.Join(r2, "sbom", "linux-amd64.cdx.json")
	sbData := readFile(t, sb)
	os.WriteFile(sb, []byte(sbData+" "), 0o666)
	_, stderr = p.baseline(1, "history")
	if !strings.Contains(stderr, ": file: sbom/linux-amd64.cdx.json has SHA-256") {
		t.Errorf("history after editing an SBOM: %s", stderr)
	}
	os.WriteFile(sb, []byte(sbData), 0o666)
	// A gap: the first release removed from the archive.
	os.Rename(r1, filepath.Join(t.TempDir(), "moved"))
	_, stderr = p.baseline(1, "history")
	if !strings.Contains(stderr, "gap: the previous baseline BL-1.0.0 (1.0.0) is not in the archive") {
		t.Errorf("history with a gap: %s", stderr)
	}
}
