package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/change"
)

// FormatVersion is the manifest format version this package writes and
// reads (the "format" member).
const FormatVersion = 1

// FileName is the manifest's name in a release directory.
const FileName = "manifest.json"

// NotesFileName is the release notes' name in a release directory.
const NotesFileName = "RELEASE-NOTES.md"

// Release types.
const (
	First = "first" // no previous baseline
	Major = "major"
	Minor = "minor"
	Patch = "patch"
)

// Item classes that are not baseline.yaml classes.
const (
	ClassSOUP     = "soup"     // a SOUP item of the register
	ClassSBOM     = "sbom"     // an SBOM document of the release
	ClassArtifact = "artifact" // a delivered file (a binary) given to the release
)

// Manifest is a release baseline: the configuration items of one release,
// each at one version with its digests, the build environment, the
// residual anomalies and the link to the previous baseline.
type Manifest struct {
	Format int `json:"format"`
	// BaselineID identifies the baseline (8.1.3).
	BaselineID string  `json:"baselineId"`
	Product    Product `json:"product"`
	// Version is the release version; ReleaseType is first, major, minor
	// or patch, from Version and the previous baseline's version.
	Version     string `json:"version"`
	ReleaseType string `json:"releaseType"`
	// Submission is true when the release type needs a new regulatory
	// submission under baseline.yaml's versioning.submission.
	Submission bool `json:"submission"`
	// Created is the creation time (SOURCE_DATE_EPOCH), UTC, seconds.
	Created time.Time `json:"created"`
	Tool    Tool      `json:"tool"`
	VCS     VCS       `json:"vcs"`
	// Archive is where the release is archived, relative to the
	// repository root (5.8.7).
	Archive string `json:"archive"`
	// Environments are the build environments, one per configuration
	// (5.8.5).
	Environments []Environment `json:"buildEnvironments"`
	// Items are every configuration item, sorted by class order (own
	// classes as baseline.yaml lists them, then soup, sbom, artifact),
	// then ID.
	Items []Item `json:"items"`
	// Anomalies are the residual anomalies affecting the release (5.8.2,
	// 5.8.3); empty, not absent, when there are none.
	Anomalies []Anomaly `json:"residualAnomalies"`
	// KnownAnomalies are the SOUP items' published anomalies evaluated
	// for the release and the database used; nil when no vulnerability
	// database was named.
	KnownAnomalies *KnownAnomalies `json:"knownAnomalies,omitempty"`
	// Previous links to the previous baseline; nil for a first release.
	Previous *Previous `json:"previous,omitempty"`
	// Changes are the differences from the previous baseline (Diff); nil
	// for a first release.
	Changes *Changes `json:"changesSincePrevious,omitempty"`
	// ChangeRequests are the change requests of the release (those the
	// commits since the previous baseline name) and ProblemReports the
	// problem reports they resolve (8.2.4; see Trace); Findings are the
	// change-control findings of a release made with AllowFindings.
	ChangeRequests []ChangeRequest  `json:"changeRequests"`
	ProblemReports []ProblemReport  `json:"problemReports"`
	Findings       []change.Finding `json:"changeFindings,omitempty"`
}

// Product identifies the product.
type Product struct {
	Name         string   `json:"name"`
	Manufacturer string   `json:"manufacturer,omitempty"`
	Supplier     string   `json:"supplier,omitempty"`
	Authors      []string `json:"authors,omitempty"`
	Website      string   `json:"website,omitempty"`
	License      string   `json:"license,omitempty"`
}

// Tool is the program that made the manifest.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// VCS is the source revision of the release.
type VCS struct {
	System string `json:"system"` // "git"
	// Repository is the remote's URL (without credentials), if any.
	Repository string `json:"repository,omitempty"`
	Commit     string `json:"commit"`
	// Tag is the tag naming the commit exactly, if any.
	Tag string `json:"tag,omitempty"`
	// Dirty is true when the work tree had changes (--allow-dirty).
	Dirty bool `json:"dirty"`
}

