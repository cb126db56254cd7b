package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// TestProgressBarSilent: a standard error that is not a terminal (a
// buffer, a pipe, a file: scripts and CI) gets no progress at all.
func TestProgressBarSilent(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(t.TempDir() + "/stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, out := range map[string]interface{ Write([]byte) (int, error) }{"buffer": new(bytes.Buffer), "pipe": w, "file": file} {
		if progress, finish := progressBar(out, "hashing"); progress != nil {
			t.Errorf("%s: a progress function for a standard error that is not a terminal", name)
		} else {
			finish()
		}
	}
	if fi, _ := file.Stat(); fi.Size() != 0 {
		t.Errorf("%d bytes written to a file", fi.Size())
	}
}

// TestProgressBar: on a terminal, work that ends before the delay draws
// nothing; longer work draws a bar with its description and count, which
// finish removes.
func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	progress, finish := newBar(&out, "hashing", time.Hour)
	for i := range 11 {
		progress(i, 10)
	}
	finish()
	if out.Len() != 0 {
		t.Errorf("quick work drew %q", out.String())
	}
	progress, finish = newBar(&out, "hashing", 0)
	for i := range 6 {
		progress(i, 10)
	}
	if s := out.String(); !strings.Contains(s, "hashing") || !strings.Contains(s, "/10") {
		t.Errorf("bar drawn as %q, want the description and the count", s)
	}
	n := out.Len()
	finish()
	if out.Len() == n || !strings.HasSuffix(out.String(), "\r") {
		t.Errorf("finish did not clear the bar: %q", out.String()[n:])
	}
}
