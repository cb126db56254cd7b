package cli

import "io"

// chunkSize is the size of a chunks buffer's chunks.
const chunkSize = 64 << 10

// chunks holds a document in memory in chunks of chunkSize bytes: a
// large SBOM, kept whole until it is known to be complete, costs its own
// size, where a bytes.Buffer growing by doubling allocated about three
// times it and held the old and the new array at once at each growth.
type chunks struct {
	full [][]byte
	last []byte
	n    int
}

func (c *chunks) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(c.last) == cap(c.last) {
			if c.last != nil {
				c.full = append(c.full, c.last)
			}
			c.last = make([]byte, 0, chunkSize)
		}
		k := copy(c.last[len(c.last):cap(c.last)], p)
		c.last = c.last[:len(c.last)+k]
		p = p[k:]
	}
	c.n += n
	return n, nil
}

// Len is the number of bytes written.
func (c *chunks) Len() int { return c.n }

// WriteTo writes the document to w, chunk by chunk.
func (c *chunks) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, b := range append(c.full, c.last) {
		k, err := w.Write(b)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