// Environment is the build environment of one configuration.
type Environment struct {
	Configuration string   `json:"configuration"`
	GoVersion     string   `json:"goVersion"`
	GOOS          string   `json:"goos"`
	GOARCH        string   `json:"goarch"`
	CGOEnabled    string   `json:"cgoEnabled"`
	Tags          []string `json:"tags,omitempty"`
	Flags         []string `json:"flags,omitempty"`
	Patterns      []string `json:"patterns"`
	Mode          string   `json:"mode"`
}

// Item is one configuration item.
type Item struct {
	// ID is the item's identifier: items.yaml's for own items, the SOUP
	// register's for SOUP items, the path in the release directory for
	// SBOMs and artifacts.
	ID string `json:"id"`
	// Class is a baseline.yaml class, or soup, sbom or artifact.
	Class string `json:"class"`
	// Kind is go-package or files (own items), the register's kind (SOUP),
	// cyclonedx-json or spdx-json (SBOM), file (artifact).
	Kind string `json:"kind"`
	// Name is the import path, file path, SOUP title or file name.
	Name string `json:"name"`
	// Version is a SOUP item's version; own items are identified by
	// digest at the release's commit.
	Version string `json:"version,omitempty"`
	// Path is the item's path: in the repository for own items, in the
	// release directory for SBOMs and artifacts.
	Path string `json:"path,omitempty"`
	// PURL is a SOUP item's package URL.
	PURL string `json:"purl,omitempty"`
	// H1 is the dirhash of a Go package's files, or the go.sum hash of a
	// Go module.
	H1 string `json:"h1,omitempty"`
	// SHA256 and SHA512 are hex digests of a file or a module zip.
	SHA256 string `json:"sha256,omitempty"`
	SHA512 string `json:"sha512,omitempty"`
	Size   int64  `json:"size,omitempty"`
	// Configurations names the configurations using a SOUP item (all of
	// them for own items, omitted).
	Configurations []string `json:"configurations,omitempty"`
	// Serial is an SBOM's serial number (CycloneDX) or document namespace
	// (SPDX); Configuration the configuration it describes.
	Serial        string `json:"serial,omitempty"`
	Configuration string `json:"configuration,omitempty"`
}

