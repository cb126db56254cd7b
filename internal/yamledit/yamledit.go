// Package yamledit edits a YAML document's text the way a person would:
// each change to the document's tree (the go.yaml.in/yaml/v3 node API)
// is also a splice of the original bytes at the node's position, so that
// every byte the change has no reason to touch (comments, blank lines,
// indentation, quoting, a byte-order mark, hand-written text) stays as
// it was. The spliced text is then parsed again and compared with the
// edited tree (splice and verify), which a round trip through yaml.Node
// cannot match: the encoder normalises blank lines, indentation and
// multi-line scalars.
//
// baseline keeps its records (the SOUP register, IEC 62304 8.1.2) in
// YAML files people write; this package lets the tools that keep them
// change what they must and nothing else.
package yamledit

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/baseline-cm/baseline/internal/strictyaml"
)

// An Editor changes a YAML document's tree in place (the yaml.v3 node API)
// and, in step, the register's text: each change to the tree is also a
// splice of the original bytes at the node's position, so that every byte
// sync has no reason to touch (comments, blank lines, indentation,
// quoting, hand-written text) stays as it was.
//
// The spliced text is then parsed again and compared with the edited tree.
// Should a splice not be possible (a flow-style collection, a multi-line
// scalar) or not give the tree, the edited tree itself is encoded instead:
// comments and key order survive that too, but blank lines and
// indentation are normalised.
type Editor struct {
	root     *yaml.Node
	src      []byte
	starts   []int // byte offset of each line (index line-1); one past the end last
	crlf     bool
	edits    []splice
	layouts  map[*yaml.Node]layoutResult
	spliceOK bool
	// rewrites are the items of block sequences rewritten as a whole
	// (see Scope), rendered by Result.
	rewrites map[*yaml.Node]rewrite
	// why says why splicing was given up, for tests.
	why string
}

// splice replaces src[start:end] with text.
type splice struct {
	start, end int
	text       string
	seq        int
}

// New returns an editor of src, whose parsed document node is root (as
// Decode returns it). The editor changes root in place.
func New(src []byte, root *yaml.Node) *Editor {
	e := &Editor{root: root, src: src, spliceOK: true, crlf: bytes.Contains(src, []byte("\r\n"))}
	e.starts = append(e.starts, 0)
	for i, b := range src {
		if b == '\n' {
			e.starts = append(e.starts, i+1)
		}
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		e.starts = append(e.starts, len(src))
	}
	return e
}

// Lines is the number of lines of the original text.
func (e *Editor) Lines() int { return len(e.starts) - 1 }

// line returns the text of line l (1-based) without its line ending.
func (e *Editor) line(l int) string {
	if l < 1 || l > e.Lines() {
		return ""
	}
	return strings.TrimRight(string(e.src[e.starts[l-1]:e.starts[l]]), "\r\n")
}

// lineStart returns the byte offset of line l; the end of the text for
// l past the last line.
func (e *Editor) lineStart(l int) int {
	if l > e.Lines() {
		if n := len(e.src); n > 0 && e.src[n-1] != '\n' {
			return -1 // no line ending to insert after
		}
		return len(e.src)
	}
	return e.starts[l-1]
}

// offset returns the byte offset of line l, column c (1-based, in runes,
// as yaml.v3 counts).
func (e *Editor) offset(l, c int) int {
	off := e.starts[l-1]
	for i := 1; i < c && off < e.starts[l]; i++ {
		_, n := utf8.DecodeRune(e.src[off:])
		off += n
	}
	return off
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func isComment(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "#") }

// Fail gives up splicing: Result will encode the edited tree instead.
func (e *Editor) Fail(format string, args ...any) {
	if e.spliceOK {
		e.spliceOK = false
		e.why = fmt.Sprintf(format, args...)
	}
}

// Why says why splicing was given up, "" while it was not.
func (e *Editor) Why() string { return e.why }

func (e *Editor) splice(start, end int, text string) {
	if start < 0 || end < start {
		e.Fail("bad splice position")
		return
	}
	if e.crlf {
		text = strings.ReplaceAll(text, "\n", "\r\n")
	}
	e.edits = append(e.edits, splice{start, end, text, len(e.edits)})
}

// StartWithComments returns the first line of the node at line l, column
// col: l itself, or the first of the comment lines right above it that are
// indented at least as far (its head comment).
func (e *Editor) StartWithComments(l, col int) int {
	for l > 1 && isComment(e.line(l-1)) && indentOf(e.line(l-1)) >= col-1 {
		l--
	}
	return l
}

