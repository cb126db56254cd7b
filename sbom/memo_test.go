package sbom

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/internal/store"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// TestElementMemo: with Options.CacheDir, EncodeCycloneDX and
// EncodeSPDXJSON write the same bytes as without; a second document of
// the same inputs (another timestamp included) takes its elements from
// the cache; and a change to anything that decides the elements, or a
// damaged entry, is encoded afresh.
func TestElementMemo(t *testing.T) {
	if store.ToolID() == "" {
		t.Skip("this test binary has no build ID to key the cache with")
	}
	for _, f := range []Format{CycloneDXJSON, SPDXJSON} {
		t.Run(string(f), func(t *testing.T) { testElementMemo(t, f) })
	}
	// Documents that keep no elements: older CycloneDX spec versions, XML
	// and tag-value are encoded whole; without a cache directory nothing
	// is kept.
	none := t.TempDir()
	inv := fixtureInventory()
	ts := time.Unix(1700000000, 0)
	for _, tc := range []struct {
		f    Format
		opts Options
	}{
		{CycloneDXJSON, Options{Timestamp: ts}},
		{SPDXJSON, Options{Timestamp: ts}},
		{CycloneDXJSON, Options{Spec: cdx.SpecVersion1_5, Timestamp: ts, CacheDir: none}},
		{CycloneDXXML, Options{Timestamp: ts, CacheDir: none}},
		{SPDXTagValue, Options{Timestamp: ts, CacheDir: none}},
	} {
		if err := Encode(&bytes.Buffer{}, inv, tc.f, tc.opts); err != nil {
			t.Fatal(err)
		}
	}
	if found, _ := filepath.Glob(filepath.Join(none, "*")); len(found) != 0 {
		t.Errorf("entries kept for documents that keep none: %v", found)
	}
}

func testElementMemo(t *testing.T, f Format) {
	dir := t.TempDir()
	encode := func(inv *inventory.Inventory, opts Options) string {
		t.Helper()
		var b bytes.Buffer
		if err := Encode(&b, inv, f, opts); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	opts := fixtureOptions(cdx.SpecVersion1_6)["full"]
	cached := opts
	cached.CacheDir = dir
	inv := fixtureInventory()
	want := encode(inv, opts)
	if got := encode(inv, cached); got != want {
		t.Fatalf("with a cache:\n%s\nwant\n%s", got, want)
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "v1", "elements", "*", "*.bin"))
	if len(entries) != 1 {
		t.Fatalf("entries after one document: %v, want one", entries)
	}
	entry := entries[0]
	data, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	// A mark in the entry's bytes shows which documents were taken from
	// it; it has the same length, so the entry stays well formed.
	const name, mark = `"name": "example.com/a"`, `"name": "example.com/Z"`
	if !bytes.Contains(data, []byte(name)) {
		t.Fatalf("the entry holds no element %s:\n%s", name, data)
	}
	marked := bytes.Replace(data, []byte(name), []byte(mark), 1)
	os.WriteFile(entry, marked, 0o644)
	later := cached
	later.Timestamp = cached.Timestamp.Add(time.Hour)
	got := encode(inv, later)
	if !strings.Contains(got, mark) {
		t.Errorf("a document of the same inputs an hour later did not take its elements from the cache:\n%s", got)
	}
	if !strings.Contains(got, later.Timestamp.UTC().Format(time.RFC3339)) {
		t.Errorf("the later document does not have its own timestamp:\n%s", got)
	}

	// Each change to what decides the elements misses, and writes what
	// an encoding without the cache writes.
	changes := map[string]func(inv *inventory.Inventory, o *Options){
		"a component's licence": func(inv *inventory.Inventory, o *Options) { inv.Components[0].Licenses = []string{"MIT"} },
		"a component's hash":    func(inv *inventory.Inventory, o *Options) { inv.Components[0].Hashes[0].Value = "ef" },
		"a dependency":          func(inv *inventory.Inventory, o *Options) { inv.Dependencies["example.com/app"] = []string{"stdlib"} },
		"the register": func(inv *inventory.Inventory, o *Options) {
			o.Register = &soup.Register{Items: append([]soup.Item(nil), o.Register.Items...)}
			o.Register.Items[0].Manufacturer = "B Corp"
		},
		"the mode": func(inv *inventory.Inventory, o *Options) { inv.Mode = inventory.Modules },
	}
	specChange := func(inv *inventory.Inventory, o *Options) { o.Spec = cdx.SpecVersion1_7 }
	if f == SPDXJSON {
		// CycloneDX's spec version decides nothing in an SPDX document.
		os.WriteFile(entry, marked, 0o644)
		o := cached
		specChange(nil, &o)
		if got := encode(inv, o); !strings.Contains(got, mark) {
			t.Errorf("another CycloneDX spec version did not take the SPDX elements from the cache:\n%s", got)
		}
	} else {
		changes["the spec version"] = specChange
	}
	for what, change := range changes {
		os.WriteFile(entry, marked, 0o644)
		inv, o := fixtureInventory(), cached
		change(inv, &o)
		plain := o
		plain.CacheDir = ""
		if got, want := encode(inv, o), encode(inv, plain); got != want {
			t.Errorf("after a change to %s: with the cache\n%s\nwant\n%s", what, got, want)
		}
	}
	// A damaged entry is a miss, and is replaced.
	for _, damaged := range [][]byte{data[:len(data)/2], append(bytes.Clone(data), 'x'), []byte("junk"), {}} {
		os.WriteFile(entry, damaged, 0o644)
		if got := encode(inv, cached); got != want {
			t.Errorf("from a damaged entry (%d bytes):\n%s\nwant\n%s", len(damaged), got, want)
		}
		if now, _ := os.ReadFile(entry); !bytes.Equal(now, data) {
			t.Errorf("the damaged entry was not replaced:\n%s", now)
		}
	}
}

