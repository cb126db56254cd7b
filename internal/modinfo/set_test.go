package modinfo

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/baseline-cm/baseline/internal/store"
)

func testInfo(i int) Info {
	return Info{
		ZipSize:      int64(1000 + i),
		SHA256:       fmt.Sprintf("%064x", i),
		SHA512:       fmt.Sprintf("%0128x", i),
		H1:           fmt.Sprintf("h1:%d=", i),
		Detector:     "d1",
		Licenses:     []string{"MIT"},
		LicenseFiles: []string{"LICENSE"},
	}
}

func testSet(n int) ([]Version, []Info) {
	var vs []Version
	var infos []Info
	for i := range n {
		info := testInfo(i)
		vs = append(vs, Version{Path: fmt.Sprintf("example.com/m%04d", i), Version: "v1.0.0", ZipSize: info.ZipSize})
		infos = append(infos, info)
	}
	return vs, infos
}

// TestSet: a set hits only for exactly the versions, zip sizes and
// detector it was stored for.
func TestSet(t *testing.T) {
	s := store.Store{Dir: t.TempDir()}
	vs, infos := testSet(3)
	if _, ok := LookupSet(s, "d1", vs); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := StoreSet(s, "d1", vs, infos); err != nil {
		t.Fatal(err)
	}
	got, ok := LookupSet(s, "d1", vs)
	if !ok || !reflect.DeepEqual(got, infos) {
		t.Fatalf("LookupSet after StoreSet = %v, %v", got, ok)
	}
	other := func(f func(vs []Version)) []Version {
		c := append([]Version(nil), vs...)
		f(c)
		return c
	}
	for name, vs := range map[string][]Version{
		"another zip size": other(func(vs []Version) { vs[1].ZipSize++ }),
		"another version":  other(func(vs []Version) { vs[1].Version = "v1.0.1" }),
		"another module":   other(func(vs []Version) { vs[1].Path = "example.com/x" }),
		"one module fewer": vs[:2],
		"another order":    other(func(vs []Version) { vs[0], vs[1] = vs[1], vs[0] }),
	} {
		if _, ok := LookupSet(s, "d1", vs); ok {
			t.Errorf("hit for %s", name)
		}
	}
	if _, ok := LookupSet(s, "d2", vs); ok {
		t.Error("hit for another licence detector")
	}
	// An entry whose content does not match its versions is not used.
	bad := append([]Info(nil), infos...)
	bad[2].SHA512 = "short"
	StoreSet(s, "d1", vs, bad)
	if _, ok := LookupSet(s, "d1", vs); ok {
		t.Error("hit for a malformed entry")
	}
	if err := StoreSet(s, "d1", vs, infos[:1]); err == nil {
		t.Error("StoreSet accepted fewer entries than versions")
	}
}

// BenchmarkLookup compares the two layouts for the entries of one
// discovery: one store entry per module version, or one per set.
func BenchmarkLookup(b *testing.B) {
	for _, n := range []int{100, 1000} {
		vs, infos := testSet(n)
		b.Run(fmt.Sprintf("modules=%d/layout=module", n), func(b *testing.B) {
			s := store.Store{Dir: b.TempDir()}
			for i, v := range vs {
				if err := Store(s, v.Path, v.Version, infos[i]); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				for _, v := range vs {
					if _, ok := Lookup(s, v.Path, v.Version, v.ZipSize, "d1"); !ok {
						b.Fatal("miss")
					}
				}
			}
		})
		b.Run(fmt.Sprintf("modules=%d/layout=set", n), func(b *testing.B) {
			s := store.Store{Dir: b.TempDir()}
			if err := StoreSet(s, "d1", vs, infos); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, ok := LookupSet(s, "d1", vs); !ok {
					b.Fatal("miss")
				}
			}
		})
	}
}
