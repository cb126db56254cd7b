package ident

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSchemeValidate(t *testing.T) {
	for _, tt := range []struct {
		scheme Scheme
		err    string // substring; "" for valid
	}{
		{Scheme{"SOUP-", 3}, ""},
		{Scheme{"SWI_", 1}, ""},
		{Scheme{"a.b", MaxWidth}, ""},
		{Scheme{"", 3}, "empty identifier prefix"},
		{Scheme{"SOUP ", 3}, "not allowed"},
		{Scheme{"SOUP/", 3}, "not allowed"},
		{Scheme{"SOUP1", 3}, "ends with a digit"},
		{Scheme{"SOUP-", 0}, "width 0"},
		{Scheme{"SOUP-", MaxWidth + 1}, "width 10"},
	} {
		err := tt.scheme.Validate()
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%+v: %v", tt.scheme, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%+v: error %v, want %q", tt.scheme, err, tt.err)
		}
	}
}

func TestFormatParse(t *testing.T) {
	s := Scheme{"SOUP-", 3}
	for _, tt := range []struct {
		n  int
		id string
	}{
		{1, "SOUP-001"},
		{42, "SOUP-042"},
		{999, "SOUP-999"},
		{1000, "SOUP-1000"},
		{123456, "SOUP-123456"},
	} {
		if got := s.Format(tt.n); got != tt.id {
			t.Errorf("Format(%d) = %q, want %q", tt.n, got, tt.id)
		}
		n, err := s.Parse(tt.id)
		if err != nil || n != tt.n {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.id, n, err, tt.n)
		}
	}
	for _, bad := range []string{
		"", "SOUP-", "SOUP-01", "SOUP-0001", "SOUP-000", "soup-001", "SOUP-001 ",
		"SOUP-+01", "SOUP-1e3", "SOUP-0999", "X-001", "SOUP-99999999999999999999999",
	} {
		if n, err := s.Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %d, want an error", bad, n)
		}
	}
}

