// Package inventory defines the inventory of configuration items that a Go
// code base is built from: the contract between discovery and everything
// that records it (the SOUP register, SBOMs, release manifests).
//
// In IEC 62304 terms an Inventory is the identification half of
// configuration management (clause 8.1): it lists every SOUP item a build
// uses (8.1.2: title, manufacturer hint, unique designator) and the product's
// own first-party modules, each at one exact version, together with the
// dependency relationships between them (8.1.3) and the build context that
// selected them (5.1.10, 5.8.5). In SBOM terms it carries the NTIA minimum
// elements that can be known from code: component name, version, other
// unique identifiers (package URL, go.sum hash, file digests) and dependency
// relationships.
//
// An Inventory is plain data. It is produced by package discover in one of
// three modes (see Mode) and is deterministic: components are sorted by ID,
// dependency lists are sorted, and nothing in it depends on the host path of
// the checkout unless a field says so and is excluded from JSON.
package inventory

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/module"
)

// Mode says how an inventory was discovered.
type Mode string

const (
	// Packages: the modules providing packages linked into the named
	// packages for one GOOS/GOARCH/CGO_ENABLED/tags selection (go list -deps).
	// Dependency edges come from package imports: what is built.
	Packages Mode = "packages"
	// Modules: the whole selected module graph (go list -m all, go mod
	// graph), including modules needed only by tests, which are Optional.
	Modules Mode = "modules"
	// Binary: the build information embedded in a Go executable.
	// Dependency edges are not recorded in binaries; see Inventory.EdgesKnown.
	Binary Mode = "binary"
)

// Kind classifies a component.
type Kind string

const (
	// Main is the product: the main module the user named.
	Main Kind = "main"
	// FirstParty is another module of the product itself, such as a further
	// module of a go.work workspace. It is not SOUP.
	FirstParty Kind = "first-party"
	// Module is a third-party Go module: a SOUP item.
	Module Kind = "module"
	// Stdlib is the Go standard library and runtime, named "stdlib" as the Go
	// vulnerability database names it, at the toolchain's version.
	Stdlib Kind = "stdlib"
)

// Scope says whether a component is needed by what ships.
type Scope string

const (
	// Required components are linked into (or needed to build) the product.
	Required Scope = "required"
	// Optional components are in the module graph but needed only by tests
	// or not by any package of the product (modules mode only).
	Optional Scope = "optional"
)

// StdlibID is the ID of the Go standard library component.
const StdlibID = "stdlib"

// Inventory is what a build of a Go code base is made of.
type Inventory struct {
	Mode Mode `json:"mode"`
	// MainID is the ID of the product component (Kind Main).
	MainID string `json:"main"`
	// Components holds every component, the main one included, sorted by ID.
	Components []Component `json:"components"`
	// Dependencies maps a component ID to the sorted IDs it depends on.
	// Components without dependencies have no entry.
	Dependencies map[string][]string `json:"dependencies,omitempty"`
	// EdgesKnown is false when the source (a binary's build information)
	// records no dependency relationships, so Dependencies is incomplete.
	EdgesKnown bool `json:"edgesKnown"`
	// Build is the build context that selected these components.
	Build Build `json:"build"`
	// Warnings say what discovery could not establish, one sentence each,
	// such as digests left out because the module cache holds another zip
	// than the build used. Records made from the inventory are poorer by
	// what they say; the command prints them on standard error.
	Warnings []string `json:"warnings,omitempty"`
}

