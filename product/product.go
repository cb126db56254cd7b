package product

import (
	"fmt"
	"path"
	"runtime"
	"strings"
	"time"

	"golang.org/x/mod/semver"

	"github.com/baseline-cm/baseline/ident"
)

// FormatVersion is the baseline.yaml format version this package reads
// (the top-level "version:" key).
const FormatVersion = 1

// DefaultFile is the product configuration's file name, at the root of the
// product's repository.
const DefaultFile = "baseline.yaml"

// Defaults of the optional settings.
const (
	DefaultArchive        = "releases"
	DefaultBaselineID     = "BL-{version}"
	DefaultTrailer        = "Change-Request"
	DefaultChangeRequests = "changes/requests"
	DefaultProblemReports = "changes/problems"
	DefaultAnomalies      = "changes/anomalies"
	SemVer                = "semver"
)

// Default identifier schemes.
var (
	DefaultItemIDs    = ident.Scheme{Prefix: "CI-", Width: 3}
	DefaultChangeIDs  = ident.Scheme{Prefix: "CR-", Width: 3}
	DefaultProblemIDs = ident.Scheme{Prefix: "PR-", Width: 3}
	DefaultAnomalyIDs = ident.Scheme{Prefix: "RA-", Width: 3}
)

// Config is a parsed baseline.yaml: the product's configuration-management
// settings. Every optional setting left out holds its documented default
// after parsing, so callers read the fields directly.
type Config struct {
	// File is the file name the configuration was read from, as given.
	File string `json:"-"`
	// Dir is the directory relative paths are resolved against: the
	// directory of File ("." for Parse with a bare name).
	Dir            string          `json:"-"`
	Version        int             `json:"version"`
	Product        Product         `json:"product"`
	Versioning     Versioning      `json:"versioning"`
	Configurations []Configuration `json:"configurations"`
	Items          Items           `json:"items"`
	Records        Records         `json:"records"`
	ChangeControl  ChangeControl   `json:"change_control"`
	// Archive is the directory, relative to Dir, that releases are
	// archived in, one subdirectory per version (IEC 62304 5.8.7).
	Archive string `json:"archive"`
	// BaselineID is the pattern of a release's baseline identifier;
	// "{version}" stands for the release version.
	BaselineID string  `json:"baseline_id"`
	Signing    Signing `json:"signing"`
	// VulnDB is the Go vulnerability database URL (as govulncheck's -db
	// takes it), or "" for none.
	VulnDB string `json:"vulndb,omitempty"`

	lines map[string]int
	todos []TODO
}

// Product identifies the product and the parties the records name. The
// parties are written as the command's --supplier, --manufacturer and
// --author flags take them: "Name <email>" (a person), "Organisation,
// https://url" (an organisation), or both; package sbom's ParseParty
// reads them.
type Product struct {
	Name         string   `json:"name"`
	Manufacturer string   `json:"manufacturer,omitempty"`
	Supplier     string   `json:"supplier,omitempty"`
	Authors      []string `json:"authors,omitempty"`
	Website      string   `json:"website,omitempty"`
	// License is the product's licence, an SPDX licence expression.
	License string `json:"license,omitempty"`
}

// Versioning is the versioning scheme and the project's own definitions
// of its parts (the CM procedure's identification; the seed note asks to
// define major and minor and to map "major" onto a new regulatory
// submission).
type Versioning struct {
	// Scheme is "semver" (semantic versioning, checked with
	// golang.org/x/mod/semver), the only scheme for now.
	Scheme string `json:"scheme"`
	Major  string `json:"major,omitempty"`
	Minor  string `json:"minor,omitempty"`
	Patch  string `json:"patch,omitempty"`
	// Submission is the release type that needs a new regulatory
	// submission: major (default), minor, patch or none.
	Submission string `json:"submission"`
}

// Check reports whether v is a version in the scheme: for semver, a
// semantic version with or without the leading "v" ("1.2.0", "v1.2.0",
// "1.3.0-rc.1").
func (v Versioning) Check(version string) error {
	if Canonical(version) == "" {
		return fmt.Errorf("version %q is not a semantic version (such as 1.2.0)", version)
	}
	return nil
}

// Canonical returns version in golang.org/x/mod/semver's form, with the
// leading "v" and without build metadata, or "" when it is not a
// semantic version. "1.2" is not accepted: a release version has all three
// numbers.
func Canonical(version string) string {
	v := version
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if !semver.IsValid(v) {
		return ""
	}
	core := v
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	if strings.Count(core, ".") != 2 {
		return ""
	}
	return semver.Canonical(v)
}

