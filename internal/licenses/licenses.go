// Package licenses detects the licences of a Go module from its licence
// files, the way pkg.go.dev does: every file at the module root with a
// conventional licence file name (and the variants LICENSE-*, LICENCE-*,
// COPYING-*), classified with github.com/google/licensecheck and accepted
// when the known licence texts cover at least 75% of the file.
//
// What the files say is the licence their authors declared (an SBOM's
// declared licence; the manufacturer's concluded one is the SOUP
// register's). A file's expression is the one licence it holds, or the
// combination its own words state outside the licence texts: OR when they
// say the user may choose ("at your option", "either ... or", "dual
// licensed"), AND when they say all apply ("each of the following", "all
// of the following"); otherwise none, and only the licences found are
// reported (also when licensecheck's match of a licence text takes in the
// authors' words before it: no expression rather than a guessed one). An
// SPDX-License-Identifier line states it explicitly. The
// module's expression is the one expression all its licence files state,
// or none. Deprecated SPDX identifiers never come out: licensecheck's
// "GPL-2.0" becomes GPL-2.0-or-later when the text outside the licence
// says "or later", else GPL-2.0-only. Copyright statements ("Copyright
// 2009 The Go Authors") are collected from the files, without those of
// the licence templates themselves.
//
// The result feeds the declared licence fields of SBOMs and the licence
// the SOUP register proposes.
package licenses

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/google/licensecheck"

	"github.com/baseline-cm/baseline/internal/spdxexpr"
)

// Detector names the detection method; caches keyed on module versions
// store it so that a change of method invalidates them.
const Detector = "licensecheck@v0.3.1/root-files+variants/75/expression+copyright/v2"

// threshold is the minimum coverage (percent) for a file to count, as on
// pkg.go.dev.
const threshold = 75

// maxFileSize bounds how much of one licence file is read.
const maxFileSize = 1 << 20

// fileNames are the licence file names looked for at a module root, compared
// case-insensitively (the list pkg.go.dev uses).
var fileNames = func() map[string]bool {
	m := map[string]bool{}
	for _, base := range []string{"LICENSE", "LICENCE"} {
		for _, suffix := range []string{"", ".md", ".markdown", ".txt", "-2.0.txt", "-APACHE", "-APACHE-2.0.txt", "-MIT", ".MIT", ".code", ".docs", ".rst"} {
			m[strings.ToLower(base+suffix)] = true
		}
		for _, mit := range []string{"MIT-", "MIT_"} {
			m[strings.ToLower(mit+base)] = true
		}
		for _, suffix := range []string{".md", ".markdown", ".txt"} {
			m[strings.ToLower("MIT-"+base+suffix)] = true
		}
		m[strings.ToLower("UN"+base)] = true
	}
	for _, suffix := range []string{"", ".md", ".markdown", ".txt"} {
		m[strings.ToLower("COPYING"+suffix)] = true
	}
	return m
}()

// variantPrefixes start licence file names beyond pkg.go.dev's list
// (LICENSE-SQLITE_VEC, COPYING-GPL), compared case-insensitively.
var variantPrefixes = [...]string{"license-", "licence-", "copying-", "license_", "licence_", "copying_"}

// IsLicenseFile reports whether name (a base name) is a licence file name:
// one pkg.go.dev recognises, or a LICENSE-*, LICENCE-* or COPYING-*
// variant (not a Go source file).
func IsLicenseFile(name string) bool {
	l := strings.ToLower(name)
	if fileNames[l] {
		return true
	}
	if strings.HasSuffix(l, ".go") {
		return false
	}
	for _, p := range variantPrefixes {
		if strings.HasPrefix(l, p) && len(l) > len(p) {
			return true
		}
	}
	return false
}

// Result is what was found in a module.
type Result struct {
	// IDs are the SPDX identifiers detected, sorted and deduplicated.
	IDs []string `json:"ids,omitempty"`
	// Files are the licence files looked at, sorted, relative to the
	// module root, whether or not a licence was recognised in them.
	Files []string `json:"files,omitempty"`
	// Expression is the licence expression the files state: the one
	// expression every file with a licence states; "" when they state
	// none or different ones (IDs then lists what was found).
	Expression string `json:"expression,omitempty"`
	// Copyright are the copyright statements of the files, in file
	// order, each once.
	Copyright []string `json:"copyright,omitempty"`
}

// Text is what one licence text says.
type Text struct {
	// IDs are the current SPDX identifiers of the licences found, sorted.
	IDs []string `json:"ids,omitempty"`
	// Expression is the expression the text states, "" for none.
	Expression string `json:"expression,omitempty"`
	// Copyright are its copyright statements, in order.
	Copyright []string `json:"copyright,omitempty"`
}