// TestElementMemoBuilds: two builds of baseline used in turn on one
// product each keep their entry and hit it; a slot keeps the entries of
// the slotEntries builds that wrote last.
func TestElementMemoBuilds(t *testing.T) {
	defer func(f func() string) { toolID = f }(toolID)
	dir := t.TempDir()
	opts := fixtureOptions(cdx.SpecVersion1_6)["full"]
	opts.CacheDir = dir
	inv := fixtureInventory()
	encode := func(tool string) string {
		t.Helper()
		toolID = func() string { return tool }
		var b bytes.Buffer
		if err := EncodeCycloneDX(&b, inv, opts); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	entries := func() []string {
		es, _ := filepath.Glob(filepath.Join(dir, "v1", "elements", "*", "*.bin"))
		return es
	}
	// Mark each build's entry as it is written, so that the build's next
	// document shows whether it came from its own. A slot prunes by
	// modification time: the pauses keep the entries' times apart, in the
	// order the builds wrote them, on file systems with coarse clocks.
	const name, mark = `"name": "example.com/a"`, `"name": "example.com/Z"`
	marked := map[string]bool{}
	var want string
	for _, tool := range []string{"build-a", "build-b"} {
		got := encode(tool)
		if want == "" {
			want = got
		}
		for _, e := range entries() {
			if !marked[e] {
				data, _ := os.ReadFile(e)
				if err := os.WriteFile(e, bytes.Replace(data, []byte(name), []byte(mark), 1), 0o644); err != nil {
					t.Fatal(err)
				}
				marked[e] = true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if es := entries(); len(es) != 2 || len(marked) != 2 {
		t.Fatalf("entries after two builds: %v", es)
	}
	for _, tool := range []string{"build-a", "build-b", "build-a"} {
		if got := encode(tool); !strings.Contains(got, mark) {
			t.Errorf("%s, used after another build, missed", tool)
		}
	}
	// Two more builds: the slot keeps the entries of the slotEntries
	// builds that wrote last, so build-a's, written first, goes, and
	// build-b's stays.
	for i, tool := range []string{"build-c", "build-d"} {
		time.Sleep(20 * time.Millisecond) // distinct modification times
		if got := encode(tool); got != want {
			t.Errorf("%s: a new build's first document differs:\n%s", tool, got)
		}
		if es := entries(); len(es) != min(2+i+1, slotEntries) {
			t.Errorf("after %s: %d entries, want %d", tool, len(es), min(2+i+1, slotEntries))
		}
	}
	if got := encode("build-b"); !strings.Contains(got, mark) {
		t.Error("build-b's entry, among the last three written, was pruned")
	}
	if got := encode("build-a"); got != want {
		t.Errorf("build-a's entry, the oldest, was kept:\n%s", got)
	}
}
