package change

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baseline-cm/baseline/ident"
)

// maxRecordSize bounds the size of one record file.
const maxRecordSize = 1 << 20

// Records are the change-control records of a product: its change
// requests, problem reports and residual anomalies, each kind sorted by
// identifier (then file name).
type Records struct {
	Requests  []*Request
	Problems  []*Problem
	Anomalies []*Anomaly
}

// Request returns the first change request with identifier id, or nil.
func (rs *Records) Request(id string) *Request {
	for _, r := range rs.Requests {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Problem returns the first problem report with identifier id, or nil.
func (rs *Records) Problem(id string) *Problem {
	for _, p := range rs.Problems {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// DuplicateID is an identifier that two or more records hold: typically
// two branches that each allocated the same number.
type DuplicateID struct {
	ID    string
	Files []string
}

// Duplicates returns the identifiers held by more than one record, in
// identifier order.
func (rs *Records) Duplicates() []DuplicateID {
	files := map[string][]string{}
	var ids []string
	add := func(id, file string) {
		if files[id] == nil {
			ids = append(ids, id)
		}
		files[id] = append(files[id], file)
	}
	for _, r := range rs.Requests {
		add(r.ID, r.File)
	}
	for _, p := range rs.Problems {
		add(p.ID, p.File)
	}
	for _, a := range rs.Anomalies {
		add(a.ID, a.File)
	}
	var out []DuplicateID
	for _, id := range ids {
		if len(files[id]) > 1 {
			out = append(out, DuplicateID{ID: id, Files: files[id]})
		}
	}
	slices.SortFunc(out, func(a, b DuplicateID) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// AnomaliesOf returns the residual anomalies that affect version.
func (rs *Records) AnomaliesOf(version string) []*Anomaly {
	var out []*Anomaly
	for _, a := range rs.Anomalies {
		if a.AffectsVersion(version) {
			out = append(out, a)
		}
	}
	return out
}

// Load reads the records in the directories of dirs, relative to root
// (an empty directory name, or one that does not exist, holds no
// records). It reports every problem of every record, each as an *Error;
// records with problems are left out of the result, which is returned
// with the error. Duplicate identifiers are not an error of Load: see
// Records.Duplicates.
func Load(root string, dirs Dirs, schemes Schemes) (*Records, error) {
	rs := &Records{}
	var errs []error
	if dirs.Requests != "" {
		rs.Requests, errs = loadDir(root, dirs.Requests, schemes.Requests, ParseRequest, func(r *Request) (string, int) { return r.ID, r.Line }, errs)
	}
	if dirs.Problems != "" {
		rs.Problems, errs = loadDir(root, dirs.Problems, schemes.Problems, ParseProblem, func(p *Problem) (string, int) { return p.ID, p.Line }, errs)
	}
	if dirs.Anomalies != "" {
		rs.Anomalies, errs = loadDir(root, dirs.Anomalies, schemes.Anomalies, ParseAnomaly, func(a *Anomaly) (string, int) { return a.ID, a.Line }, errs)
	}
	return rs, errors.Join(errs...)
}

// IsRecordFile reports whether name (a file name without directory) is
// read as a record: it ends in .yaml or .yml and does not start with '.'.
func IsRecordFile(name string) bool {
	return !strings.HasPrefix(name, ".") && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"))
}

func loadDir[T any](root, dir string, scheme ident.Scheme, parse func(string, []byte, ident.Scheme) (*T, error), id func(*T) (string, int), errs []error) ([]*T, []error) {
	full := filepath.Join(root, filepath.FromSlash(dir))
	ents, err := os.ReadDir(full)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errs
	}
	if err != nil {
		return nil, append(errs, fmt.Errorf("reading records: %w", err))
	}
	var out []*T
	for _, e := range ents {
		if e.IsDir() || !IsRecordFile(e.Name()) {
			continue
		}
		name := path.Join(filepath.ToSlash(dir), e.Name())
		data, err := readRecord(filepath.Join(full, e.Name()), name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rec, err := parse(name, data, scheme)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want, line := id(rec); !fileNamed(e.Name(), want) {
			errs = append(errs, &Error{File: name, Line: line, Field: "id", Msg: fmt.Sprintf("the file of %s is named %s.yaml or %s-SLUG.yaml", want, want, want)})
			continue
		}
		out = append(out, rec)
	}
	slices.SortStableFunc(out, func(a, b *T) int {
		ida, _ := id(a)
		idb, _ := id(b)
		return compareIDs(scheme, ida, idb)
	})
	return out, errs
}

// compareIDs orders identifiers by number.
func compareIDs(s ident.Scheme, a, b string) int {
	na, _ := s.Parse(a)
	nb, _ := s.Parse(b)
	if na != nb {
		return na - nb
	}
	return strings.Compare(a, b)
}

// fileNamed reports whether a record's file name goes with its ID.
func fileNamed(name, id string) bool {
	base := strings.TrimSuffix(strings.TrimSuffix(name, ".yaml"), ".yml")
	return base == id || strings.HasPrefix(base, id+"-")
}

func readRecord(file, name string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("reading record: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRecordSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading record %s: %w", name, err)
	}
	if len(data) > maxRecordSize {
		return nil, &Error{File: name, Field: "file", Msg: fmt.Sprintf("larger than %d MiB", maxRecordSize>>20)}
	}
	return data, nil
}
