package sbom

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/internal/jsonstream"
	"github.com/baseline-cm/baseline/internal/store"
	"github.com/baseline-cm/baseline/inventory"
)

// An elementMemo keeps the encoded elements of a JSON document's large
// arrays (a CycloneDX BOM's components and dependencies, an SPDX
// document's packages and relationships: nearly all of its bytes) in
// Options.CacheDir, so that a document whose elements nothing changed
// writes them again instead of encoding them. The entry is keyed by a
// digest of all that decides them: the format, the inventory, the options
// but the timestamp (which no element holds), the CycloneDX spec version,
// and the Go build ID of baseline itself (store.ToolID), whose code
// decides the rest. Each format, product, mode, build target and spec
// version has a slot, which holds one entry for each build of baseline
// that wrote it, replaced when its key changes: two builds used in turn
// on one product each keep theirs. A slot keeps the entries of the
// slotEntries builds that wrote last, so the cache holds no more than
// that many documents' elements for each.
type elementMemo struct {
	store  store.Store
	slot   string // the slot's directory in the store
	name   string
	header string // starts the entry; the key follows on the same line
	key    chan string
	entry  chan []byte // the entry as read, nil when there is none
}

// slotEntries is how many builds' entries a slot keeps.
const slotEntries = 3

// toolID is store.ToolID; tests replace it to play other builds.
var toolID = store.ToolID

// newElementMemo starts reading the entry of the elements of inv's
// document of format ("cyclonedx-json", "spdx-json") beside the
// conversion; their key is a digest of the format, baseline's build ID
// and content, the document's content digest. It returns nil when opts
// keep no cache or baseline's build has no ID.
func newElementMemo(format string, inv *inventory.Inventory, opts Options, spec cdx.SpecVersion, content *contentDigest) *elementMemo {
	tool := toolID()
	if opts.CacheDir == "" || tool == "" {
		return nil
	}
	// The slot: the toolchain's version is left out, so that the entries
	// of builds made with a new one share the slot, where the oldest are
	// pruned.
	build := inv.Build
	build.GoVersion = ""
	slot := sha256.New()
	digest(slot, struct {
		Format string
		Main   string
		Mode   inventory.Mode
		Build  inventory.Build
		Spec   cdx.SpecVersion
	}{format, inv.MainID, inv.Mode, build, spec})
	// The entry: the build's digest, as a file name (a build ID holds
	// slashes).
	toolDigest := sha256.Sum256([]byte(tool))
	m := &elementMemo{
		store:  store.Store{Dir: opts.CacheDir},
		slot:   "elements/" + hex.EncodeToString(slot.Sum(nil)),
		header: "baseline " + format + " elements ",
		key:    make(chan string, 1),
		entry:  make(chan []byte, 1),
	}
	m.name = m.slot + "/" + hex.EncodeToString(toolDigest[:16])
	go func() {
		// The content digest leaves out the timestamp, which no element
		// holds, and inventory.Component.Time, which no document holds.
		sum := content.get()
		h := sha256.New()
		digest(h, struct {
			Format, Tool string
			Content      [sha256.Size]byte
		}{format, tool, sum})
		m.key <- hex.EncodeToString(h.Sum(nil))
	}()
	go func() {
		data, _ := m.store.GetBytes(m.name)
		m.entry <- data
	}()
	return m
}

// use gives arrays their elements' bytes from the entry when it holds
// them (Encoded), or else has them handed over as they are written
// (Written); done, called with the error of the jsonstream.Write of
// arrays, replaces the entry with what was written when it succeeded.
// A nil memo leaves arrays as they are.
func (m *elementMemo) use(arrays []jsonstream.Array) (done func(error)) {
	if m == nil {
		return func(error) {}
	}
	keys := make([]string, len(arrays))
	for i, a := range arrays {
		keys[i] = a.Key
	}
	key, encoded, hit := m.lookup(keys)
	if hit {
		for i := range arrays {
			arrays[i].Encoded = encoded[i]
		}
		return func(error) {}
	}
	pieces := make([][][]byte, len(arrays))
	for i := range arrays {
		arrays[i].Written = func(p [][]byte) { pieces[i] = p }
	}
	return func(err error) {
		if err == nil {
			m.keep(key, keys, pieces)
		}
	}
}

// lookup returns the encoded elements of the arrays named keys, in their
// order, when the entry holds them under the key; ok is false when it
// does not (no entry, another key, a damaged one).
func (m *elementMemo) lookup(keys []string) (key string, encoded [][]byte, ok bool) {
	key, data := <-m.key, <-m.entry
	line, data, found := bytes.Cut(data, []byte{'\n'})
	if !found || string(line) != m.header+key {
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
// keys (pieces[i] are those of keys[i]), under key, written piece by
// piece. A cache that cannot be written costs time only.
func (m *elementMemo) keep(key string, keys []string, pieces [][][]byte) {
	_ = m.store.PutBytesWith(m.name, func(w io.Writer) error {
		if _, err := io.WriteString(w, m.header+key+"\n"); err != nil {
			return err
		}
		for i, k := range keys {
			n := 0
			for _, p := range pieces[i] {
				n += len(p)
			}
			if _, err := fmt.Fprintf(w, "%s %d\n", k, n); err != nil {
				return err
			}
			for _, p := range pieces[i] {
				if _, err := w.Write(p); err != nil {
					return err
				}
			}
		}
		return nil
	})
	m.store.Prune(m.slot, slotEntries)
}
