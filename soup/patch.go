package soup

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// An editor changes a register's YAML tree in place (the yaml.v3 node API)
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
type editor struct {
	doc      *document
	src      []byte
	starts   []int // byte offset of each line (index line-1); one past the end last
	crlf     bool
	edits    []splice
	layouts  map[*yaml.Node]layoutResult
	spliceOK bool
	// why says why splicing was given up, for tests.
	why string
}

// splice replaces src[start:end] with text.
type splice struct {
	start, end int
	text       string
	seq        int
}

func newEditor(doc *document) *editor {
	e := &editor{doc: doc, src: doc.data, spliceOK: true, crlf: bytes.Contains(doc.data, []byte("\r\n"))}
	e.starts = append(e.starts, 0)
	for i, b := range doc.data {
		if b == '\n' {
			e.starts = append(e.starts, i+1)
		}
	}
	if len(doc.data) > 0 && doc.data[len(doc.data)-1] != '\n' {
		e.starts = append(e.starts, len(doc.data))
	}
	return e
}

// lines is the number of lines.
func (e *editor) lines() int { return len(e.starts) - 1 }

// line returns the text of line l (1-based) without its line ending.
func (e *editor) line(l int) string {
	if l < 1 || l > e.lines() {
		return ""
	}
	return strings.TrimRight(string(e.src[e.starts[l-1]:e.starts[l]]), "\r\n")
}

// lineStart returns the byte offset of line l; the end of the text for
// l past the last line.
func (e *editor) lineStart(l int) int {
	if l > e.lines() {
		if n := len(e.src); n > 0 && e.src[n-1] != '\n' {
			return -1 // no line ending to insert after
		}
		return len(e.src)
	}
	return e.starts[l-1]
}