// A Classifier says what a licence text holds. Scan is one; a caller may
// wrap it in a cache, since building licensecheck's scanner costs about a
// second per process.
type Classifier func(text []byte) Text

// Scan classifies one licence text: the licences found (none when the
// known licences cover less than the threshold), the expression the text
// states, and its copyright statements.
func Scan(text []byte) Text {
	var t Text
	cov := licensecheck.Scan(text)
	var spans, gnu [][2]int
	if cov.Percent >= threshold {
		for _, m := range cov.Match {
			spans = append(spans, [2]int{m.Start, m.End})
			if isGNU(m.ID) {
				gnu = append(gnu, [2]int{m.Start, m.End})
			}
		}
	}
	outside := outsideSpans(text, spans)
	if cov.Percent >= threshold {
		for _, m := range cov.Match {
			t.IDs = append(t.IDs, current(m.ID, outside))
		}
		slices.Sort(t.IDs)
		t.IDs = slices.Compact(t.IDs)
		t.Expression = statedExpression(t.IDs, outside)
	}
	if e := identifierLine(text); e != "" {
		t.Expression = e
	}
	t.Copyright = copyrights(text, gnu)
	return t
}

// file is a licence file's name and content.
type file struct {
	name string
	data []byte
}

// FromDir detects the licences of the module rooted at dir, classifying
// with scan (Scan when nil).
func FromDir(dir string, scan Classifier) (Result, error) { return FromFS(os.DirFS(dir), scan) }

// FromZip detects the licences of a module from its module zip file, whose
// entries are prefixed "path@version/", classifying with scan (Scan when
// nil).
func FromZip(zipFile string, scan Classifier) (Result, error) {
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		return Result{}, err
	}
	defer z.Close()
	var files []file
	for _, f := range z.File {
		// Module zip entries are "module/path@version/rel/path"; versions
		// have no slash, so the module root starts after the first slash
		// that follows the "@".
		at := strings.Index(f.Name, "@")
		if at < 0 {
			continue
		}
		_, name, ok := strings.Cut(f.Name[at:], "/")
		if !ok || strings.Contains(name, "/") || !IsLicenseFile(name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return Result{}, err
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxFileSize))
		rc.Close()
		if err != nil {
			return Result{}, err
		}
		files = append(files, file{name, data})
	}
	return result(files, scan), nil
}

// FromFS detects licences at the root of fsys, classifying with scan (Scan
// when nil).
func FromFS(fsys fs.FS, scan Classifier) (Result, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return Result{}, err
	}
	var files []file
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsLicenseFile(e.Name()) {
			continue
		}
		f, err := fsys.Open(path.Clean(e.Name()))
		if err != nil {
			return Result{}, err
		}
		data, err := io.ReadAll(io.LimitReader(f, maxFileSize))
		f.Close()
		if err != nil {
			return Result{}, err
		}
		files = append(files, file{e.Name(), data})
	}
	return result(files, scan), nil
}

// result classifies files in name order and decides the module's
// expression: the one every file with a licence states. Files that state
// different expressions (code under one licence, documentation under
// another) do not say how they combine: no expression.
func result(files []file, scan Classifier) Result {
	if scan == nil {
		scan = Scan
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.name, b.name) })
	var r Result
	var exprs []string
	for _, f := range files {
		r.Files = append(r.Files, f.name)
		t := scan(f.data)
		r.IDs = append(r.IDs, t.IDs...)
		if len(t.IDs) > 0 || t.Expression != "" {
			exprs = append(exprs, t.Expression)
		}
		for _, c := range t.Copyright {
			if !slices.Contains(r.Copyright, c) {
				r.Copyright = append(r.Copyright, c)
			}
		}
	}
	slices.Sort(r.IDs)
	r.IDs = slices.Compact(r.IDs)
	for i, e := range exprs {
		if e == "" || (i > 0 && e != exprs[0]) {
			r.Expression = ""
			break
		}
		r.Expression = e
	}
	return r
}

// outsideSpans is text with the spans cut out, each replaced by a line
// break: the words a file's authors wrote around the licence texts.
func outsideSpans(text []byte, spans [][2]int) string {
	var b strings.Builder
	at := 0
	for _, s := range spans {
		if s[0] > at {
			b.Write(text[at:s[0]])
		}
		b.WriteByte('\n')
		at = max(at, s[1])
	}
	if at < len(text) {
		b.Write(text[at:])
	}
	return b.String()
}

