package modcache

import (
	"path/filepath"
	"strings"

	"github.com/baseline-cm/baseline/internal/fsat"
)

// Downloads is the module cache's download directory, open for the
// hundreds of small reads of one discovery: a stat of each module's zip
// and a read of the hashes the go command recorded beside them, each
// through the open directory (package fsat). It is safe for concurrent
// use.
type Downloads struct {
	dir *fsat.Dir // GOMODCACHE/cache/download
}

// OpenDownloads opens the download directory of the module cache
// gomodcache. Close releases it.
func OpenDownloads(gomodcache string) *Downloads {
	return &Downloads{dir: fsat.Open(filepath.Join(gomodcache, "cache", "download"))}
}

// Close closes d's directory.
func (d *Downloads) Close() { d.dir.Close() }

// Zip returns the name and the size of path@version's .zip file; ok is
// false when the cache has none (or path@version cannot be a module
// version).
func (d *Downloads) Zip(path, version string) (file string, size int64, ok bool) {
	rel, err := DownloadPath(path, version, ".zip")
	if err != nil {
		return "", 0, false
	}
	info, err := d.dir.Stat(rel)
	if err != nil || info.Type != 0 {
		return "", 0, false
	}
	return filepath.Join(d.dir.Name(), filepath.FromSlash(rel)), info.Size, true
}

// ZipHash returns the "h1:" hash the go command recorded beside
// path@version's zip when it downloaded and verified it against go.sum,
// or "" when there is none.
func (d *Downloads) ZipHash(path, version string) string {
	rel, err := DownloadPath(path, version, ".ziphash")
	if err != nil {
		return ""
	}
	// An h1: hash is 47 bytes; a file much larger holds none.
	data, ok := d.dir.ReadSmall(rel, 512)
	if s := strings.TrimSpace(string(data)); ok && strings.HasPrefix(s, "h1:") {
		return s
	}
	return ""
}
