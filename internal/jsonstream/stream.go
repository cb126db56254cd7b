// Package jsonstream writes large JSON documents (SBOMs, inventories)
// without holding them twice in memory, and on every processor: the
// document's small skeleton is encoded by the field's own library, its
// large top-level arrays element by element by encoding/json, in
// parallel, and the whole is indented on the way out. The bytes are
// those of encoding/json's Encoder for the whole document, indented as
// json.Indent indents (TestWrite): the SBOMs stay reproducible whatever
// the number of processors.
package jsonstream

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"

	"github.com/baseline-cm/baseline/internal/parallel"
)

// An Array is a top-level array of a JSON document that Write writes
// element by element: the value of Key in the skeleton (any placeholder)
// is replaced by the N values Elem returns, each encoded on its own.
type Array struct {
	Key  string
	N    int
	Elem func(i int) any
	// Encoded, when not nil, is what Write wrote for the elements of an
	// array that encodes alike, as Written received it: Write writes it
	// in their place and encodes none of them. The bytes are those of
	// the elements at the array's depth in the document, indented or
	// not as the writer was: they are the same only for the same kind
	// of writer and the same key in the same skeleton.
	Encoded []byte
	// Written, when not nil, is given what Write wrote for the elements,
	// in pieces whose concatenation a later Write can take as Encoded,
	// once it has written them all. Write keeps a copy of the elements'
	// bytes for it, piece by piece, never in one growing buffer.
	Written func(pieces [][]byte)
}

// Write writes what encoding/json's Encoder (HTML escaped as escapeHTML
// says) writes for a document, compact and ending in a newline, without
// holding the whole encoded document in memory: encoding/json marshals a
// value into one buffer, which for a large SBOM grows by doubling to the
// size of the document. skeleton encodes the document (with the field's
// own library's encoder, escaping HTML as escapeHTML says) with a
// placeholder in place of each of the large top-level arrays; each
// element of these is encoded by encoding/json alone and written in the
// placeholder's place. An element encodes exactly as it does inside its
// array when Elem returns what the array holds, addressable elements as
// pointers (TestStreamJSON in package sbom).
//
// The elements are encoded in parallel, a chunk at a time, and written
// in order. When w is an Indenter, each element is indented where it is
// encoded, as the Indenter would have indented it at its depth in the
// document, so that indenting too runs in parallel (TestWrite).
func Write(w io.Writer, skeleton func(io.Writer) error, escapeHTML bool, arrays ...Array) error {
	var skel bytes.Buffer
	if err := skeleton(&skel); err != nil {
		return err
	}
	doc := skel.Bytes()
	in, _ := w.(*Indenter)
	at := 0
	for _, a := range arrays {
		start, end, ok := topLevelValue(doc, at, a.Key)
		if !ok {
			return errors.New("streaming JSON: no top-level " + a.Key + " in order")
		}
		if _, err := w.Write(doc[at:start]); err != nil {
			return err
		}
		if a.N == 0 {
			if _, err := w.Write([]byte("[]")); err != nil {
				return err
			}
			at = end
			continue
		}
		if _, err := w.Write([]byte{'['}); err != nil {
			return err
		}
		write := w.Write
		depth := -1 // not indented
		if in != nil {
			// As the indenter would at the first element: one level
			// deeper, each element on a line of its own.
			in.needIndent = false
			in.depth++
			depth = in.depth
			write = in.raw
		}
		if err := writeElements(a, depth, escapeHTML, write); err != nil {
			return err
		}
		if _, err := w.Write([]byte{']'}); err != nil {
			return err
		}
		at = end
	}
	_, err := w.Write(doc[at:])
	return err
}

// writeElements writes the elements of a with write: a.Encoded when it
// is set, else as encodeElements encodes them, handing a.Written what
// was written.
func writeElements(a Array, depth int, escapeHTML bool, write func([]byte) (int, error)) error {
	if a.Encoded != nil {
		_, err := write(a.Encoded)
		return err
	}
	if a.Written == nil {
		return encodeElements(a, depth, escapeHTML, write)
	}
	var kept [][]byte
	err := encodeElements(a, depth, escapeHTML, func(p []byte) (int, error) {
		kept = append(kept, bytes.Clone(p))
		return write(p)
	})
	if err == nil {
		a.Written(kept)
	}
	return err
}

// elementChunk is how many elements one worker encodes at a time.
const elementChunk = 64

// encodeElements encodes the elements of a, separated by commas, and
// writes them in order with write. When depth is not negative, each is
// indented as the indenter indents an element at that depth, on a line
// of its own. Chunks of elements are encoded in parallel, one per
// processor, a batch at a time.
func encodeElements(a Array, depth int, escapeHTML bool, write func([]byte) (int, error)) error {
	workers := max(1, min(runtime.GOMAXPROCS(0), (a.N+elementChunk-1)/elementChunk))
	// Each worker keeps its buffers, encoder and indenter from one
	// batch to the next.
	ws := make([]chunkWorker, workers)
	for k := range ws {
		w := &ws[k]
		w.enc = json.NewEncoder(&w.elem)
		w.enc.SetEscapeHTML(escapeHTML)
		if depth >= 0 {
			w.in = &Indenter{w: bufio.NewWriterSize(&w.out, 16<<10)}
		}
	}
	for batch := 0; batch < a.N; batch += workers * elementChunk {
		parallel.For(workers, 1, func(k int) {
			lo := batch + k*elementChunk
			ws[k].err = ws[k].encode(a, lo, min(lo+elementChunk, a.N), depth)
		})
		for k := range ws {
			if ws[k].err != nil {
				return ws[k].err
			}
			if _, err := write(ws[k].out.Bytes()); err != nil {
				return err
			}
			ws[k].out.Reset()
		}
	}
	return nil
}

// A chunkWorker encodes chunks of elements into out (see
// encodeElements).
type chunkWorker struct {
	elem, out bytes.Buffer
	enc       *json.Encoder // writes to elem
	in        *Indenter     // writes to out; nil when not indenting
	err       error
}

// encode encodes the elements lo to hi of a into w.out.
func (w *chunkWorker) encode(a Array, lo, hi, depth int) error {
	in := w.in
	if in != nil {
		in.depth, in.needIndent, in.inString, in.escaped = depth, false, false, false
	}
	for i := lo; i < hi; i++ {
		w.elem.Reset()
		if err := w.enc.Encode(a.Elem(i)); err != nil {
			return err
		}
		compact := w.elem.Bytes()[:w.elem.Len()-1] // Encode ends the value with a newline
		if i > 0 {
			if in != nil {
				in.w.WriteByte(',')
			} else {
				w.out.WriteByte(',')
			}
		}
		if in == nil {
			w.out.Write(compact)
			continue
		}
		in.newline()
		in.Write(compact)
	}
	if in != nil {
		return in.w.Flush()
	}
	return nil
}

// topLevelValue finds the value of key in the JSON object doc whose value
// starts at offset from or later: it returns the value's start and end
// offsets. doc is compact (no space around values), so the raw value the
// decoder hands back is exactly doc[start:end].
func topLevelValue(doc []byte, from int, key string) (start, end int, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, 0, false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return 0, 0, false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return 0, 0, false
		}
		end := int(dec.InputOffset())
		if start := end - len(v); k == key && start >= from {
			return start, end, true
		}
	}
	return 0, 0, false
}