// offset returns the byte offset of line l, column c (1-based, in runes,
// as yaml.v3 counts).
func (e *editor) offset(l, c int) int {
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

func (e *editor) fail(format string, args ...any) {
	if e.spliceOK {
		e.spliceOK = false
		e.why = fmt.Sprintf(format, args...)
		if onFallback != nil {
			onFallback(e.why)
		}
	}
}

// onFallback, when set (by tests), is told why splicing was given up.
var onFallback func(why string)

func (e *editor) splice(start, end int, text string) {
	if start < 0 || end < start {
		e.fail("bad splice position")
		return
	}
	if e.crlf {
		text = strings.ReplaceAll(text, "\n", "\r\n")
	}
	e.edits = append(e.edits, splice{start, end, text, len(e.edits)})
}

// startWithComments returns the first line of the node at line l, column
// col: l itself, or the first of the comment lines right above it that are
// indented at least as far (its head comment).
func (e *editor) startWithComments(l, col int) int {
	for l > 1 && isComment(e.line(l-1)) && indentOf(e.line(l-1)) >= col-1 {
		l--
	}
	return l
}

// valueEnd returns the line after the region of the value of the i-th key
// of mapping m, given the line after m's own region: the start of the next
// key, or end.
func (e *editor) valueEnd(m *yaml.Node, i, end int) int {
	for k := 2 * (i + 1); k < len(m.Content); k += 2 {
		if m.Content[k].Line > 0 { // not a key added by the editor
			return e.startWithComments(m.Content[k].Line, m.Content[k].Column)
		}
	}
	return end
}

// lastContent returns the line after the last line of content in lines
// [from, end) of a collection whose entries start at column col (0-based):
// trailing blank lines, and trailing comments indented no further than
// col (they close the collection or introduce what follows), are not
// content.
func (e *editor) lastContent(from, end, col int) int {
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
func (e *editor) scalarSpan(n *yaml.Node) (start, end int, ok bool) {
	if n.Kind != yaml.ScalarNode || n.Line < 1 || n.Line > e.lines() {
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

// setScalar sets the value of scalar node n.
func (e *editor) setScalar(n *yaml.Node, value string) {
	start, end, ok := e.scalarSpan(n)
	n.Value = value
	n.Tag = "!!str"
	n.Style &= yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle
	if !ok {
		e.fail("cannot splice the scalar at line %d", n.Line)
		return
	}
	text, ok := renderScalar(value, n.Style)
	if !ok {
		e.fail("value %q does not fit on one line", value)
		return
	}
	e.splice(start, end, text)
}

// setInt sets an integer scalar.
func (e *editor) setInt(n *yaml.Node, v int) {
	start, end, ok := e.scalarSpan(n)
	n.Value = fmt.Sprint(v)
	n.Tag = "!!int"
	n.Style = 0
	if !ok {
		e.fail("cannot splice the scalar at line %d", n.Line)
		return
	}
	e.splice(start, end, n.Value)
}

// lookup returns the index, key and value of key in mapping m.
func lookup(m *yaml.Node, key string) (int, *yaml.Node, *yaml.Node) {
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

// insertKeyAfter inserts key: val into mapping m right after the key
// named after, whose value must be a single-line scalar.
func (e *editor) insertKeyAfter(m *yaml.Node, after, key string, val *yaml.Node) {
	i, k, v := lookup(m, after)
	if i < 0 {
		e.fail("no key %q", after)
		m.Content = append(m.Content, strNode(key), val)
		return
	}
	m.Content = slices.Insert(m.Content, 2*i+2, strNode(key), val)
	if m.Style&yaml.FlowStyle != 0 {
		e.fail("flow mapping at line %d", m.Line)
		return
	}
	if _, _, ok := e.scalarSpan(v); !ok || v.Line != k.Line {
		e.fail("value of %s at line %d is not a one-line scalar", after, k.Line)
		return
	}
	e.insertLines(v.Line+1, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{strNode(key), val}}, k.Column-1)
}

// appendKey appends key: val to block mapping m, whose region ends before
// line end.
func (e *editor) appendKey(m *yaml.Node, end int, key string, val *yaml.Node) {
	m.Content = append(m.Content, strNode(key), val)
	if m.Style&yaml.FlowStyle != 0 || len(m.Content) < 4 {
		e.fail("cannot append to the mapping at line %d", m.Line)
		return
	}
	col := m.Content[0].Column
	at := e.lastContent(m.Content[0].Line, end, col-1)
	e.insertLines(at, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{strNode(key), val}}, col-1)
}

// prependKey inserts key: val as the first key of block mapping m.
func (e *editor) prependKey(m *yaml.Node, key string, val *yaml.Node) {
	m.Content = append([]*yaml.Node{strNode(key), val}, m.Content...)
	if m.Style&yaml.FlowStyle != 0 || len(m.Content) < 4 {
		e.fail("cannot prepend to the mapping at line %d", m.Line)
		return
	}
	first := m.Content[2]
	text, err := render(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{strNode(key), val}}, 0)
	if err != nil || strings.Count(text, "\n") != 1 {
		e.fail("cannot render %s", key)
		return
	}
	off := e.offset(first.Line, first.Column)
	e.splice(off, off, text+strings.Repeat(" ", first.Column-1))
}

// insertLines inserts n, rendered at indent, before line l.
func (e *editor) insertLines(l int, n *yaml.Node, indent int) {
	text, err := render(n, indent)
	if err != nil {
		e.fail("render: %v", err)
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
	dash   int   // column of the items' "-" (0-based)
	starts []int // first line of each item, head comments included
	end    int   // line after the last item's content
	blank  bool  // items are separated by blank lines
}

// layout works out a block sequence's layout; seq is the value of a key
// whose region ends before line end.
func (e *editor) layout(seq *yaml.Node, end int) (seqLayout, bool) {
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

func (e *editor) computeLayout(seq *yaml.Node, end int) (seqLayout, bool) {
	var lay seqLayout
	if seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
		return lay, false
	}
	lay.dash = -1
	for _, it := range seq.Content {
		// The item's "-" is the last non-space before the item's first
		// column, on its line.
		if it.Line < 1 || it.Line > e.lines() {
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
		lay.starts = append(lay.starts, e.startWithComments(it.Line, d+1))
	}
	last := lay.starts[len(lay.starts)-1]
	lay.end = e.lastContent(last, end, lay.dash)
	if n := len(lay.starts); n >= 2 {
		lay.blank = isBlank(e.line(lay.starts[n-1] - 1))
	}
	return lay, true
}

// appendItems appends nodes to the sequence that is the value of the i-th
// key of mapping m, whose region ends before line end.
func (e *editor) appendItems(m *yaml.Node, i, end int, nodes []*yaml.Node) {
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
			e.fail("sequence at line %d is not a simple block sequence", seq.Line)
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
			e.fail("empty flow sequence at line %d", seq.Line)
			return
		}
		from := start
		for from > e.starts[seq.Line-1] && e.src[from-1] == ' ' {
			from--
		}
		e.splice(from, start+j+1, "")
		e.insertItems(seq.Line+1, nodes, key.Column-1+2, false)
	case isNull(seq) && seq.Value == "":
		// "key:" with nothing after it.
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: nodes}
		rest := string([]rune(e.line(key.Line))[key.Column-1:])
		if _, after, _ := strings.Cut(rest, ":"); !isBlank(after) && !isComment(after) {
			e.fail("null value at line %d", key.Line)
			return
		}
		e.insertItems(key.Line+1, nodes, key.Column-1+2, false)
	default:
		if isNull(seq) {
			*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		}
		seq.Content = append(seq.Content, nodes...)
		e.fail("cannot append to the value at line %d", seq.Line)
	}
}

func (e *editor) insertItems(l int, nodes []*yaml.Node, dash int, blank bool) {
	var b strings.Builder
	for _, n := range nodes {
		text, err := render(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{n}}, dash)
		if err != nil {
			e.fail("render: %v", err)
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

// removeItems removes the items at the given indexes of the block sequence
// that is the value of the i-th key of mapping m (region ending before end).
func (e *editor) removeItems(m *yaml.Node, i, end int, idx []int) {
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
		e.fail("sequence at line %d is not a simple block sequence", seq.Line)
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

// result applies the splices and checks that the text parses back to the
// edited tree; failing that, it encodes the edited tree.
func (e *editor) result() ([]byte, error) {
	if e.spliceOK {
		out := e.apply()
		if sameYAML(out, e.doc.root) {
			return out, nil
		}
		e.fail("spliced text does not parse back to the edited tree")
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(e.doc.root); err != nil {
		return nil, fmt.Errorf("encoding register: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding register: %w", err)
	}
	out := buf.Bytes()
	if !sameYAML(out, e.doc.root) {
		return nil, fmt.Errorf("internal error: the encoded register does not read back as edited")
	}
	if e.crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	return out, nil
}

func (e *editor) apply() []byte {
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
			e.fail("overlapping splices")
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
	n, err := decodeYAML(data)
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
	return isNull(n) || (n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode) && len(n.Content) == 0
}

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func intNode(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(n)}
}

func dateNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: s}
}

func mapNode(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
}
