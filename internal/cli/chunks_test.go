package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestChunks: what is written, in writes of any size across the chunk
// boundaries, comes back whole and in order from WriteTo and Bytes.
func TestChunks(t *testing.T) {
	for _, size := range []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3*chunkSize + 17} {
		var want bytes.Buffer
		var c chunks
		for i := 0; want.Len() < size; i++ {
			p := []byte(strings.Repeat(string(rune('a'+i%26)), min(1+i*937%(chunkSize+5), size-want.Len())))
			want.Write(p)
			if n, err := c.Write(p); n != len(p) || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if c.Len() != size {
			t.Errorf("%d: Len = %d", size, c.Len())
		}
		if !bytes.Equal(c.Bytes(), want.Bytes()) {
			t.Errorf("%d: Bytes differ", size)
		}
		var got bytes.Buffer
		if n, err := c.WriteTo(&got); n != int64(size) || err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d: WriteTo = %d, %v, equal %v", size, n, err, bytes.Equal(got.Bytes(), want.Bytes()))
		}
	}
	var c chunks
	c.Write([]byte("x"))
	if _, err := c.WriteTo(failWriter{}); err == nil {
		t.Error("WriteTo: no error from a failing writer")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("fail") }