// isGNU reports whether id is a GNU licence, whose text carries the Free
// Software Foundation's copyright and "or (at your option) any later
// version" in its own appendix.
func isGNU(id string) bool {
	for _, p := range []string{"GPL", "LGPL", "AGPL", "GFDL"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

var orLater = regexp.MustCompile(`(?i)\bor\s+(\(at\s+your\s+option\)\s+|,?\s*at\s+your\s+option,?\s+)?(any\s+)?later(\s+version)?\b|-or-later\b|\bv?[0-9.]+\+`)

// current returns the current SPDX identifier for a licensecheck ID: a
// deprecated GNU identifier ("GPL-2.0") becomes "-or-later" when the
// words outside the licence texts say so, else "-only"; an ID that is not
// on the SPDX licence list becomes a LicenseRef-.
func current(id, outside string) string {
	if spdxexpr.Validate(id) == nil {
		return id
	}
	if isGNU(id) && strings.Count(id, "-") == 1 {
		if orLater.MatchString(outside) {
			if spdxexpr.Validate(id+"-or-later") == nil {
				return id + "-or-later"
			}
		} else if spdxexpr.Validate(id+"-only") == nil {
			return id + "-only"
		}
	}
	b := []byte(id)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			b[i] = '-'
		}
	}
	return "LicenseRef-licensecheck-" + string(b)
}

var (
	// choice: the authors let the user choose among the licences. The
	// GNU licences' own "or (at your option) any later version" is not
	// a choice among licences (it is cut out with their text, and
	// removed again here when quoted around it).
	choice = regexp.MustCompile(`(?i)\bat\s+(your|the\s+user'?s?)\s+(option|choice|discretion)\b|\beither\b|\bdual(ly)?[\s-]+licen[cs]ed\b|\byour\s+choice\s+of\b|\bone\s+of\s+the\s+following\b|\bchoose\s+(between|either|one)\b`)
	// all: the authors say every licence applies.
	all = regexp.MustCompile(`(?i)\b(each|all|both)\s+of\s+the\s+(following|above)\b|\band\s+also\s+under\b|\bunder\s+both\b`)
)

// statedExpression is the expression a text with licences ids states: the
// one licence, or OR / AND as its authors' words say; "" when they say
// neither (or both).
func statedExpression(ids []string, outside string) string {
	switch len(ids) {
	case 0:
		return ""
	case 1:
		return ids[0]
	}
	words := orLater.ReplaceAllString(outside, " ")
	or, and := choice.MatchString(words), all.MatchString(words)
	op := ""
	switch {
	case or && !and:
		op = " OR "
	case and && !or:
		op = " AND "
	default:
		return ""
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id
		if strings.Contains(id, " ") {
			parts[i] = "(" + id + ")"
		}
	}
	e := strings.Join(parts, op)
	if spdxexpr.Validate(e) != nil {
		return ""
	}
	return e
}

var identifierRE = regexp.MustCompile(`(?m)^\W*SPDX-License-Identifier:\s*(.+?)\s*(\*/)?\s*$`)

// identifierLine returns the expression of a valid SPDX-License-Identifier
// line in text, "" when there is none.
func identifierLine(text []byte) string {
	m := identifierRE.FindSubmatch(text)
	if m == nil {
		return ""
	}
	e, err := spdxexpr.Normalize(string(m[1]))
	if err != nil || spdxexpr.IsSpecial(e) {
		return ""
	}
	return e
}

var (
	// a statement: "Copyright", "(c)" or "©", then a year
	copyrightRE = regexp.MustCompile(`(?i)^\s*(copyright\s*(\(c\)|©)?|\(c\)|©)\s*(19|20)[0-9]{2}\b`)
	// placeholders of licence templates: "Copyright [yyyy] [name of
	// copyright owner]", "Copyright (C) <year>  <name of author>".
	placeholderRE = regexp.MustCompile(`(?i)[\[<{]\s*(yyyy|year|name|fullname|owner|copyright)|\byyyy\b|\bYEAR\b|\{\{`)
	spaceRE       = regexp.MustCompile(`\s+`)
)

// copyrights returns the copyright statements of text, one per line that
// starts with "Copyright", "(c)" or "©" and a year, in order and
// each once; not the templates' placeholders, nor the lines inside the
// GNU licence texts (spans), which are the Free Software Foundation's
// copyright of the licence text.
func copyrights(text []byte, gnu [][2]int) []string {
	var out []string
	off := 0
	for line := range strings.SplitAfterSeq(string(text), "\n") {
		start := off
		off += len(line)
		if !copyrightRE.MatchString(line) || placeholderRE.MatchString(line) {
			continue
		}
		if slices.ContainsFunc(gnu, func(s [2]int) bool { return s[0] <= start && start < s[1] }) {
			continue
		}
		c := strings.TrimSpace(spaceRE.ReplaceAllString(line, " "))
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
