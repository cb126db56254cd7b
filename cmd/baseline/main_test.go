package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/internal/cli"
	"github.com/baseline-cm/baseline/internal/licensecache"
	"github.com/baseline-cm/baseline/internal/licenses"
	"github.com/baseline-cm/baseline/internal/store"
)

func TestMain(m *testing.M) {
	if os.Getenv("BASELINE_TEST_MAIN") == "1" {
		main() // the real main, signal handling included (TestInterrupt)
	}
	testscript.Main(m, map[string]func(){
		"baseline": func() {
			// TestScripts shares licence classifications between scripts:
			// each script has a cache of its own, and the licensecheck
			// scanner costs each process that builds it a second or two.
			if dir := os.Getenv(sharedLicenceStore); dir != "" {
				licensecache.Share(dir)
			}
			os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
		},
	})
}

// sharedLicenceStore names the environment variable by which TestScripts
// hands the scripts' baseline commands one licence-classification store.
const sharedLicenceStore = "BASELINE_TEST_LICENCE_STORE"

// TestScripts runs the command's behaviour as scripts in
// testdata/script, against modules served from testdata/mod by a local
// module proxy: no test reaches the network.
func TestScripts(t *testing.T) {
	// In parallel with TestInterrupt, which mostly waits: the other
	// tests change the working directory and the environment, and run
	// before the parallel ones start.
	t.Parallel()
	root := filepath.Join("..", "..", "testdata")
	proxy, err := goproxytest.NewServer(filepath.Join(root, "mod"), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	goenv, err := exec.Command("go", "env", "GOCACHE", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	gocache, goroot, _ := strings.Cut(strings.TrimSpace(string(goenv)), "\n")
	modcache := t.TempDir() // shared by the scripts, like a developer's
	// What licensecheck says of a text is shared too (it depends on the
	// text alone); every other cache entry stays the script's own, in
	// $WORK/.cache.
	licences := t.TempDir()
	vulndbDir, err := filepath.Abs(filepath.Join(root, "vulndb"))
	if err != nil {
		t.Fatal(err)
	}
	repoRoot, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	seedLicences(t, licences, root, goroot, repoRoot)
	vulndb, err := anomaly.DBURL(vulndbDir)
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(root, "script"),
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			e.Vars = append(e.Vars,
				"GOPROXY="+proxy.URL,
				"GONOSUMDB=*", "GONOSUMCHECK=1", "GOSUMDB=off",
				"GOTOOLCHAIN=local",
				"GOFLAGS=-modcacherw",
				"GOMODCACHE="+modcache,
				"GOCACHE="+gocache,
				"XDG_CACHE_HOME="+filepath.Join(e.WorkDir, ".cache"),
				sharedLicenceStore+"="+licences,
				"SOURCE_DATE_EPOCH=1700000000",
				"VULNDB="+vulndb, // the fixture vulnerability database
				"VULNDB_DIR="+vulndbDir,
				"REPO_ROOT="+repoRoot, // scripts/ for the recipes
			)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitCode,
			"stdver":   cmdStdver,
			"expand":   cmdExpand,
		},
	})
}

// seedLicences classifies, into the scripts' shared licence store, every
// licence text the scripts can meet: those of the fixture modules and of
// the scripts' own files, the standard library's and this repository's.
// Each new text would otherwise make the first process that meets it
// build licensecheck's scanner (a second or two of CPU each); this way
// only this process does. The scripts still classify every text through
// the same store, and internal/licenses tests the classification itself.
func seedLicences(t *testing.T, dir, testdata, goroot, repoRoot string) {
	classify := licensecache.Classifier(store.Store{Dir: dir}, licenses.Detector, licenses.Scan)
	var archives []string
	for _, pattern := range []string{"mod/*.txt", "script/*.txtar"} {
		m, err := filepath.Glob(filepath.Join(testdata, pattern))
		if err != nil {
			t.Fatal(err)
		}
		archives = append(archives, m...)
	}
	for _, name := range archives {
		a, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if licenses.IsLicenseFile(path.Base(f.Name)) {
				classify(f.Data)
			}
		}
	}
	for _, d := range []string{goroot, repoRoot} {
		if _, err := licenses.FromDir(d, classify); err != nil {
			t.Fatal(err)
		}
	}
}

// cmdStdver copies a register template, writing the version of the
// standard library that this toolchain builds, as discovery and the Go
// vulnerability database spell it ("v1.26.8", "v1.27.0-rc.1"), in place
// of STDLIB_VERSION:
//
//	stdver soup.tmpl soup.yaml
func cmdStdver(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: stdver template file")
	}
	out := strings.ReplaceAll(ts.ReadFile(args[0]), "STDLIB_VERSION", stdlibVersion())
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o666))
}

// cmdExpand copies a file, replacing $VAR and ${VAR} by the script's
// environment:
//
//	expand baseline.tmpl baseline.yaml
func cmdExpand(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: expand template file")
	}
	out := os.Expand(ts.ReadFile(args[0]), ts.Getenv)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o666))
}

// cmdExitCode runs a command and checks its exit status:
//
//	exitcode 2 baseline sbom --mode bogus
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", strings.Join(args[1:], " "), got, want)
	}
}

// TestInterrupt runs the real main against a go command that ignores
// Ctrl-C: the first interrupt stops it (interrupted, then killed
// gocmd.WaitDelay later) and exits 2; a second one ends the process at
// once, killed by the signal.
func TestInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on windows")
	}
	t.Parallel()
	for _, twice := range []bool{false, true} {
		t.Run(fmt.Sprintf("twice=%v", twice), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			started := filepath.Join(dir, "started")
			bin := filepath.Join(dir, "bin")
			os.Mkdir(bin, 0o755)
			script := "#!/bin/sh\ntrap '' INT\necho $$ >" + started + ".tmp\nmv " + started + ".tmp " + started + "\nexec sleep 60\n"
			if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644)
			cmd := exec.Command(os.Args[0], "sbom", "-C", dir, "--cache-dir", "off")
			cmd.Env = append(os.Environ(), "BASELINE_TEST_MAIN=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for i := 0; ; i++ {
				if pid, err := os.ReadFile(started); err == nil {
					// The fake go command outlives a baseline killed by
					// the second interrupt: end it with the test.
					t.Cleanup(func() {
						if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
							syscall.Kill(n, syscall.SIGKILL)
						}
					})
					break
				}
				if i == 1000 {
					cmd.Process.Kill()
					t.Fatal("the fake go command never started")
				}
				time.Sleep(10 * time.Millisecond)
			}
			cmd.Process.Signal(os.Interrupt)
			if twice {
				time.Sleep(500 * time.Millisecond)
				cmd.Process.Signal(os.Interrupt)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("baseline: %v, want an exit status", err)
			}
			ws, _ := ee.Sys().(syscall.WaitStatus)
			if twice {
				if !ws.Signaled() || ws.Signal() != syscall.SIGINT {
					t.Errorf("after two interrupts: %v, want killed by SIGINT\n%s", err, stderr.String())
				}
				return
			}
			if ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "baseline: interrupted") {
				t.Errorf("after one interrupt: %v, stderr %q; want exit 2 saying it was interrupted", err, stderr.String())
			}
		})
	}
}
