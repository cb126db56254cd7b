// Package modinfo keeps the facts baseline computes about an immutable
// module version: the SHA-256 and SHA-512 digests of its module .zip and
// the licences detected in it (the "other unique identifiers" and
// licence fields of SBOMs and of the SOUP register, IEC 62304 8.1.2).
//
// A module version's zip never changes (go.sum pins it), so these facts
// are computed once per machine and kept in a store.Store, keyed by module
// path, version and zip size.
package modinfo

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/baseline-cm/baseline/internal/modcache"
	"github.com/baseline-cm/baseline/internal/store"
)

// Info is what is known of one module version.
type Info struct {
	// ZipSize is the size of the zip the digests were computed from.
	ZipSize int64  `json:"zipSize"`
	SHA256  string `json:"sha256"`
	SHA512  string `json:"sha512"`
	// H1 is the zip's "h1:" hash (the go.sum form), which says which
	// module content the zip holds.
	H1 string `json:"h1"`
	// Detector names the licence detection method (licenses.Detector).
	Detector     string   `json:"detector"`
	Licenses     []string `json:"licenses,omitempty"`
	LicenseFiles []string `json:"licenseFiles,omitempty"`
	// LicenseExpression and Copyright are what the licence files state
	// (licenses.Result).
	LicenseExpression string   `json:"licenseExpression,omitempty"`
	Copyright         []string `json:"copyright,omitempty"`
}

// name is the store entry of path@version, laid out as the module proxy
// lays out its files.
func name(path, version string) (string, error) {
	return modcache.DownloadPath(path, version, "")
}

// Lookup returns the entry for path@version if one exists for a zip of
// zipSize bytes computed by detector.
func Lookup(s store.Store, path, version string, zipSize int64, detector string) (Info, bool) {
	n, err := name(path, version)
	if err != nil {
		return Info{}, false
	}
	var info Info
	if !s.Get(n, &info) || !info.valid(zipSize, detector) {
		return Info{}, false
	}
	return info, true
}

// Store records the entry for path@version atomically.
func Store(s store.Store, path, version string, info Info) error {
	n, err := name(path, version)
	if err != nil {
		return err
	}
	return s.Put(n, info)
}

// HashFile returns the size and the hexadecimal SHA-256 and SHA-512
// digests of a file, read once. It stops when ctx is done.
func HashFile(ctx context.Context, file string) (size int64, sha256hex, sha512hex string, err error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, "", "", err
	}
	defer f.Close()
	h256, h512 := sha256.New(), sha512.New()
	n, err := io.Copy(io.MultiWriter(h256, h512), ctxReader{ctx, f})
	if err != nil {
		return 0, "", "", fmt.Errorf("reading %s: %w", file, err)
	}
	return n, hex.EncodeToString(h256.Sum(nil)), hex.EncodeToString(h512.Sum(nil)), nil
}

// ZipH1 returns the "h1:" hash of a module zip, as go.sum records it.
func ZipH1(zipFile string) (string, error) {
	return dirhash.HashZip(zipFile, dirhash.Hash1)
}

// ctxReader is a reader that fails once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
