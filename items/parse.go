package items

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/ident"
	sy "github.com/baseline-cm/baseline/internal/strictyaml"
)

const maxSize = 32 << 20

// Load reads and parses items.yaml. A missing file is an error matching
// errors.Is(err, fs.ErrNotExist).
func Load(file string) (*File, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("reading item record: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading item record: %w", err)
	}
	if len(data) > maxSize {
		return nil, fmt.Errorf("reading item record %s: larger than %d MiB", file, maxSize>>20)
	}
	return Parse(file, data)
}

// Parse parses items.yaml strictly: unknown or duplicate keys, values of
// the wrong type, identifiers outside the scheme, an identifier used twice
// or both used and retired, an item listed twice, are errors with the
// line (each an *Error, joined).
func Parse(name string, data []byte) (*File, error) {
	p := &sy.Parser{Root: "items.yaml"}
	f := &File{Name: name, lineOfItem: map[string]int{}}
	top := p.Decode(data)
	if top == nil {
		if p.Count() == 0 {
			p.Errorf(0, "version", "empty file (run baseline items sync)")
		}
		return nil, errs(name, p)
	}
	fs, ok := p.Fields(top, "", "version", "ids", "items", "retired")
	if !ok {
		return nil, errs(name, p)
	}
	if e := fs["version"]; !e.Present() {
		p.Errorf(top.Line, "version", "missing (want \"version: %d\")", FormatVersion)
	} else if n, ok := p.Int(e, "version"); ok && n != FormatVersion {
		p.Errorf(e.Line(), "version", "unsupported format version %d (this baseline reads %d)", n, FormatVersion)
	} else {
		f.Version = n
	}
	var alloc *ident.Allocator
	if e := fs["ids"]; !e.Present() {
		p.Errorf(top.Line, "ids", "missing (want \"ids: {prefix: CI-, width: 3, last_issued: N}\")")
	} else if g, ok := p.Fields(e.Val, "ids", "prefix", "width", "last_issued"); ok {
		if v := g["prefix"]; v.Present() {
			f.IDs.Prefix, _ = p.String(v, "ids.prefix")
		}
		if v := g["width"]; v.Present() {
			f.IDs.Width, _ = p.Int(v, "ids.width")
		}
		if v := g["last_issued"]; v.Present() {
			if n, ok := p.Int(v, "ids.last_issued"); ok && n >= 0 {
				f.IDs.LastIssued = n
			} else if ok {
				p.Errorf(v.Line(), "ids.last_issued", "must not be negative")
			}
		}
		var err error
		if alloc, err = ident.New(f.IDs.Scheme()); err != nil {
			p.Errorf(e.Line(), "ids", "%v", err)
			alloc = nil
		}
	}
	keys := map[string]int{}
	ids := map[string]int{}
	if e := fs["items"]; e.Key == nil {
		p.Errorf(top.Line, "items", "missing (\"items: []\" for none)")
	} else if e.Present() {
		nodes, _ := p.Seq(e, "items")
		for _, n := range nodes {
			g, ok := p.Fields(n, "items", "id", "class", "name", "path")
			if !ok {
				continue
			}
			it := Item{Line: n.Line}
			before := p.Count()
			for _, k := range []struct {
				key string
				dst *string
			}{{"id", &it.ID}, {"class", &it.Class}, {"name", &it.Name}, {"path", &it.Path}} {
				if v := g[k.key]; v.Present() {
					*k.dst, _ = p.String(v, "items."+k.key)
				} else {
					p.Errorf(n.Line, "items."+k.key, "missing")
				}
			}
			if it.Path != "" && (path.IsAbs(it.Path) || path.Clean(it.Path) != it.Path || strings.HasPrefix(it.Path, "../") || it.Path == "..") {
				p.Errorf(n.Line, "items.path", "%q is not a clean path relative to the repository root", it.Path)
			}
			if alloc != nil && it.ID != "" {
				if err := alloc.Issue(it.ID); err != nil {
					if l, dup := ids[it.ID]; dup {
						p.Errorf(n.Line, "items.id", "%s is already the identifier of the item at line %d", it.ID, l)
					} else {
						p.Errorf(n.Line, "items.id", "%v", err)
					}
				}
				ids[it.ID] = n.Line
			}
			if l, dup := keys[it.Key()]; dup && it.Name != "" {
				p.Errorf(n.Line, "items.name", "%s %s is already listed at line %d", it.Class, it.Name, l)
			}
			keys[it.Key()] = n.Line
			if p.Count() == before {
				f.Items = append(f.Items, it)
				f.lineOfItem[it.ID] = n.Line
			}
		}
	}
	if e := fs["retired"]; e.Present() {
		nodes, _ := p.Seq(e, "retired")
		for _, n := range nodes {
			g, ok := p.Fields(n, "retired", "id", "class", "name", "date", "reason")
			if !ok {
				continue
			}
			r := Retired{}
			for _, k := range []struct {
				key string
				dst *string
				req bool
			}{{"id", &r.ID, true}, {"class", &r.Class, false}, {"name", &r.Name, false}, {"date", &r.Date, true}, {"reason", &r.Reason, true}} {
				if v := g[k.key]; v.Present() {
					*k.dst, _ = p.String(v, "retired."+k.key)
				} else if k.req {
					p.Errorf(n.Line, "retired."+k.key, "missing")
				}
			}
			if r.Date != "" {
				if _, err := time.Parse(time.DateOnly, r.Date); err != nil {
					p.Errorf(n.Line, "retired.date", "%q is not a date (want YYYY-MM-DD)", r.Date)
				}
			}
			if alloc != nil && r.ID != "" {
				if l, used := ids[r.ID]; used {
					p.Errorf(n.Line, "retired.id", "%s is retired but still the identifier of the item at line %d", r.ID, l)
				} else if err := alloc.Retire(r.ID); err != nil {
					p.Errorf(n.Line, "retired.id", "%v", err)
				}
			}
			f.Retired = append(f.Retired, r)
		}
	}
	if p.Count() > 0 {
		return nil, errs(name, p)
	}
	return f, nil
}

