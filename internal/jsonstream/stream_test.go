package jsonstream

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// TestIndenter: the streaming indenter writes what json.Indent writes.
func TestIndenter(t *testing.T) {
	src := `{"a":[],"b":{},"c":"x\"y,{[:\\","d":[1,{"e":null}],"f":"é<>&"}` + "\n"
	var want bytes.Buffer
	if err := json.Indent(&want, []byte(src), "", "  "); err != nil {
		t.Fatal(err)
	}
	// Deeper than the indentations kept ready.
	deep := strings.Repeat(`{"k":[`, 20) + `"v\\"` + strings.Repeat(`]}`, 20) + "\n"
	var wantDeep bytes.Buffer
	if err := json.Indent(&wantDeep, []byte(deep), "", "  "); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ src, want string }{{src, want.String()}, {deep, wantDeep.String()}} {
		// Byte by byte, in chunks of several sizes, and whole: state
		// survives writes, within strings too.
		for _, size := range []int{1, 2, 3, 5, 7, len(tc.src)} {
			var got bytes.Buffer
			in := NewIndenter(&got)
			for i := 0; i < len(tc.src); i += size {
				in.Write([]byte(tc.src[i:min(i+size, len(tc.src))]))
			}
			in.Close()
			if got.String() != tc.want {
				t.Errorf("indenter, writes of %d bytes:\n%s\nwant:\n%s", size, got.String(), tc.want)
			}
		}
	}
}

func TestTopLevelValue(t *testing.T) {
	doc := []byte(`{"a":{"b":[1,{"b":2}]},"s":"\"b\":[],\\","b":[3,"]",{"c":[]}],"n":-1.5e3,"t":true,"o":{}}` + "\n")
	for _, tc := range []struct {
		key, value string
	}{
		{"a", `{"b":[1,{"b":2}]}`},
		{"s", `"\"b\":[],\\"`},
		{"b", `[3,"]",{"c":[]}]`},
		{"n", `-1.5e3`},
		{"t", `true`},
		{"o", `{}`},
	} {
		start, end, ok := topLevelValue(doc, 0, tc.key)
		if !ok || string(doc[start:end]) != tc.value {
			t.Errorf("topLevelValue(%q) = %q, %v; want %q", tc.key, doc[start:end], ok, tc.value)
		}
	}
	if _, _, ok := topLevelValue(doc, 0, "c"); ok {
		t.Error(`topLevelValue found the nested key "c"`)
	}
	// From the end of "b"'s value on, "a" is no longer ahead.
	_, end, _ := topLevelValue(doc, 0, "b")
	if _, _, ok := topLevelValue(doc, end, "a"); ok {
		t.Error(`topLevelValue found "a" behind the offset`)
	}
}

func TestWriteErrors(t *testing.T) {
	encode := func(w io.Writer) error { _, err := io.WriteString(w, `{"a":[]}`+"\n"); return err }
	if err := Write(io.Discard, encode, false, Array{Key: "b", N: 1, Elem: func(int) any { return 1 }}); err == nil {
		t.Error("Write: no error for a missing key")
	}
	var b bytes.Buffer
	if err := Write(&b, encode, false, Array{Key: "a", N: 2, Elem: func(i int) any { return map[string]int{"i": i} }}); err != nil || b.String() != `{"a":[{"i":0},{"i":1}]}`+"\n" {
		t.Errorf("Write = %q, %v", b.String(), err)
	}
	if err := Write(io.Discard, encode, false, Array{Key: "a", N: 1, Elem: func(int) any { return func() {} }}); err == nil {
		t.Error("Write: no error for an unencodable element")
	}
}

