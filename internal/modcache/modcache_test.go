package modcache

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPaths(t *testing.T) {
	z, err := Zip("/mc", "github.com/BurntSushi/toml", "v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.FromSlash("/mc/cache/download/github.com/!burnt!sushi/toml/@v/v1.0.0.zip"); z != want {
		t.Errorf("Zip = %s, want %s", z, want)
	}
	d, _ := Dir("/mc", "github.com/BurntSushi/toml", "v1.0.0-RC1")
	if want := filepath.FromSlash("/mc/github.com/!burnt!sushi/toml@v1.0.0-!r!c1"); d != want {
		t.Errorf("Dir = %s, want %s", d, want)
	}
	if p, err := DownloadPath("github.com/BurntSushi/toml", "v1.0.0-RC1", ".zip"); err != nil || p != "github.com/!burnt!sushi/toml/@v/v1.0.0-!r!c1.zip" {
		t.Errorf("DownloadPath = %q, %v", p, err)
	}
	if _, err := Zip("/mc", "bad path with spaces", "v1.0.0"); err == nil {
		t.Error("Zip accepted an invalid module path")
	}
}

func TestReadZipHash(t *testing.T) {
	mc := t.TempDir()
	f, _ := ZipHash(mc, "example.com/m", "v1.0.0")
	if got := ReadZipHash(mc, "example.com/m", "v1.0.0"); got != "" {
		t.Errorf("ReadZipHash without a file = %q", got)
	}
	os.MkdirAll(filepath.Dir(f), 0o755)
	os.WriteFile(f, []byte("h1:abc=\n"), 0o644)
	if got := ReadZipHash(mc, "example.com/m", "v1.0.0"); got != "h1:abc=" {
		t.Errorf("ReadZipHash = %q, want h1:abc=", got)
	}
	os.WriteFile(f, []byte("garbage"), 0o644)
	if got := ReadZipHash(mc, "example.com/m", "v1.0.0"); got != "" {
		t.Errorf("ReadZipHash of a malformed file = %q", got)
	}
}