// Component is one configuration item: a Go module (first- or third-party)
// or the standard library.
type Component struct {
	// ID is unique within the inventory: the module path, or "stdlib".
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Path is the module path as the build graph requires it.
	Path string `json:"path"`
	// Version is the version the module graph selected, exactly as the go
	// command reports it (empty for main and workspace modules; the
	// toolchain version such as "v1.26.8" for stdlib).
	Version string `json:"version,omitempty"`
	// Semantic breaks Version down; nil when Version is empty.
	Semantic *Version `json:"semantic,omitempty"`
	// Time is the version's publication time when the module cache or proxy
	// knows it, else the pseudo-version's commit time; zero when unknown.
	Time time.Time `json:"time,omitzero"`
	// Replace is the replacement actually built in place of Path@Version.
	Replace *Replacement `json:"replace,omitempty"`
	// Sum is the go.sum "h1:" hash of the module's file tree (the dirhash of
	// its zip). It is not a file digest; see Hashes.
	Sum string `json:"sum,omitempty"`
	// GoModSum is the go.sum "h1:" hash of the module's go.mod file.
	GoModSum string `json:"goModSum,omitempty"`
	// DownloadURL is the URL of the module zip that was built (Effective)
	// at the module proxy the go environment asks first for it (GOPROXY,
	// unless GONOPROXY or GOPRIVATE name the path); empty when the go
	// command fetches the module directly or from no proxy (GOPROXY off),
	// so that no location is known, and for the standard library, main
	// modules and directory replacements.
	DownloadURL string `json:"downloadURL,omitempty"`
	// Hashes are digests of the module .zip file that was built, as anyone
	// can recompute them from a module proxy download; empty when the zip
	// is not in the module cache, or when it is not the one built (see
	// DigestsOmitted).
	Hashes []Hash `json:"hashes,omitempty"`
	// DigestsOmitted says why Hashes and Licenses are empty although the
	// module cache holds a zip of the module: its "h1:" hash is not the
	// Sum the build recorded, or the build recorded none, so the zip may
	// not be the code that was built.
	DigestsOmitted string `json:"digestsOmitted,omitempty"`
	// DirSum is the "h1:" hash go.sum would record for a local directory
	// replacement published at Version: the dirhash of the files a module
	// zip of the directory would hold. Empty where the directory is not
	// here (a binary's replacement). First-party modules are identified by
	// their source revision instead (Build.VCS, release manifests).
	DirSum string `json:"dirSum,omitempty"`
	// Licenses are SPDX licence identifiers detected in the module's licence
	// files, sorted and deduplicated.
	Licenses []string `json:"licenses,omitempty"`
	// LicenseFiles names the files the licences were detected in, relative
	// to the module root.
	LicenseFiles []string `json:"licenseFiles,omitempty"`
	// LicenseExpression is the SPDX licence expression the module's
	// licence files state, its authors' declared licence: the one licence
	// they hold, or the combination their texts state ("either ... or",
	// "at your option": OR); empty when they state none (Licenses then
	// lists what was found, with no claim about how it combines).
	LicenseExpression string `json:"licenseExpression,omitempty"`
	// Copyright holds the copyright statements of the licence files, in
	// file order, each once.
	Copyright []string `json:"copyright,omitempty"`
	// PURL is the package URL of what was built (the replacement, when one
	// is a module; the original path, for local directory replacements).
	PURL string `json:"purl"`
	// Direct is true when a first-party component depends on this one
	// directly (in modules mode: when go.mod does not mark it indirect).
	Direct bool  `json:"direct"`
	Scope  Scope `json:"scope"`
	// GoVersion is the go directive of the module's go.mod, when known.
	GoVersion string `json:"goVersion,omitempty"`
	// Packages lists the module's packages linked into the product
	// (packages mode only), sorted.
	Packages []string `json:"packages,omitempty"`
	// Dir is the module's directory on this machine, for tools that read
	// its files. It is host-specific and never serialised.
	Dir string `json:"-"`
}

// Replacement is the module actually built for a replaced requirement.
type Replacement struct {
	// Path is a module path, or a file system path as written in go.mod
	// for a local directory replacement.
	Path string `json:"path"`
	// Version is empty for local directory replacements.
	Version string `json:"version,omitempty"`
	// Local is true for a directory replacement.
	Local bool   `json:"local,omitempty"`
	Sum   string `json:"sum,omitempty"`
}

// Version is the structure of a module version string.
type Version struct {
	// Base is the release the version is or is built on: the whole version
	// for a release, the base of a pseudo-version ("v0.0.0" when none).
	Base string `json:"base"`
	// Pseudo is true for pseudo-versions, which name a commit.
	Pseudo bool `json:"pseudo,omitempty"`
	// Revision and Time identify the commit of a pseudo-version.
	Revision string    `json:"revision,omitempty"`
	Time     time.Time `json:"time,omitzero"`
	// Prerelease is true for pre-release versions (pseudo-versions included).
	Prerelease bool `json:"prerelease,omitempty"`
	// Incompatible marks a v2+ version of a module without a go.mod /vN path.
	Incompatible bool `json:"incompatible,omitempty"`
	// Major is the major version suffix of the module path ("v2"; empty for
	// v0/v1, "v1" for gopkg.in paths ending in .v1).
	Major string `json:"major,omitempty"`
}

// Hash is a file digest.
type Hash struct {
	// Algorithm is "SHA-256" or "SHA-512" (CycloneDX spelling).
	Algorithm string `json:"alg"`
	// Value is lower-case hexadecimal.
	Value string `json:"value"`
}

