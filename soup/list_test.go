package soup

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteMarkdown(t *testing.T) {
	reg := loadValid(t)
	var b strings.Builder
	if err := reg.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"# SOUP list\n",
		"| ID (8.1.1) | Title (8.1.2 a) | Kind | Version (8.1.2 c) | Manufacturer (8.1.2 b) |",
		"| SOUP-001 | baseline.test/greet | go-module | v1.0.0 | Greet Authors | https://example.com/greet | pkg:golang/baseline.test/greet@v1.0.0 | MIT | SWI-001 greeting | B | Formats a greeting for a name. | None relied on. | Go 1.22 or later; any GOOS/GOARCH | https://example.com/greet/issues | v1.0.0, 2023-06-01, A. Person | none | No known anomaly affects the product. | actively-maintained | 2023-06-01 | No end of support announced. | Covered by the greeting tests. | 2023-06-01 |\n",
		"| SOUP-003 | Go standard library and runtime | runtime | v1.26.8 | The Go Authors | https://go.dev | pkg:golang/stdlib@v1.26.8 |",
		"| SOUP-004 | Debian GNU/Linux | os | 12.5 | community (Developed by Debian Project volunteers.) |",
		"| risk low |",
		"## Retired identifiers",
		"| SOUP-002 | example.com/gone | 2023-01-10 | replaced by baseline.test/greet |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
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
	if len(rows) != 4 {
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
