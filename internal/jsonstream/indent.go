package jsonstream

import (
	"bufio"
	"io"
	"strings"
)

// An Indenter indents compact JSON as it streams through, writing what
// json.Indent with the indent "  " would (TestIndenter): the encoders
// write a large document compact and indent it on the way out, instead
// of holding a second, indented copy in memory.
type Indenter struct {
	w          *bufio.Writer
	depth      int
	inString   bool
	escaped    bool
	needIndent bool
	err        error
}

// NewIndenter returns an Indenter writing to w; Close flushes it.
func NewIndenter(w io.Writer) *Indenter { return &Indenter{w: bufio.NewWriterSize(w, 64<<10)} }

// indents is a newline and the indentation of the first levels.
var indents = "\n" + strings.Repeat("  ", 32)

func (in *Indenter) newline() {
	if n := 1 + 2*in.depth; n <= len(indents) {
		in.w.WriteString(indents[:n])
		return
	}
	in.w.WriteByte('\n')
	for range in.depth {
		in.w.WriteString("  ")
	}
}

func (in *Indenter) Write(p []byte) (int, error) {
	if in.err != nil {
		return 0, in.err
	}
	w := in.w
	for i := 0; i < len(p); i++ {
		c := p[i]
		if in.inString {
			if !in.escaped {
				// The run of a string up to its next quote or backslash
				// is copied as it is.
				if n := quoteOrBackslash(p[i:]); n > 0 {
					w.Write(p[i : i+n])
					i += n - 1
					continue
				} else if n < 0 {
					w.Write(p[i:])
					break
				}
			}
			w.WriteByte(c)
			switch {
			case in.escaped:
				in.escaped = false
			case c == '\\':
				in.escaped = true
			case c == '"':
				in.inString = false
			}
			continue
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			if c == '\n' && in.depth == 0 {
				w.WriteByte('\n') // the newline ending a document
			}
			continue
		}
		if in.needIndent && c != '}' && c != ']' {
			in.needIndent = false
			in.depth++
			in.newline()
		}
		switch c {
		case '"':
			// A whole string without escapes is copied at once, quotes
			// and all.
			if n := quoteOrBackslash(p[i+1:]); n >= 0 && p[i+1+n] == '"' {
				w.Write(p[i : i+n+2])
				i += n + 1
				continue
			}
			in.inString = true
			w.WriteByte(c)
		case '{', '[':
			w.WriteByte(c)
			in.needIndent = true
		case ',':
			w.WriteByte(c)
			in.newline()
		case ':':
			w.WriteString(": ")
		case '}', ']':
			if in.needIndent {
				in.needIndent = false // empty: "{}" and "[]"
			} else {
				in.depth--
				in.newline()
			}
			w.WriteByte(c)
		default:
			// A literal (number, true, false, null) up to the next
			// structural character, at once.
			n := 1
			for i+n < len(p) && !structural[p[i+n]] {
				n++
			}
			w.Write(p[i : i+n])
			i += n - 1
		}
	}
	return len(p), nil
}

// structural marks the bytes that end a literal in compact JSON.
var structural = [256]bool{',': true, ':': true, '{': true, '}': true, '[': true, ']': true, '"': true,
	' ': true, '\t': true, '\r': true, '\n': true}

// quoteOrBackslash returns the index of the first '"' or '\\' in b, or
// -1: bytes.IndexAny, which builds its set on every call, costs more on
// the short runs of a JSON document's strings.
func quoteOrBackslash(b []byte) int {
	for i, c := range b {
		if c == '"' || c == '\\' {
			return i
		}
	}
	return -1
}

// raw writes p, already indented at the indenter's depth, as it is.
func (in *Indenter) raw(p []byte) (int, error) {
	if in.err != nil {
		return 0, in.err
	}
	return in.w.Write(p)
}

// Close flushes what is buffered.
func (in *Indenter) Close() error {
	if in.err != nil {
		return in.err
	}
	in.err = in.w.Flush()
	return in.err
}