// ValueEnd returns the line after the region of the value of the i-th key
// of mapping m, given the line after m's own region: the start of the next
// key, or end.
func (e *Editor) ValueEnd(m *yaml.Node, i, end int) int {
	for k := 2 * (i + 1); k < len(m.Content); k += 2 {
		if m.Content[k].Line > 0 { // not a key added by the editor
			return e.StartWithComments(m.Content[k].Line, m.Content[k].Column)
		}
	}
	return end
}

// lastContent returns the line after the last line of content in lines
// [from, end) of a collection whose entries start at column col (0-based):
// trailing blank lines, and trailing comments indented no further than
// col (they close the collection or introduce what follows), are not
// content.
func (e *Editor) lastContent(from, end, col int) int {
	for l := end - 1; l >= from; l-- {
		s := e.line(l)
		if isBlank(s) || (isComment(s) && indentOf(s) <= col) {
			continue
		}
		return l + 1
	}
	return from
}

// scalarSpan returns the byte span of scalar n on its line, if it is a
// single-line plain or quoted scalar whose text reads back as its value.
func (e *Editor) scalarSpan(n *yaml.Node) (start, end int, ok bool) {
	if n.Kind != yaml.ScalarNode || n.Line < 1 || n.Line > e.Lines() {
		return 0, 0, false
	}
	start = e.offset(n.Line, n.Column)
	rest := strings.TrimRight(string(e.src[start:e.starts[n.Line]]), "\r\n")
	var tok string
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		i := 1
		for ; i < len(rest); i++ {
			if rest[i] == '\\' {
				i++
			} else if rest[i] == '"' {
				break
			}
		}
		if i >= len(rest) {
			return 0, 0, false
		}
		tok = rest[:i+1]
	case n.Style&yaml.SingleQuotedStyle != 0:
		i := 1
		for ; i < len(rest); i++ {
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					i++
					continue
				}
				break
			}
		}
		if i >= len(rest) {
			return 0, 0, false
		}
		tok = rest[:i+1]
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.FlowStyle) != 0:
		return 0, 0, false
	default:
		// A plain scalar whose text is its value, ended by the line, a
		// comment, or (in a flow collection) ',', ']' or '}': the usual
		// case, without a parse.
		if v := n.Value; v != "" && strings.HasPrefix(rest, v) &&
			(len(rest) == len(v) || strings.ContainsRune(" \t,]}", rune(rest[len(v)]))) &&
			!strings.ContainsAny(v, "#,[]{}") {
			return start, start + len(v), true
		}
		tok = rest
		if i := strings.Index(tok, " #"); i >= 0 {
			tok = tok[:i]
		}
		tok = strings.TrimRight(tok, " \t")
	}
	var v string
	if err := yaml.Unmarshal([]byte("v: "+tok), &struct{ V *string }{&v}); err != nil || v != n.Value {
		if !(tok == n.Value && n.Style == 0) {
			return 0, 0, false
		}
	}
	return start, start + len(tok), true
}

// render encodes node n as YAML text indented by indent spaces, each line
// ending in a newline.
func render(n *yaml.Node, indent int) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	for l := range strings.Lines(buf.String()) {
		if strings.TrimSpace(l) != "" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	return b.String(), nil
}

// renderScalar is the text of a single-line scalar, in style.
func renderScalar(value string, style yaml.Style) (string, bool) {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Style: style & (yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle)}
	s, err := render(n, 0)
	if err != nil {
		return "", false
	}
	s = strings.TrimSuffix(s, "\n")
	return s, !strings.Contains(s, "\n")
}

// SetScalar sets the value of scalar node n.
func (e *Editor) SetScalar(n *yaml.Node, value string) {
	start, end, ok := e.scalarSpan(n)
	n.Value = value
	n.Tag = "!!str"
	n.Style &= yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle
	if !ok {
		e.Fail("cannot splice the scalar at line %d", n.Line)
		return
	}
	text, ok := renderScalar(value, n.Style)
	if !ok {
		e.Fail("value %q does not fit on one line", value)
		return
	}
	e.splice(start, end, text)
}

// SetInt sets an integer scalar.
func (e *Editor) SetInt(n *yaml.Node, v int) {
	start, end, ok := e.scalarSpan(n)
	n.Value = fmt.Sprint(v)
	n.Tag = "!!int"
	n.Style = 0
	if !ok {
		e.Fail("cannot splice the scalar at line %d", n.Line)
		return
	}
	e.splice(start, end, n.Value)
}