func TestAllocator(t *testing.T) {
	for _, tt := range []struct {
		name     string
		issued   []string
		retired  []string
		reserved int
		keys     []string
		want     []string // identifiers for the sorted keys
	}{
		{name: "empty", keys: []string{"b", "a"}, want: []string{"SOUP-001", "SOUP-002"}},
		{name: "after issued", issued: []string{"SOUP-001", "SOUP-002"}, keys: []string{"x"}, want: []string{"SOUP-003"}},
		{name: "gaps are not filled", issued: []string{"SOUP-001", "SOUP-005"}, keys: []string{"x"}, want: []string{"SOUP-006"}},
		{name: "retired above issued", issued: []string{"SOUP-001"}, retired: []string{"SOUP-007"}, keys: []string{"x"}, want: []string{"SOUP-008"}},
		{name: "high-water mark", issued: []string{"SOUP-001"}, reserved: 12, keys: []string{"x"}, want: []string{"SOUP-013"}},
		{name: "duplicate keys count once", keys: []string{"k", "k", "j"}, want: []string{"SOUP-001", "SOUP-002"}},
		{name: "past the width", issued: []string{"SOUP-999"}, keys: []string{"x"}, want: []string{"SOUP-1000"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := New(Scheme{"SOUP-", 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range tt.issued {
				if err := a.Issue(id); err != nil {
					t.Fatal(err)
				}
			}
			for _, id := range tt.retired {
				if err := a.Retire(id); err != nil {
					t.Fatal(err)
				}
			}
			a.Reserve(tt.reserved)
			var got []string
			for _, as := range a.Allocate(tt.keys) {
				got = append(got, as.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Allocate(%q) = %q, want %q", tt.keys, got, tt.want)
			}
		})
	}
}

func TestAllocateOrderIsDeterministic(t *testing.T) {
	keys := []string{"pkg:golang/c@v1", "pkg:golang/a@v1", "os/Debian", "pkg:golang/b@v2"}
	var first []Assignment
	for i := range 20 {
		a, _ := New(Scheme{"SOUP-", 3})
		_ = a.Issue("SOUP-003")
		shuffled := slices.Clone(keys)
		rand.New(rand.NewPCG(uint64(i), 0)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got := a.Allocate(shuffled)
		if first == nil {
			first = got
			continue
		}
		if !slices.Equal(got, first) {
			t.Fatalf("Allocate(%q) = %v, want %v", shuffled, got, first)
		}
	}
	want := []Assignment{
		{"os/Debian", "SOUP-004"},
		{"pkg:golang/a@v1", "SOUP-005"},
		{"pkg:golang/b@v2", "SOUP-006"},
		{"pkg:golang/c@v1", "SOUP-007"},
	}
	if !slices.Equal(first, want) {
		t.Errorf("Allocate = %v, want %v", first, want)
	}
}

func TestIssueErrors(t *testing.T) {
	a, _ := New(Scheme{"SOUP-", 3})
	if err := a.Issue("SOUP-001"); err != nil {
		t.Fatal(err)
	}
	if err := a.Issue("SOUP-001"); err == nil || !strings.Contains(err.Error(), "issued twice") {
		t.Errorf("second Issue: %v", err)
	}
	if err := a.Retire("SOUP-002"); err != nil {
		t.Fatal(err)
	}
	if err := a.Issue("SOUP-002"); err == nil || !strings.Contains(err.Error(), "retired") {
		t.Errorf("Issue of a retired ID: %v", err)
	}
	if err := a.Retire("SOUP-002"); err == nil || !strings.Contains(err.Error(), "retired twice") {
		t.Errorf("second Retire: %v", err)
	}
	if err := a.Issue("SWI-001"); err == nil {
		t.Error("Issue of an ID outside the scheme: no error")
	}
	if st, _ := a.State("SOUP-002"); st != Retired {
		t.Errorf("State(SOUP-002) = %v", st)
	}
	if got := a.IDs(Issued); !slices.Equal(got, []string{"SOUP-001"}) {
		t.Errorf("IDs(Issued) = %q", got)
	}
	if _, err := New(Scheme{}); err == nil {
		t.Error("New with an empty scheme: no error")
	}
}

// record is what a register stores between runs: the identifiers of the
// items in it, the retired identifiers and the high-water mark.
type record struct {
	items   map[string]string // key -> ID
	retired []string
	high    int
}

// load rebuilds an allocator from a record, as reading a register does.
func (r *record) load(t *testing.T) *Allocator {
	a, err := New(Scheme{"CI-", 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range r.items {
		if err := a.Issue(id); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range r.retired {
		if err := a.Retire(id); err != nil {
			t.Fatal(err)
		}
	}
	a.Reserve(r.high)
	return a
}

// TestNeverReissued is a property test: across random cycles of adding
// items, retiring items, deleting items by hand (without retiring them)
// and reloading the record, no identifier is ever issued twice.
func TestNeverReissued(t *testing.T) {
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 1))
		rec := &record{items: map[string]string{}}
		ever := map[string]string{} // ID -> the key it was first issued to
		nextKey := 0
		for range 50 {
			a := rec.load(t)
			// retire some items
			for _, k := range sortedKeys(rec.items) {
				if rng.IntN(4) == 0 {
					id := rec.items[k]
					if err := a.Retire(id); err != nil {
						t.Fatal(err)
					}
					rec.retired = append(rec.retired, id)
					delete(rec.items, k)
				}
			}
			// add some items, in a random order
			var keys []string
			for range rng.IntN(5) {
				keys = append(keys, fmt.Sprintf("item-%04d", nextKey))
				nextKey++
			}
			rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
			for _, as := range a.Allocate(keys) {
				if prev, ok := ever[as.ID]; ok {
					t.Fatalf("seed %d: %s issued to %s, already issued to %s", seed, as.ID, as.Key, prev)
				}
				ever[as.ID] = as.Key
				rec.items[as.Key] = as.ID
			}
			rec.high = a.High()
			// someone deletes the newest item by hand, without retiring it:
			// the high-water mark still keeps its identifier
			if rng.IntN(5) == 0 && len(rec.items) > 0 {
				ks := sortedKeys(rec.items)
				delete(rec.items, ks[len(ks)-1])
			}
		}
	}
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
