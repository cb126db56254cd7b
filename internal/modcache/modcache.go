// Package modcache locates module files in the Go module cache and keeps
// baseline's own cache of facts about module versions: the SHA-256 and
// SHA-512 digests of each module .zip and the licences detected in it,
// and the classification of licence texts by content.
//
// A module version's zip never changes (go.sum pins it), so these facts are
// computed once per machine and reused, keyed by module path, version and
// zip size. Entries are written atomically (write to a temporary file, then
// rename), so concurrent runs never see a partial entry: at worst two runs
// compute the same entry and one rename wins.
package modcache

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"

	"github.com/baseline-cm/baseline/internal/atomicfile"
)

// schema versions the entry format; bump it when Info changes meaning.
const schema = "v1"

// Info is what is known of one module version.
type Info struct {
	// ZipSize is the size of the zip the digests were computed from.
	ZipSize int64  `json:"zipSize"`
	SHA256  string `json:"sha256"`
	SHA512  string `json:"sha512"`
	// Detector names the licence detection method (licenses.Detector).
	Detector     string   `json:"detector"`
	Licenses     []string `json:"licenses,omitempty"`
	LicenseFiles []string `json:"licenseFiles,omitempty"`
}

// Cache is a directory of Info entries. The zero value (empty Dir) is a
// cache that never hits and never stores.
type Cache struct {
	Dir string
}

// DefaultDir returns the default cache directory: "baseline/modinfo" under
// the user cache directory, or "" when there is none.
func DefaultDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "baseline", "modinfo")
}

func (c Cache) file(path, version string) (string, error) {
	rel, err := DownloadPath(path, version, ".json")
	if err != nil {
		return "", err
	}
	return filepath.Join(c.Dir, schema, filepath.FromSlash(rel)), nil
}

// Lookup returns the entry for path@version if one exists for a zip of
// zipSize bytes computed by detector.
func (c Cache) Lookup(path, version string, zipSize int64, detector string) (Info, bool) {
	if c.Dir == "" {
		return Info{}, false
	}
	f, err := c.file(path, version)
	if err != nil {
		return Info{}, false
	}
	data, err := os.ReadFile(f)
	if err != nil {
		return Info{}, false
	}
	var info Info
	if json.Unmarshal(data, &info) != nil || info.ZipSize != zipSize || info.Detector != detector ||
		len(info.SHA256) != sha256.Size*2 || len(info.SHA512) != sha512.Size*2 {
		return Info{}, false
	}
	return info, true
}

// Store records the entry for path@version atomically.
func (c Cache) Store(path, version string, info Info) error {
	if c.Dir == "" {
		return nil
	}
	f, err := c.file(path, version)
	if err != nil {
		return err
	}
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(f, data, 0o666)
}

// Get reads the entry of the given kind stored under key (a digest of
// everything the entry depends on) into v, reporting whether there was one.
func (c Cache) Get(kind, key string, v any) bool {
	if c.Dir == "" {
		return false
	}
	data, err := os.ReadFile(filepath.Join(c.Dir, schema, kind, key+".json"))
	return err == nil && json.Unmarshal(data, v) == nil
}

// Put stores v as the entry of the given kind under key, atomically. A
// cache that cannot be written costs time, not correctness: callers may
// ignore the error.
func (c Cache) Put(kind, key string, v any) error {
	if c.Dir == "" {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f := filepath.Join(c.Dir, schema, kind, key+".json")
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(f, data, 0o666)
}

// Classifier wraps scan, a licence classifier named detector, in the
// cache: a text's identifiers are kept under the SHA-256 of the detector
// and the text, so that a run whose licence texts have all been seen
// before never builds licensecheck's scanner (about a second). Main
// modules, the standard library and vendored modules have no immutable
// zip to key on; their licence texts rarely change.
func (c Cache) Classifier(detector string, scan func([]byte) []string) func([]byte) []string {
	if c.Dir == "" {
		return scan
	}
	return func(text []byte) []string {
		h := sha256.New()
		h.Write([]byte(detector))
		h.Write([]byte{0})
		h.Write(text)
		key := hex.EncodeToString(h.Sum(nil))
		var ids []string
		if c.Get("text", key, &ids) {
			return ids
		}
		ids = scan(text)
		_ = c.Put("text", key, ids)
		return ids
	}
}

// Zip returns the name of path@version's .zip file in the module cache
// rooted at gomodcache (whether or not it exists).
func Zip(gomodcache, path, version string) (string, error) {
	return download(gomodcache, path, version, ".zip")
}

// ZipHash returns the name of the file in which the go command records the
// "h1:" hash of path@version's zip.
func ZipHash(gomodcache, path, version string) (string, error) {
	return download(gomodcache, path, version, ".ziphash")
}

func download(gomodcache, path, version, ext string) (string, error) {
	rel, err := DownloadPath(path, version, ext)
	if err != nil {
		return "", err
	}
	return filepath.Join(gomodcache, "cache", "download", filepath.FromSlash(rel)), nil
}

// DownloadPath is the slash-separated path of path@version's file with
// extension ext (".zip", ".mod", ".info") in the module proxy protocol,
// which the module cache's download directory mirrors:
// "escaped/path/@v/escaped-version.zip".
func DownloadPath(path, version, ext string) (string, error) {
	ep, ev, err := escape(path, version)
	if err != nil {
		return "", err
	}
	return ep + "/@v/" + ev + ext, nil
}

// Dir returns the directory into which the go command extracts path@version.
func Dir(gomodcache, path, version string) (string, error) {
	ep, ev, err := escape(path, version)
	if err != nil {
		return "", err
	}
	return filepath.Join(gomodcache, filepath.FromSlash(ep)+"@"+ev), nil
}

// escape returns path and version in the case-encoded form the module
// cache and proxy use.
func escape(path, version string) (string, string, error) {
	ep, err := module.EscapePath(path)
	if err != nil {
		return "", "", err
	}
	ev, err := module.EscapeVersion(version)
	if err != nil {
		return "", "", err
	}
	return ep, ev, nil
}

// HashFile returns the size and the hexadecimal SHA-256 and SHA-512
// digests of a file, read once.
func HashFile(name string) (size int64, sha256hex, sha512hex string, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, "", "", err
	}
	defer f.Close()
	h256, h512 := sha256.New(), sha512.New()
	n, err := io.Copy(io.MultiWriter(h256, h512), f)
	if err != nil {
		return 0, "", "", fmt.Errorf("reading %s: %w", name, err)
	}
	return n, hex.EncodeToString(h256.Sum(nil)), hex.EncodeToString(h512.Sum(nil)), nil
}
