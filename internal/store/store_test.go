package store

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
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

// TestGob: a gob entry round-trips, is its own file beside a JSON entry of
// the same name, and a corrupt one misses.
func TestGob(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	type entry struct {
		A string
		B map[string]int64
	}
	want := entry{"x", map[string]int64{"k": 7}}
	var got entry
	if s.GetGob("kind/key", &got) {
		t.Fatal("hit in an empty store")
	}
	if err := s.PutGob("kind/key", want); err != nil {
		t.Fatal(err)
	}
	if !s.GetGob("kind/key", &got) || got.A != want.A || got.B["k"] != 7 {
		t.Errorf("GetGob after PutGob = %+v, want %+v", got, want)
	}
	var j entry
	if s.Get("kind/key", &j) {
		t.Error("a gob entry was read as JSON")
	}
	file := filepath.Join(s.Dir, "v1", "kind", "key.gob")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, data[:len(data)/2], 0o644)
	if s.GetGob("kind/key", &entry{}) {
		t.Error("hit for a truncated gob entry")
	}
	var off Store
	if err := off.PutGob("kind/key", want); err != nil || off.GetGob("kind/key", &got) {
		t.Errorf("a disabled store stored or hit: %v", err)
	}
}

// TestBytes: a bytes entry round-trips as it was given, empty included,
// and a disabled store keeps none.
func TestBytes(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	if _, ok := s.GetBytes("kind/key"); ok {
		t.Fatal("hit in an empty store")
	}
	want := []byte("x\x00\xff{}\n")
	if err := s.PutBytes("kind/key", want); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.GetBytes("kind/key"); !ok || !bytes.Equal(got, want) {
		t.Errorf("GetBytes after PutBytes = %q, %v; want %q", got, ok, want)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "v1", "kind", "key.bin")); err != nil {
		t.Errorf("entry not where the layout says: %v", err)
	}
	if err := s.PutBytes("kind/key", nil); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.GetBytes("kind/key"); !ok || len(got) != 0 {
		t.Errorf("GetBytes of an empty entry = %q, %v", got, ok)
	}
	// Streamed: what write writes; a write that fails leaves the entry
	// as it was.
	if err := s.PutBytesWith("kind/key", func(w io.Writer) error {
		io.WriteString(w, "a")
		_, err := io.WriteString(w, "b")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutBytesWith("kind/key", func(w io.Writer) error {
		io.WriteString(w, "partial")
		return errors.New("encoding failed")
	}); err == nil {
		t.Error("PutBytesWith: no error from a failing write")
	}
	if got, ok := s.GetBytes("kind/key"); !ok || string(got) != "ab" {
		t.Errorf("GetBytes after a failed PutBytesWith = %q, %v; want \"ab\"", got, ok)
	}
	if err := s.PutBytes("../up", want); err == nil {
		t.Error("PutBytes accepted a name outside the store")
	}
	var off Store
	if err := off.PutBytes("kind/key", want); err != nil {
		t.Error(err)
	}
	if _, ok := off.GetBytes("kind/key"); ok {
		t.Error("a disabled store hit")
	}
}

// TestPrune: the most recently written entries of a directory stay,
// the others go; another process's temporary file is left alone.
func TestPrune(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	base := time.Now().Add(-time.Hour)
	for i, n := range []string{"e0", "e1", "e2", "e3", "e4"} {
		if err := s.PutBytes("slot/"+n, []byte(n)); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(s.Dir, "v1", "slot", n+".bin")
		at := base.Add(time.Duration(i) * time.Minute)
		os.Chtimes(f, at, at)
	}
	tmp := filepath.Join(s.Dir, "v1", "slot", ".e5.bin.123.tmp")
	os.WriteFile(tmp, nil, 0o644)
	s.Prune("slot", 3)
	for _, n := range []string{"e2", "e3", "e4"} {
		if _, ok := s.GetBytes("slot/" + n); !ok {
			t.Errorf("%s, among the three newest, was removed", n)
		}
	}
	for _, n := range []string{"e0", "e1"} {
		if _, ok := s.GetBytes("slot/" + n); ok {
			t.Errorf("%s, older than the three newest, was kept", n)
		}
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Errorf("a temporary file was removed: %v", err)
	}
	s.Prune("missing", 1) // nothing to prune: no panic, no error
	Store{}.Prune("slot", 0)
}

// TestToolID: the running executable's ID is its Go build ID, as go tool
// buildid reads it; a file that is not ELF has none.
func TestToolID(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the build ID is read from ELF executables only")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err)
	}
	want := strings.TrimSpace(string(out))
	if got := ToolID(); got == "" || got != want {
		t.Errorf("ToolID() = %q, want go tool buildid's %q", got, want)
	}
	notELF := filepath.Join(t.TempDir(), "script")
	os.WriteFile(notELF, []byte("#!/bin/sh\n"), 0o755)
	if id := buildID(notELF); id != "" {
		t.Errorf("buildID of a shell script = %q, want none", id)
	}
	if id := buildID(filepath.Join(t.TempDir(), "missing")); id != "" {
		t.Errorf("buildID of a missing file = %q, want none", id)
	}
}

// BenchmarkGetSet reads a set of 1,000 module entries as JSON and as gob.
func BenchmarkGetSet(b *testing.B) {
	type info struct {
		ZipSize                int64
		SHA256, SHA512, H1, D  string
		Licenses, LicenseFiles []string
	}
	infos := make([]info, 1000)
	for i := range infos {
		infos[i] = info{int64(i), strings.Repeat("a", 64), strings.Repeat("b", 128), "h1:" + strings.Repeat("c", 44), "licensecheck@v0.3.1/detector", []string{"Apache-2.0"}, []string{"LICENSE"}}
	}
	s := Store{Dir: b.TempDir()}
	s.Put("sets/x", infos)
	s.PutGob("sets/x", infos)
	for _, codec := range []struct {
		name string
		get  func(string, any) bool
	}{{"json", s.Get}, {"gob", s.GetGob}} {
		b.Run(codec.name, func(b *testing.B) {
			for b.Loop() {
				var v []info
				if !codec.get("sets/x", &v) || len(v) != 1000 {
					b.Fatal("miss")
				}
			}
		})
	}
}
