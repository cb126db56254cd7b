package product

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestDocExample parses the package doc's complete example (kept in
// testdata/full.yaml, checked to be the doc's text) and checks every
// section.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var fromDoc []string
	in := false
	for _, l := range strings.Split(string(doc), "\n") {
		switch {
		case strings.HasSuffix(l, "A complete example:"):
			in = true
		case in && strings.HasPrefix(l, "//\t"):
			fromDoc = append(fromDoc, l[3:])
		case in && len(fromDoc) > 0:
			in = false
		}
	}
	if got := strings.Join(fromDoc, "\n") + "\n"; got != string(data) {
		t.Fatalf("testdata/full.yaml is not the package doc's example; regenerate it:\n%s", got)
	}
	c, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := false
	want := &Config{
		Version: 1,
		Product: Product{
			Name: "Infusion Pump Controller", Manufacturer: "Acme Medical GmbH, https://acme.example",
			Supplier: "Acme Medical GmbH, https://acme.example", Authors: []string{"Jane Doe <jane@acme.example>"},
			Website: "https://acme.example/pump", License: "LicenseRef-Proprietary",
		},
		Versioning: Versioning{Scheme: "semver",
			Major:      "A change to the intended use or a new hazard; needs a new 510(k).",
			Minor:      "New or changed functionality within the intended use.",
			Patch:      "Corrections that change no requirement.",
			Submission: "major"},
		Configurations: []Configuration{
			{Name: "linux-amd64", GOOS: "linux", GOARCH: "amd64", CGOEnabled: &f, Tags: []string{"production"}, Patterns: []string{"./cmd/pump"}, Mode: "packages", Flags: []string{"-trimpath"}},
			{Name: "linux-arm64", GOOS: "linux", GOARCH: "arm64", CGOEnabled: &f, Patterns: []string{"./..."}, Mode: "packages"},
		},
		Items: Items{IDs: DefaultItemIDs, Classes: []Class{
			{Name: "source", Kind: GoPackage, Paths: []string{"./..."}, Exclude: []string{"internal/testutil/**"}, Owner: "Software team", ControlledFrom: "First commit on main"},
			{Name: "control-data", Kind: Files, Paths: []string{"config/*.json"}, Owner: "Software team", ControlledFrom: "Merge to main"},
			{Name: "assets", Kind: Files, Paths: []string{"assets/**"}, Owner: "Design team", ControlledFrom: "Merge to main"},
			{Name: "documentation", Kind: Files, Paths: []string{"docs/**", "*.md"}, Owner: "Technical writers", ControlledFrom: "Approval of the document"},
		}},
		Records: Records{"changes/requests", "changes/problems", "changes/anomalies"},
		ChangeControl: ChangeControl{Start: "2024-01-15", Trailer: "Change-Request", IDs: DefaultChangeIDs, ProblemIDs: DefaultProblemIDs, AnomalyIDs: DefaultAnomalyIDs,
			ReleasePolicy: DefaultReleasePolicy()},
		Archive:    "releases",
		BaselineID: "BL-{version}",
		Signing:    Signing{Meanings: []string{"verified"}},
		VulnDB:     "https://vuln.go.dev",
	}
	// Lines are checked apart.
	for i := range c.Configurations {
		c.Configurations[i].Line = 0
	}
	for i := range c.Items.Classes {
		c.Items.Classes[i].Line = 0
	}
	c.File, c.Dir, c.lines, c.todos = "", "", nil, nil
	if !reflect.DeepEqual(c, want) {
		t.Errorf("parsed:\n%+v\nwant:\n%+v", c, want)
	}
	if st, ok := c.ChangeControl.StartTime(); !ok || st.Format("2006-01-02") != "2024-01-15" {
		t.Errorf("StartTime = %v, %v", st, ok)
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse("dir/baseline.yaml", []byte("version: 1\nproduct: {name: P}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Dir != "dir" || c.Archive != "releases" || c.BaselineID != "BL-{version}" || c.Items.IDs != DefaultItemIDs ||
		len(c.Items.Classes) != 1 || c.Items.Classes[0].Kind != GoPackage || c.Records.Anomalies != "changes/anomalies" ||
		c.ChangeControl.Trailer != "Change-Request" || c.ChangeControl.IDs != DefaultChangeIDs || c.Versioning.Scheme != "semver" ||
		c.Versioning.Submission != "major" || len(c.Configurations) != 0 || c.VulnDB != "" {
		t.Errorf("defaults: %+v", c)
	}
	if c.Path(c.Archive) != "dir/releases" {
		t.Errorf("Path = %q", c.Path(c.Archive))
	}
	if !c.ChangeControl.ReleasePolicy.Allows("major", SOUPMajor) || c.ChangeControl.ReleasePolicy.Allows("patch", ItemRemoved) ||
		c.ChangeControl.ReleasePolicy.Allows("minor", SOUPMajor) || !c.ChangeControl.ReleasePolicy.Allows("patch", SOUPPatch) {
		t.Error("default release policy")
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"empty", "", `^baseline.yaml: version: empty file`},
		{"no version", "product: {name: P}\n", `^baseline.yaml:1: version: missing`},
		{"version type", "version: one\nproduct: {name: P}\n", `^baseline.yaml:1: version: want a whole number, found "one"`},
		{"version 2", "version: 2\nproduct: {name: P}\n", `^baseline.yaml:1: version: unsupported format version 2`},
		{"no product", "version: 1\n", `^baseline.yaml:1: product: missing`},
		{"no name", "version: 1\nproduct:\n  website: https://x.example\n", `^baseline.yaml:3: product.name: missing`},
		{"unknown", "version: 1\nproduct: {name: P}\nvulndbb: x\n", `^baseline.yaml:3: vulndbb: unknown key \(did you mean "vulndb"\?\)`},
		{"unknown nested", "version: 1\nproduct: {name: P, colour: red}\n", `^baseline.yaml:2: product.colour: unknown key \(want name, manufacturer`},
		{"duplicate", "version: 1\nproduct: {name: P}\narchive: a\narchive: b\n", `^baseline.yaml:4: archive: given twice \(first at line 3\)`},
		{"semver", "version: 1\nproduct: {name: P}\nversioning:\n  scheme: calver\n", `^baseline.yaml:4: versioning.scheme: "calver" is not a supported scheme`},
		{"submission", "version: 1\nproduct: {name: P}\nversioning: {submission: always}\n", `^baseline.yaml:3: versioning.submission: "always" is not allowed`},
		{"supplier", "version: 1\nproduct: {name: P, supplier: \"Acme <not an email>\"}\n", `^baseline.yaml:2: product.supplier: "Acme <not an email>": "not an email" is not an email address`},
		{"supplier url", "version: 1\nproduct: {name: P, supplier: \"Acme, ftp://acme\"}\n", `^baseline.yaml:2: product.supplier: .*is not an http\(s\) URL`},
		{"author", "version: 1\nproduct:\n  name: P\n  authors:\n    - Jane <jane@x.example>\n    - \"<jane@x.example>\"\n", `^baseline.yaml:6: product.authors.1: `},
		{"website", "version: 1\nproduct: {name: P, website: acme.example}\n", `^baseline.yaml:2: product.website: "acme.example" is not an absolute URL`},
		{"license", "version: 1\nproduct: {name: P, license: \"GPL 2\"}\n", `^baseline.yaml:2: product.license: `},
		{"name lines", "version: 1\nproduct:\n  name: |\n    a\n    b\n", `^baseline.yaml:3: product.name: want one line`},
		{"configurations type", "version: 1\nproduct: {name: P}\nconfigurations: linux\n", `^baseline.yaml:3: configurations: want a list, found "linux"`},
		{"configuration name", "version: 1\nproduct: {name: P}\nconfigurations:\n  - {goos: linux}\n", `^baseline.yaml:4: configurations.name: missing`},
		{"configuration name chars", "version: 1\nproduct: {name: P}\nconfigurations:\n  - {name: ../x}\n", `^baseline.yaml:4: configurations.name: "../x": a configuration name`},
		{"configuration dup", "version: 1\nproduct: {name: P}\nconfigurations:\n  - {name: a}\n  - {name: a}\n", `^baseline.yaml:5: configurations.name: "a" is already the name of the configuration at line 4`},
		{"cgo", "version: 1\nproduct: {name: P}\nconfigurations:\n  - {name: a, cgo_enabled: 0}\n", `^baseline.yaml:4: configurations.cgo_enabled: want true or false, found "0"`},
		{"goos", "version: 1\nproduct: {name: P}\nconfigurations:\n  - {name: a, goos: Linux}\n", `^baseline.yaml:4: configurations.goos: "Linux" is not a GOOS value`},
		{"mode", "version: 1\nproduct: {name: P}\nconfigurations:\n  - {name: a, mode: binary}\n", `^baseline.yaml:4: configurations.mode: "binary" is not a mode`},
		{"tags", "version: 1\nproduct: {name: P}\nconfigurations:\n  - {name: a, tags: [\"a b\"]}\n", `^baseline.yaml:4: configurations.tags: "a b" is not a build tag`},
		{"flags", "version: 1\nproduct: {name: P}\nconfigurations:\n  - {name: a, flags: [trimpath]}\n", `configurations.flags: "trimpath" is not a go build flag`},
		{"ids", "version: 1\nproduct: {name: P}\nitems:\n  ids: {prefix: CI1, width: 3}\n", `^baseline.yaml:4: items.ids: identifier prefix "CI1" ends with a digit`},
		{"ids width", "version: 1\nproduct: {name: P}\nitems:\n  ids: {prefix: CI-, width: 12}\n", `^baseline.yaml:4: items.ids: identifier width 12`},
		{"class kind", "version: 1\nproduct: {name: P}\nitems:\n  classes:\n    - {name: a, kind: dir, paths: [x]}\n", `^baseline.yaml:5: items.classes.kind: "dir" is not a kind`},
		{"class glob", "version: 1\nproduct: {name: P}\nitems:\n  classes:\n    - {name: a, paths: [\"../x\"]}\n", `^baseline.yaml:5: items.classes.paths: "../x": a glob's elements`},
		{"class glob star", "version: 1\nproduct: {name: P}\nitems:\n  classes:\n    - {name: a, paths: [\"docs/**.md\"]}\n", `must be a whole path element`},
		{"class glob bad", "version: 1\nproduct: {name: P}\nitems:\n  classes:\n    - {name: a, paths: [\"[a\"]}\n", `malformed glob element`},
		{"class pattern", "version: 1\nproduct: {name: P}\nitems:\n  classes:\n    - {name: a, kind: go-package, paths: [\"cmd/*\"]}\n", `a go-package class lists package patterns`},
		{"class paths", "version: 1\nproduct: {name: P}\nitems:\n  classes:\n    - {name: a}\n", `^baseline.yaml:5: items.classes.paths: missing`},
		{"class dup", "version: 1\nproduct: {name: P}\nitems:\n  classes:\n    - {name: a, paths: [x]}\n    - {name: a, paths: [y]}\n", `^baseline.yaml:6: items.classes.name: "a" is already`},
		{"classes empty", "version: 1\nproduct: {name: P}\nitems:\n  classes: []\n", `^baseline.yaml:4: items.classes: an empty list`},
		{"records", "version: 1\nproduct: {name: P}\nrecords: {anomalies: /etc}\n", `^baseline.yaml:3: records.anomalies: "/etc": want a directory inside the repository`},
		{"records up", "version: 1\nproduct: {name: P}\nrecords: {anomalies: a/../../b}\n", `records.anomalies: "a/../../b"`},
		{"archive", "version: 1\nproduct: {name: P}\narchive: .\n", `^baseline.yaml:3: archive: "."`},
		{"start", "version: 1\nproduct: {name: P}\nchange_control: {start: 2024-13-45}\n", `^baseline.yaml:3: change_control.start: "2024-13-45" is not a date`},
		{"start ref", "version: 1\nproduct: {name: P}\nchange_control: {start: \"v1 ~2\"}\n", `change_control.start: "v1 ~2" is neither a date`},
		{"trailer", "version: 1\nproduct: {name: P}\nchange_control: {trailer: \"Change Request\"}\n", `change_control.trailer: "Change Request" is not a commit trailer key`},
		{"same prefixes", "version: 1\nproduct: {name: P}\nchange_control:\n  ids: {prefix: X-}\n  problem_ids: {prefix: X-}\n", `^baseline.yaml:5: change_control.problem_ids: prefix "X-"`},
		{"policy", "version: 1\nproduct: {name: P}\nchange_control:\n  release_policy:\n    patch: [item-deleted]\n", `^baseline.yaml:5: change_control.release_policy.patch: "item-deleted" is not a change kind`},
		{"policy key", "version: 1\nproduct: {name: P}\nchange_control:\n  release_policy:\n    hotfix: [all]\n", `release_policy.hotfix: unknown key`},
		{"baseline_id", "version: 1\nproduct: {name: P}\nbaseline_id: BL\n", `^baseline.yaml:3: baseline_id: "BL" does not contain \{version\}`},
		{"baseline_id chars", "version: 1\nproduct: {name: P}\nbaseline_id: \"BL/{version}\"\n", `baseline_id: "BL/\{version\}": besides`},
		{"meaning", "version: 1\nproduct: {name: P}\nsigning: {meanings: [approved]}\n", `^baseline.yaml:3: signing.meanings: "approved" is built in`},
		{"meaning form", "version: 1\nproduct: {name: P}\nsigning: {meanings: [Checked By]}\n", `signing.meanings: "Checked By": a meaning is a lower-case word`},
		{"vulndb", "version: 1\nproduct: {name: P}\nvulndb: ftp://x\n", `^baseline.yaml:3: vulndb: "ftp://x": want an https:// URL or file:///path`},
		{"vulndb file", "version: 1\nproduct: {name: P}\nvulndb: file://rel/dir\n", `vulndb: "file://rel/dir": a local database is file:///absolute/path`},
		{"syntax", "version: 1\nproduct:\n  name: P\n   bad: indent\n", `^baseline.yaml:4: syntax: `},
		{"alias", "version: 1\nproduct: &p {name: P}\nx: *p\n", `^baseline.yaml:2: syntax: anchors and aliases`},
		{"merge", "version: 1\nproduct:\n  <<: {name: P}\n", `^baseline.yaml:3: product: keys must be plain names`},
		{"two documents", "version: 1\nproduct: {name: P}\n---\nversion: 1\n", `^baseline.yaml:3: syntax: .*single YAML document`},
		{"latin1", "version: 1\nproduct: {name: \"Caf\xe9\"}\n", `^baseline.yaml:2: syntax: byte 0xe9 is not UTF-8`},
		{"control", "version: 1\nproduct: {name: \"a\x01\"}\n", `^baseline.yaml:2: syntax: control character U\+0001`},
		{"not a mapping", "- a\n", `^baseline.yaml:1: baseline.yaml: want a mapping`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("baseline.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("no error; parsed %+v", c)
			}
			if c != nil {
				t.Error("a configuration with problems was returned")
			}
			if !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Errorf("error:\n%v\nwant match for %s", err, tc.want)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Errorf("not an *Error: %T", err)
			}
			for _, l := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(l, "baseline.yaml") {
					t.Errorf("a line of the error does not name the file: %q", l)
				}
			}
		})
	}
}

