package soup

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzSync checks sync on any register that parses: it succeeds, what it
// writes parses, a second sync changes nothing, no identifier is lost
// (each is still an item's or retired), and no undeclared, stale or
// drift finding remains.
func FuzzSync(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("testdata", "valid.yaml")); err == nil {
		f.Add(data)
	}
	addSyncSeeds(f, func(name string) bool { return name == "soup.yaml" || name == "want.yaml" })
	inv := testInventory(goMod("baseline.test/greet", "v1.1.0", "MIT"), goMod("example.com/a", "v1.0.0", "Apache-2.0"),
		goMod("example.com/new", "v0.1.0"), stdlib("v1.26.8"))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := ParseRegister("soup.yaml", data)
		if err != nil {
			return
		}
		out, _, err := SyncData("soup.yaml", data, inv, SyncOptions{Now: syncDate})
		if err != nil {
			t.Fatalf("sync of a register that parses: %v", err)
		}
		after, err := ParseRegister("soup.yaml", out)
		if err != nil {
			t.Fatalf("sync wrote a register that does not parse: %v\n%s", err, out)
		}
		again, changes, err := SyncData("soup.yaml", out, inv, SyncOptions{Now: syncDate})
		if err != nil || len(changes) > 0 || !bytes.Equal(again, out) {
			t.Fatalf("second sync: %v %v", changes, err)
		}
		ids := map[string]bool{}
		for _, it := range after.Items {
			ids[it.ID] = true
		}
		for _, r := range after.IDs.Retired {
			ids[r.ID] = true
		}
		for _, it := range reg.Items {
			if it.ID != "" && !ids[it.ID] {
				t.Fatalf("identifier %s lost", it.ID)
			}
		}
		for _, r := range reg.IDs.Retired {
			if !ids[r.ID] {
				t.Fatalf("retired identifier %s lost", r.ID)
			}
		}
		for _, fd := range Reconcile(after, inv, ReconcileOptions{Now: syncDate}).Findings {
			switch fd.Kind {
			case Undeclared, Stale, VersionDrift, ConfigurationDrift:
				t.Fatalf("after sync: %s", fd.String("soup.yaml"))
			}
		}
	})
}

// addSyncSeeds adds to f the files of the testdata/sync cases whose names
// keep says to.
func addSyncSeeds(f *testing.F, keep func(name string) bool) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "sync", "*.txtar"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no testdata/sync cases: %v", err)
	}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if keep(af.Name) {
				f.Add(af.Data)
			}
		}
	}
}
