//go:build unix

package discover_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/goproxytest"

	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/inventory"
)

// BenchmarkScale grows a generated module graph in steps of 10x, up to
// 5,000 modules, and reports what discovery costs per component in each
// mode, with a warm cache, beside the go commands it rests on:
//
//   - ns/op: one discovery;
//   - gocmd-ns/op: the go commands alone, run in the same loop, one after
//     the other (what discovery is measured against);
//   - own-ns/component: (discovery - go commands) / components, the wall
//     time baseline adds;
//   - cpu-ns/component: the CPU time of this process (not of the go
//     commands it runs) per component: baseline's own work, which the
//     machine's load disturbs least.
//
// Linear cost shows as per-component figures that stay flat as the graph
// grows. The modules and their proxy are generated in a temporary
// directory (nothing is committed); setting up 5,000 modules takes a
// minute or two. Only -bench runs it:
//
//	go test ./discover -run '^$' -bench Scale -benchtime 7x
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 5000} {
		b.Run(fmt.Sprintf("modules=%d", n), func(b *testing.B) {
			dir := setupScale(b, n)
			b.Run("mode=packages", func(b *testing.B) {
				benchScale(b, dir, discover.Packages,
					[]string{"list", "-deps", "-json=ImportPath,Module,Imports,Standard,DepOnly", "./..."})
			})
			b.Run("mode=modules", func(b *testing.B) {
				benchScale(b, dir, discover.Modules,
					[]string{"list", "-m", "-e", "-json", "all"}, []string{"mod", "graph"})
			})
		})
	}
}

func benchScale(b *testing.B, dir string, discovery func(context.Context, discover.Options) (*inventory.Inventory, error), gocmds ...[]string) {
	ctx := context.Background()
	opts := discover.Options{Dir: dir, CacheDir: b.TempDir()}
	inv, err := discovery(ctx, opts) // warms the cache
	if err != nil {
		b.Fatal(err)
	}
	comps := float64(len(inv.Components))
	var gocmd, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		t0 := time.Now()
		for _, args := range gocmds {
			cmd := exec.Command("go", args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), offline...)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
		gocmd += time.Since(t0)
		b.StartTimer()
		c0 := selfCPU()
		if _, err := discovery(ctx, opts); err != nil {
			b.Fatal(err)
		}
		cpu += selfCPU() - c0
	}
	n := float64(b.N)
	b.ReportMetric(comps, "components")
	b.ReportMetric(float64(gocmd.Nanoseconds())/n, "gocmd-ns/op")
	b.ReportMetric(float64((b.Elapsed()-gocmd).Nanoseconds())/n/comps, "own-ns/component")
	b.ReportMetric(float64(cpu.Nanoseconds())/n/comps, "cpu-ns/component")
}

// selfCPU is the user and system CPU time this process has used, its
// children's not included.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// setupScale generates n modules scale.test/nN/mNNNN, each a package that
// imports those of modules 2i+1 and 2i+2 (a tree, so that every module is
// linked and required) and carries an MIT licence, serves them with
// goproxytest, and returns a main module that imports the first, tidied
// into the tests' module cache.
func setupScale(b *testing.B, n int) string {
	b.Helper()
	mit := fixtureFile(b, "example.com_pseudo_v0.0.0-20240102030405-abcdefabcdef.txt", "LICENSE")
	proxyDir := b.TempDir()
	// Each size has its own module paths: the module cache is shared, and
	// a module version is immutable.
	prefix := fmt.Sprintf("scale.test/n%d/", n)
	name := func(i int) string { return fmt.Sprintf("m%04d", i) }
	for i := range n {
		var req, imp strings.Builder
		for _, d := range []int{2*i + 1, 2*i + 2} {
			if d < n {
				fmt.Fprintf(&req, "require %s%s v1.0.0\n", prefix, name(d))
				fmt.Fprintf(&imp, "import _ \"%s%s\"\n", prefix, name(d))
			}
		}
		gomod := fmt.Sprintf("module %s%s\n\ngo 1.22\n\n%s", prefix, name(i), req.String())
		archive := fmt.Sprintf("-- .mod --\n%s-- .info --\n{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\"}\n-- go.mod --\n%s-- LICENSE --\n%s-- %s.go --\npackage %s\n\n%s\nconst Name = %q\n",
			gomod, gomod, mit, name(i), name(i), imp.String(), name(i))
		file := filepath.Join(proxyDir, strings.ReplaceAll(prefix, "/", "_")+name(i)+"_v1.0.0.txt")
		if err := os.WriteFile(file, []byte(archive), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := goproxytest.NewServer(proxyDir, "")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	dir := b.TempDir()
	for name, text := range map[string]string{
		"go.mod":  "module scale.test/main\n\ngo 1.22\n\nrequire " + prefix + "m0000 v1.0.0\n",
		"main.go": "package main\n\nimport m \"" + prefix + "m0000\"\n\nfunc main() { println(m.Name) }\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	goCmd(b, dir, append([]string{"GOPROXY=" + srv.URL}, setupEnv...), "mod", "tidy")
	return dir
}
