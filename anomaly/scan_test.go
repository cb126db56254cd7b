package anomaly_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/goproxytest"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/soup"
)

// fixtureDB is the URL of the fixture vulnerability database
// (testdata/vulndb): GO-2024-9001 affects a symbol the fixture product
// reaches, GO-2024-9002 a package it imports without reaching the
// symbol, GO-2024-9003 a package of a module it uses but never imports,
// GO-2024-9004 a version it does not use.
var fixtureDB string

func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	srv, err := goproxytest.NewServer(filepath.Join("..", "testdata", "mod"), "")
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting module proxy:", err)
		return 1
	}
	defer srv.Close()
	tmp, err := os.MkdirTemp("", "anomaly-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer removeAll(tmp)
	for k, v := range map[string]string{
		"GOPROXY":      srv.URL,
		"GOMODCACHE":   filepath.Join(tmp, "modcache"),
		"GOPATH":       filepath.Join(tmp, "gopath"),
		"GONOSUMDB":    "*",
		"GONOSUMCHECK": "1",
		"GOSUMDB":      "off",
		"GOTOOLCHAIN":  "local",
		"GOWORK":       "off",
		"GOENV":        "off",
		// The default cache of scan results (Options.CacheDir).
		"XDG_CACHE_HOME": filepath.Join(tmp, "cache"),
	} {
		os.Setenv(k, v)
	}
	for _, k := range []string{"GOFLAGS", "GONOPROXY", "GOPRIVATE", "GOINSECURE", "GOEXPERIMENT"} {
		os.Unsetenv(k)
	}
	db, err := anomaly.DBURL(filepath.Join("..", "testdata", "vulndb"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fixtureDB = db
	return m.Run()
}

func removeAll(dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(path, 0o755)
		}
		return nil
	})
	os.RemoveAll(dir)
}

// product writes a module using baseline.test/vuln at version and
// downloads its dependencies from the fixture proxy.
func product(t testing.TB, version string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	gomod := "module example.com/app\n\ngo 1.22\n\nrequire baseline.test/vuln " + version + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "mod", "tidy")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}
	return dir
}

// app calls parse.Parse (vulnerable) and render.Plain (safe, in a
// vulnerable package).
const app = `package main

import (
	"baseline.test/vuln/parse"
	"baseline.test/vuln/render"
)

// main calls parse.Parse (vulnerable) and render.Plain (safe, in a
// vulnerable package); println needs no package of the standard library.
func main() { println(parse.Parse("x"), render.Plain("y")) }
`

func evidence(r *anomaly.Result) map[string]soup.Evidence {
	m := map[string]soup.Evidence{}
	for _, a := range r.Advisories {
		m[a.ID] = a.Evidence
	}
	return m
}

func TestScanEvidence(t *testing.T) {
	dir := product(t, "v1.0.0", map[string]string{"main.go": app})
	var progress []string
	res, err := anomaly.Scan(context.Background(), anomaly.Options{
		DB: fixtureDB, Dir: dir, Progress: func(m string) { progress = append(progress, m) },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]soup.Evidence{
		"GO-2024-9001": soup.SymbolReached,
		"GO-2024-9002": soup.PackageImported,
		"GO-2024-9003": soup.ModuleRequired,
		// GO-2024-9004 affects versions before v0.9.0 only.
	}
	got := evidence(res)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("evidence = %v, want %v", got, want)
	}
	if len(progress) == 0 {
		t.Errorf("no progress messages")
	}
	wantMod := time.Date(2024, 5, 23, 12, 0, 0, 0, time.UTC)
	if !res.Database.LastModified.Equal(wantMod) || res.Database.URL != "" {
		t.Errorf("database = %+v, want a local database last modified %v", res.Database, wantMod)
	}
	if !strings.HasPrefix(res.Scanner, "govulncheck") {
		t.Errorf("scanner = %q", res.Scanner)
	}
	a := res.Advisories[0]
	if a.ID != "GO-2024-9001" || a.Module != "baseline.test/vuln" || a.Version != "v1.0.0" || a.FixedVersion != "v1.1.0" {
		t.Errorf("first advisory = %+v", a)
	}
	if strings.Join(a.Aliases, " ") != "CVE-2024-99001 GHSA-f1x1-0001-0001" || a.URL != "https://pkg.go.dev/vuln/GO-2024-9001" || !strings.Contains(a.Summary, "Unbounded recursion") {
		t.Errorf("GO-2024-9001 details = %+v", a)
	}
	if a.Symbol() != "baseline.test/vuln/parse.Parse" || a.CallPath[0].Symbol() != "example.com/app.main" || a.Package != "baseline.test/vuln/parse" {
		t.Errorf("call path = %+v, symbol %q", a.CallPath, a.Symbol())
	}
	if p := a.CallPath[0].Position; !strings.HasPrefix(p, "main.go:10:") {
		t.Errorf("entry position = %q, want main.go:10:...", p)
	}
	if b := res.Advisories[1]; b.Package != "baseline.test/vuln/render" || len(b.CallPath) != 0 {
		t.Errorf("GO-2024-9002 = %+v", b)
	}
	if c := res.Advisories[2]; c.Package != "" || c.FixedVersion != "" {
		t.Errorf("GO-2024-9003 = %+v", c)
	}
}