func TestAllErrorsReported(t *testing.T) {
	_, err := Parse("b.yaml", []byte("version: 1\nproduct: {name: P, website: x}\narchive: /abs\nvulndb: ftp://x\n"))
	if err == nil || strings.Count(err.Error(), "\n") != 2 {
		t.Errorf("want three problems, one a line:\n%v", err)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "baseline.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v; want fs.ErrNotExist", err)
	}
}

func TestTODOsAndLines(t *testing.T) {
	c, err := Parse("baseline.yaml", []byte("version: 1\nproduct:\n  name: \"TODO: the product's name\"\n  supplier: TODO\n"))
	if err != nil {
		t.Fatal(err)
	}
	todos := c.TODOs()
	if len(todos) != 2 || todos[0].Field != "product.name" || todos[0].Line != 3 || todos[1].Field != "product.supplier" {
		t.Errorf("TODOs = %v", todos)
	}
	if c.Line("product.supplier") != 4 || c.Line("product.website") != 0 {
		t.Errorf("Line: %d %d", c.Line("product.supplier"), c.Line("product.website"))
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"1.2.0": "v1.2.0", "v1.2.0": "v1.2.0", "2.0.0-rc.1": "v2.0.0-rc.1", "1.2.3+build.5": "v1.2.3",
		"1.2": "", "v1": "", "x": "", "": "", "01.2.3": "",
	} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
	if (Versioning{Scheme: SemVer}).Check("1.2") == nil {
		t.Error("Check(1.2) passed")
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		glob, name string
		want       bool
	}{
		{"docs/**", "docs/a.md", true},
		{"docs/**", "docs/x/y/z.png", true},
		{"docs/**", "docs", false},
		{"docs/**", "doc/a.md", false},
		{"*.md", "README.md", true},
		{"*.md", "docs/README.md", false},
		{"**/*.png", "logo.png", true},
		{"**/*.png", "a/b/logo.png", true},
		{"**/*.png", "a/b/logo.jpg", false},
		{"assets/**/icons/*.svg", "assets/icons/a.svg", true},
		{"assets/**/icons/*.svg", "assets/x/y/icons/a.svg", true},
		{"config/*.json", "config/a.json", true},
		{"config/*.json", "config/sub/a.json", false},
	} {
		if got := Match(tc.glob, tc.name); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.glob, tc.name, got, tc.want)
		}
	}
}