// Configuration is one build configuration the product is released for:
// the build context discovery runs in. SOUP check and sync work over the
// union of all configurations; a release writes one SBOM pair per
// configuration.
type Configuration struct {
	// Name names the configuration in records and file names
	// (sbom/NAME.cdx.json): letters, digits, '-', '_' and '.'.
	Name string `json:"name"`
	// GOOS and GOARCH are the target; "" is the go command's default.
	GOOS   string `json:"goos,omitempty"`
	GOARCH string `json:"goarch,omitempty"`
	// CGOEnabled is CGO_ENABLED; nil leaves the go command's default.
	CGOEnabled *bool    `json:"cgo_enabled,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	// Patterns are the package patterns of the product's code (default
	// "./...").
	Patterns []string `json:"patterns"`
	// Mode is the discovery mode: packages (default) or modules.
	Mode string `json:"mode"`
	// Flags are further go build flags of the release build procedure
	// (such as -trimpath), recorded in the manifest's build environment.
	Flags []string `json:"flags,omitempty"`

	Line int `json:"-"`
}

// Env returns the go command environment settings of the configuration:
// GOOS, GOARCH and CGO_ENABLED as far as they are set.
func (c Configuration) Env() []string {
	var env []string
	if c.GOOS != "" {
		env = append(env, "GOOS="+c.GOOS)
	}
	if c.GOARCH != "" {
		env = append(env, "GOARCH="+c.GOARCH)
	}
	if c.CGOEnabled != nil {
		if *c.CGOEnabled {
			env = append(env, "CGO_ENABLED=1")
		} else {
			env = append(env, "CGO_ENABLED=0")
		}
	}
	return env
}

// Current returns the configuration used when baseline.yaml lists none:
// the host's GOOS and GOARCH as the go command's defaults, every package
// of the main modules, packages mode.
func Current() Configuration {
	return Configuration{
		Name:     runtime.GOOS + "-" + runtime.GOARCH,
		Patterns: []string{"./..."},
		Mode:     "packages",
	}
}

// Items holds the identifier scheme and the classes of the product's own
// configuration items (IEC 62304 8.1.1; the classes of the CM plan,
// 5.1.9 a).
type Items struct {
	IDs     ident.Scheme `json:"ids"`
	Classes []Class      `json:"classes"`
}

// Item kinds of a class.
const (
	// GoPackage: each Go package of the main modules matching the class's
	// package patterns is one item.
	GoPackage = "go-package"
	// Files: each file matching the class's path globs is one item.
	Files = "files"
)

// Class is a class of the product's own configuration items.
type Class struct {
	// Name: source, object, control-data, assets, documentation, or a
	// class the project defines (letters, digits, '-', '_').
	Name string `json:"name"`
	// Kind is GoPackage or Files (default).
	Kind string `json:"kind"`
	// Paths are package patterns ("./...", "./cmd/...") for GoPackage,
	// path globs relative to the repository root for Files ("docs/**",
	// "*.md", "assets/**/*.png"; "**" matches any number of directories).
	Paths []string `json:"paths"`
	// Exclude are path globs of files (or package directories) left out.
	Exclude []string `json:"exclude,omitempty"`
	// Owner is who is responsible for the class's items (5.1.9 c).
	Owner string `json:"owner,omitempty"`
	// ControlledFrom says when items enter configuration control (5.1.9
	// d), such as "first commit on main".
	ControlledFrom string `json:"controlled_from,omitempty"`
	Description    string `json:"description,omitempty"`

	Line int `json:"-"`
}

// Match reports whether the slash-separated path, relative to the
// repository root, is one of the class's files: it matches a glob of
// Paths and none of Exclude. For GoPackage classes, Match is about the
// package directory and only Exclude applies ("dir/**" excludes the
// package in dir and every one below it); the patterns are the go
// command's.
func (c Class) Match(name string) bool {
	if c.Kind != GoPackage {
		return MatchAny(c.Paths, name) && !MatchAny(c.Exclude, name)
	}
	for _, g := range c.Exclude {
		// For a package directory, "dir/**" excludes dir too: the
		// package and every package below it.
		if Match(g, name) || strings.HasSuffix(g, "/**") && Match(strings.TrimSuffix(g, "/**"), name) {
			return false
		}
	}
	return true
}

// Records says where the change-control records live, relative to the
// repository root (IEC 62304 8.2, 9, 5.8.3).
type Records struct {
	ChangeRequests string `json:"change_requests"`
	ProblemReports string `json:"problem_reports"`
	Anomalies      string `json:"anomalies"`
}

// ChangeControl holds the settings of change control (IEC 62304 8.2).
type ChangeControl struct {
	// Start is where change control starts: a git ref or a date
	// (YYYY-MM-DD or RFC 3339); history before it is not checked. "" for
	// the whole history.
	Start string `json:"start,omitempty"`
	// Trailer is the commit trailer key naming a change request.
	Trailer string `json:"trailer"`
	// IDs, ProblemIDs and AnomalyIDs are the identifier schemes of change
	// requests, problem reports and residual anomalies.
	IDs           ident.Scheme  `json:"ids"`
	ProblemIDs    ident.Scheme  `json:"problem_ids"`
	AnomalyIDs    ident.Scheme  `json:"anomaly_ids"`
	ReleasePolicy ReleasePolicy `json:"release_policy"`
}

// StartTime returns the start of change control as a time when Start is
// a date (YYYY-MM-DD is midnight UTC), or false when it is a ref or empty.
func (c ChangeControl) StartTime() (time.Time, bool) {
	if t, err := time.Parse(time.DateOnly, c.Start); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, c.Start); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// Change kinds a release policy allows per release type.
const (
	ItemAdded    = "item-added"
	ItemRemoved  = "item-removed"
	ItemChanged  = "item-changed"
	SOUPAdded    = "soup-added"
	SOUPRemoved  = "soup-removed"
	SOUPMajor    = "soup-major" // a SOUP item's major version changes (or v0 minor)
	SOUPMinor    = "soup-minor"
	SOUPPatch    = "soup-patch" // patch, pre-release or pseudo-version change
	SOUPOther    = "soup-other" // a version change that is not semver (OS, database...)
	ChangeAll    = "all"
	ReleaseMajor = "major"
	ReleaseMinor = "minor"
	ReleasePatch = "patch"
)

// ChangeKinds lists every change kind, in the documented order.
var ChangeKinds = []string{ItemAdded, ItemRemoved, ItemChanged, SOUPAdded, SOUPRemoved, SOUPMajor, SOUPMinor, SOUPPatch, SOUPOther}

// ReleasePolicy says which kinds of change each release type may contain
// (the change-control check's "release type" finding). Each list holds
// change kinds (ItemAdded...), "all" for every kind.
type ReleasePolicy struct {
	Major []string `json:"major"`
	Minor []string `json:"minor"`
	Patch []string `json:"patch"`
}

// DefaultReleasePolicy: a major release may change anything; a minor one
// anything but a SOUP major upgrade; a patch release only changes items
// and takes SOUP patch and minor upgrades (no item or SOUP added or
// removed).
func DefaultReleasePolicy() ReleasePolicy {
	return ReleasePolicy{
		Major: []string{ChangeAll},
		Minor: []string{ItemAdded, ItemRemoved, ItemChanged, SOUPAdded, SOUPRemoved, SOUPMinor, SOUPPatch, SOUPOther},
		Patch: []string{ItemChanged, SOUPMinor, SOUPPatch, SOUPOther},
	}
}

// Allows reports whether a release of type releaseType (major, minor,
// patch) may contain a change of kind.
func (p ReleasePolicy) Allows(releaseType, kind string) bool {
	var list []string
	switch releaseType {
	case ReleaseMajor:
		list = p.Major
	case ReleaseMinor:
		list = p.Minor
	case ReleasePatch:
		list = p.Patch
	default:
		return true // a first release: everything is added
	}
	for _, k := range list {
		if k == kind || k == ChangeAll {
			return true
		}
	}
	return false
}

// Built-in signature meanings (21 CFR 11.50 a 3).
var BuiltinMeanings = []string{"authored", "reviewed", "approved"}

// Signing holds the signature settings.
type Signing struct {
	// Meanings are project-defined signature meanings in addition to the
	// built-in authored, reviewed and approved.
	Meanings []string `json:"meanings,omitempty"`
}

// AllMeanings returns the built-in meanings followed by the project's.
func (s Signing) AllMeanings() []string {
	return append(append([]string{}, BuiltinMeanings...), s.Meanings...)
}

// BaselineIDFor returns the baseline identifier of a release version.
func (c *Config) BaselineIDFor(version string) string {
	return strings.ReplaceAll(c.BaselineID, "{version}", version)
}

// Path returns a path of the configuration (Archive, a records directory)
// joined to Dir.
func (c *Config) Path(rel string) string {
	if c.Dir == "" {
		return rel
	}
	return path.Join(c.Dir, rel)
}

// Line returns the line of a field path ("product.supplier",
// "configurations.1.goos", "items.classes.0.paths"), or 0 when the field
// is not in the file. With File it places a problem that a caller finds in
// a value (an sbom.ParseParty error): fmt.Sprintf("%s:%d: %s: ...",
// c.File, c.Line(f), f).
func (c *Config) Line(field string) int { return c.lines[field] }

// TODO is a value starting with "TODO" that a person must still fill in
// (baseline init writes them).
type TODO struct {
	Field string
	Line  int
	Text  string
}

func (t TODO) String() string { return fmt.Sprintf("%d: %s: %s", t.Line, t.Field, t.Text) }

// TODOs returns the TODO markers left in the file, in file order.
func (c *Config) TODOs() []TODO { return c.todos }

// IsTODO reports whether a value is a TODO marker.
func IsTODO(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "TODO") }

// Error is a problem at one place of baseline.yaml. Its text is
// "FILE:LINE: FIELD: what is wrong". Parse and Load return every Error
// found, joined with errors.Join; use errors.As to get the first one.
type Error struct {
	File string
	// Line is 0 when the problem has no line (an empty file).
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	r := strings.NewReplacer("\r", `\r`, "\n", `\n`)
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, r.Replace(e.Field), r.Replace(e.Msg))
	}
	return fmt.Sprintf("%s: %s: %s", e.File, r.Replace(e.Field), r.Replace(e.Msg))
}
