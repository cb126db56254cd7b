package sbom

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/internal/store"
	"github.com/baseline-cm/baseline/inventory"
)

// An elementMemo keeps the encoded elements of a CycloneDX JSON
// document's large arrays (its components and dependencies, nearly all
// of its bytes) in Options.CacheDir, so that a document whose elements
// nothing changed writes them again instead of encoding them. The entry
// is keyed by a digest of all that decides them: the inventory, the
// options but the timestamp (which only the metadata holds), the
// specification version, and the Go build ID of baseline itself
// (store.ToolID), whose code decides the rest. There is one entry per
// product, mode, build target and specification version, replaced when
// its key changes, so the cache holds no more than one document's
// elements for each.
type elementMemo struct {
	store store.Store
	name  string
	key   chan string
	entry chan []byte // the entry as read, nil when there is none
}

// newElementMemo starts reading the entry of inv's elements beside the
// conversion; their key is a digest of baseline's build ID and content,
// the document's content digest. It returns nil when opts keep no cache
// or baseline's build has no ID.
func newElementMemo(inv *inventory.Inventory, opts Options, spec cdx.SpecVersion, content *contentDigest) *elementMemo {
	tool := store.ToolID()
	if opts.CacheDir == "" || tool == "" {
		return nil
	}
	// The slot: the toolchain's version is left out, so that a new one
	// replaces the entry an older one made.
	build := inv.Build
	build.GoVersion = ""
	slot := sha256.New()
	digest(slot, struct {
		Main  string
		Mode  inventory.Mode
		Build inventory.Build
		Spec  cdx.SpecVersion
	}{inv.MainID, inv.Mode, build, spec})
	m := &elementMemo{
		store: store.Store{Dir: opts.CacheDir},
		name:  "cyclonedx-elements/" + hex.EncodeToString(slot.Sum(nil)),
		key:   make(chan string, 1),
		entry: make(chan []byte, 1),
	}
	go func() {
		// The content digest leaves out the timestamp, which only the
		// metadata holds, and inventory.Component.Time, which no element
		// holds.
		sum := content.get()
		h := sha256.New()
		digest(h, struct {
			Kind, Tool string
			Content    [sha256.Size]byte
		}{"cyclonedx-json-elements", tool, sum})
		m.key <- hex.EncodeToString(h.Sum(nil))
	}()
	go func() {
		data, _ := m.store.GetBytes(m.name)
		m.entry <- data
	}()
	return m
}

// memoHeader starts an entry; the key follows on the same line.
const memoHeader = "baseline cyclonedx-json elements "

// lookup returns the encoded elements of the arrays named keys, in their
// order, when the entry holds them under the key; ok is false when it
// does not (no entry, another key, a damaged one).
func (m *elementMemo) lookup(keys []string) (key string, encoded [][]byte, ok bool) {
	key, data := <-m.key, <-m.entry
	line, data, found := bytes.Cut(data, []byte{'\n'})
	if !found || string(line) != memoHeader+key {
		return key, nil, false
	}
	for _, k := range keys {
		// Each array: its key and length on a line, then its bytes.
		line, rest, found := bytes.Cut(data, []byte{'\n'})
		name, size, _ := bytes.Cut(line, []byte{' '})
		n, err := strconv.Atoi(string(size))
		if !found || string(name) != k || err != nil || n <= 0 || n > len(rest) {
			return key, nil, false
		}
		encoded = append(encoded, rest[:n])
		data = rest[n:]
	}
	return key, encoded, len(data) == 0
}

// keep replaces the entry with the encoded elements of the arrays named
// keys, under key. A cache that cannot be written costs time only.
func (m *elementMemo) keep(key string, keys []string, encoded [][]byte) {
	var b bytes.Buffer
	b.WriteString(memoHeader + key + "\n")
	for i, k := range keys {
		fmt.Fprintf(&b, "%s %d\n", k, len(encoded[i]))
		b.Write(encoded[i])
	}
	_ = m.store.PutBytes(m.name, b.Bytes())
}