// Anomaly is a residual anomaly of the release.
type Anomaly struct {
	ID          string `json:"id"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Evaluation  string `json:"evaluation"`
	Problem     string `json:"problem,omitempty"`
}

// Previous identifies the previous baseline: its ID, version and the
// SHA-256 of its manifest.json bytes, so that an edited old manifest
// breaks the chain.
type Previous struct {
	BaselineID string `json:"baselineId"`
	Version    string `json:"version"`
	SHA256     string `json:"sha256"`
}

// Item returns the item with id, or nil.
func (m *Manifest) Item(id string) *Item {
	for i := range m.Items {
		if m.Items[i].ID == id {
			return &m.Items[i]
		}
	}
	return nil
}

// Marshal returns the manifest's canonical JSON bytes: two-space
// indentation, members in the documented order, a final newline, no HTML
// escaping. The same manifest always gives the same bytes.
func (m *Manifest) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Digest returns the hex SHA-256 of data: how a manifest is named in its
// successor's previous.sha256.
func Digest(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// Error is a problem in a manifest, with the line where it is.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Msg)
}

const maxSize = 64 << 20

// Load reads and parses a manifest file.
func Load(file string) (*Manifest, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	if len(data) > maxSize {
		return nil, fmt.Errorf("reading manifest %s: larger than %d MiB", file, maxSize>>20)
	}
	return Parse(file, data)
}

// Parse parses a manifest strictly: valid JSON, one object, no member the
// format does not define, no member given twice, the format version this
// package reads, and every required member present and well-formed
// (identifiers, versions, digests, release type). Errors name the file,
// the line and the member.
func Parse(name string, data []byte) (*Manifest, error) {
	if err := checkTokens(name, data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, jsonError(name, data, err, dec.InputOffset())
	}
	if err := m.validate(); err != nil {
		line := lineOfField(data, err.field)
		return nil, &Error{File: name, Line: line, Field: err.field, Msg: err.msg}
	}
	return &m, nil
}

// checkTokens walks the JSON tokens: a single top-level object, no
// duplicate member names.
func checkTokens(name string, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		obj    bool
		keys   map[string]bool
		expect bool // the next token is a member name
	}
	var stack []*frame
	done := false
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return jsonError(name, data, err, dec.InputOffset())
		}
		if done {
			for off < int64(len(data)) && strings.ContainsRune(" \t\r\n", rune(data[off])) {
				off++
			}
			return &Error{File: name, Line: lineAt(data, off), Field: "manifest", Msg: "more than one JSON value"}
		}
		if len(stack) == 0 {
			if d, ok := tok.(json.Delim); !ok || d != '{' {
				return &Error{File: name, Line: lineAt(data, off), Field: "manifest", Msg: "want a JSON object"}
			}
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				done = true
			} else if top := stack[len(stack)-1]; top.obj {
				top.expect = true
			}
			continue
		}
		var cur *frame
		if len(stack) > 0 {
			cur = stack[len(stack)-1]
		}
		if cur != nil && cur.obj && cur.expect {
			k, _ := tok.(string)
			if cur.keys[k] {
				return &Error{File: name, Line: lineAt(data, dec.InputOffset()), Field: k, Msg: "given twice"}
			}
			cur.keys[k] = true
			cur.expect = false
			continue
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, &frame{obj: d == '{', keys: map[string]bool{}, expect: d == '{'})
			continue
		}
		if cur != nil && cur.obj {
			cur.expect = true
		}
	}
	return nil
}

func jsonError(name string, data []byte, err error, off int64) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &se):
		return &Error{File: name, Line: lineAt(data, se.Offset), Field: "syntax", Msg: se.Error()}
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "manifest"
		}
		return &Error{File: name, Line: lineAt(data, te.Offset), Field: field, Msg: fmt.Sprintf("want %s, found a JSON %s", te.Type, te.Value)}
	case errors.As(err, &pe):
		// encoding/json names neither the member nor the place of a
		// time that does not parse: find the member holding the value.
		field, line := memberWithValue(data, pe.Value)
		return &Error{File: name, Line: line, Field: field, Msg: fmt.Sprintf("%q is not an RFC 3339 date-time", pe.Value)}
	case errors.Is(err, io.EOF):
		return &Error{File: name, Field: "manifest", Msg: "empty file"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{File: name, Line: lineAt(data, int64(len(data))), Field: "syntax", Msg: "unexpected end of the file"}
	}
	msg := err.Error()
	if k, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		k = strings.Trim(k, `"`)
		return &Error{File: name, Line: lineOfField(data, k), Field: k, Msg: "unknown member"}
	}
	return &Error{File: name, Line: lineAt(data, off), Field: "manifest", Msg: strings.TrimPrefix(msg, "json: ")}
}

// memberWithValue returns the name and line of the first member whose
// value is the JSON string value; "manifest" and 0 when there is none.
func memberWithValue(data []byte, value string) (string, int) {
	quoted, _ := json.Marshal(value)
	re := regexp.MustCompile(`"([^"\\]+)"\s*:\s*` + regexp.QuoteMeta(string(quoted)))
	if loc := re.FindSubmatchIndex(data); loc != nil {
		return string(data[loc[2]:loc[3]]), lineAt(data, int64(loc[0]))
	}
	return "manifest", 0
}

func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// lineOfField finds the line of the first member named like the last
// element of a dotted field path ("items.3.sha256" -> "sha256" in the 4th
// item, approximately: the first occurrence at or after the item's
// start), or 0.
func lineOfField(data []byte, field string) int {
	parts := strings.Split(field, ".")
	key := parts[len(parts)-1]
	for len(parts) > 0 && isIndex(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
		key = parts[len(parts)-1]
	}
	i := bytes.Index(data, []byte(`"`+key+`"`))
	if i < 0 {
		return 0
	}
	return lineAt(data, int64(i))
}