// A fixed version: no advisory affects it.
func TestScanFixed(t *testing.T) {
	dir := product(t, "v1.1.0", map[string]string{"main.go": app})
	res, err := anomaly.Scan(context.Background(), anomaly.Options{DB: fixtureDB, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := evidence(res); fmt.Sprint(got) != "map[GO-2024-9003:module-required]" {
		t.Errorf("evidence = %v, want only GO-2024-9003 (no fix)", got)
	}
}

// Build tags, GOOS and GOFLAGS select the files scanned, as go build
// would.
func TestScanBuildConfiguration(t *testing.T) {
	dir := product(t, "v1.0.0", map[string]string{
		"main.go":        "package main\n\nimport \"baseline.test/vuln/render\"\n\nfunc main() { println(render.Plain(\"\")) }\n",
		"tagged.go":      "//go:build special\n\npackage main\n\nimport \"baseline.test/vuln/render\"\n\nvar _ = render.Render(\"\")\n",
		"app_windows.go": "package main\n\nimport \"baseline.test/vuln/parse\"\n\nvar _ = parse.Parse(\"\")\n",
	})
	goenvFile := filepath.Join(t.TempDir(), "go.env")
	if err := os.WriteFile(goenvFile, []byte("GOFLAGS=-tags=special\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts anomaly.Options
		want string
	}{
		{"default", anomaly.Options{Env: []string{"GOOS=linux"}}, "map[GO-2024-9001:module-required GO-2024-9002:package-imported GO-2024-9003:module-required]"},
		{"tags", anomaly.Options{Env: []string{"GOOS=linux"}, Tags: []string{"special"}}, "map[GO-2024-9001:module-required GO-2024-9002:symbol-reached GO-2024-9003:module-required]"},
		{"goflags", anomaly.Options{Env: []string{"GOOS=linux", "GOFLAGS=-tags=special"}}, "map[GO-2024-9001:module-required GO-2024-9002:symbol-reached GO-2024-9003:module-required]"},
		{"goos", anomaly.Options{Env: []string{"GOOS=windows"}}, "map[GO-2024-9001:symbol-reached GO-2024-9002:package-imported GO-2024-9003:module-required]"},
		// Tags replace GOFLAGS' tags, as with go build -tags and in
		// discovery: the scan is of the build the inventory lists.
		{"tags replace goflags", anomaly.Options{Env: []string{"GOOS=linux", "GOFLAGS=-tags=special"}, Tags: []string{"other"}}, "map[GO-2024-9001:module-required GO-2024-9002:package-imported GO-2024-9003:module-required]"},
		// GOFLAGS is read as the go command reads it: quoted fields...
		{"quoted goflags", anomaly.Options{Env: []string{"GOOS=linux", "GOFLAGS='-tags=special other' -mod=mod"}}, "map[GO-2024-9001:module-required GO-2024-9002:symbol-reached GO-2024-9003:module-required]"},
		// ... and from the go env file.
		{"go env file", anomaly.Options{Env: []string{"GOOS=linux", "GOENV=" + goenvFile}}, "map[GO-2024-9001:module-required GO-2024-9002:symbol-reached GO-2024-9003:module-required]"},
		// A blank GOFLAGS sets no flags: the go env file's do not apply.
		{"blank goflags", anomaly.Options{Env: []string{"GOOS=linux", "GOENV=" + goenvFile, "GOFLAGS= "}}, "map[GO-2024-9001:module-required GO-2024-9002:package-imported GO-2024-9003:module-required]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.DB, tc.opts.Dir = fixtureDB, dir
			res, err := anomaly.Scan(context.Background(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(evidence(res)); got != tc.want {
				t.Errorf("evidence = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestScanErrors(t *testing.T) {
	dir := product(t, "v1.0.0", map[string]string{"main.go": app})
	for _, tc := range []struct{ db, want string }{
		{"", "no vulnerability database named"},
		{"vuln.go.dev", "is not a URL"},
		{"ftp://example.com/db", "unsupported scheme"},
		{"file:///nonexistent/vulndb", "no such file or directory"},
	} {
		_, err := anomaly.Scan(context.Background(), anomaly.Options{DB: tc.db, Dir: dir})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Scan with DB %q: error %v, want %q", tc.db, err, tc.want)
		}
	}
	// A directory that is not a database.
	empty, _ := anomaly.DBURL(t.TempDir())
	if _, err := anomaly.Scan(context.Background(), anomaly.Options{DB: empty, Dir: dir}); err == nil || !strings.Contains(err.Error(), "no index/db.json") {
		t.Errorf("Scan with an empty directory as database: error %v, want one naming index/db.json", err)
	}
	// Not a module.
	if _, err := anomaly.Scan(context.Background(), anomaly.Options{DB: fixtureDB, Dir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("Scan outside a module: error %v, want one naming go.mod", err)
	}
}

func TestScanCancel(t *testing.T) {
	dir := product(t, "v1.0.0", map[string]string{"main.go": app})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := anomaly.Scan(ctx, anomaly.Options{DB: fixtureDB, Dir: dir})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	n := 0
	_, err = anomaly.Scan(ctx, anomaly.Options{DB: fixtureDB, Dir: dir, Progress: func(string) {
		if n++; n == 1 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Scan cancelled during the scan: %v, want context.Canceled", err)
	}
}

// A database without times (a copy laid out from golang.org/x/vulndb's
// data/osv) says so rather than a date.
func TestDatabaseUnknownTime(t *testing.T) {
	d := anomaly.Database{}
	if got := d.String(); got != "local copy (last-modified time unknown)" {
		t.Errorf("String() = %q", got)
	}
	if p := anomaly.DatabaseProperties(d); len(p) != 1 || p[0].Value != "unknown" {
		t.Errorf("DatabaseProperties = %+v", p)
	}
	res, err := anomaly.DecodeJSON(strings.NewReader(`{"config":{"db":"file:///x","db_last_modified":"0001-01-01T00:00:00Z"}}`))
	if err != nil || !res.Database.LastModified.IsZero() || res.Database.URL != "" {
		t.Errorf("DecodeJSON: %+v, %v", res, err)
	}
}
