package manifest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/manifest"
)

func baselineOf(version, dep string) *manifest.Manifest {
	return &manifest.Manifest{
		Format: manifest.FormatVersion, BaselineID: "BL-" + version, Product: manifest.Product{Name: "Pump"},
		Version: version, ReleaseType: manifest.First, Created: time.Unix(1700000000, 0).UTC(),
		Items: []manifest.Item{
			{ID: "CI-001", Class: "source", Kind: "go-package", Name: "example.com/pump", H1: "h1:aaa="},
			{ID: "SOUP-001", Class: manifest.ClassSOUP, Kind: "go-module", Name: "example.com/dep", Version: dep},
		},
		Anomalies: []manifest.Anomaly{},
	}
}

func ExampleDiff() {
	old := baselineOf("1.0.0", "v1.2.0")
	new := baselineOf("1.1.0", "v1.3.0")
	new.Items = append(new.Items, manifest.Item{ID: "CI-002", Class: "assets", Kind: "files", Name: "assets/logo.png", SHA256: strings.Repeat("ab", 32)})
	d := manifest.Diff(old, new)
	d.WriteText(os.Stdout)
	// Output:
	// BL-1.0.0 (1.0.0) -> BL-1.1.0 (1.1.0)
	// added    CI-002 assets assets/logo.png
	// changed  SOUP-001 soup example.com/dep: version v1.2.0 -> v1.3.0
	// soup     SOUP-001 example.com/dep v1.2.0 -> v1.3.0 (soup-minor)
}

func ExampleParse() {
	m := baselineOf("1.0.0", "v1.2.0")
	data, _ := m.Marshal()
	back, err := manifest.Parse("manifest.json", data)
	if err != nil {
		panic(err)
	}
	os.Stdout.WriteString(back.BaselineID + " " + back.Item("SOUP-001").Version + "\n")
	_, err = manifest.Parse("manifest.json", []byte("{\n  \"format\": 1,\n  \"colour\": \"red\"\n}\n"))
	os.Stdout.WriteString(err.Error() + "\n")
	// Output:
	// BL-1.0.0 v1.2.0
	// manifest.json:3: colour: unknown member
}

func ExampleRenderNotes() {
	m := baselineOf("1.0.0", "v1.2.0")
	notes := string(manifest.RenderNotes(m, []manifest.Signature{{
		Name: "Jane Doe", UserID: "jdoe", Meaning: "approved", Time: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), KeyFingerprint: "3f1c",
	}}))
	i := strings.Index(notes, "## Signatures")
	os.Stdout.WriteString(notes[i:])
	// Output:
	// ## Signatures
	//
	// | Name | User ID | Meaning | Time (UTC) | Key fingerprint (SHA-256) |
	// |---|---|---|---|---|
	// | Jane Doe | jdoe | approved | 2024-03-01 09:30:00 | `3f1c` |
}

// WriteRelease writes a release directory atomically; CheckChain checks
// the archive's chain of baselines.
func ExampleCheckChain() {
	archive, _ := os.MkdirTemp("", "releases")
	defer os.RemoveAll(archive)
	ctx := context.Background()
	first := baselineOf("1.0.0", "v1.2.0")
	manifest.WriteRelease(ctx, filepath.Join(archive, "1.0.0"), &manifest.Release{Manifest: first}, nil)
	_, sum, _ := manifest.LoadRelease(filepath.Join(archive, "1.0.0"))
	second := baselineOf("1.1.0", "v1.3.0")
	second.ReleaseType = manifest.Minor
	second.Previous = &manifest.Previous{BaselineID: first.BaselineID, Version: first.Version, SHA256: sum}
	second.Changes = manifest.Diff(first, second)
	manifest.WriteRelease(ctx, filepath.Join(archive, "1.1.0"), &manifest.Release{Manifest: second}, nil)

	rels, _ := manifest.Archive(archive)
	fmt.Println(len(rels), "releases,", len(manifest.CheckChain(rels)), "problems")
	// Edit the old manifest: the chain breaks.
	file := filepath.Join(archive, "1.0.0", manifest.FileName)
	data, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(data, []byte(`"Pump"`), []byte(`"Pomp"`), 1), 0o666)
	rels, _ = manifest.Archive(archive)
	for _, p := range manifest.CheckChain(rels) {
		fmt.Println(p.Kind)
	}
	for _, e := range manifest.ItemHistory(rels, "SOUP-001") {
		fmt.Println(e.BaselineID, e.Event, e.Item.Version)
	}
	// Output:
	// 2 releases, 0 problems
	// edited
	// BL-1.0.0 added v1.2.0
	// BL-1.1.0 changed v1.3.0
}

func ExampleCheckAppend() {
	archive, _ := os.MkdirTemp("", "releases")
	defer os.RemoveAll(archive)
	first := baselineOf("1.0.0", "v1.2.0")
	fmt.Println("first release, empty archive:", manifest.CheckAppend(archive, first))
	manifest.WriteRelease(context.Background(), filepath.Join(archive, "1.0.0"), &manifest.Release{Manifest: first}, nil)
	_, sum, _ := manifest.LoadRelease(filepath.Join(archive, "1.0.0"))

	next := baselineOf("1.1.0", "v1.3.0")
	next.ReleaseType = manifest.Minor
	next.Previous = &manifest.Previous{BaselineID: first.BaselineID, Version: first.Version, SHA256: sum}
	fmt.Println("following the newest:", manifest.CheckAppend(archive, next))
	// A second first release would start another chain.
	err := manifest.CheckAppend(archive, baselineOf("2.0.0", "v1.3.0"))
	fmt.Println(strings.Contains(err.Error(), "BL-2.0.0 is a first release, but BL-1.0.0 (1.0.0) is archived"))
	// Output:
	// first release, empty archive: <nil>
	// following the newest: <nil>
	// true
}
