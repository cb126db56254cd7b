// Package ident allocates the stable internal identifiers that IEC 62304
// configuration management gives every configuration item (clause 8.1.1:
// "establish a scheme for the unique identification of configuration
// items"; 8.1.2 for SOUP items).
//
// An identifier is a Scheme's prefix followed by a zero-padded decimal
// number: "SOUP-001", "SWI-0042", "ASSET-7". The package knows nothing
// about SOUP: the same allocator numbers any class of configuration item
// (SOUP items now; software items, assets or control data later), one
// Scheme and one Allocator per class.
//
// The rules that make identifiers stable for life are:
//
//   - an item keeps its identifier for life, whatever else about it
//     changes (its version, its title);
//   - an identifier is never issued twice: not after the item is retired
//     (its identifier is recorded as retired and stays reserved), and not
//     below a recorded high-water mark (see Allocator.Reserve), which
//     protects against an item deleted by hand without being retired;
//   - new identifiers continue after the highest number ever used (issued,
//     retired or reserved); gaps are never filled, because a gap may be an
//     identifier issued once and lost from the record;
//   - a batch of new items is numbered in the sorted order of their keys
//     (Allocate), so that two people making the same change to the same
//     register get the same identifiers.
package ident

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// MaxWidth is the largest zero-padded width a Scheme may have.
const MaxWidth = 9

// Scheme is how the identifiers of one class of configuration items are
// written: Prefix, then the number zero-padded to at least Width digits.
// Numbers start at 1. A number too large for Width is written with more
// digits ("SOUP-1000" with width 3), never truncated.
type Scheme struct {
	Prefix string
	Width  int
}

// Validate reports whether the scheme is usable: a non-empty prefix of
// letters, digits, '-', '_' or '.', not ending with a digit (so that the
// number is always readable), and a width from 1 to MaxWidth.
func (s Scheme) Validate() error {
	if s.Prefix == "" {
		return errors.New("empty identifier prefix")
	}
	for _, r := range s.Prefix {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("identifier prefix %q: %q is not allowed (letters, digits, '-', '_', '.')", s.Prefix, r)
		}
	}
	if c := s.Prefix[len(s.Prefix)-1]; c >= '0' && c <= '9' {
		return fmt.Errorf("identifier prefix %q ends with a digit", s.Prefix)
	}
	if s.Width < 1 || s.Width > MaxWidth {
		return fmt.Errorf("identifier width %d: want 1 to %d", s.Width, MaxWidth)
	}
	return nil
}

// Format returns the identifier with number n (n >= 1).
func (s Scheme) Format(n int) string {
	return s.Prefix + fmt.Sprintf("%0*d", s.Width, n)
}

// Parse returns the number of identifier id. It accepts only the canonical
// form Format writes: the exact prefix, at least Width digits, no extra
// leading zeros, a number of at least 1.
func (s Scheme) Parse(id string) (int, error) {
	digits, ok := strings.CutPrefix(id, s.Prefix)
	if !ok {
		return 0, fmt.Errorf("identifier %q does not start with %q", id, s.Prefix)
	}
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, fmt.Errorf("identifier %q: want %q followed by %d digits", id, s.Prefix, s.Width)
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n > 1e15 {
		return 0, fmt.Errorf("identifier %q: number out of range", id)
	}
	if n < 1 {
		return 0, fmt.Errorf("identifier %q: numbers start at 1", id)
	}
	if want := s.Format(n); want != id {
		return 0, fmt.Errorf("identifier %q is not in the scheme's form (want %q)", id, want)
	}
	return n, nil
}

// State says where an identifier stands.
type State int

const (
	// Free: never issued, not reserved; it may still lie below the
	// allocator's high-water mark, in which case it is never issued.
	Free State = iota
	// Issued to a configuration item that is in the record.
	Issued
	// Retired: the item left the product; the identifier is never issued
	// again.
	Retired
)

func (st State) String() string {
	switch st {
	case Issued:
		return "issued"
	case Retired:
		return "retired"
	}
	return "free"
}

// An Allocator issues the identifiers of one Scheme. Load it with the
// identifiers already in the record (Issue, Retire, Reserve), then call
// Next or Allocate for new items. The zero Allocator is not usable; call
// New.
type Allocator struct {
	scheme Scheme
	state  map[int]State
	high   int // highest number issued, retired or reserved
}

// New returns an allocator for scheme with nothing issued.
func New(scheme Scheme) (*Allocator, error) {
	if err := scheme.Validate(); err != nil {
		return nil, err
	}
	return &Allocator{scheme: scheme, state: map[int]State{}}, nil
}

// Scheme returns the allocator's scheme.
func (a *Allocator) Scheme() Scheme { return a.scheme }

// State returns the state of id, or an error when id is not in the scheme.
func (a *Allocator) State(id string) (State, error) {
	n, err := a.scheme.Parse(id)
	if err != nil {
		return Free, err
	}
	return a.state[n], nil
}

// Issue records id as issued to an item already in the record. It is an
// error when id is not in the scheme, already issued (two items with one
// identifier) or retired (an identifier is never reused).
func (a *Allocator) Issue(id string) error {
	n, err := a.scheme.Parse(id)
	if err != nil {
		return err
	}
	switch a.state[n] {
	case Issued:
		return fmt.Errorf("identifier %s is issued twice", id)
	case Retired:
		return fmt.Errorf("identifier %s is retired and may not be used again", id)
	}
	a.state[n] = Issued
	a.high = max(a.high, n)
	return nil
}

// Retire records id as retired: the item it was issued to left the
// product. An issued identifier becomes retired; an identifier that is not
// issued (one retired in an earlier version of the record) is recorded as
// retired too. Retiring an identifier twice is an error.
func (a *Allocator) Retire(id string) error {
	n, err := a.scheme.Parse(id)
	if err != nil {
		return err
	}
	if a.state[n] == Retired {
		return fmt.Errorf("identifier %s is retired twice", id)
	}
	a.state[n] = Retired
	a.high = max(a.high, n)
	return nil
}

// Reserve records a high-water mark: no number up to n is ever issued,
// whether or not it appears in the record. Registers store the highest
// number they have issued and pass it here, so that deleting the newest
// item by hand, without retiring it, does not free its identifier.
func (a *Allocator) Reserve(n int) {
	a.high = max(a.high, n)
}

// High returns the highest number issued, retired or reserved: the
// high-water mark to record.
func (a *Allocator) High() int { return a.high }

// Next issues and returns a new identifier: the number after the highest
// ever issued, retired or reserved.
func (a *Allocator) Next() string {
	a.high++
	a.state[a.high] = Issued
	return a.scheme.Format(a.high)
}

// Assignment is an identifier issued to the item with Key.
type Assignment struct {
	Key string
	ID  string
}

// Allocate issues one new identifier per distinct key, in the sorted
// (bytewise) order of the keys, whatever their order in keys. Keys name
// the new items in a way that does not depend on who runs the update: a
// package URL, or a kind and a title. Allocating the same keys against the
// same record always gives the same identifiers.
func (a *Allocator) Allocate(keys []string) []Assignment {
	sorted := slices.Sorted(maps.Keys(setOf(keys)))
	out := make([]Assignment, 0, len(sorted))
	for _, k := range sorted {
		out = append(out, Assignment{Key: k, ID: a.Next()})
	}
	return out
}

func setOf(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// IDs returns the identifiers in the given state, in numeric order.
func (a *Allocator) IDs(st State) []string {
	var ns []int
	for n, s := range a.state {
		if s == st {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = a.scheme.Format(n)
	}
	return out
}