func errs(name string, p *sy.Parser) error {
	var out []error
	for _, pr := range p.Problems() {
		out = append(out, &Error{File: name, Line: pr.Line, Field: pr.Field, Msg: pr.Msg})
	}
	return errors.Join(out...)
}

// Encode returns the file's canonical text, as Sync writes it: items in
// identifier order, one line each.
func (f *File) Encode() []byte {
	var b bytes.Buffer
	b.WriteString("# Identifiers of the product's own configuration items (IEC 62304 8.1.1).\n")
	b.WriteString("# Written by \"baseline items sync\", checked by \"baseline items check\";\n")
	b.WriteString("# an identifier is never reused: items that leave are listed under retired.\n")
	fmt.Fprintf(&b, "version: %d\n", FormatVersion)
	fmt.Fprintf(&b, "ids: {prefix: %s, width: %d, last_issued: %d}\n", q(f.IDs.Prefix), f.IDs.Width, f.IDs.LastIssued)
	if len(f.Items) == 0 {
		b.WriteString("items: []\n")
	} else {
		b.WriteString("items:\n")
	}
	for _, it := range f.Items {
		fmt.Fprintf(&b, "  - {id: %s, class: %s, name: %s, path: %s}\n", q(it.ID), q(it.Class), q(it.Name), q(it.Path))
	}
	if len(f.Retired) > 0 {
		b.WriteString("retired:\n")
	}
	for _, r := range f.Retired {
		b.WriteString("  - {id: " + q(r.ID))
		if r.Class != "" {
			b.WriteString(", class: " + q(r.Class))
		}
		if r.Name != "" {
			b.WriteString(", name: " + q(r.Name))
		}
		fmt.Fprintf(&b, ", date: %s, reason: %s}\n", q(r.Date), q(r.Reason))
	}
	return b.Bytes()
}

// q quotes a scalar for flow style unless it is plainly safe.
func q(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r))
	}) < 0 && !strings.HasPrefix(s, "-") && !isSpecial(s) {
		return s
	}
	return strconv.Quote(s)
}

// isSpecial reports scalars YAML would read as something else than text.
func isSpecial(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~":
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	if err == nil {
		return true
	}
	_, err = time.Parse(time.DateOnly, s)
	return err == nil
}
