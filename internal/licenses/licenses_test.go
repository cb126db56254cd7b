package licenses

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const mit = `MIT License

Copyright (c) 2024 Someone

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`

const isc = `ISC License

Copyright (c) 2024 Someone

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
`

func TestFromDir(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"LICENSE-MIT":   mit,
		"copying.txt":   isc,                                  // names compare case-insensitively
		"LICENSE.md":    "All rights reserved. Ask us first.", // a licence file, no known licence
		"README.md":     mit,                                  // not a licence file name
		"sub/LICENSE":   mit,                                  // not at the root
		"NOTLICENSE":    mit,
		"MIT-LICENSE.x": mit,
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := FromDir(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ISC", "MIT"}; !slices.Equal(r.IDs, want) {
		t.Errorf("IDs = %v, want %v", r.IDs, want)
	}
	if want := []string{"LICENSE-MIT", "LICENSE.md", "copying.txt"}; !slices.Equal(r.Files, want) {
		t.Errorf("Files = %v, want %v", r.Files, want)
	}
}

func TestFromZip(t *testing.T) {
	name := filepath.Join(t.TempDir(), "m.zip")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for file, text := range map[string]string{
		"example.com/m@v1.0.0/LICENSE":     mit,
		"example.com/m@v1.0.0/sub/LICENSE": isc, // a package's, not the module's
		"example.com/m@v1.0.0/m.go":        "package m",
	} {
		w, err := zw.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(text))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := FromZip(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.IDs, []string{"MIT"}) || !slices.Equal(r.Files, []string{"LICENSE"}) {
		t.Errorf("FromZip = %+v, want MIT from LICENSE only", r)
	}
	if _, err := FromZip(filepath.Join(t.TempDir(), "missing.zip"), nil); err == nil {
		t.Error("FromZip of a missing file: no error")
	}
}

func TestScanThreshold(t *testing.T) {
	if ids := Scan([]byte(mit)); !slices.Equal(ids, []string{"MIT"}) {
		t.Errorf("Scan(MIT) = %v", ids)
	}
	// The MIT text buried in as much unrelated text is under 75% coverage.
	padded := mit + strings.Repeat("This paragraph is about something else entirely. ", 60)
	if ids := Scan([]byte(padded)); ids != nil {
		t.Errorf("Scan(mostly other text) = %v, want nothing under the 75%% threshold", ids)
	}
}