// Build is the context a build was selected under.
type Build struct {
	// GoVersion is the toolchain, such as "go1.26.8".
	GoVersion  string `json:"goVersion"`
	GOOS       string `json:"goos,omitempty"`
	GOARCH     string `json:"goarch,omitempty"`
	CGOEnabled string `json:"cgoEnabled,omitempty"`
	// Tags are the build tags the user gave (-tags, GOFLAGS), without
	// those the go command adds itself (fips140v1.0 for GOFIPS140).
	Tags []string `json:"tags,omitempty"`
	// FIPS140 is the Go Cryptographic Module version the build uses
	// (GOFIPS140 resolved, such as "v1.0.0-c2097c7c", or "latest" for the
	// toolchain's own source); empty when GOFIPS140 is off.
	FIPS140  string `json:"fips140,omitempty"`
	Trimpath bool   `json:"trimpath,omitempty"`
	// Patterns are the package patterns discovered (packages mode).
	Patterns []string `json:"patterns,omitempty"`
	// Workspace is true when a go.work file selected the main modules.
	Workspace bool `json:"workspace,omitempty"`
	// Vendor is true when packages came from the vendor directory.
	Vendor bool `json:"vendor,omitempty"`
	// Settings are all build settings recorded in a binary, in order.
	Settings []Setting `json:"settings,omitempty"`
	// VCS describes the source revision, when known.
	VCS *VCS `json:"vcs,omitempty"`
	// Binary names the executable a binary-mode inventory was read from,
	// with its digests.
	Binary *File `json:"binary,omitempty"`
}

// Setting is one key=value build setting.
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// VCS is the version-control state of the main module's source.
type VCS struct {
	System   string    `json:"system,omitempty"`
	Revision string    `json:"revision,omitempty"`
	Time     time.Time `json:"time,omitzero"`
	Modified bool      `json:"modified"`
}

// File is a file with its digests.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	Hashes []Hash `json:"hashes"`
}

// Component returns the component with the given ID, or nil.
func (inv *Inventory) Component(id string) *Component {
	i, ok := slices.BinarySearchFunc(inv.Components, id, func(c Component, id string) int {
		return cmp.Compare(c.ID, id)
	})
	if !ok {
		return nil
	}
	return &inv.Components[i]
}

// Main returns the product component.
func (inv *Inventory) Main() *Component { return inv.Component(inv.MainID) }

// SOUP returns the third-party components (modules and the standard
// library), in ID order.
func (inv *Inventory) SOUP() []Component {
	var out []Component
	for _, c := range inv.Components {
		if c.Kind == Module || c.Kind == Stdlib {
			out = append(out, c)
		}
	}
	return out
}

// Sort puts components and dependency lists in their canonical order and
// removes duplicate edges. Producers call it before returning.
func (inv *Inventory) Sort() {
	slices.SortFunc(inv.Components, func(a, b Component) int { return cmp.Compare(a.ID, b.ID) })
	for k, v := range inv.Dependencies {
		slices.Sort(v)
		v = slices.Compact(v)
		if len(v) == 0 {
			delete(inv.Dependencies, k)
			continue
		}
		inv.Dependencies[k] = v
	}
}

// Effective returns the module path and version whose code was built: the
// replacement's for a module replacement, else Path and Version.
func (c *Component) Effective() (path, version string) {
	if c.Replace != nil && !c.Replace.Local {
		return c.Replace.Path, c.Replace.Version
	}
	return c.Path, c.Version
}

// ModuleZip returns the module version whose zip was built (Effective),
// and false when no module zip was: for a component that is not a module,
// a directory replacement, or a version that is empty or the placeholder
// only a directory replacement provides.
func (c *Component) ModuleZip() (path, version string, ok bool) {
	if c.Kind != Module || (c.Replace != nil && c.Replace.Local) {
		return "", "", false
	}
	path, version = c.Effective()
	if version == "" || Placeholder(version) {
		return "", "", false
	}
	return path, version, true
}

// Built identifies the code built as records name it (package URL, SOUP
// register): Effective, except that a directory replacement has no
// version, since the directory's contents are not the required version.
func (c *Component) Built() (path, version string) {
	if c.Replace != nil && c.Replace.Local {
		return c.Path, ""
	}
	return c.Effective()
}

// Placeholder reports whether version is the placeholder pseudo-version
// that go.mod files use to require a module only a directory replacement
// provides (module.ZeroPseudoVersion, such as
// "v0.0.0-00010101000000-000000000000"). It names no code, so records
// must not present it as the component's version.
func Placeholder(version string) bool {
	if !module.IsPseudoVersion(version) {
		return false
	}
	rev, err := module.PseudoVersionRev(version)
	if err != nil || strings.Trim(rev, "0") != "" {
		return false
	}
	t, err := module.PseudoVersionTime(version)
	return err == nil && t.Equal(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))
}
