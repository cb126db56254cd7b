// Package licenses detects the licences of a Go module from its licence
// files, the way pkg.go.dev does: files at the module root with a
// conventional licence file name, classified with github.com/google/licensecheck
// and accepted when the known licence texts cover at least 75% of the file.
//
// The result feeds the "declared"/"concluded" licence fields of SBOMs and the
// licence column of the SOUP register.
package licenses

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/google/licensecheck"
)

// Detector names the detection method; caches keyed on module versions
// store it so that a change of method invalidates them.
const Detector = "licensecheck@v0.3.1/root-files/75"

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

// IsLicenseFile reports whether name (a base name) is a licence file name.
func IsLicenseFile(name string) bool { return fileNames[strings.ToLower(name)] }

// Result is what was found in a module.
type Result struct {
	// IDs are the SPDX identifiers detected, sorted and deduplicated.
	IDs []string `json:"ids,omitempty"`
	// Files are the licence files looked at, sorted, relative to the
	// module root, whether or not a licence was recognised in them.
	Files []string `json:"files,omitempty"`
}

// Scan classifies one licence text and returns the SPDX identifiers found,
// or nil when the known licences cover less than the threshold.
func Scan(text []byte) []string {
	cov := licensecheck.Scan(text)
	if cov.Percent < threshold {
		return nil
	}
	var ids []string
	for _, m := range cov.Match {
		ids = append(ids, m.ID)
	}
	return ids
}

// A Classifier returns the SPDX identifiers of the licences in a licence
// text. Scan is one; a caller may wrap it in a cache, since building
// licensecheck's scanner costs about a second per process.
type Classifier func(text []byte) []string

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
	var r Result
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
		r.add(name, data, scan)
	}
	r.finish()
	return r, nil
}

// FromFS detects licences at the root of fsys, classifying with scan (Scan
// when nil).
func FromFS(fsys fs.FS, scan Classifier) (Result, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return Result{}, err
	}
	var r Result
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
		r.add(e.Name(), data, scan)
	}
	r.finish()
	return r, nil
}

func (r *Result) add(name string, data []byte, scan Classifier) {
	if scan == nil {
		scan = Scan
	}
	r.Files = append(r.Files, name)
	r.IDs = append(r.IDs, scan(data)...)
}

func (r *Result) finish() {
	slices.Sort(r.IDs)
	r.IDs = slices.Compact(r.IDs)
	slices.Sort(r.Files)
}