// Lookup returns the index, key and value of key in mapping m.
func Lookup(m *yaml.Node, key string) (int, *yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1, nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i / 2, m.Content[i], m.Content[i+1]
		}
	}
	return -1, nil, nil
}

// InsertKeyAfter inserts key: val into mapping m right after the key
// named after, whose value must be a single-line scalar.
func (e *Editor) InsertKeyAfter(m *yaml.Node, after, key string, val *yaml.Node) {
	i, k, v := Lookup(m, after)
	if i < 0 {
		e.Fail("no key %q", after)
		m.Content = append(m.Content, Str(key), val)
		return
	}
	m.Content = slices.Insert(m.Content, 2*i+2, Str(key), val)
	if m.Style&yaml.FlowStyle != 0 {
		e.Fail("flow mapping at line %d", m.Line)
		return
	}
	if _, _, ok := e.scalarSpan(v); !ok || v.Line != k.Line {
		e.Fail("value of %s at line %d is not a one-line scalar", after, k.Line)
		return
	}
	e.insertLines(v.Line+1, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{Str(key), val}}, k.Column-1)
}

// AppendKey appends key: val to block mapping m, whose region ends before
// line end.
func (e *Editor) AppendKey(m *yaml.Node, end int, key string, val *yaml.Node) {
	m.Content = append(m.Content, Str(key), val)
	if m.Style&yaml.FlowStyle != 0 || len(m.Content) < 4 {
		e.Fail("cannot append to the mapping at line %d", m.Line)
		return
	}
	col := m.Content[0].Column
	at := e.lastContent(m.Content[0].Line, end, col-1)
	e.insertLines(at, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{Str(key), val}}, col-1)
}

// List is a flow-style sequence of strings ("[a, b]").
func List(values []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	for _, v := range values {
		n.Content = append(n.Content, Str(v))
	}
	return n
}

// SetList sets key of block mapping m to a flow list of values: a value
// written on the key's line is replaced there; a missing key is inserted
// after the key named after (see InsertKeyAfter).
func (e *Editor) SetList(m *yaml.Node, key, after string, values []string) {
	i, k, v := Lookup(m, key)
	if i < 0 {
		e.InsertKeyAfter(m, after, key, List(values))
		return
	}
	m.Content[2*i+1] = List(values)
	if k.Line < 1 || v.Line != k.Line || m.Style&yaml.FlowStyle != 0 {
		e.Fail("value of %s at line %d is not on its line", key, k.Line)
		return
	}
	start := e.offset(v.Line, v.Column)
	rest := strings.TrimRight(string(e.src[start:e.starts[v.Line]]), "\r\n")
	var tok string
	switch {
	case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle != 0:
		j := strings.IndexByte(rest, ']')
		if j < 0 || strings.ContainsAny(rest[:j], "[{\"'") && strings.LastIndexByte(rest[:j], '[') != 0 {
			e.Fail("flow list of %s at line %d spans lines", key, k.Line)
			return
		}
		tok = rest[:j+1]
	case v.Kind == yaml.ScalarNode:
		if _, end, ok := e.scalarSpan(v); ok {
			tok = string(e.src[start:end])
		} else {
			e.Fail("value of %s at line %d cannot be spliced", key, k.Line)
			return
		}
	default:
		e.Fail("value of %s at line %d is not a one-line list", key, k.Line)
		return
	}
	text, err := render(List(values), 0)
	if err != nil || strings.Count(text, "\n") != 1 {
		e.Fail("cannot render %s", key)
		return
	}
	e.splice(start, start+len(tok), strings.TrimSuffix(text, "\n"))
}

// RemoveKey removes key and its value from block mapping m; the value
// must be a single-line scalar on the key's line (a head comment right
// above the key goes with it).
func (e *Editor) RemoveKey(m *yaml.Node, key string) {
	i, k, v := Lookup(m, key)
	if i < 0 {
		return
	}
	m.Content = slices.Delete(m.Content, 2*i, 2*i+2)
	if m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
		e.Fail("cannot remove %s from the mapping at line %d", key, m.Line)
		return
	}
	if _, _, ok := e.scalarSpan(v); !ok || v.Line != k.Line || k.Line < 1 {
		e.Fail("value of %s at line %d is not a one-line scalar", key, k.Line)
		return
	}
	start, end := e.lineStart(e.StartWithComments(k.Line, k.Column)), e.lineStart(k.Line+1)
	if end < 0 {
		end = len(e.src)
	}
	e.splice(start, end, "")
}

