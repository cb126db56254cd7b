package manifest

import (
	"fmt"
	"strings"
	"testing"
)

// large returns a manifest of n items, half own packages, half SOUP.
func large(n int, version string) *Manifest {
	m := sample()
	m.Items = nil
	for i := range n {
		if i%2 == 0 {
			m.Items = append(m.Items, Item{ID: fmt.Sprintf("CI-%05d", i), Class: "source", Kind: "go-package",
				Name: fmt.Sprintf("example.com/pump/p%d", i), Path: fmt.Sprintf("p%d", i), H1: "h1:" + strings.Repeat("x", 43) + "="})
		} else {
			m.Items = append(m.Items, Item{ID: fmt.Sprintf("SOUP-%05d", i), Class: ClassSOUP, Kind: "go-module",
				Name: fmt.Sprintf("example.com/dep%d", i), Version: version, H1: "h1:" + strings.Repeat("y", 43) + "=",
				SHA256: strings.Repeat("a", 64), SHA512: strings.Repeat("b", 128)})
		}
	}
	return m
}

// BenchmarkParse: parsing (with the strict checks) a 5,000-item manifest.
func BenchmarkParse(b *testing.B) {
	data, err := large(5000, "v1.0.0").Marshal()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("manifest.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiffNotes: the diff of two 5,000-item baselines and the
// release notes of the second.
func BenchmarkDiffNotes(b *testing.B) {
	old, new := large(5000, "v1.0.0"), large(5000, "v1.1.0")
	b.ReportAllocs()
	for b.Loop() {
		new.Changes = Diff(old, new)
		RenderNotes(new, nil)
	}
}
