package baseline_test

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"testing"

	"golang.org/x/mod/modfile"
)

// allowedDependencies are the modules go.mod may require directly. Adding a
// dependency is a decision: add it here, and say why in the commit.
var allowedDependencies = []string{
	"github.com/CycloneDX/cyclonedx-go",                 // CycloneDX model and encoding
	"github.com/github/go-spdx/v2",                      // SPDX licence expressions: validation, normalisation, satisfaction (standard library only)
	"github.com/google/licensecheck",                    // licence detection, as pkg.go.dev
	"github.com/package-url/packageurl-go",              // package URLs
	"github.com/rogpeppe/go-internal",                   // lockedfile, testscript, goproxytest
	"github.com/secure-systems-lab/go-securesystemslib", // DSSE envelopes (dsse) and cosign's encrypted keys (encrypted): signed releases
	"github.com/santhosh-tekuri/jsonschema/v6",          // JSON Schema validation in tests
	"github.com/schollz/progressbar/v3",                 // progress bars on a terminal's standard error (long hashing and licence scanning), widely used, kept up
	"github.com/terminalstatic/go-xsd-validate",         // XSD validation (libxml2) of CycloneDX XML in tests, as cyclonedx-go does
	"github.com/spdx/tools-golang",                      // SPDX 2.3 model, JSON and tag-value encoding and parsing
	"golang.org/x/mod",                                  // module paths, versions, go.mod, dirhash, zip rules
	"golang.org/x/term",                                 // reading a signing key's passphrase from the terminal without echo
	"golang.org/x/sync",                                 // errgroup: bounded worker pools
	"golang.org/x/sys",                                  // fstatat and openat: the module cache's hundreds of small reads through one open directory (already required by x/term)
	"golang.org/x/vuln",                                 // govulncheck's scan package: the Go vulnerability database and reachability evidence (package anomaly)
	"go.yaml.in/yaml/v3",                                // SOUP register: node API with line numbers and comments, for edits that keep them
}

func TestDependencies(t *testing.T) {
	data, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Require {
		if !r.Indirect && !slices.Contains(allowedDependencies, r.Mod.Path) {
			t.Errorf("go.mod requires %s, which is not in allowedDependencies (all_test.go)", r.Mod.Path)
		}
	}
}

func TestGofmt(t *testing.T) {
	out, err := exec.Command("gofmt", "-l", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("gofmt: %v\n%s", err, out)
	}
	if len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("gofmt -l lists files that need formatting:\n%s", out)
	}
}

// TestTidy checks that go.mod and go.sum are tidy. It runs offline, and
// offline "go mod tidy" needs in the module cache every module whose
// go.sum line it weighs (test dependencies of dependencies included): on a
// machine that has not run "go mod tidy" online, a difference may mean a
// cache gap rather than an untidy go.mod, so outside CI it skips with the
// difference. .ci/run runs "go mod tidy -diff" online first, so CI has the
// whole cache and fails on any difference.
func TestTidy(t *testing.T) {
	cmd := exec.Command("go", "mod", "tidy", "-diff")
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "" {
		t.Skipf("offline go mod tidy -diff differs; run it online to tell a cache gap from an untidy go.mod:\n%s", out)
	}
	t.Errorf("go mod tidy -diff: go.mod/go.sum are not tidy: %v\n%s", err, out)
}
