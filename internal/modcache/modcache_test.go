package modcache

import (
	"os"
	"path"
	"path/filepath"
	"strings"
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

// TestDownloads: the zips' sizes and the recorded hashes, read through the
// open download directory and through os.Stat and os.ReadFile alike.
func TestDownloads(t *testing.T) {
	mc := t.TempDir()
	put := func(p, v, ext, content string) string {
		rel, _ := DownloadPath(p, v, ext)
		f := filepath.Join(mc, "cache", "download", filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(f), 0o755)
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	put("example.com/m", "v1.0.0", ".zip", "12345")
	put("example.com/m", "v1.0.0", ".ziphash", "h1:abc=\n")
	put("example.com/Upper", "v1.0.0-RC1", ".zip", "1")
	put("example.com/Upper", "v1.0.0-RC1", ".ziphash", "h1:up=")
	put("example.com/garbage", "v1.0.0", ".ziphash", "garbage")
	put("example.com/large", "v1.0.0", ".ziphash", "h1:"+strings.Repeat("a", 600))
	target := put("example.com/target", "v1.0.0", ".zip", "123")
	link, _ := Zip(mc, "example.com/link", "v1.0.0")
	os.MkdirAll(filepath.Dir(link), 0o755)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	dir, _ := Zip(mc, "example.com/dir", "v1.0.0")
	os.MkdirAll(dir, 0o755)
	hashDir, _ := ZipHash(mc, "example.com/dir", "v1.0.0")
	os.MkdirAll(hashDir, 0o755)

	open := OpenDownloads(mc)
	defer open.Close()
	plain := OpenDownloads(mc)
	plain.Close() // answers through paths
	for _, tc := range []struct {
		path, version string
		size          int64 // -1: no zip
		hash          string
	}{
		{"example.com/m", "v1.0.0", 5, "h1:abc="},
		{"example.com/Upper", "v1.0.0-RC1", 1, "h1:up="},
		{"example.com/garbage", "v1.0.0", -1, ""},
		{"example.com/large", "v1.0.0", -1, ""},
		{"example.com/link", "v1.0.0", 3, ""},
		{"example.com/dir", "v1.0.0", -1, ""},
		{"example.com/missing", "v1.0.0", -1, ""},
		{"bad path with spaces", "v1.0.0", -1, ""},
	} {
		for name, d := range map[string]*Downloads{"open": open, "plain": plain} {
			file, size, ok := d.Zip(tc.path, tc.version)
			if want, _ := Zip(mc, tc.path, tc.version); tc.size >= 0 && file != want {
				t.Errorf("%s: Zip(%s@%s) names %s, want %s", name, tc.path, tc.version, file, want)
			}
			if ok != (tc.size >= 0) || ok && size != tc.size {
				t.Errorf("%s: Zip(%s@%s) = %d, %v; want size %d", name, tc.path, tc.version, size, ok, tc.size)
			}
			if got := d.ZipHash(tc.path, tc.version); got != tc.hash {
				t.Errorf("%s: ZipHash(%s@%s) = %q, want %q", name, tc.path, tc.version, got, tc.hash)
			}
		}
	}
	// A closed one, and one whose directory is missing, still answer.
	open.Close()
	if _, size, ok := open.Zip("example.com/m", "v1.0.0"); !ok || size != 5 {
		t.Errorf("closed: Zip = %d, %v", size, ok)
	}
	missing := OpenDownloads(filepath.Join(mc, "none"))
	defer missing.Close()
	if _, _, ok := missing.Zip("example.com/m", "v1.0.0"); ok {
		t.Error("a missing module cache has a zip")
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
		// Credentials are never written into a record; a query cannot
		// take a path after it.
		{"https://user:s3cret@corp.example/go,direct", "", "example.com/m", "v1.0.0", "https://corp.example/go/example.com/m/@v/v1.0.0.zip"},
		{"user:s3cret@corp.example", "", "example.com/m", "v1.0.0", "https://corp.example/example.com/m/@v/v1.0.0.zip"},
		{"https://a.example/?x=1", "", "example.com/m", "v1.0.0", ""},
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
