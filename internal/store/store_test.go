package store

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestStore(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	var got []string
	if s.Get("kind/key", &got) {
		t.Fatal("hit in an empty store")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := s.Put("kind/key", []string{"a", "b"}); err != nil {
				t.Error(err)
			}
			var v []string
			if !s.Get("kind/key", &v) || len(v) != 2 {
				t.Errorf("Get after Put = %v", v)
			}
		})
	}
	wg.Wait()
	if _, err := os.Stat(filepath.Join(s.Dir, "v1", "kind", "key.json")); err != nil {
		t.Errorf("entry not where the layout says: %v", err)
	}
	os.WriteFile(filepath.Join(s.Dir, "v1", "kind", "key.json"), []byte(`["a"`), 0o644)
	if s.Get("kind/key", &got) {
		t.Error("hit for a corrupt entry")
	}
	for _, bad := range []string{"", "/abs", "../up", "a/../../b", ".."} {
		if err := s.Put(bad, 1); err == nil {
			t.Errorf("Put(%q) accepted a name outside the store", bad)
		}
	}
	var off Store
	if err := off.Put("kind/key", 1); err != nil || off.Get("kind/key", &got) {
		t.Errorf("a disabled store stored or hit: %v", err)
	}
}

func TestOpen(t *testing.T) {
	if s := Open("/some/dir", true); s.Dir != "" {
		t.Errorf("Open(dir, off) = %q, want no store", s.Dir)
	}
	if s := Open("/some/dir", false); s.Dir != "/some/dir" {
		t.Errorf("Open(dir) = %q", s.Dir)
	}
	if s := Open("", false); s.Dir != DefaultDir() {
		t.Errorf("Open(\"\") = %q, want DefaultDir %q", s.Dir, DefaultDir())
	}
}
