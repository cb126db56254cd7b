package soup

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/baseline-cm/baseline/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files: testdata/sync/*.txtar (want.yaml, changes), testdata/list/*.md")

// syncDate is the date retirements are recorded with.
var syncDate = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// parseInventory reads lines "PATH VERSION [LICENCE...]" ("stdlib VERSION").
func parseInventory(t *testing.T, text string) *inventory.Inventory {
	var comps []inventory.Component
	for l := range strings.Lines(text) {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 {
			t.Fatalf("inventory line %q", l)
		}
		var c inventory.Component
		if f[0] == "stdlib" {
			c = stdlib(f[1])
		} else {
			c = goMod(f[0], f[1])
		}
		c.Licenses = slices.Sorted(slices.Values(f[2:]))
		comps = append(comps, c)
	}
	return testInventory(comps...)
}

func changeLines(ch Changes) string {
	var b strings.Builder
	for _, c := range ch {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestSyncGolden runs the cases of testdata/sync: each has an inventory,
// a register, and the register and changes sync must give.
func TestSyncGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "sync", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatal("no testdata/sync cases", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			parts := map[string][]byte{}
			for _, f := range ar.Files {
				parts[f.Name] = f.Data
			}
			inv := parseInventory(t, string(parts["inventory"]))
			out, changes, err := SyncData("soup.yaml", parts["soup.yaml"], inv, SyncOptions{Now: syncDate})
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				for i, f := range ar.Files {
					switch f.Name {
					case "want.yaml":
						ar.Files[i].Data = out
					case "changes":
						ar.Files[i].Data = []byte(changeLines(changes))
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(out, parts["want.yaml"]) {
				t.Errorf("register:\n%s\nwant:\n%s", out, parts["want.yaml"])
			}
			if got := changeLines(changes); got != string(parts["changes"]) {
				t.Errorf("changes:\n%s\nwant:\n%s", got, parts["changes"])
			}
			// A second sync changes nothing.
			again, changes, err := SyncData("soup.yaml", out, inv, SyncOptions{Now: syncDate.Add(48 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) > 0 || !bytes.Equal(again, out) {
				t.Errorf("second sync changed %v:\n%s", changes, again)
			}
			// What sync writes matches the build but for the TODOs.
			reg, err := ParseRegister("soup.yaml", out)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range Reconcile(reg, inv, ReconcileOptions{Now: syncDate}).Findings {
				switch {
				case f.Kind == Incomplete, f.Kind == EvaluationOutOfDate && f.Field == "anomaly_evaluation.version_evaluated":
				default:
					t.Errorf("after sync: %s", f.String("soup.yaml"))
				}
			}
		})
	}
}

// TestSyncSplices checks that the golden cases that can be spliced are,
// and that the text outside the changes is kept byte for byte.
func TestSyncSplices(t *testing.T) {
	for _, name := range []string{"comments", "empty", "noindent", "retire-all", "null-items"} {
		ar, err := txtar.ParseFile(filepath.Join("testdata", "sync", name+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		parts := map[string][]byte{}
		for _, f := range ar.Files {
			parts[f.Name] = f.Data
		}
		_, changes, err := SyncData("soup.yaml", parts["soup.yaml"], parseInventory(t, string(parts["inventory"])), SyncOptions{Now: syncDate})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			if c.Kind == Reformatted {
				t.Errorf("%s: %s", name, c)
			}
		}
	}
}

func TestSyncCreatesRegister(t *testing.T) {
	file := filepath.Join(t.TempDir(), "soup.yaml")
	inv := parseInventory(t, "baseline.test/greet v1.0.0 MIT\nstdlib v1.26.8 BSD-3-Clause\n")
	changes, err := Sync(context.Background(), file, inv, SyncOptions{Now: syncDate})
	if err != nil {
		t.Fatal(err)
	}
	if got := changeLines(changes); got != "added SOUP-001 baseline.test/greet v1.0.0: fill in its 19 TODO fields (manufacturer, used_by, safety_class, requirements, required_hw_sw, hazards, risk_controls, anomaly_evaluation, support, verification)\n"+
		"added SOUP-002 stdlib v1.26.8: fill in its 19 TODO fields (manufacturer, used_by, safety_class, requirements, required_hw_sw, hazards, risk_controls, anomaly_evaluation, support, verification)\n" {
		t.Errorf("changes:\n%s", got)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "# SOUP register") {
		t.Errorf("register:\n%s", data)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("new register mode %v, want 0644", fi.Mode().Perm())
	}
	// Twice: nothing changes, the file is not even rewritten.
	if err := os.Chmod(file, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(file, old, old); err != nil {
		t.Fatal(err)
	}
	changes, err = Sync(context.Background(), file, inv, SyncOptions{})
	if err != nil || len(changes) > 0 {
		t.Fatalf("second sync: %v, %v", changes, err)
	}
	fi2, _ := os.Stat(file)
	again, _ := os.ReadFile(file)
	if !bytes.Equal(again, data) || !fi2.ModTime().Equal(fi.ModTime().Add(0)) && !fi2.ModTime().Equal(old) {
		t.Errorf("second sync rewrote the register")
	}
	// A change keeps the file's permissions.
	if _, err := Sync(context.Background(), file, parseInventory(t, "stdlib v1.26.8"), SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after sync %v, want 0600", fi.Mode().Perm())
	}
}

func TestSyncVersionUpdate(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	inv := parseInventory(t, "baseline.test/greet v1.1.0 MIT\nstdlib v1.26.8\n")
	out, changes, err := SyncData("soup.yaml", data, inv, SyncOptions{Now: syncDate})
	if err != nil {
		t.Fatal(err)
	}
	if got := changeLines(changes); got != "updated SOUP-001 baseline.test/greet v1.0.0 -> v1.1.0: evaluate its anomaly list again (7.1.3) and re-verify the fields marked TODO\n" {
		t.Errorf("changes %q", got)
	}
	// Only the version lines change, and what was verified for the old
	// version is marked for re-verification.
	want := strings.NewReplacer(
		"version: v1.0.0\n", "version: v1.1.0\n",
		"purl: pkg:golang/baseline.test/greet@v1.0.0", "purl: pkg:golang/baseline.test/greet@v1.1.0",
		"    license: MIT\n", "    license: 'TODO: re-verify for v1.1.0: MIT'\n",
		"      - Go 1.22 or later\n", "      - 'TODO: re-verify for v1.1.0: Go 1.22 or later'\n",
		"      - any GOOS/GOARCH\n", "      - 'TODO: re-verify for v1.1.0: any GOOS/GOARCH'\n",
		"      last_verified: 2023-06-01\n    hazards", "      last_verified: 'TODO: re-verify for v1.1.0 (last verified 2023-06-01)'\n    hazards",
	).Replace(string(data))
	if string(out) != want {
		t.Errorf("register:\n%s\nwant:\n%s", out, want)
	}
	// The anomaly evaluation is for the old version: check says so.
	reg, err := ParseRegister("soup.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if got := findings(Reconcile(reg, inv, ReconcileOptions{Now: now})); !slices.Equal(got, []string{
		"incomplete SOUP-001 license",
		"incomplete SOUP-001 required_hw_sw",
		"incomplete SOUP-001 required_hw_sw",
		"evaluation-out-of-date SOUP-001 anomaly_evaluation.version_evaluated",
		"incomplete SOUP-001 verification.last_verified",
	}) {
		t.Errorf("findings after sync: %q", got)
	}
}

func TestSyncEdgeCases(t *testing.T) {
	inv := parseInventory(t, "example.com/a v1.0.0 MIT\n")
	for _, tt := range []struct {
		name, src string
	}{
		{"no final newline", "version: 1\nids:\n  prefix: SOUP-\n  width: 3\nitems:\n  - id: SOUP-001\n    kind: go-module\n    module: example.com/b\n    version: v1.0.0"},
		{"CRLF", "version: 1\r\nids:\r\n  prefix: SOUP-\r\n  width: 3\r\n\r\nitems:\r\n  # b\r\n  - id: SOUP-001\r\n    kind: go-module\r\n    module: example.com/b\r\n    version: v1.0.0\r\n"},
		{"unicode", "version: 1\nids:\n  prefix: SOUP-\n  width: 3\nitems:\n  - {title: Grüße, kind: other}\n  - id: SOUP-001\n    title: \"Ünïcödé\"\n    kind: go-module\n    module: example.com/a\n    version: v0.9.0\n"},
		{"version missing", "version: 1\nids:\n  prefix: SOUP-\n  width: 3\nitems:\n  - id: SOUP-001\n    kind: go-module\n    module: example.com/a\n"},
		{"only item retired", "version: 1\nids:\n  prefix: SOUP-\n  width: 3\nitems:\n  - id: SOUP-001\n    kind: go-module\n    module: example.com/b\n    version: v1.0.0\n\n# end\n"},
		{"last_issued below", "version: 1\nids:\n  prefix: SOUP-\n  width: 3\n  last_issued: 1\nitems:\n  - id: SOUP-004\n    kind: go-module\n    module: example.com/b\n    version: v1.0.0\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, changes, err := SyncData("soup.yaml", []byte(tt.src), inv, SyncOptions{Now: syncDate})
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) == 0 {
				t.Fatal("no changes")
			}
			reg, err := ParseRegister("soup.yaml", out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if got := findings(Reconcile(reg, inv, ReconcileOptions{Now: syncDate})); slices.ContainsFunc(got, func(s string) bool { return !strings.HasPrefix(s, "incomplete") }) {
				t.Errorf("findings after sync: %q\n%s", got, out)
			}
			if strings.Contains(tt.src, "\r\n") && strings.Count(string(out), "\n") != strings.Count(string(out), "\r\n") {
				t.Errorf("line endings mixed:\n%q", out)
			}
			again, changes, err := SyncData("soup.yaml", out, inv, SyncOptions{Now: syncDate})
			if err != nil || len(changes) > 0 || !bytes.Equal(again, out) {
				t.Errorf("second sync: %v %v", changes, err)
			}
		})
	}
}

// TestSyncMalformed checks that a register that does not parse is
// reported with its line and left untouched.
func TestSyncMalformed(t *testing.T) {
	inv := parseInventory(t, "example.com/a v1.0.0 MIT\n")
	for _, tt := range []struct {
		name, src, want string
	}{
		{"bad yaml", header + "items:\n  - id: SOUP-001\n   kind: os\n", "soup.yaml:7: syntax: "},
		{"unknown key", header + "items:\n  - id: SOUP-001\n    kind: os\n    sevrity: high\n", "soup.yaml:8: sevrity: unknown key"},
		{"bad date", header + "items:\n  - id: SOUP-001\n    kind: os\n    verification:\n      last_verified: 2024-13-01\n", "soup.yaml:9: verification.last_verified: \"2024-13-01\" is not a date"},
		{"duplicate id", header + "items:\n  - id: SOUP-001\n    kind: os\n  - id: SOUP-001\n    kind: tool\n", "soup.yaml:8: id: SOUP-001 is already the identifier"},
		{"duplicate item", header + "items:\n  - id: SOUP-001\n    kind: go-module\n    module: example.com/a\n  - id: SOUP-002\n    kind: go-module\n    module: example.com/a\n", "soup.yaml:11: module: example.com/a is already declared"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "soup.yaml")
			if err := os.WriteFile(file, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Sync(context.Background(), file, inv, SyncOptions{})
			if err == nil || !strings.Contains(err.Error(), strings.Replace(tt.want, "soup.yaml", file, 1)) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
			if data, _ := os.ReadFile(file); string(data) != tt.src {
				t.Errorf("the register was changed:\n%s", data)
			}
			tmp, _ := filepath.Glob(file + "*.tmp")
			if len(tmp) > 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
		})
	}
}

// TestSyncNeverReissues is a property test: across random cycles of
// modules entering and leaving the build (and coming back), with versions
// changing, no identifier is ever issued to two modules, a module coming
// back gets a new identifier, and every sync is idempotent.
func TestSyncNeverReissues(t *testing.T) {
	pool := []string{"example.com/a", "example.com/b", "example.com/c", "example.com/d", "example.com/e", "example.com/f"}
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 2))
		data := []byte(newRegister)
		owner := map[string]string{} // ID -> module it was issued to
		retiredOf := map[string][]string{}
		day := syncDate
		for cycle := range 25 {
			var lines []string
			for _, m := range pool {
				if rng.IntN(2) == 0 {
					lines = append(lines, fmt.Sprintf("%s v1.%d.0", m, rng.IntN(3)))
				}
			}
			inv := parseInventory(t, strings.Join(lines, "\n"))
			out, _, err := SyncData("soup.yaml", data, inv, SyncOptions{Now: day})
			if err != nil {
				t.Fatalf("seed %d cycle %d: %v\n%s", seed, cycle, err, data)
			}
			again, changes, err := SyncData("soup.yaml", out, inv, SyncOptions{Now: day})
			if err != nil || len(changes) > 0 || !bytes.Equal(again, out) {
				t.Fatalf("seed %d cycle %d: second sync: %v %v", seed, cycle, changes, err)
			}
			reg, err := ParseRegister("soup.yaml", out)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range reg.Items {
				if prev, ok := owner[it.ID]; ok && prev != it.Module {
					t.Fatalf("seed %d cycle %d: %s issued to %s and to %s", seed, cycle, it.ID, prev, it.Module)
				}
				if slices.Contains(retiredOf[it.Module], it.ID) {
					t.Fatalf("seed %d cycle %d: %s got its retired identifier %s back", seed, cycle, it.Module, it.ID)
				}
				owner[it.ID] = it.Module
			}
			for _, r := range reg.IDs.Retired {
				if m := owner[r.ID]; m != "" && !slices.Contains(retiredOf[m], r.ID) {
					retiredOf[m] = append(retiredOf[m], r.ID)
				}
			}
			if got := Reconcile(reg, inv, ReconcileOptions{Now: day}); slices.ContainsFunc(got.Findings, func(f Finding) bool {
				return f.Kind == Undeclared || f.Kind == Stale || f.Kind == VersionDrift
			}) {
				t.Fatalf("seed %d cycle %d: not in sync after sync: %v", seed, cycle, findings(got))
			}
			data = out
			day = day.Add(24 * time.Hour)
		}
	}
}

// TestSyncConcurrent runs syncs of different builds into one register at
// once: with the lock, none loses another's item or identifier.
func TestSyncConcurrent(t *testing.T) {
	file := filepath.Join(t.TempDir(), "soup.yaml")
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			inv := parseInventory(t, fmt.Sprintf("example.com/m%02d v1.0.0", i))
			_, errs[i] = Sync(context.Background(), file, inv, SyncOptions{KeepUnused: true})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	checkConcurrentResult(t, file, n)
}

func checkConcurrentResult(t *testing.T, file string, n int) {
	t.Helper()
	reg, err := LoadRegister(file)
	if err != nil {
		t.Fatal(err)
	}
	var ids, mods []string
	for _, it := range reg.Items {
		ids = append(ids, it.ID)
		mods = append(mods, it.Module)
	}
	slices.Sort(ids)
	slices.Sort(mods)
	var wantIDs, wantMods []string
	for i := range n {
		wantIDs = append(wantIDs, fmt.Sprintf("SOUP-%03d", i+1))
		wantMods = append(wantMods, fmt.Sprintf("example.com/m%02d", i))
	}
	if !slices.Equal(ids, wantIDs) || !slices.Equal(mods, wantMods) || reg.IDs.LastIssued != n {
		t.Errorf("after %d concurrent syncs: IDs %q, modules %q, last_issued %d", n, ids, mods, reg.IDs.LastIssued)
	}
}

// TestSyncProcesses runs syncs of different builds into one register from
// several processes at once (this test binary, run as a helper).
func TestSyncProcesses(t *testing.T) {
	if file := os.Getenv("SOUP_SYNC_HELPER_FILE"); file != "" {
		inv := parseInventory(t, os.Getenv("SOUP_SYNC_HELPER_MODULE")+" v1.0.0")
		if _, err := Sync(context.Background(), file, inv, SyncOptions{KeepUnused: true}); err != nil {
			t.Fatal(err)
		}
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	file := filepath.Join(t.TempDir(), "soup.yaml")
	const n = 8
	var wg sync.WaitGroup
	out := make([][]byte, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			cmd := exec.Command(exe, "-test.run=^TestSyncProcesses$")
			cmd.Env = append(os.Environ(), "SOUP_SYNC_HELPER_FILE="+file, fmt.Sprintf("SOUP_SYNC_HELPER_MODULE=example.com/m%02d", i))
			out[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, out[i])
		}
	}
	checkConcurrentResult(t, file, n)
	if _, err := os.Stat(file + ".lock"); errors.Is(err, fs.ErrNotExist) {
		t.Error("no lock file")
	}
}

// TestSyncLockHonoursContext: a sync waiting for the register's lock
// gives up when its context is done (Ctrl-C), and writes nothing.
func TestSyncLockHonoursContext(t *testing.T) {
	file := filepath.Join(t.TempDir(), "soup.yaml")
	if err := os.WriteFile(file, []byte(newRegister), 0o644); err != nil {
		t.Fatal(err)
	}
	unlock, err := lockedfile.MutexAt(file + ".lock").Lock()
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	inv := parseInventory(t, "baseline.test/greet v1.0.0 MIT\n")

	// Cancelled before: no wait at all.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Sync(ctx, file, inv, SyncOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sync: %v, want context.Canceled", err)
	}
	// Cancelled while waiting.
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Sync(ctx, file, inv, SyncOptions{})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // let it reach the lock (the test passes either way)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("sync cancelled while waiting: %v, want context.Canceled", err)
	}
	if data, _ := os.ReadFile(file); string(data) != newRegister {
		t.Errorf("a cancelled sync wrote the register:\n%s", data)
	}
}

// TestSyncConfigurations: one register for several build configurations.
// Check and sync work over their union, each Go item records the
// configurations using it, and sync never retires an item one of them
// uses (issue 8).
func TestSyncConfigurations(t *testing.T) {
	linux := testInventory(goMod("example.com/a", "v1.0.0", "MIT"), stdlib("v1.26.8"))
	windows := testInventory(goMod("example.com/a", "v1.0.0", "MIT"), goMod("example.com/winonly", "v1.0.0", "MIT"), stdlib("v1.26.8"))
	bs := []Build{{Name: "linux-amd64", Inventory: linux}, {Name: "windows-amd64", Inventory: windows}}
	out, changes, err := SyncData("soup.yaml", []byte(newRegister), nil, SyncOptions{Now: syncDate, Builds: bs})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 3 {
		t.Fatalf("changes: %s", changeLines(changes))
	}
	for _, want := range []string{
		"    module: example.com/winonly\n    version: v1.0.0\n    purl: pkg:golang/example.com/winonly@v1.0.0\n",
		"    configurations: [windows-amd64]\n",
		"    configurations: [linux-amd64, windows-amd64]\n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("register lacks %q:\n%s", want, out)
		}
	}
	// Again, over the union: nothing changes, nothing is retired.
	again, changes, err := SyncData("soup.yaml", out, nil, SyncOptions{Now: syncDate, Builds: bs})
	if err != nil || len(changes) > 0 || !bytes.Equal(again, out) {
		t.Fatalf("second sync: %v %v", changeLines(changes), err)
	}
	reg, err := ParseRegister("soup.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Reconcile(reg, nil, ReconcileOptions{Now: syncDate, Builds: bs}).Findings {
		if f.Kind != Incomplete {
			t.Errorf("after sync: %s", f.String("soup.yaml"))
		}
	}
	// Windows no longer uses a: its configurations are updated in place.
	bs[1].Inventory = testInventory(goMod("example.com/winonly", "v1.0.0", "MIT"), stdlib("v1.26.8"))
	rep := Reconcile(reg, nil, ReconcileOptions{Now: syncDate, Builds: bs})
	if got := findings(rep); !slices.Contains(got, "configuration-drift SOUP-001 configurations") {
		t.Errorf("findings %q lack the configuration drift", got)
	}
	out3, changes, err := SyncData("soup.yaml", out, nil, SyncOptions{Now: syncDate, Builds: bs})
	if err != nil {
		t.Fatal(err)
	}
	if got := changeLines(changes); got != "recorded SOUP-001 example.com/a as used by [linux-amd64]\n" {
		t.Errorf("changes %q", got)
	}
	if d := strings.Replace(string(out), "[linux-amd64, windows-amd64]\n    used_by", "[linux-amd64]\n    used_by", 1); d != string(out3) {
		t.Errorf("only the configurations line should change:\n%s", out3)
	}
}

// TestTestOnlyModules: in modules mode, a module only tests need is not
// undeclared unless the policy asks for test dependencies.
func TestTestOnlyModules(t *testing.T) {
	tm := goMod("example.com/testonly", "v1.0.0")
	tm.Scope = inventory.Optional
	inv := testInventory(tm)
	inv.Mode = inventory.Modules
	for _, pol := range []string{"", "policy:\n  test_dependencies: true\n"} {
		reg, err := ParseRegister("soup.yaml", []byte(header+pol+"items: []\n"))
		if err != nil {
			t.Fatal(err)
		}
		got := findings(Reconcile(reg, inv, ReconcileOptions{Now: now}))
		if want := pol != ""; slices.Contains(got, "undeclared example.com/testonly ") != want {
			t.Errorf("policy %q: findings %q", pol, got)
		}
	}
}