func isIndex(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

type fieldError struct{ field, msg string }

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

var (
	hex40  = regexp.MustCompile(`^[0-9a-f]{40}$`)
	hex64  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	hex128 = regexp.MustCompile(`^[0-9a-f]{128}$`)
)

func (m *Manifest) validate() *fieldError {
	switch {
	case m.Format == 0:
		return &fieldError{"format", "missing"}
	case m.Format != FormatVersion:
		return &fieldError{"format", fmt.Sprintf("unsupported manifest format %d (this baseline reads %d)", m.Format, FormatVersion)}
	case m.BaselineID == "":
		return &fieldError{"baselineId", "missing"}
	case m.Product.Name == "":
		return &fieldError{"product.name", "missing"}
	case m.Version == "":
		return &fieldError{"version", "missing"}
	case !slices.Contains([]string{First, Major, Minor, Patch}, m.ReleaseType):
		return &fieldError{"releaseType", fmt.Sprintf("%q is not a release type (want first, major, minor or patch)", m.ReleaseType)}
	case m.Created.IsZero():
		return &fieldError{"created", "missing"}
	case m.ReleaseType == First && m.Previous != nil:
		return &fieldError{"previous", "a first release has no previous baseline"}
	case m.ReleaseType != First && m.Previous == nil:
		return &fieldError{"previous", fmt.Sprintf("a %s release names its previous baseline", m.ReleaseType)}
	case (m.Previous == nil) != (m.Changes == nil):
		return &fieldError{"changesSincePrevious", "present exactly when previous is"}
	case m.Items == nil:
		return &fieldError{"items", "missing"}
	case m.Anomalies == nil:
		return &fieldError{"residualAnomalies", "missing ([] for none)"}
	}
	if c := m.VCS.Commit; c != "" && !hex40.MatchString(c) && !hex64.MatchString(c) {
		return &fieldError{"vcs.commit", fmt.Sprintf("%q is not a git commit ID (40 or 64 hex digits)", c)}
	}
	if m.Previous != nil {
		if m.Previous.BaselineID == "" || m.Previous.Version == "" {
			return &fieldError{"previous", "names the previous baseline's baselineId and version"}
		}
		if !hex64.MatchString(m.Previous.SHA256) {
			return &fieldError{"previous.sha256", fmt.Sprintf("%q is not a hex SHA-256", m.Previous.SHA256)}
		}
	}
	ids := map[string]bool{}
	for i, it := range m.Items {
		f := func(k string) string { return fmt.Sprintf("items.%d.%s", i, k) }
		switch {
		case it.ID == "":
			return &fieldError{f("id"), "missing"}
		case ids[it.ID]:
			return &fieldError{f("id"), fmt.Sprintf("%s is listed twice", it.ID)}
		case it.Class == "":
			return &fieldError{f("class"), "missing"}
		case it.Name == "":
			return &fieldError{f("name"), "missing"}
		case it.Size < 0:
			return &fieldError{f("size"), fmt.Sprintf("%d is negative", it.Size)}
		case it.SHA256 != "" && !hex64.MatchString(it.SHA256):
			return &fieldError{f("sha256"), fmt.Sprintf("%q is not a hex SHA-256", it.SHA256)}
		case it.SHA512 != "" && !hex128.MatchString(it.SHA512):
			return &fieldError{f("sha512"), fmt.Sprintf("%q is not a hex SHA-512", it.SHA512)}
		case it.H1 != "" && !strings.HasPrefix(it.H1, "h1:"):
			return &fieldError{f("h1"), fmt.Sprintf("%q is not an h1: hash", it.H1)}
		case (it.Class == ClassSBOM || it.Class == ClassArtifact) && (it.SHA256 == "" || it.Path == ""):
			return &fieldError{f("sha256"), fmt.Sprintf("%s file %s has no path or SHA-256", it.Class, it.ID)}
		case it.Path != "" && (strings.HasPrefix(it.Path, "/") || strings.Contains(it.Path, "\\") || slices.Contains(strings.Split(it.Path, "/"), "..")):
			return &fieldError{f("path"), fmt.Sprintf("%q is not a relative slash path", it.Path)}
		}
		ids[it.ID] = true
	}
	for i, a := range m.Anomalies {
		if a.ID == "" {
			return &fieldError{fmt.Sprintf("residualAnomalies.%d.id", i), "missing"}
		}
	}
	return nil
}
