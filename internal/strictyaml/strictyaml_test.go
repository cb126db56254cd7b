package strictyaml

import (
	"strconv"
	"strings"
	"testing"
)

func problems(p *Parser) string {
	var out []string
	for _, pr := range p.Problems() {
		out = append(out, pr.Field+"@"+strconv.Itoa(pr.Line)+": "+pr.Msg)
	}
	return strings.Join(out, "\n")
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{"a: 1\n", ""},
		{"\xef\xbb\xbfa: 1\n", ""}, // a BOM is allowed
		{"a: 1\nb: \xff\n", "syntax@2: byte 0xff is not UTF-8"},
		{"a: 1\nb: \"\x07\"\n", "syntax@2: control character U+0007"},
		{"a: &x 1\nb: *x\n", "syntax@1: anchors and aliases"},
		{"a: 1\n---\nb: 2\n", "syntax@2: the file is a single YAML document"},
		{"a:\n  b: 1\n c: 2\n", "syntax@3: "},
	} {
		p := &Parser{Root: "f"}
		p.Decode([]byte(tc.data))
		got := problems(p)
		if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
			t.Errorf("Decode(%q): %q, want prefix %q", tc.data, got, tc.want)
		}
	}
}

func TestFields(t *testing.T) {
	p := &Parser{Root: "f"}
	top := p.Decode([]byte("name: x\nnmae: y\nname: z\n<<: {a: 1}\ncount: one\nflag: yes\nlist: [a, {b: 1}]\n"))
	f, ok := p.Fields(top, "", "name", "count", "flag", "list")
	if !ok {
		t.Fatal("not a mapping")
	}
	p.Int(f["count"], "count")
	p.Bool(f["flag"], "flag")
	p.Strings(f["list"], "list", false)
	got := problems(p)
	for _, want := range []string{
		`nmae@2: unknown key (did you mean "name"?)`,
		`name@3: given twice (first at line 1)`,
		`f@4: keys must be plain names`,
		`count@5: want a whole number, found "one"`,
		`flag@6: want true or false, found "yes"`,
		`list@7: want a list of texts, found a mapping in it`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}

// TestSuggest: the one rule of misspelt-key suggestions.
func TestSuggest(t *testing.T) {
	allowed := []string{"id", "name", "title", "items", "version"}
	for key, want := range map[string]string{
		"nmae":    "name",  // a swap is one edit
		"titel":   "title", // likewise
		"itemz":   "items",
		"verison": "version",
		"ix":      "", // too short for a guess
		"<<":      "",
		"*":       "",
		"zzzzz":   "",
	} {
		if got := Suggest(key, allowed); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", key, got, want)
		}
	}
}