// FuzzParse: whatever the input, Parse returns a configuration or an
// error, never both, never panics; every problem is one line naming the
// file; a parsed configuration has its defaults filled in.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/full.yaml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("version: 1\nproduct: {name: P}\n"))
	f.Add([]byte("version: 1\nproduct: {name: P}\nconfigurations: [{name: a, goos: linux}]\nitems: {classes: [{name: a, paths: ['**']}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("baseline.yaml", data)
		if (c == nil) == (err == nil) {
			t.Fatalf("Parse returned %v and %v", c, err)
		}
		if err != nil {
			for _, l := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(l, "baseline.yaml") {
					t.Fatalf("problem line does not name the file: %q", l)
				}
			}
			return
		}
		if c.Product.Name == "" || c.Archive == "" || c.BaselineID == "" || len(c.Items.Classes) == 0 || c.Items.IDs.Validate() != nil ||
			c.ChangeControl.IDs.Validate() != nil || c.ChangeControl.Trailer == "" {
			t.Fatalf("parsed configuration lacks a default: %+v", c)
		}
		for _, cf := range c.Configurations {
			if cf.Name == "" || len(cf.Patterns) == 0 || cf.Mode == "" {
				t.Fatalf("configuration lacks a default: %+v", cf)
			}
		}
	})
}

