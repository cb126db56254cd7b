package product

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/baseline-cm/baseline/internal/git"
	"github.com/baseline-cm/baseline/internal/licensecache"
	"github.com/baseline-cm/baseline/internal/licenses"
	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/internal/store"
)

// Facts are what can be learnt of a repository for a starting
// baseline.yaml (Learn); every field may be empty.
type Facts struct {
	// ModulePath is the main module's path (go.mod).
	ModulePath string
	// Name is a name for the product: the module path's last element.
	Name string
	// Website is the module's repository or web page.
	Website string
	// License is the SPDX expression detected in the licence files at the
	// root, LicenseFile the file it was found in.
	License, LicenseFile string
	// Author is "Name <email>" of the latest commit's author.
	Author string
	// GOOS and GOARCH are the host's, for the first configuration.
	GOOS, GOARCH string
	// Docs, Assets are directories found at the root that hold
	// documentation (docs, doc) and assets (assets, static, web);
	// Markdown is true when the root holds Markdown files.
	Docs, Assets []string
	Markdown     bool
}

// Learn gathers Facts of the repository at dir, reading only: go.mod, the
// licence files at the root (package licensecheck's classification,
// remembered by the text's digest in baseline's cache directory, as
// discovery's are), the latest commit's author (git, read-only) and the
// directory listing.
func Learn(ctx context.Context, dir string) (Facts, error) {
	f := Facts{GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	switch {
	case err == nil:
		mf, err := modfile.ParseLax(filepath.Join(dir, "go.mod"), data, nil)
		if err != nil {
			return f, err
		}
		if mf.Module != nil {
			f.ModulePath = mf.Module.Mod.Path
			f.Name = f.ModulePath[strings.LastIndexByte(f.ModulePath, '/')+1:]
			if r := modpath.Repository(f.ModulePath); r != "" {
				f.Website = r
			}
		}
	case !errors.Is(err, os.ErrNotExist):
		return f, err
	}
	if f.Name == "" {
		abs, _ := filepath.Abs(dir)
		f.Name = filepath.Base(abs)
	}
	// Classified through baseline's licence-text cache, as discovery's are:
	// a text seen before is not classified again.
	classify := licensecache.Classifier(store.Open("", false), licenses.Detector, licenses.Scan)
	if res, err := licenses.FromDir(dir, classify); err == nil && len(res.IDs) > 0 {
		f.License = strings.Join(res.IDs, " AND ")
		if len(res.Files) > 0 {
			f.LicenseFile = res.Files[0]
		}
	}
	if out, err := git.Output(ctx, dir, "log", "-1", "--format=%an <%ae>"); err == nil {
		if a := strings.TrimSpace(string(out)); a != "<>" && a != "" {
			f.Author = a
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return f, err
	}
	for _, e := range ents {
		n := e.Name()
		switch {
		case e.IsDir() && (n == "docs" || n == "doc"):
			f.Docs = append(f.Docs, n)
		case e.IsDir() && (n == "assets" || n == "static" || n == "web"):
			f.Assets = append(f.Assets, n)
		case !e.IsDir() && strings.HasSuffix(strings.ToLower(n), ".md"):
			f.Markdown = true
		}
	}
	return f, nil
}

// Starter returns a commented baseline.yaml for facts, with TODO markers
// where a person must decide. It parses (Parse) as it is, so that a
// release can be made before every TODO is resolved; the TODOs are listed
// by Config.TODOs.
func Starter(f Facts) []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	q := strconv.Quote
	w("# baseline.yaml: the product's configuration management settings (IEC 62304\n")
	w("# 5.1.9, 8). Written by baseline init; edit it, and resolve every TODO.\n")
	w("# Reference: go doc github.com/baseline-cm/baseline/product\n")
	w("version: 1\n")
	w("product:\n")
	w("  name: %s  # the product's name in records: confirm it\n", q(f.Name))
	w("  manufacturer: %s\n", q("TODO: the legal manufacturer, \"Organisation, https://url\""))
	w("  supplier: %s\n", q("TODO: the supplier, \"Organisation, https://url\""))
	if f.Author != "" {
		w("  authors: [%s]  # the latest commit's author; the authors of the SBOM data\n", q(f.Author))
	} else {
		w("  authors: [%s]\n", q("TODO: who writes the SBOM data, \"Name <email>\""))
	}
	if f.Website != "" {
		w("  website: %s\n", q(f.Website))
	} else {
		w("  # website: https://example.com/product\n")
	}
	if f.License != "" {
		w("  license: %s  # detected in %s: confirm it\n", q(f.License), f.LicenseFile)
	} else {
		w("  license: %s\n", q("TODO: the product's licence, an SPDX expression (LicenseRef-Proprietary if none)"))
	}
	w("versioning:\n")
	w("  scheme: semver\n")
	w("  major: %s\n", q("TODO: what makes a major release (for example a change of intended use)"))
	w("  minor: %s\n", q("TODO: what makes a minor release"))
	w("  patch: %s\n", q("TODO: what makes a patch release"))
	w("  submission: major  # the release type that needs a new regulatory submission\n")
	w("configurations:  # the build configurations the product is released for\n")
	w("  - name: %s-%s\n    goos: %s\n    goarch: %s\n    patterns: [./...]\n", f.GOOS, f.GOARCH, f.GOOS, f.GOARCH)
	w("items:\n")
	w("  ids: {prefix: CI-, width: 3}  # items.yaml identifiers: never change them later\n")
	w("  classes:\n")
	class := func(name, kind string, paths []string) {
		var ps []string
		for _, p := range paths {
			ps = append(ps, q(p))
		}
		w("    - name: %s\n", name)
		if kind != "" {
			w("      kind: %s\n", kind)
		}
		w("      paths: [%s]\n", strings.Join(ps, ", "))
		w("      owner: %s\n", q("TODO: who is responsible for these items"))
		w("      controlled_from: %s\n", q("TODO: when items enter configuration control (such as merge to main)"))
	}
	class("source", GoPackage, []string{"./..."})
	var docs []string
	if f.Markdown {
		docs = append(docs, "*.md")
	}
	for _, d := range f.Docs {
		docs = append(docs, d+"/**")
	}
	if len(docs) > 0 {
		class("documentation", "", docs)
	}
	var assets []string
	for _, d := range f.Assets {
		assets = append(assets, d+"/**")
	}
	if len(assets) > 0 {
		class("assets", "", assets)
	}
	w("    # - name: control-data\n    #   paths: [\"config/*.json\"]\n")
	w("records:  # where change-control records live\n")
	w("  change_requests: %s\n  problem_reports: %s\n  anomalies: %s\n", DefaultChangeRequests, DefaultProblemReports, DefaultAnomalies)
	w("change_control:\n")
	w("  # start: 2024-01-15   # a date or git ref; history before it is not checked\n")
	w("  trailer: %s\n", DefaultTrailer)
	w("archive: %s  # one directory per release\n", DefaultArchive)
	w("baseline_id: %s\n", q(DefaultBaselineID))
	w("# vulndb: https://vuln.go.dev   # the Go vulnerability database; none unless set\n")
	return b.Bytes()
}
