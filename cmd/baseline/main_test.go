package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/baseline-cm/baseline/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"baseline": func() { os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command's behaviour as scripts in
// testdata/script, against modules served from testdata/mod by a local
// module proxy: no test reaches the network.
func TestScripts(t *testing.T) {
	root := filepath.Join("..", "..", "testdata")
	proxy, err := goproxytest.NewServer(filepath.Join(root, "mod"), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	modcache := t.TempDir() // shared by the scripts, like a developer's
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
				"GOCACHE="+strings.TrimSpace(string(gocache)),
				"XDG_CACHE_HOME="+filepath.Join(e.WorkDir, ".cache"),
				"SOURCE_DATE_EPOCH=1700000000",
			)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitCode,
		},
	})
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