func TestDefault(t *testing.T) {
	d := Default("x")
	c, err := Parse("x/baseline.yaml", []byte("version: 1\nproduct: {name: P}\n"))
	if err != nil {
		t.Fatal(err)
	}
	c.Product.Name = ""
	c.lines, d.lines = nil, nil
	if !reflect.DeepEqual(c, d) {
		t.Errorf("Default:\n%+v\nParse of a minimal file:\n%+v", d, c)
	}
}

func TestLicense(t *testing.T) {
	for lic, ok := range map[string]bool{"Apache-2.0": true, "MIT OR Apache-2.0": true, "LicenseRef-Proprietary": true, "GPL-2.0": false, "GPL 2": false, "NOASSERTION": true} {
		_, err := Parse("baseline.yaml", []byte("version: 1\nproduct: {name: P, license: \""+lic+"\"}\n"))
		if (err == nil) != ok {
			t.Errorf("license %q: %v", lic, err)
		}
	}
}

func TestStarter(t *testing.T) {
	for _, f := range []Facts{
		{},
		{ModulePath: "github.com/acme/pump", Name: "pump", Website: "https://github.com/acme/pump", License: "Apache-2.0",
			LicenseFile: "LICENSE", Author: "Jane Doe <jane@acme.example>", GOOS: "linux", GOARCH: "arm64",
			Docs: []string{"docs"}, Assets: []string{"assets"}, Markdown: true},
	} {
		if f.GOOS == "" {
			f.Name, f.GOOS, f.GOARCH = "x", "linux", "amd64"
		}
		data := Starter(f)
		c, err := Parse("baseline.yaml", data)
		if err != nil {
			t.Fatalf("Starter(%+v) does not parse: %v\n%s", f, err, data)
		}
		if c.Product.Name != f.Name || len(c.TODOs()) == 0 || c.Configurations[0].GOARCH != f.GOARCH {
			t.Errorf("Starter: %+v, TODOs %v", c, c.TODOs())
		}
		if f.License != "" && (c.Product.License != f.License || len(c.Items.Classes) != 3 || c.Product.Authors[0] != f.Author) {
			t.Errorf("Starter with facts: %+v", c)
		}
	}
}

