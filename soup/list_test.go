package soup

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteMarkdown compares the SOUP list document of testdata/valid.yaml
// with its golden file (go test -update rewrites it).
func TestWriteMarkdown(t *testing.T) {
	reg := loadValid(t)
	var b strings.Builder
	opts := ListOptions{Product: "Greeter", Version: "v1.2.0", Commit: "0123456789abcdef", Date: now}
	if err := reg.WriteMarkdown(&b, opts); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "list", "valid.md")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("markdown differs from %s (go test -update):\n%s", golden, b.String())
	}
	for _, w := range []string{"| Commit | 0123456789abcdef |", "## SOUP-001 baseline.test/greet", "## Retired identifiers"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("no %q", w)
		}
	}
	// TODOs, missing fields and out-of-date evaluations are marked.
	src := header + "policy: {evaluation_max_age: 30}\nitems:\n  - id: SOUP-001\n    title: t\n    kind: os\n    version: \"1\"\n    manufacturer: TODO\n    safety_class: A\n" +
		"  - id: SOUP-002\n    title: u\n    kind: os\n    version: \"2\"\n    manufacturer: M\n    safety_class: A\n    anomaly_evaluation: {version_evaluated: \"1\", date: 2023-01-01}\n"
	r2, err := ParseRegister("soup.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := r2.WriteMarkdown(&b, ListOptions{Date: now}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"| SOUP-001 | t | 1 | A | TODO | **to do** |",
		"| SOUP-002 | u | 2 | A | M | **evaluation out of date** |",
		"| Manufacturer (8.1.2 b) | **TODO** TODO |",
		"| Version evaluated | 1 **OUT OF DATE**: evaluated for 1, the version is 2 |",
		"| Product | (not given) |",
	} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("list lacks %q:\n%s", w, b.String())
		}
	}
	if got := mdCell("a | b\nc\\"); got != `a \| b<br>c\\` {
		t.Errorf("mdCell = %q", got)
	}
}

func TestWriteCSV(t *testing.T) {
	reg := loadValid(t)
	var b strings.Builder
	if err := reg.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, c := range []string{"id", "title", "version", "manufacturer", "requirements.functional", "anomaly_evaluation.version_evaluated", "support.end_of_support", "verification.last_verified"} {
		if _, ok := col[c]; !ok {
			t.Errorf("no column %s in %q", c, rows[0])
		}
	}
	if got := rows[1][col["requirements.functional"]]; got != "Formats a greeting for a name." {
		t.Errorf("functional requirements %q", got)
	}
	if got := rows[3][col["support.end_of_support"]]; rows[3][col["id"]] != "SOUP-004" || got != "2028-06-30" {
		t.Errorf("row 3: %q", rows[3])
	}
	// The justification in its own column only.
	if rows[3][col["manufacturer"]] != "community" || rows[3][col["manufacturer_justification"]] == "" {
		t.Errorf("manufacturer %q, justification %q", rows[3][col["manufacturer"]], rows[3][col["manufacturer_justification"]])
	}
	// The retired identifiers follow the items.
	if r := rows[4]; r[col["id"]] != "SOUP-002" || r[col["status"]] != "retired" || r[col["retired_reason"]] == "" {
		t.Errorf("retired row %q", r)
	}
	// Cells a spreadsheet would evaluate are neutralised.
	for in, want := range map[string]string{"=HYPERLINK(1)": "'=HYPERLINK(1)", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "a=b": "a=b", "": ""} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	reg := loadValid(t)
	var b strings.Builder
	if err := reg.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Version int
		IDs     struct {
			Prefix  string
			Retired []RetiredID
		}
		Items []map[string]any
	}
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil {
		t.Fatal(err)
	}
	if back.Version != 1 || back.IDs.Prefix != "SOUP-" || len(back.IDs.Retired) != 1 || len(back.Items) != 3 {
		t.Errorf("JSON: %+v", back)
	}
	if back.Items[0]["safety_class"] != "B" || back.Items[0]["anomaly_evaluation"].(map[string]any)["relevant_anomalies"] == nil {
		t.Errorf("item 0: %v", back.Items[0])
	}
}
