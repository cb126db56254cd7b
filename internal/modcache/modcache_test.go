package modcache

import (
	"os"
	"path"
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

func TestProxyZipURL(t *testing.T) {
	for _, tc := range []struct {
		goproxy, gonoproxy, path, version, want string
	}{
		{"https://proxy.golang.org,direct", "", "github.com/google/uuid", "v1.6.0", "https://proxy.golang.org/github.com/google/uuid/@v/v1.6.0.zip"},
		{"https://goproxy.acme.example/go/|https://proxy.golang.org", "", "github.com/BurntSushi/toml", "v1.4.0", "https://goproxy.acme.example/go/github.com/!burnt!sushi/toml/@v/v1.4.0.zip"},
		{"goproxy.acme.example", "", "example.com/m", "v1.0.0", "https://goproxy.acme.example/example.com/m/@v/v1.0.0.zip"},
		{"file:///srv/goproxy", "", "example.com/m", "v1.0.0", "file:///srv/goproxy/example.com/m/@v/v1.0.0.zip"},
		{"https://proxy.golang.org,direct", "*.acme.example,example.com/private", "git.acme.example/pump", "v1.0.0", ""},
		{"https://proxy.golang.org,direct", "*.acme.example,example.com/private", "example.com/private/sub", "v1.0.0", ""},
		{"https://proxy.golang.org,direct", "example.com/private", "example.com/privateer", "v1.0.0", "https://proxy.golang.org/example.com/privateer/@v/v1.0.0.zip"},
		{"direct", "", "example.com/m", "v1.0.0", ""},
		{"off", "", "example.com/m", "v1.0.0", ""},
		{"", "", "example.com/m", "v1.0.0", ""},
		{"/srv/goproxy", "", "example.com/m", "v1.0.0", ""},
		{"https://proxy.golang.org", "", "example.com/../m", "v1.0.0", ""},
	} {
		if got := ProxyZipURL(tc.goproxy, tc.gonoproxy, tc.path, tc.version); got != tc.want {
			t.Errorf("ProxyZipURL(%q, %q, %q, %q) = %q, want %q", tc.goproxy, tc.gonoproxy, tc.path, tc.version, got, tc.want)
		}
	}
}

// TestZipName: ZipName is the base of DownloadPath's zip.
func TestZipName(t *testing.T) {
	for _, mv := range [][2]string{{"example.com/m", "v1.0.0"}, {"github.com/Azure/go-autorest", "v14.2.0+incompatible"}, {"example.com/m", "v1.0.0-RC1"}} {
		rel, err := DownloadPath(mv[0], mv[1], ".zip")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := ZipName(mv[1]); err != nil || got != path.Base(rel) {
			t.Errorf("ZipName(%s) = %q, %v; want %q", mv[1], got, err, path.Base(rel))
		}
	}
	if _, err := ZipName("v1.0.0\x00"); err == nil {
		t.Error("ZipName accepted an invalid version")
	}
}
