package sbom

import (
	"path"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/baseline-cm/baseline/internal/modcache"
	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/inventory"
)

// The properties of the CycloneDX property taxonomy's bsi namespace that
// BSI TR-03183-2 v2.1 (section 5.2.2) asks of every component.
const (
	// BSIFilename is the actual file name of the component's deployable
	// form (not a path): a module's zip ("v1.2.3.zip"), a binary's name.
	BSIFilename = "bsi:component:filename"
	// BSIExecutable is "executable" or "non-executable".
	BSIExecutable = "bsi:component:executable"
	// BSIArchive is "archive" or "no archive".
	BSIArchive = "bsi:component:archive"
	// BSIStructured is "structured" or "unstructured": whether the
	// metadata of the contents is still present.
	BSIStructured = "bsi:component:structured"
)

// deployable is the deployable form of a component: the file a user of
// the SBOM can fetch or find, with its digests.
type deployable struct {
	// url is where it is published (CycloneDX distribution reference,
	// SPDX download location); "" when nowhere.
	url string
	// source is the URI of its source code (CycloneDX
	// source-distribution): a module zip is its own source.
	source string
	// file is its file name; "" when there is no file.
	file                          string
	hashes                        []inventory.Hash
	executable, archive, structed bool
}

// deployableOf returns the deployable form of c, the main component when
// main is true (the executable, in binary mode), and whether it has one.
// A module's deployable form is its module zip as the module proxy serves
// it: a non-executable, structured archive holding the module's source.
// The standard library is part of the Go toolchain and a main module of
// source discovery is not built yet: neither has one.
func deployableOf(inv *inventory.Inventory, c *inventory.Component, main bool) (deployable, bool) {
	if main {
		b := inv.Build.Binary
		if b == nil {
			return deployable{}, false
		}
		// A Go executable records its build information (the modules it
		// holds): structured.
		return deployable{file: path.Base(strings.ReplaceAll(b.Name, `\`, "/")), hashes: b.Hashes, executable: true, structed: true}, true
	}
	_, v, ok := c.ModuleZip()
	if !ok {
		return deployable{}, false
	}
	file, err := modcache.ZipName(v)
	if err != nil {
		return deployable{}, false
	}
	// Its location is where the go environment fetches it from
	// (inventory.Component.DownloadURL): none is stated for a module
	// fetched directly.
	u := c.DownloadURL
	return deployable{url: u, source: u, file: file, hashes: c.Hashes, archive: true, structed: true}, true
}

// bsiProperties are the TR's properties of a deployable form.
func (d deployable) bsiProperties() []property {
	var props []property
	if d.file != "" {
		props = append(props, property{BSIFilename, d.file})
	}
	props = append(props,
		property{BSIExecutable, choose(d.executable, "executable", "non-executable")},
		property{BSIArchive, choose(d.archive, "archive", "no archive")},
		property{BSIStructured, choose(d.structed, "structured", "unstructured")})
	return props
}

func choose(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// stdlibCPE is the CPE the NVD uses for the Go toolchain and standard
// library (cpe:2.3:a:golang:go:1.26.8:*:...), for the stdlib component at
// version v ("v1.26.8", "v1.27.0-rc.1"); "" for a version the NVD does
// not name (a devel toolchain). No CPE is derived for modules: the NVD
// assigns none by module path.
func stdlibCPE(v string) string {
	if !semver.IsValid(v) || semver.Build(v) != "" {
		return ""
	}
	base := strings.TrimPrefix(strings.TrimSuffix(v, semver.Prerelease(v)), "v")
	update := "*"
	if pre := semver.Prerelease(v); pre != "" {
		// v1.27.0-rc.1 is go1.27rc1: the NVD's update field "rc1".
		update = strings.ReplaceAll(strings.TrimPrefix(pre, "-"), ".", "")
	}
	return "cpe:2.3:a:golang:go:" + base + ":" + update + ":*:*:*:*:*:*"
}

// productPURL is the package URL of the product at its version: the main
// module's path and version in Go's "v" form (pkg:golang/example.com/m@v1.2.3),
// so that every release of the product has its own identity; without a
// version, the module's package URL.
func productPURL(c *inventory.Component, version string) string {
	if version == "" {
		return c.PURL
	}
	p, _ := c.Built()
	if !strings.HasPrefix(version, "v") && semver.IsValid("v"+version) {
		version = "v" + version
	}
	return modpath.PackageURL(p, version)
}
