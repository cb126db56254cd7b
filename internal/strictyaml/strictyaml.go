// Package strictyaml reads hand-written YAML configuration and record
// files strictly, through the go.yaml.in/yaml/v3 node API: exactly one
// document, no anchors or aliases, no unknown or duplicate keys, values of
// the right type, every problem with the line it is on. The public
// packages that read such files (product, and the record readers built on
// it) convert its Problems into their own error types.
package strictyaml

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong at one line of a file. Line is 0 when the
// problem has no line (an empty file).
type Problem struct {
	Line  int
	Field string
	Msg   string
}

// Parser collects the problems of one file.
type Parser struct {
	// Root names the whole document in problems without a field.
	Root     string
	problems []Problem
}

// Errorf records a problem.
func (p *Parser) Errorf(line int, field, format string, args ...any) {
	if field == "" {
		field = p.Root
	}
	p.problems = append(p.problems, Problem{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// Problems returns the problems recorded, sorted by line (stable).
func (p *Parser) Problems() []Problem {
	slices.SortStableFunc(p.problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return p.problems
}

// Count returns how many problems were recorded so far.
func (p *Parser) Count() int { return len(p.problems) }

// Decode decodes data as exactly one YAML document and returns its
// top-level node (nil for an empty document). Syntax errors, text that
// is not UTF-8 or holds control characters, a second document, anchors
// and aliases are recorded as problems with their line.
func (p *Parser) Decode(data []byte) *yaml.Node {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if line, msg := badText(data); line > 0 {
		p.Errorf(line, "syntax", "%s", msg)
		return nil
	}
	root, err := Decode(data)
	if err != nil {
		p.syntax(err, data)
		return nil
	}
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	p.noAliases(root)
	return root.Content[0]
}

// badText finds the first byte sequence that is not UTF-8 text or is a
// control character other than tab, line feed and carriage return.
func badText(data []byte) (int, string) {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return line, fmt.Sprintf("byte 0x%02x is not UTF-8 text (save the file as UTF-8)", data[i])
		case r == '\n':
			line++
		case r == '\t' || r == '\r':
		case unicode.IsControl(r) || r == '\ufeff':
			return line, fmt.Sprintf("control character %U is not allowed", r)
		}
		i += size
	}
	return 0, ""
}

// Decode decodes exactly one YAML document; nil for an empty file. A
// second document is an error. It is the one decoder of the project's
// YAML records (the strict readers here and the register editor).
func Decode(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, fmt.Errorf("yaml: line %d: the file is a single YAML document; another one starts here", max(extra.Line, 1))
	case !errors.Is(err, io.EOF):
		return nil, err
	}
	return &n, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (?s)(.*)$`)

// syntax records a YAML syntax error with the line at fault: yaml.v3
// reports the line where the enclosing block starts, so the line at fault
// is found as the shortest prefix of the file that fails to parse with the
// same message.
func (p *Parser) syntax(err error, data []byte) {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		p.Errorf(faultLine(data, n, m[2]), "syntax", "%s", m[2])
		return
	}
	p.Errorf(0, "syntax", "%s", strings.TrimPrefix(msg, "yaml: "))
}

func faultLine(data []byte, line int, msg string) int {
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	fails := func(n int) bool {
		_, err := Decode(data[:ends[n-1]])
		if err == nil {
			return false
		}
		m := yamlLine.FindStringSubmatch(err.Error())
		return m != nil && strings.Join(strings.Fields(m[2]), " ") == msg
	}
	lo, hi := max(line, 1), len(ends)
	if lo > hi || !fails(hi) {
		return line
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

func (p *Parser) noAliases(n *yaml.Node) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		p.Errorf(n.Line, "syntax", "anchors and aliases (&, *) are not allowed")
		return
	}
	for _, c := range n.Content {
		p.noAliases(c)
	}
}

// Entry is a key and its value in a mapping.
type Entry struct{ Key, Val *yaml.Node }

// Present reports whether the key is given with a non-null value.
func (e Entry) Present() bool { return e.Val != nil && !IsNull(e.Val) }

// Line is the line of the value, else of the key, else 0.
func (e Entry) Line() int {
	if e.Val != nil {
		return e.Val.Line
	}
	if e.Key != nil {
		return e.Key.Line
	}
	return 0
}

// IsNull reports whether n is the null scalar.
func IsNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// Join joins a field path and a key.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Describe names what a node is, for messages.
func Describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case IsNull(n):
		return "nothing"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}

// Fields reads the mapping m at path, recording anything that is not a
// mapping, keys that are not allowed (with a suggestion for a misspelt
// one) and keys given twice.
func (p *Parser) Fields(m *yaml.Node, path string, allowed ...string) (map[string]Entry, bool) {
	if m.Kind != yaml.MappingNode {
		p.Errorf(m.Line, path, "want a mapping (key: value lines), found %s", Describe(m))
		return nil, false
	}
	out := map[string]Entry{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.Value == "<<" && k.Style == 0 {
			p.Errorf(k.Line, path, "keys must be plain names, found %s", Describe(k))
			continue
		}
		field := Join(path, k.Value)
		if !slices.Contains(allowed, k.Value) {
			if strings.ContainsFunc(k.Value, func(r rune) bool { return r <= ' ' || r == '"' }) {
				field = Join(path, strconv.Quote(k.Value))
			}
			msg := "unknown key"
			if s := Suggest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (want " + strings.Join(allowed, ", ") + ")"
			}
			p.Errorf(k.Line, field, "%s", msg)
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.Errorf(k.Line, field, "given twice (first at line %d)", prev.Key.Line)
			continue
		}
		out[k.Value] = Entry{k, v}
	}
	return out, true
}

// Suggest returns the allowed key closest to a misspelt one, if close:
// at most two edits (a swap of two neighbouring letters is one), fewer
// than the allowed key's length and fewer than half the misspelt key's,
// so that "<<", "ix" or "*" suggest nothing. Every strict reader of the
// project's YAML files uses it, the SOUP register's included.
func Suggest(key string, allowed []string) string {
	if strings.Trim(key, "<>*&!|") == "" {
		return ""
	}
	best, bestD := "", 3
	for _, a := range allowed {
		if d := distance(strings.ToLower(key), a); d < bestD && d < len(a) && 2*d < len(key) {
			best, bestD = a, d
		}
	}
	return best
}

// distance is the optimal string alignment distance of a and b: the
// Levenshtein distance, with a swap of two neighbouring bytes as one edit.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// String returns the text of a scalar value (null is ""); ok is false,
// and a problem recorded, when the value is not a scalar.
func (p *Parser) String(e Entry, field string) (string, bool) {
	if e.Val.Kind != yaml.ScalarNode {
		p.Errorf(e.Val.Line, field, "want a single value, found %s", Describe(e.Val))
		return "", false
	}
	if IsNull(e.Val) {
		return "", true
	}
	return e.Val.Value, true
}

// Int returns a whole number.
func (p *Parser) Int(e Entry, field string) (int, bool) {
	s, ok := p.String(e, field)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || e.Val.ShortTag() != "!!int" {
		p.Errorf(e.Val.Line, field, "want a whole number, found %s", Describe(e.Val))
		return 0, false
	}
	return n, true
}

// Bool returns true or false.
func (p *Parser) Bool(e Entry, field string) (bool, bool) {
	s, ok := p.String(e, field)
	if !ok {
		return false, false
	}
	if e.Val.ShortTag() != "!!bool" {
		p.Errorf(e.Val.Line, field, "want true or false, found %s", Describe(e.Val))
		return false, false
	}
	return strings.EqualFold(s, "true"), true
}

// Strings returns a list of texts; a single text is a list of one when
// single is true.
func (p *Parser) Strings(e Entry, field string, single bool) ([]string, bool) {
	if e.Val.Kind == yaml.ScalarNode && single && !IsNull(e.Val) {
		s, ok := p.String(e, field)
		return []string{s}, ok
	}
	if e.Val.Kind != yaml.SequenceNode {
		p.Errorf(e.Val.Line, field, "want a list, found %s", Describe(e.Val))
		return nil, false
	}
	out := []string{}
	ok := true
	for _, n := range e.Val.Content {
		if n.Kind != yaml.ScalarNode || IsNull(n) {
			p.Errorf(n.Line, field, "want a list of texts, found %s in it", Describe(n))
			ok = false
			continue
		}
		out = append(out, n.Value)
	}
	return out, ok
}

// Seq returns the elements of a list.
func (p *Parser) Seq(e Entry, field string) ([]*yaml.Node, bool) {
	if e.Val.Kind != yaml.SequenceNode {
		p.Errorf(e.Val.Line, field, "want a list, found %s", Describe(e.Val))
		return nil, false
	}
	return e.Val.Content, true
}
