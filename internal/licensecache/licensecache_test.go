package licensecache

import (
	"testing"

	"github.com/baseline-cm/baseline/internal/store"
)

func TestClassifier(t *testing.T) {
	calls := 0
	scan := func(text []byte) []string { calls++; return []string{string(text)} }
	s := store.Store{Dir: t.TempDir()}
	classify := Classifier(s, "d1", scan)
	for range 3 {
		if got := classify([]byte("MIT")); len(got) != 1 || got[0] != "MIT" {
			t.Fatalf("classify = %v", got)
		}
	}
	if calls != 1 {
		t.Errorf("scan ran %d times for one text, want 1", calls)
	}
	classify([]byte("ISC"))
	Classifier(s, "d2", scan)([]byte("MIT")) // another detector: not the same entry
	if calls != 3 {
		t.Errorf("scan ran %d times, want 3", calls)
	}
	Classifier(store.Store{}, "d1", scan)([]byte("MIT"))
	if calls != 4 {
		t.Error("a disabled store did not scan")
	}
}

func TestShare(t *testing.T) {
	calls := 0
	scan := func(text []byte) string { calls++; return string(text) }
	dir := t.TempDir()
	Share(dir)
	t.Cleanup(func() { Share("") })
	// Two processes' own stores: the second finds what the first stored.
	Classifier(store.Store{Dir: t.TempDir()}, "d", scan)([]byte("MIT"))
	Classifier(store.Store{Dir: t.TempDir()}, "d", scan)([]byte("MIT"))
	if calls != 1 {
		t.Errorf("scan ran %d times with a shared store, want 1", calls)
	}
	if ok := (store.Store{Dir: dir}).Get("text/"+key("d", []byte("MIT")), new(string)); !ok {
		t.Error("the classification is not in the shared directory")
	}
	Classifier(store.Store{}, "d", scan)([]byte("MIT"))
	if calls != 2 {
		t.Error("a disabled store used the shared one")
	}
}
