package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// jsonArray is a top-level array of a JSON document that streamJSON
// writes element by element: the value of key in the skeleton (any
// placeholder) is replaced by the n values elem returns, each encoded on
// its own.
type jsonArray struct {
	key  string
	n    int
	elem func(i int) any
}

// streamJSON writes what encoding/json's Encoder, with HTML escaping off,
// writes for a document (compact, ending in a newline) without holding
// the whole encoded document in memory: encoding/json marshals a value
// into one buffer, which for a large SBOM grows by doubling to the size of
// the document. skeleton is the document encoded by encode (the field's
// own library's encoder) with a placeholder in place of each of the large
// top-level arrays; each element of these is encoded by encoding/json
// alone and written in the placeholder's place. An element encodes
// exactly as it does inside its array when elem returns what the array
// holds, addressable elements as pointers (TestStreamJSON).
func streamJSON(w io.Writer, encode func(io.Writer) error, arrays ...jsonArray) error {
	var skel bytes.Buffer
	if err := encode(&skel); err != nil {
		return err
	}
	doc := skel.Bytes()
	var elem bytes.Buffer
	enc := json.NewEncoder(&elem)
	enc.SetEscapeHTML(false)
	at := 0
	for _, a := range arrays {
		start, end, ok := topLevelValue(doc, at, a.key)
		if !ok {
			return errors.New("streaming JSON: no top-level " + a.key + " in order")
		}
		if _, err := w.Write(doc[at:start]); err != nil {
			return err
		}
		sep := []byte{'['}
		for i := range a.n {
			elem.Reset()
			elem.Write(sep)
			if err := enc.Encode(a.elem(i)); err != nil {
				return err
			}
			// Encode ends the value with a newline.
			if _, err := w.Write(elem.Bytes()[:elem.Len()-1]); err != nil {
				return err
			}
			sep[0] = ','
		}
		if a.n == 0 {
			if _, err := w.Write(sep); err != nil {
				return err
			}
		}
		if _, err := w.Write([]byte{']'}); err != nil {
			return err
		}
		at = end
	}
	_, err := w.Write(doc[at:])
	return err
}

// topLevelValue finds the value of key in the compact JSON object doc,
// looking from offset from on (which is outside any string, at the top
// level): it returns the value's start and end offsets.
func topLevelValue(doc []byte, from int, key string) (start, end int, ok bool) {
	quoted, err := json.Marshal(key)
	if err != nil {
		return 0, 0, false
	}
	depth := 0
	if from == 0 {
		depth = -1 // before the object's opening brace
	}
	for i := from; i < len(doc); i++ {
		switch c := doc[i]; c {
		case '"':
			// A key when directly inside the top-level object, after
			// '{' or ','.
			j := skipString(doc, i)
			if depth == 0 && i > 0 && (doc[i-1] == '{' || doc[i-1] == ',') &&
				bytes.Equal(doc[i:j], quoted) && j < len(doc) && doc[j] == ':' {
				start = j + 1
				end, ok = skipValue(doc, start)
				return start, end, ok
			}
			i = j - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
	}
	return 0, 0, false
}

// skipString returns the offset after the JSON string that starts at
// doc[i].
func skipString(doc []byte, i int) int {
	for j := i + 1; j < len(doc); j++ {
		switch doc[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(doc)
}

// skipValue returns the offset after the compact JSON value that starts
// at doc[i].
func skipValue(doc []byte, i int) (int, bool) {
	depth := 0
	for j := i; j < len(doc); j++ {
		switch doc[j] {
		case '"':
			j = skipString(doc, j) - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return j, true // the end of the enclosing object
			}
		case ',':
			if depth == 0 {
				return j, true
			}
		}
		if depth == 0 && (doc[j] == '}' || doc[j] == ']' || doc[j] == '"') {
			return j + 1, true
		}
	}
	return 0, false
}
