package modinfo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/baseline-cm/baseline/internal/store"
)

func TestHashFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	os.WriteFile(name, []byte("abc"), 0o644)
	n, h256, h512, err := HashFile(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	// FIPS 180-2 test vectors for "abc".
	if n != 3 || h256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" ||
		h512 != "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" {
		t.Errorf("HashFile = %d %s %s", n, h256, h512)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := HashFile(ctx, name); !errors.Is(err, context.Canceled) {
		t.Errorf("HashFile with a cancelled context: err = %v", err)
	}
}

func TestLookupStore(t *testing.T) {
	s := store.Store{Dir: t.TempDir()}
	info := Info{
		ZipSize:  3,
		SHA256:   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		SHA512:   "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		H1:       "h1:abc=",
		Detector: "d1",
		Licenses: []string{"MIT"},
	}
	if _, ok := Lookup(s, "example.com/m", "v1.0.0", 3, "d1"); ok {
		t.Fatal("hit in an empty cache")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := Store(s, "example.com/m", "v1.0.0", info); err != nil {
				t.Error(err)
			}
			if got, ok := Lookup(s, "example.com/m", "v1.0.0", 3, "d1"); !ok || got.SHA256 != info.SHA256 {
				t.Errorf("Lookup after Store = %+v, %v", got, ok)
			}
		})
	}
	wg.Wait()
	if _, ok := Lookup(s, "example.com/m", "v1.0.0", 4, "d1"); ok {
		t.Error("hit for a zip of another size")
	}
	if _, ok := Lookup(s, "example.com/m", "v1.0.0", 3, "d2"); ok {
		t.Error("hit for another licence detector")
	}
	if _, ok := Lookup(s, "example.com/m", "v1.0.1", 3, "d1"); ok {
		t.Error("hit for another version")
	}
	noH1 := info
	noH1.H1 = ""
	Store(s, "example.com/m", "v1.0.0", noH1)
	if _, ok := Lookup(s, "example.com/m", "v1.0.0", 3, "d1"); ok {
		t.Error("hit for an entry without the zip's h1: hash")
	}
	bad := info
	bad.SHA256 = "short"
	Store(s, "example.com/m", "v1.0.0", bad)
	if _, ok := Lookup(s, "example.com/m", "v1.0.0", 3, "d1"); ok {
		t.Error("hit for a malformed entry")
	}
}
