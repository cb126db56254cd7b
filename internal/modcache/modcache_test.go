package modcache

import (
	"os"
	"path/filepath"
	"sync"
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

func TestHashFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	os.WriteFile(name, []byte("abc"), 0o644)
	n, h256, h512, err := HashFile(name)
	if err != nil {
		t.Fatal(err)
	}
	// FIPS 180-2 test vectors for "abc".
	if n != 3 || h256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" ||
		h512 != "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" {
		t.Errorf("HashFile = %d %s %s", n, h256, h512)
	}
}

func TestCache(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	info := Info{
		ZipSize:  3,
		SHA256:   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		SHA512:   "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		Detector: "d1",
		Licenses: []string{"MIT"},
	}
	if _, ok := c.Lookup("example.com/m", "v1.0.0", 3, "d1"); ok {
		t.Fatal("hit in an empty cache")
	}
	// Concurrent stores of the same entry: every reader sees a whole one.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := c.Store("example.com/m", "v1.0.0", info); err != nil {
				t.Error(err)
			}
			if got, ok := c.Lookup("example.com/m", "v1.0.0", 3, "d1"); !ok || got.SHA256 != info.SHA256 {
				t.Errorf("Lookup after Store = %+v, %v", got, ok)
			}
		})
	}
	wg.Wait()
	if _, ok := c.Lookup("example.com/m", "v1.0.0", 4, "d1"); ok {
		t.Error("hit for a zip of another size")
	}
	if _, ok := c.Lookup("example.com/m", "v1.0.0", 3, "d2"); ok {
		t.Error("hit for another licence detector")
	}
	if _, ok := c.Lookup("example.com/m", "v1.0.1", 3, "d1"); ok {
		t.Error("hit for another version")
	}
	f, _ := c.file("example.com/m", "v1.0.0")
	os.WriteFile(f, []byte(`{"zipSize":3,"sha256":"short"`), 0o644)
	if _, ok := c.Lookup("example.com/m", "v1.0.0", 3, "d1"); ok {
		t.Error("hit for a corrupt entry")
	}
	var off Cache
	if err := off.Store("example.com/m", "v1.0.0", info); err != nil {
		t.Error(err)
	}
	if _, ok := off.Lookup("example.com/m", "v1.0.0", 3, "d1"); ok {
		t.Error("a disabled cache hit")
	}
}

func TestClassifier(t *testing.T) {
	calls := 0
	scan := func(text []byte) []string { calls++; return []string{string(text)} }
	c := Cache{Dir: t.TempDir()}
	classify := c.Classifier("d1", scan)
	for range 3 {
		if got := classify([]byte("MIT")); len(got) != 1 || got[0] != "MIT" {
			t.Fatalf("classify = %v", got)
		}
	}
	if calls != 1 {
		t.Errorf("scan ran %d times for one text, want 1", calls)
	}
	classify([]byte("ISC"))
	c.Classifier("d2", scan)([]byte("MIT")) // another detector: not the same entry
	if calls != 3 {
		t.Errorf("scan ran %d times, want 3", calls)
	}
	Cache{}.Classifier("d1", scan)([]byte("MIT"))
	if calls != 4 {
		t.Error("a disabled cache did not scan")
	}
}
