// Package items identifies the product's own configuration items (IEC
// 62304 8.1.1: "establish a scheme for the unique identification of
// configuration items"; 8.1.3 for the items of a release): its Go
// packages, and the files of the classes baseline.yaml defines (control
// data, assets such as images and texts, documentation). Each item gets
// an internal identifier for life, allocated with package ident under the
// same rules as SOUP identifiers, recorded in a committed file,
// items.yaml. SOUP items are not here: their identifiers are the SOUP
// register's (package soup).
//
// Scan finds the items in a repository as baseline.yaml's classes define
// them; Check compares them with items.yaml (the CI gate: an item missing
// from the file, or listed but gone); Sync brings the file up to date;
// Digest hashes an item for a release manifest.
//
// # Which items there are
//
// A class of kind go-package has one item per Go package of the main
// modules that its package patterns match, in any of baseline.yaml's
// build configurations (their union), minus the package directories an
// exclude glob matches. The item's name is the import path, its path the
// package directory relative to the repository root. Its files are every
// file the go command lists for the package in any configuration (Go
// files of every build context, test files, C, assembly and embedded
// files), and its digest is the "h1:" hash golang.org/x/mod/sumdb/dirhash
// computes over them, names relative to the package directory: an
// unchanged package keeps its digest from release to release.
//
// A class of kind files has one item per file that one of its globs
// matches and no exclude glob does: the files git tracks or would track
// when the repository is a git work tree (files git ignores are not
// configuration items), else every regular file below the root outside
// hidden directories. The name and the path are the slash-separated path
// relative to the repository root; the digests are the SHA-256 and
// SHA-512 of the file. A file that two classes match belongs to the first
// one listed. The change-control records (baseline.yaml's records
// directories), the release archive and items.yaml itself are never
// items.
//
// # items.yaml
//
// The file is written by Sync and read by everything else; people review
// it in pull requests but need not edit it. An example:
//
//	# Identifiers of the product's own configuration items (IEC 62304 8.1.1).
//	# Written by "baseline items sync", checked by "baseline items check".
//	version: 1
//	ids: {prefix: CI-, width: 3, last_issued: 4}
//	items:
//	  - {id: CI-001, class: source, name: example.com/pump/cmd/pump, path: cmd/pump}
//	  - {id: CI-002, class: source, name: example.com/pump/internal/dose, path: internal/dose}
//	  - {id: CI-004, class: documentation, name: README.md, path: README.md}
//	retired:
//	  - {id: CI-003, class: assets, name: assets/old.png, date: 2024-05-01, reason: no longer in the repository}
//
// The identifier scheme (prefix, width) is baseline.yaml's items.ids;
// last_issued is the highest number ever issued. An item keeps its
// identifier for as long as it exists with the same class and name; an
// item that disappears is retired, and its identifier never issued again.
// A renamed file or moved package is a new item (its history under the
// old name stays with the old identifier). New items are numbered after
// the highest identifier ever issued, in the sorted order of their class
// and name, so that two people syncing the same change get the same
// identifiers.
package items

import (
	"fmt"
	"strings"

	"github.com/baseline-cm/baseline/ident"
)

// DefaultFile is the file name of the item record, beside baseline.yaml.
const DefaultFile = "items.yaml"

// FormatVersion is the items.yaml format version.
const FormatVersion = 1

// File is a parsed items.yaml.
type File struct {
	// Name is the file name it was read from, for messages.
	Name       string    `json:"-"`
	Version    int       `json:"version"`
	IDs        IDs       `json:"ids"`
	Items      []Item    `json:"items"`
	Retired    []Retired `json:"retired,omitempty"`
	lineOfItem map[string]int
}

// IDs is the identifier scheme and high-water mark.
type IDs struct {
	Prefix     string `json:"prefix"`
	Width      int    `json:"width"`
	LastIssued int    `json:"last_issued"`
}

// Scheme returns the identifier scheme.
func (i IDs) Scheme() ident.Scheme { return ident.Scheme{Prefix: i.Prefix, Width: i.Width} }

// Item is one of the product's own configuration items.
type Item struct {
	ID string `json:"id"`
	// Class is the baseline.yaml class it belongs to.
	Class string `json:"class"`
	// Name is the Go import path of a package, the path of a file.
	Name string `json:"name"`
	// Path is the package directory or the file, slash-separated,
	// relative to the repository root.
	Path string `json:"path"`
	Line int    `json:"-"`
}

// Key identifies an item independently of its identifier: class and name.
func (it Item) Key() string { return it.Class + "\x00" + it.Name }

// Retired records an identifier whose item left the product.
type Retired struct {
	ID     string `json:"id"`
	Class  string `json:"class,omitempty"`
	Name   string `json:"name,omitempty"`
	Date   string `json:"date"`
	Reason string `json:"reason"`
}

// Lookup returns the item with identifier id.
func (f *File) Lookup(id string) (Item, bool) {
	for _, it := range f.Items {
		if it.ID == id {
			return it, true
		}
	}
	return Item{}, false
}

// Error is a problem at one line of items.yaml: "FILE:LINE: FIELD: what".
type Error struct {
	File  string
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