func TestLearn(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module github.com/acme/pump\n\ngo 1.22\n"), 0o666)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# x\n"), 0o666)
	os.Mkdir(filepath.Join(dir, "docs"), 0o777)
	f, err := Learn(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if f.ModulePath != "github.com/acme/pump" || f.Name != "pump" || f.Website != "https://github.com/acme/pump" || !f.Markdown || len(f.Docs) != 1 {
		t.Errorf("Learn: %+v", f)
	}
}

func TestClassMatch(t *testing.T) {
	pkgs := Class{Kind: GoPackage, Paths: []string{"./..."}, Exclude: []string{"internal/testutil/**", "tools"}}
	for dir, want := range map[string]bool{".": true, "internal/testutil": false, "internal/testutil/fake": false, "tools": false, "tools/gen": true, "internal": true} {
		if got := pkgs.Match(dir); got != want {
			t.Errorf("go-package Match(%q) = %v, want %v", dir, got, want)
		}
	}
	files := Class{Kind: Files, Paths: []string{"docs/**"}, Exclude: []string{"docs/drafts/**"}}
	for f, want := range map[string]bool{"docs/a.md": true, "docs/drafts/b.md": false, "README.md": false} {
		if got := files.Match(f); got != want {
			t.Errorf("files Match(%q) = %v, want %v", f, got, want)
		}
	}
}
