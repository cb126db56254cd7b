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