// PrependKey inserts key: val as the first key of block mapping m.
func (e *Editor) PrependKey(m *yaml.Node, key string, val *yaml.Node) {
	m.Content = append([]*yaml.Node{Str(key), val}, m.Content...)
	if m.Style&yaml.FlowStyle != 0 || len(m.Content) < 4 {
		e.Fail("cannot prepend to the mapping at line %d", m.Line)
		return
	}
	first := m.Content[2]
	text, err := render(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{Str(key), val}}, 0)
	if err != nil || strings.Count(text, "\n") != 1 {
		e.Fail("cannot render %s", key)
		return
	}
	off := e.offset(first.Line, first.Column)
	e.splice(off, off, text+strings.Repeat(" ", first.Column-1))
}

// insertLines inserts n, rendered at indent, before line l.
func (e *Editor) insertLines(l int, n *yaml.Node, indent int) {
	text, err := render(n, indent)
	if err != nil {
		e.Fail("render: %v", err)
		return
	}
	off := e.lineStart(l)
	if off < 0 {
		// The file does not end with a newline: add one.
		off = len(e.src)
		text = "\n" + text
	}
	e.splice(off, off, text)
}

// seqLayout is where a block sequence's items are.
type seqLayout struct {
	nodes  []*yaml.Node // the items, as in the original text
	dash   int          // column of the items' "-" (0-based)
	starts []int        // first line of each item, head comments included
	end    int          // line after the last item's content
	blank  bool         // items are separated by blank lines
}

// layout works out a block sequence's layout; seq is the value of a key
// whose region ends before line end.
func (e *Editor) layout(seq *yaml.Node, end int) (seqLayout, bool) {
	// The layout is that of the original text: computed once, before the
	// sequence's nodes change.
	if l, ok := e.layouts[seq]; ok {
		return l.lay, l.ok
	}
	lay, ok := e.computeLayout(seq, end)
	if e.layouts == nil {
		e.layouts = map[*yaml.Node]layoutResult{}
	}
	e.layouts[seq] = layoutResult{lay, ok}
	return lay, ok
}

type layoutResult struct {
	lay seqLayout
	ok  bool
}

func (e *Editor) computeLayout(seq *yaml.Node, end int) (seqLayout, bool) {
	var lay seqLayout
	if seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
		return lay, false
	}
	lay.dash = -1
	for _, it := range seq.Content {
		// The item's "-" is the last non-space before the item's first
		// column, on its line.
		if it.Line < 1 || it.Line > e.Lines() {
			return lay, false
		}
		s := e.line(it.Line)
		before := string([]rune(s)[:min(it.Column-1, utf8.RuneCountInString(s))])
		t := strings.TrimRight(before, " ")
		if !strings.HasSuffix(t, "-") || strings.TrimSpace(t) != "-" {
			return lay, false
		}
		d := len(t) - 1
		if lay.dash >= 0 && d != lay.dash {
			return lay, false
		}
		lay.dash = d
		lay.nodes = append(lay.nodes, it)
		lay.starts = append(lay.starts, e.StartWithComments(it.Line, d+1))
	}
	last := lay.starts[len(lay.starts)-1]
	lay.end = e.lastContent(last, end, lay.dash)
	if n := len(lay.starts); n >= 2 {
		lay.blank = isBlank(e.line(lay.starts[n-1] - 1))
	}
	return lay, true
}

// AppendItems appends nodes to the sequence that is the value of the i-th
// key of mapping m, whose region ends before line end.
func (e *Editor) AppendItems(m *yaml.Node, i, end int, nodes []*yaml.Node) {
	if len(nodes) == 0 {
		return
	}
	key, seq := m.Content[2*i], m.Content[2*i+1]
	switch {
	case seq.Kind == yaml.SequenceNode && (len(seq.Content) > 0 || e.layouts[seq].ok):
		// A block sequence (whose items may all have been removed).
		lay, ok := e.layout(seq, end)
		seq.Content = append(seq.Content, nodes...)
		if !ok {
			e.Fail("sequence at line %d is not a simple block sequence", seq.Line)
			return
		}
		e.insertItems(lay.end, nodes, lay.dash, lay.blank)
	case seq.Kind == yaml.SequenceNode && seq.Style&yaml.FlowStyle != 0:
		// "key: []": drop the brackets, then add a block sequence.
		seq.Content = append(seq.Content, nodes...)
		seq.Style = 0
		start := e.offset(seq.Line, seq.Column)
		rest := string(e.src[start:e.starts[seq.Line]])
		j := strings.Index(rest, "]")
		if j < 0 || strings.TrimSpace(rest[1:j]) != "" || key.Line != seq.Line {
			e.Fail("empty flow sequence at line %d", seq.Line)
			return
		}
		from := start
		for from > e.starts[seq.Line-1] && e.src[from-1] == ' ' {
			from--
		}
		e.splice(from, start+j+1, "")
		e.insertItems(seq.Line+1, nodes, key.Column-1+2, false)
	case IsNull(seq) && seq.Value == "":
		// "key:" with nothing after it.
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: nodes}
		rest := string([]rune(e.line(key.Line))[key.Column-1:])
		if _, after, _ := strings.Cut(rest, ":"); !isBlank(after) && !isComment(after) {
			e.Fail("null value at line %d", key.Line)
			return
		}
		e.insertItems(key.Line+1, nodes, key.Column-1+2, false)
	default:
		if IsNull(seq) {
			*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		}
		seq.Content = append(seq.Content, nodes...)
		e.Fail("cannot append to the value at line %d", seq.Line)
	}
}

