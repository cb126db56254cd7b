package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChunks: what is written, in writes of any size across the chunk
// boundaries, comes back whole and in order from WriteTo.
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

// TestWriteDocument: a document is written whole to stdout or a file;
// when its encoder fails part way, stdout gets nothing and the file keeps
// its old content, with no temporary file left.
func TestWriteDocument(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sbom.json")
	good := func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Repeat("x", 3*chunkSize)+"\n")
		return err
	}
	bad := func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("y", 2*chunkSize))
		return errors.New("encoding failed")
	}
	var stdout bytes.Buffer
	if err := writeDocument("", &stdout, good); err != nil || stdout.Len() != 3*chunkSize+1 {
		t.Fatalf("to stdout: %d bytes, %v", stdout.Len(), err)
	}
	stdout.Reset()
	if err := writeDocument("-", &stdout, bad); err == nil || stdout.Len() != 0 {
		t.Errorf("a failing encoder to stdout: %d bytes written, error %v", stdout.Len(), err)
	}
	if err := writeDocument(file, nil, good); err != nil {
		t.Fatal(err)
	}
	if err := writeDocument(file, nil, bad); err == nil || !strings.Contains(err.Error(), "encoding failed") {
		t.Errorf("a failing encoder to a file: %v", err)
	}
	data, err := os.ReadFile(file)
	if err != nil || len(data) != 3*chunkSize+1 || data[0] != 'x' {
		t.Errorf("after a failed write the file holds %d bytes (%v), want the old document", len(data), err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("%d files in the directory, want only the document", len(es))
	}
}
