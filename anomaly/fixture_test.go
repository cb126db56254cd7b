package anomaly_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/vulndb/index from testdata/vulndb/ID")

// TestFixtureIndex checks that the fixture database's index (db.json,
// modules.json, vulns.json: the layout golang.org/x/vulndb's indexdb
// writes and govulncheck reads) agrees with its entries (ID/*.json);
// "go test -update" rewrites it after an entry is added or changed.
func TestFixtureIndex(t *testing.T) {
	root := filepath.Join("..", "testdata", "vulndb")
	files, err := filepath.Glob(filepath.Join(root, "ID", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no entries: %v", err)
	}
	type entry struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Aliases  []string  `json:"aliases"`
		Affected []struct {
			Package struct {
				Name string `json:"name"`
			} `json:"package"`
			Ranges []struct {
				Events []map[string]string `json:"events"`
			} `json:"ranges"`
		} `json:"affected"`
	}
	type modVuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Fixed    string    `json:"fixed,omitempty"`
	}
	type module struct {
		Path  string    `json:"path"`
		Vulns []modVuln `json:"vulns"`
	}
	type vuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Aliases  []string  `json:"aliases"`
	}
	var db struct {
		Modified time.Time `json:"modified"`
	}
	mods := map[string]*module{}
	var vulns []vuln
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e entry
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if e.ID+".json" != filepath.Base(f) {
			t.Errorf("%s: id %s does not match the file name", f, e.ID)
		}
		if e.Modified.After(db.Modified) {
			db.Modified = e.Modified
		}
		vulns = append(vulns, vuln{e.ID, e.Modified, e.Aliases})
		for _, a := range e.Affected {
			m := mods[a.Package.Name]
			if m == nil {
				m = &module{Path: a.Package.Name}
				mods[a.Package.Name] = m
			}
			fixed := "" // the latest fix, as indexdb records it
			for _, r := range a.Ranges {
				for _, ev := range r.Events {
					if v, ok := ev["fixed"]; ok {
						fixed = v
					}
				}
			}
			m.Vulns = append(m.Vulns, modVuln{e.ID, e.Modified, fixed})
		}
	}
	var modList []*module
	for _, m := range mods {
		modList = append(modList, m)
	}
	slices.SortFunc(modList, func(a, b *module) int { return strings.Compare(a.Path, b.Path) })
	want := map[string]any{"db.json": db, "modules.json": modList, "vulns.json": vulns}
	for name, v := range want {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, '\n')
		file := filepath.Join(root, "index", name)
		if *update {
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(data) {
			t.Errorf("%s does not match the entries (go test ./anomaly -run TestFixtureIndex -update):\n got %s\nwant %s", file, got, data)
		}
	}
}