func (e *Editor) insertItems(l int, nodes []*yaml.Node, dash int, blank bool) {
	var b strings.Builder
	for _, n := range nodes {
		text, err := render(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{n}}, dash)
		if err != nil {
			e.Fail("render: %v", err)
			return
		}
		if blank {
			b.WriteByte('\n')
		}
		b.WriteString(text)
	}
	off := e.lineStart(l)
	text := b.String()
	if off < 0 {
		off = len(e.src)
		text = "\n" + text
	}
	e.splice(off, off, text)
}

// RemoveItems removes the items at the given indexes of the block sequence
// that is the value of the i-th key of mapping m (region ending before end).
func (e *Editor) RemoveItems(m *yaml.Node, i, end int, idx []int) {
	if len(idx) == 0 {
		return
	}
	seq := m.Content[2*i+1]
	lay, ok := e.layout(seq, end)
	gone := map[*yaml.Node]bool{}
	for _, j := range idx {
		gone[seq.Content[j]] = true
	}
	seq.Content = slices.DeleteFunc(slices.Clone(seq.Content), func(n *yaml.Node) bool { return gone[n] })
	if !ok {
		e.Fail("sequence at line %d is not a simple block sequence", seq.Line)
		return
	}
	// Line ranges to delete, merged where they touch.
	var ranges [][2]int
	for _, j := range slices.Sorted(slices.Values(idx)) {
		from, to := lay.starts[j], lay.end
		if j+1 < len(lay.starts) {
			to = lay.starts[j+1]
		} else {
			// The last item: also the blank lines that separated it.
			for from-1 > lay.starts[0] && isBlank(e.line(from-1)) {
				from--
			}
		}
		if n := len(ranges); n > 0 && from <= ranges[n-1][1] {
			ranges[n-1][1] = max(ranges[n-1][1], to)
			continue
		}
		ranges = append(ranges, [2]int{from, to})
	}
	for _, r := range ranges {
		start, end := e.lineStart(r[0]), e.lineStart(r[1])
		if end < 0 {
			end = len(e.src)
		}
		e.splice(start, end, "")
	}
}

