package modinfo

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/baseline-cm/baseline/internal/store"
)

// A discovery reads the entries of hundreds of module versions, and a
// product's next discovery usually reads the same ones. Reading them as
// one store entry per set of module versions costs one file instead of
// hundreds (BenchmarkLookup: about four times faster at 1,000 modules), so
// the entries of a whole set are also kept together, under a digest of
// everything that decides them: each module's path, version and zip size,
// and the licence detector. A set is the largest entry a discovery reads
// (about 500 KB as JSON at 856 modules), so it is kept in gob, which
// decodes it about five times faster.

// Version names one module version whose entry a set holds.
type Version struct {
	Path, Version string
	// ZipSize is the size of its zip in the module cache.
	ZipSize int64
}

// setEntry is a set as stored: the entries in the order of the versions.
type setEntry struct {
	Versions []Version `json:"versions"`
	Infos    []Info    `json:"infos"`
}

// setName is the store entry of the set of versions (in this order)
// computed by detector. Its "sets/" prefix cannot clash with a module
// entry, which always holds "/@v/".
func setName(detector string, versions []Version) string {
	h := sha256.New()
	fmt.Fprintf(h, "baseline modinfo set v1\x00%s\x00", detector)
	for _, v := range versions {
		fmt.Fprintf(h, "%s\x00%s\x00%d\x00", v.Path, v.Version, v.ZipSize)
	}
	return "sets/" + hex.EncodeToString(h.Sum(nil))
}

// LookupSet returns the entries of versions, in their order, if a set of
// exactly these versions, computed by detector, was stored.
func LookupSet(s store.Store, detector string, versions []Version) ([]Info, bool) {
	if s.Dir == "" || len(versions) == 0 {
		return nil, false
	}
	var e setEntry
	if !s.GetGob(setName(detector, versions), &e) || len(e.Versions) != len(versions) || len(e.Infos) != len(versions) {
		return nil, false
	}
	for i, info := range e.Infos {
		if e.Versions[i] != versions[i] || !info.valid(versions[i].ZipSize, detector) {
			return nil, false
		}
	}
	return e.Infos, true
}

// valid reports whether info is a well-formed entry for a zip of zipSize
// bytes computed by detector.
func (info Info) valid(zipSize int64, detector string) bool {
	return info.ZipSize == zipSize && info.Detector == detector &&
		len(info.SHA256) == sha256.Size*2 && len(info.SHA512) == sha512.Size*2 && strings.HasPrefix(info.H1, "h1:")
}

// StoreSet records the entries of versions (infos[i] is that of
// versions[i]) as one set, atomically.
func StoreSet(s store.Store, detector string, versions []Version, infos []Info) error {
	if s.Dir == "" || len(versions) == 0 {
		return nil
	}
	if len(infos) != len(versions) {
		return fmt.Errorf("modinfo: %d entries for %d versions", len(infos), len(versions))
	}
	return s.PutGob(setName(detector, versions), setEntry{Versions: versions, Infos: infos})
}
