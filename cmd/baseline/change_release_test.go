package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baseline-cm/baseline/manifest"
)

// TestReleaseChangeFindings: baseline release runs the change-control
// check and refuses a release with findings (exit 1, one line each)
// unless --allow-findings, which records them in the manifest and the
// release notes.
func TestReleaseChangeFindings(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	p := newProduct(t)
	p.baseline(0, "items", "sync")
	p.commit("1.0.0") // before change_control.start: not checked
	p.baseline(0, "release", "--version", "1.0.0")

	// A patch release that adds and removes items, committed without a
	// change request; CR-001's record exists but no commit names it.
	p.toV2()
	p.baseline(0, "items", "sync")
	p.commit("1.0.1 without a change request")
	_, stderr := p.baseline(1, "release", "--version", "1.0.1")
	for _, want := range []string{
		`change control: unauthorised: commit `,
		`"1.0.1 without a change request" changes `,
		`change control: changes/problems/PR-001.yaml:1: dangling: PR-001 is resolved by CR-001, which is not released`,
		`change control: baseline.yaml: release-type: a patch release may not hold item-added: CI-006 assets/icon.svg added (change_control.release_policy.patch)`,
		`change control: baseline.yaml: release-type: a patch release may not hold item-removed: `,
		`--allow-findings releases anyway`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("release with findings: stderr lacks %q:\n%s", want, stderr)
		}
	}
	out, _ := p.baseline(1, "change", "check")
	if !strings.Contains(out, "unauthorised: commit") || !strings.Contains(out, "dangling: PR-001") {
		t.Errorf("change check:\n%s", out)
	}

	p.baseline(0, "release", "--version", "1.0.1", "--allow-findings")
	dir := filepath.Join(p.dir, "releases", "1.0.1")
	m, _, err := manifest.LoadRelease(dir)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range m.Findings {
		kinds[string(f.Kind)]++
	}
	if kinds["unauthorised"] != 1 || kinds["dangling"] != 1 || kinds["release-type"] != 2 || len(m.ChangeRequests) != 0 {
		t.Errorf("recorded findings %v, change requests %v", kinds, m.ChangeRequests)
	}
	notes := readFile(t, filepath.Join(dir, "RELEASE-NOTES.md"))
	for _, want := range []string{
		"### Change requests\n\nNo change request since the previous baseline.\n",
		"### Change-control findings\n\nReleased with these findings (`--allow-findings`):\n\n- unauthorised: commit ",
		"- baseline.yaml: release-type: a patch release may not hold item-added: CI-006 assets/icon.svg added",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("release notes lack %q:\n%s", want, notes)
		}
	}
}