// Result applies the splices and checks that the text parses back to the
// edited tree; failing that, it encodes the edited tree.
func (e *Editor) Result() ([]byte, error) {
	if e.spliceOK {
		e.renderRewrites()
	}
	if e.spliceOK {
		out := e.apply()
		if sameYAML(out, e.root) {
			return out, nil
		}
		e.Fail("spliced text does not parse back to the edited tree")
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(e.root); err != nil {
		return nil, fmt.Errorf("encoding register: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding register: %w", err)
	}
	out := buf.Bytes()
	if !sameYAML(out, e.root) {
		return nil, fmt.Errorf("internal error: the encoded register does not read back as edited")
	}
	if e.crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	if bytes.HasPrefix(e.src, bom) && !bytes.HasPrefix(out, bom) {
		out = append(slices.Clip(bom), out...)
	}
	return out, nil
}

// bom is the UTF-8 byte-order mark, kept when a file starts with one.
var bom = []byte("\xEF\xBB\xBF")

// Spliced reports whether Result will splice the original text (true)
// or has had to encode the whole edited tree (false; Why says why).
func (e *Editor) Spliced() bool { return e.spliceOK }

// rewrite is an item of a block sequence whose lines are replaced by its
// edited node, rendered in block style.
type rewrite struct {
	start, end int // byte span of the item's own lines
	dash       int // column of its "-"
}

// Scope runs f, which edits item, an item of the block sequence seq (the
// value of a key whose region ends before line end). When f's edits
// cannot be spliced into the item's text (an item written in flow style,
// a multi-line value), the item alone is rewritten from its edited node
// in block style, and Scope reports true; the rest of the text stays as
// it was. An item rewritten once is rewritten whole by every later
// Scope too, so edits never overlap. When not even the item can be
// rewritten (seq is not a simple block sequence), Result falls back to
// encoding the whole tree.
func (e *Editor) Scope(seq *yaml.Node, end int, item *yaml.Node, f func()) (rewritten bool) {
	n, ok, why := len(e.edits), e.spliceOK, e.why
	f()
	_, again := e.rewrites[item]
	if !again && (e.spliceOK || !ok) {
		return false
	}
	// Discard f's splices; the item is rendered from its node instead.
	e.edits, e.spliceOK, e.why = e.edits[:n], ok, why
	if again {
		return true
	}
	lay, lok := e.layout(seq, end)
	j := slices.Index(lay.nodes, item)
	if !lok || j < 0 || item.Line < 1 {
		e.Fail("the list at line %d is not a block list (flow style?): its items cannot be rewritten one by one", seq.Line)
		return false
	}
	next := lay.end
	if j+1 < len(lay.starts) {
		next = lay.starts[j+1]
	}
	to := e.lastContent(item.Line, next, lay.dash)
	start, stop := e.lineStart(item.Line), e.lineStart(to)
	if stop < 0 {
		stop = len(e.src)
	}
	if e.rewrites == nil {
		e.rewrites = map[*yaml.Node]rewrite{}
	}
	e.rewrites[item] = rewrite{start, stop, lay.dash}
	return true
}

// renderRewrites splices the rewritten items' text.
func (e *Editor) renderRewrites() {
	for n, r := range e.rewrites {
		c := *n
		c.Style &^= yaml.FlowStyle
		c.HeadComment = "" // its lines above the item are kept as they are
		text, err := render(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{&c}}, r.dash)
		if err != nil {
			e.Fail("render: %v", err)
			return
		}
		if r.end == len(e.src) && len(e.src) > 0 && e.src[len(e.src)-1] != '\n' {
			text = strings.TrimSuffix(text, "\n")
		}
		e.splice(r.start, r.end, text)
	}
}

func (e *Editor) apply() []byte {
	edits := slices.Clone(e.edits)
	slices.SortStableFunc(edits, func(a, b splice) int {
		if c := cmp.Compare(b.start, a.start); c != 0 {
			return c
		}
		return cmp.Compare(b.seq, a.seq)
	})
	out := slices.Clone(e.src)
	prev := len(out) + 1
	for _, s := range edits {
		if s.end > prev || s.end > len(out) {
			e.Fail("overlapping splices")
			return nil
		}
		out = slices.Concat(out[:s.start], []byte(s.text), out[s.end:])
		prev = s.start
	}
	return out
}

// sameYAML reports whether data parses to a tree with the same content as
// root (kinds, tags, values; not comments, styles or positions).
func sameYAML(data []byte, root *yaml.Node) bool {
	if data == nil {
		return false
	}
	n, err := strictyaml.Decode(data)
	if err != nil || n == nil {
		return false
	}
	return sameNode(n, root)
}

func sameNode(a, b *yaml.Node) bool {
	if a.Kind == yaml.DocumentNode && b.Kind == yaml.DocumentNode {
		return sameContent(a, b)
	}
	if empty(a) && empty(b) {
		return true
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.ShortTag() == b.ShortTag() && a.Value == b.Value
	case yaml.MappingNode, yaml.SequenceNode:
		return sameContent(a, b)
	}
	return false
}

// sameContent reports whether a and b have the same children.
func sameContent(a, b *yaml.Node) bool {
	return slices.EqualFunc(a.Content, b.Content, sameNode)
}

// empty reports whether n is null or an empty collection.
func empty(n *yaml.Node) bool {
	return IsNull(n) || (n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode) && len(n.Content) == 0
}

// Str is a string scalar node.
func Str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// Int is an integer scalar node.
func Int(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(n)}
}

// Date is a timestamp scalar node (a YYYY-MM-DD date, written plain).
func Date(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: s}
}

// Map is a mapping node of keys and values.
func Map(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
}

// IsNull reports whether n is a null scalar ("~", "null" or nothing).
func IsNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }
