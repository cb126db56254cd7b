package manifest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func sample() *Manifest {
	return &Manifest{
		Format: FormatVersion, BaselineID: "BL-1.1.0", Product: Product{Name: "Pump"}, Version: "1.1.0", ReleaseType: Minor,
		Created: time.Unix(1700000000, 0).UTC(), Tool: Tool{Name: "baseline", Version: "v0.1.0"},
		VCS:      VCS{System: "git", Commit: strings.Repeat("a", 40)},
		Archive:  "releases/1.1.0",
		Previous: &Previous{BaselineID: "BL-1.0.0", Version: "1.0.0", SHA256: strings.Repeat("b", 64)},
		Changes:  &Changes{Added: []ItemRef{}, Removed: []ItemRef{}, Changed: []Change{}, SOUPUpgrades: []Change{}},
		Items: []Item{
			{ID: "CI-001", Class: "source", Kind: "go-package", Name: "example.com/pump", Path: ".", H1: "h1:abc="},
			{ID: "SOUP-001", Class: ClassSOUP, Kind: "go-module", Name: "example.com/dep", Version: "v1.2.0"},
			{ID: "sbom/x.cdx.json", Class: ClassSBOM, Kind: "cyclonedx-json", Name: "x.cdx.json", Path: "sbom/x.cdx.json", SHA256: strings.Repeat("c", 64)},
		},
		Anomalies: []Anomaly{},
	}
}

func TestRoundTrip(t *testing.T) {
	m := sample()
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse("manifest.json", data)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := got.Marshal()
	if string(again) != string(data) {
		t.Errorf("round trip changed the bytes:\n%s\n%s", data, again)
	}
}

func TestParseErrors(t *testing.T) {
	good, _ := sample().Marshal()
	edit := func(old, new string) string { return strings.Replace(string(good), old, new, 1) }
	for _, tc := range []struct{ name, data, want string }{
		{"empty", "", `^m.json: manifest: empty file$`},
		{"syntax", "{\n  \"format\": 1,\n  oops\n}", `^m.json:3: syntax: invalid character 'o'`},
		{"array", "[1]", `^m.json:1: manifest: want a JSON object`},
		{"two values", "{}\n{}", `^m.json:2: manifest: more than one JSON value`},
		{"unknown", edit(`"format": 1,`, `"format": 1, "colour": "red",`), `^m.json:2: colour: unknown member$`},
		{"duplicate", edit(`"format": 1,`, `"format": 1, "format": 1,`), `^m.json:2: format: given twice$`},
		{"type", edit(`"format": 1,`, `"format": "1",`), `^m.json:2: format: want int, found a JSON string`},
		{"format", edit(`"format": 1,`, `"format": 2,`), `^m.json:2: format: unsupported manifest format 2`},
		{"release type", edit(`"releaseType": "minor"`, `"releaseType": "hotfix"`), `^m.json:\d+: releaseType: "hotfix" is not a release type`},
		{"sha256", edit(strings.Repeat("c", 64), "xyz"), `^m.json:\d+: items.2.sha256: "xyz" is not a hex SHA-256`},
		{"previous sha", edit(strings.Repeat("b", 64), "b"), `previous.sha256: "b" is not a hex SHA-256`},
		{"dup id", edit(`"id": "SOUP-001"`, `"id": "CI-001"`), `items.1.id: CI-001 is listed twice`},
		{"path", edit(`"path": "sbom/x.cdx.json"`, `"path": "../x.cdx.json"`), `items.2.path: "../x.cdx.json" is not a relative slash path`},
		{"first with previous", edit(`"releaseType": "minor"`, `"releaseType": "first"`), `previous: a first release has no previous baseline`},
		// A time that does not parse is named by its member and line, in
		// the format's words, not Go's layout.
		{"time", edit(`"created": "2023-11-14T22:13:20Z"`, `"created": "yesterday"`), `^m.json:(\d|1\d): created: "yesterday" is not an RFC 3339 date-time$`},
		{"commit", edit(strings.Repeat("a", 40), "xyz"), `^m.json:\d+: vcs.commit: "xyz" is not a git commit ID`},
		{"size", edit(`"path": "sbom/x.cdx.json"`, `"path": "sbom/x.cdx.json", "size": -1`), `items.2.size: -1 is negative`},
		{"truncated", string(good[:len(good)/2]), `^m.json:\d+: syntax: unexpected end of the file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("m.json", []byte(tc.data))
			if err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Errorf("error %v\nwant match for %s", err, tc.want)
			}
			var me *Error
			if err != nil && !errors.As(err, &me) {
				t.Errorf("not an *Error: %T", err)
			}
		})
	}
}

func TestDiffKinds(t *testing.T) {
	old := sample()
	new := sample()
	new.Items[1].Version = "v2.0.0"
	new.Items[0].H1 = "h1:def="
	new.Items = append(new.Items, Item{ID: "CI-002", Class: "assets", Kind: "files", Name: "a.png", SHA256: strings.Repeat("d", 64)})
	d := Diff(old, new)
	if got := strings.Join(d.ChangeKinds(), ","); got != "item-added,item-changed,soup-major" {
		t.Errorf("ChangeKinds = %s", got)
	}
	if len(d.SOUPUpgrades) != 1 || d.SOUPUpgrades[0].OldVersion != "v1.2.0" {
		t.Errorf("SOUPUpgrades = %+v", d.SOUPUpgrades)
	}
	for v, want := range map[[2]string]string{{"v1.2.0", "v1.3.0"}: "soup-minor", {"v1.2.0", "v1.2.1"}: "soup-patch",
		{"v0.2.0", "v0.3.0"}: "soup-major", {"12.5", "12.6"}: "soup-minor", {"bookworm", "trixie"}: "soup-other"} {
		if got := soupKind(v[0], v[1]); got != want {
			t.Errorf("soupKind(%s, %s) = %s, want %s", v[0], v[1], got, want)
		}
	}
}

func TestWriteReleaseAtomic(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "1.1.0")
	rel := &Release{Manifest: sample(), Files: []File{{Path: "sbom/x.cdx.json", Data: []byte("{}")}}}
	// A failing hook leaves nothing behind.
	err := WriteRelease(t.Context(), dir, rel, func(tmp string) error {
		if _, err := os.Stat(filepath.Join(tmp, FileName)); err != nil {
			t.Errorf("hook: manifest not written yet: %v", err)
		}
		return errors.New("signing failed")
	})
	if err == nil || !strings.Contains(err.Error(), "signing failed") {
		t.Errorf("WriteRelease with a failing hook: %v", err)
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 0 {
		t.Errorf("a failed release left %v", ents)
	}
	// A hook adds its files before the directory appears.
	err = WriteRelease(t.Context(), dir, rel, func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "release.dsse.json"), []byte("{}"), 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "release.dsse.json")); err != nil {
		t.Error(err)
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 1 {
		t.Errorf("archive holds %v", ents)
	}
	if err := WriteRelease(t.Context(), dir, rel, nil); err == nil {
		t.Error("an existing release was overwritten")
	}
	// A file path outside the release is refused.
	bad := &Release{Manifest: sample(), Files: []File{{Path: "../evil", Data: []byte("x")}}}
	if err := WriteRelease(t.Context(), filepath.Join(parent, "2.0.0"), bad, nil); err == nil {
		t.Error("a path outside the release was written")
	}
}

// FuzzParse: Parse never panics; what parses marshals to bytes that parse
// to the same manifest.
func FuzzParse(f *testing.F) {
	good, _ := sample().Marshal()
	f.Add(good)
	f.Add([]byte(`{"format":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("m.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "m.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		m2, err := Parse("m.json", out)
		if err != nil {
			t.Fatalf("marshalled manifest does not parse: %v", err)
		}
		out2, _ := m2.Marshal()
		if string(out) != string(out2) {
			t.Fatal("marshal is not stable")
		}
	})
}

func TestNotesEscaping(t *testing.T) {
	m := sample()
	m.VCS.Dirty = true
	m.VCS.Tag = "v1.1.0"
	m.Anomalies = []Anomaly{{ID: "RA-001", Title: "Slow | start", Description: "line one\nline <b>two</b>", Evaluation: "No harm: *checked*"}}
	notes := string(RenderNotes(m, nil))
	for _, want := range []string{
		"| Commit | " + strings.Repeat("a", 40) + " (tag v1.1.0) **with uncommitted changes** |",
		"| RA-001 | Slow \\| start | line one line &lt;b&gt;two&lt;/b&gt; | No harm: \\*checked\\* |",
		"Not signed yet.",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if string(RenderNotes(m, nil)) != notes {
		t.Error("RenderNotes is not deterministic")
	}
}

func TestWriteReleaseCancelled(t *testing.T) {
	parent := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	rel := &Release{Manifest: sample(), Files: []File{{Path: "sbom/x.cdx.json", Data: []byte("{}")}}}
	err := WriteRelease(ctx, filepath.Join(parent, "1.1.0"), rel, func(string) error { cancel(); return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled release: %v", err)
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 0 {
		t.Errorf("a cancelled release left %v", ents)
	}
	// A temporary directory left by a killed process is removed by the
	// next release of the same version.
	os.Mkdir(filepath.Join(parent, ".1.1.0.tmp-0123456789abcdef"), 0o777)
	if err := WriteRelease(t.Context(), filepath.Join(parent, "1.1.0"), rel, nil); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 1 || ents[0].Name() != "1.1.0" {
		t.Errorf("archive holds %v", ents)
	}
}
