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
	// Two files, two licences, no word on how they combine: no expression.
	if r.Expression != "" {
		t.Errorf("Expression = %q, want none: no text says how MIT and ISC combine", r.Expression)
	}
	if want := []string{"Copyright (c) 2024 Someone"}; !slices.Equal(r.Copyright, want) {
		t.Errorf("Copyright = %q, want %q", r.Copyright, want)
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
	if txt := Scan([]byte(mit)); !slices.Equal(txt.IDs, []string{"MIT"}) || txt.Expression != "MIT" {
		t.Errorf("Scan(MIT) = %+v", txt)
	}
	// The MIT text buried in as much unrelated text is under 75% coverage.
	padded := mit + strings.Repeat("This paragraph is about something else entirely. ", 60)
	if txt := Scan([]byte(padded)); txt.IDs != nil || txt.Expression != "" {
		t.Errorf("Scan(mostly other text) = %+v, want nothing under the 75%% threshold", txt)
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStatedExpression: OR only when the words outside the licence texts
// say the user may choose, AND only when they say all apply; otherwise
// no expression. Deprecated GNU identifiers become -only or -or-later as
// the text says; the templates' own copyright lines are not statements.
func TestStatedExpression(t *testing.T) {
	apache, gpl := readTestdata(t, "Apache-2.0.txt"), readTestdata(t, "GPL-2.0.txt")
	for _, tc := range []struct {
		name, text string
		ids        []string
		expr       string
		copyright  []string
	}{
		{"bare GPL", gpl, []string{"GPL-2.0-only"}, "GPL-2.0-only", nil},
		{"GPL or later", "This program is free software; you can redistribute it under the terms of the\nGNU General Public License, version 2, or (at your option) any later version.\n\n" + gpl,
			[]string{"GPL-2.0-or-later"}, "GPL-2.0-or-later", nil},
		{"at your option, either", "The source code may be used, at your option, under either:\n* Apache License, version 2.0 (Apache-2.0), OR\n* GNU General Public License, version 2.0 or later (GPL-2.0-or-later).\n\nCopies of both licenses are included below.\n\n" + apache + "\n\n" + gpl,
			[]string{"Apache-2.0", "GPL-2.0-or-later"}, "Apache-2.0 OR GPL-2.0-or-later", nil},
		{"both texts, no word on them", apache + "\n\n" + mit, []string{"Apache-2.0", "MIT"}, "", []string{"Copyright (c) 2024 Someone"}},
		{"all apply", "Each of the following licences applies to this software.\n\n" + apache + "\n\n" + mit, []string{"Apache-2.0", "MIT"}, "Apache-2.0 AND MIT", []string{"Copyright (c) 2024 Someone"}},
		{"copyright in prose", "The following files carry the additional\ncopyright starting in 2011 when the project was ported:\n\nCopyright (c) 2006 Kirill Simonov\nCopyright © 2011-2019 Canonical Ltd\n\n" + mit, []string{"MIT"}, "MIT", []string{"Copyright (c) 2006 Kirill Simonov", "Copyright © 2011-2019 Canonical Ltd", "Copyright (c) 2024 Someone"}},
		{"identifier line", "SPDX-License-Identifier: mit OR Apache-2.0\n\n" + mit, []string{"MIT"}, "MIT OR Apache-2.0", []string{"Copyright (c) 2024 Someone"}},
	} {
		got := Scan([]byte(tc.text))
		if !slices.Equal(got.IDs, tc.ids) || got.Expression != tc.expr || !slices.Equal(got.Copyright, tc.copyright) {
			t.Errorf("%s: Scan = %+v, want IDs %v expression %q copyright %q", tc.name, got, tc.ids, tc.expr, tc.copyright)
		}
	}
}

// TestEveryLicenceFile: every licence file at the root counts, variants
// such as LICENSE-SQLITE_VEC included; one expression stated by every
// file is the module's, different ones give none.
func TestEveryLicenceFile(t *testing.T) {
	apache := readTestdata(t, "Apache-2.0.txt")
	for _, tc := range []struct {
		name   string
		files  map[string]string
		ids    []string
		files2 []string
		expr   string
	}{
		{"same licence twice", map[string]string{"LICENSE": mit, "LICENSE-SQLITE_VEC": mit}, []string{"MIT"}, []string{"LICENSE", "LICENSE-SQLITE_VEC"}, "MIT"},
		{"code and docs", map[string]string{"LICENSE.code": apache, "LICENSE.docs": mit, "COPYING-extra": isc}, []string{"Apache-2.0", "ISC", "MIT"}, []string{"COPYING-extra", "LICENSE.code", "LICENSE.docs"}, ""},
		{"not Go source", map[string]string{"LICENSE": mit, "license_test.go": mit, "licence-check.go": isc}, []string{"MIT"}, []string{"LICENSE"}, "MIT"},
	} {
		dir := t.TempDir()
		for name, text := range tc.files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := FromDir(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.IDs, tc.ids) || !slices.Equal(r.Files, tc.files2) || r.Expression != tc.expr {
			t.Errorf("%s: %+v, want IDs %v files %v expression %q", tc.name, r, tc.ids, tc.files2, tc.expr)
		}
	}
}