// TestWrite: arrays of many elements, encoded and indented in parallel
// chunks, are written as encoding/json writes the whole document (and
// json.Indent indents it), with one worker or several, for every count of
// elements around the chunk and batch sizes, HTML escaped or not.
func TestWrite(t *testing.T) {
	type elem struct {
		S   string
		N   []int
		M   map[string]any
		Nil *int
	}
	mk := func(i int) elem {
		return elem{S: fmt.Sprintf(`e%d "[{,:}]" \ <&>`, i), N: make([]int, i%3), M: map[string]any{"k": []any{i, map[string]any{}}, "e": []any{}}}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, tc := range []struct {
		procs      int
		escapeHTML bool
	}{{1, false}, {2, false}, {3, false}, {2, true}} {
		procs := tc.procs
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, elementChunk - 1, elementChunk, elementChunk + 1, 3*elementChunk + 5, 7 * elementChunk} {
			es := make([]elem, n)
			for i := range es {
				es[i] = mk(i)
			}
			whole := map[string]any{"a": 1, "items": es, "z": []elem{mk(9)}, "w": "end"}
			var compact bytes.Buffer
			enc := json.NewEncoder(&compact)
			enc.SetEscapeHTML(tc.escapeHTML)
			if err := enc.Encode(whole); err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
				t.Fatal(err)
			}
			skel := func(w io.Writer) error {
				e := json.NewEncoder(w)
				e.SetEscapeHTML(tc.escapeHTML)
				return e.Encode(map[string]any{"a": 1, "items": []elem{}, "z": []elem{}, "w": "end"})
			}
			arrays := []Array{{Key: "items", N: n, Elem: func(i int) any { return &es[i] }}, {Key: "z", N: 1, Elem: func(int) any { return mk(9) }}}
			var got bytes.Buffer
			in := NewIndenter(&got)
			if err := Write(in, skel, tc.escapeHTML, arrays...); err != nil {
				t.Fatal(err)
			}
			in.Close()
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("GOMAXPROCS %d, %d elements, indented:\n%s\nwant\n%s", procs, n, got.Bytes(), want.Bytes())
			}
			got.Reset()
			if err := Write(&got, skel, tc.escapeHTML, arrays...); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), compact.Bytes()) {
				t.Errorf("GOMAXPROCS %d, %d elements, compact:\n%s\nwant\n%s", procs, n, got.Bytes(), compact.Bytes())
			}
		}
	}
}

// TestWriteEncoded: what Written is given, passed back as Encoded, writes
// the same document without encoding an element, indented or not; a
// Write that fails gives Written nothing.
func TestWriteEncoded(t *testing.T) {
	skel := func(w io.Writer) error {
		_, err := io.WriteString(w, `{"a":[],"b":"x","c":[]}`+"\n")
		return err
	}
	elems := func(i int) any { return map[string]any{"i": i, "s": []string{"p", "q"}} }
	for _, indent := range []bool{false, true} {
		write := func(arrays ...Array) string {
			var got bytes.Buffer
			var w io.Writer = &got
			in := NewIndenter(&got)
			if indent {
				w = in
			}
			if err := Write(w, skel, false, arrays...); err != nil {
				t.Fatal(err)
			}
			in.Close()
			return got.String()
		}
		var encA, encC []byte
		want := write(
			Array{Key: "a", N: 3*elementChunk + 1, Elem: elems, Written: func(b [][]byte) { encA = bytes.Join(b, nil) }},
			Array{Key: "c", N: 2, Elem: elems, Written: func(b [][]byte) { encC = bytes.Join(b, nil) }})
		if len(encA) == 0 || len(encC) == 0 {
			t.Fatalf("indent %v: Written was given %d and %d bytes", indent, len(encA), len(encC))
		}
		if !strings.Contains(want, `"i":192`) && !strings.Contains(want, `"i": 192`) {
			t.Fatalf("indent %v: the elements are not in the document:\n%s", indent, want)
		}
		unused := func(int) any { panic("an element was encoded although the array's bytes were given") }
		got := write(
			Array{Key: "a", N: 3*elementChunk + 1, Elem: unused, Encoded: encA},
			Array{Key: "c", N: 2, Elem: unused, Encoded: encC})
		if got != want {
			t.Errorf("indent %v: from Encoded:\n%s\nwant\n%s", indent, got, want)
		}
	}
	called := false
	err := Write(io.Discard, skel, false, Array{Key: "a", N: 2, Elem: func(i int) any {
		if i == 1 {
			return func() {}
		}
		return i
	}, Written: func([][]byte) { called = true }})
	if err == nil || called {
		t.Errorf("Write of an unencodable element = %v, Written called: %v; want an error and no call", err, called)
	}
}
