// Package fsat stats and reads files through an open directory: by
// fstatat and openat where the system has them, so that the kernel walks
// only the path below the directory and each file costs the fewest system
// calls (a small file's read costs four instead of os.ReadFile's ten on
// Linux); elsewhere through os.Stat and os.ReadFile, with the same
// answers (TestDir). Discovery makes hundreds of such calls for each run
// (a stat of each module zip, of each Go file whose digest keys a
// cache), and on a warm cache they are most of its own time.
package fsat

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A Dir is an open directory. Stat and ReadSmall are safe for concurrent
// use until Close.
type Dir struct {
	name string
	f    *os.File // nil when the directory could not be opened
	fd   int      // f's descriptor, for the *at calls; -1 when none
	read bool     // whether ReadDir has read f to its end
}

// Open opens the directory name. It does not fail: a directory that
// cannot be opened answers through its path, as os.Stat would.
func Open(name string) *Dir {
	d := &Dir{name: name, fd: -1}
	if f, fd, err := openDir(name); err == nil {
		d.f, d.fd = f, fd
	}
	return d
}

// Close closes d. Its methods answer through paths afterwards.
func (d *Dir) Close() {
	if d.f != nil {
		d.fd = -1
		d.f.Close()
		d.f = nil
	}
}

// Name returns the directory's name, as Open was given it.
func (d *Dir) Name() string { return d.name }

// path is the file name of rel, a slash-separated path below d.
func (d *Dir) path(rel string) string { return filepath.Join(d.name, filepath.FromSlash(rel)) }

// Info is what Stat reports of a file.
type Info struct {
	Size    int64
	ModTime time.Time
	// Type is the file's type bits (fs.ModeType): 0 for a regular file.
	Type fs.FileMode
}

// Stat returns the Info of the file rel (slash-separated, below d),
// following symbolic links as os.Stat does.
func (d *Dir) Stat(rel string) (Info, error) {
	if d.fd >= 0 {
		return statAt(d.fd, rel)
	}
	fi, err := os.Stat(d.path(rel))
	if err != nil {
		return Info{}, err
	}
	return Info{Size: fi.Size(), ModTime: fi.ModTime(), Type: fi.Mode().Type()}, nil
}

// ReadSmall returns the content of the file rel when it has at most max
// bytes; ok is false when it has more or cannot be read.
func (d *Dir) ReadSmall(rel string, max int) (data []byte, ok bool) {
	if d.fd >= 0 {
		return readSmallAt(d.fd, rel, max)
	}
	data, err := os.ReadFile(d.path(rel))
	if err != nil || len(data) > max {
		return nil, false
	}
	return data, true
}

// ReadDir returns d's entries sorted by name, as os.ReadDir does. The
// first call reads them through the open directory, later ones as
// os.ReadDir does. It is not safe for concurrent use.
func (d *Dir) ReadDir() ([]fs.DirEntry, error) {
	if d.f == nil || d.read {
		return os.ReadDir(d.name)
	}
	d.read = true
	entries, err := d.f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}
