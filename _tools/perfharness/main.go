// Command perfharness measures baseline against the go commands it rests
// on, on a real module, as README.md's Performance section reports it.
//
// It runs groups of commands in DIR, alternated round by round, ROUNDS
// times after two warm-up rounds, and prints for each group the median
// wall time, the median of its per-round ratios to its base group, the
// ratio of its median to its base group's median, and the largest and
// the median peak RSS of its processes (ru_maxrss as wait4 reports it,
// which covers a process's waited-for children too).
// The groups: go list -deps of ./cmd/syft; go list -m -e -json all and go
// mod graph one after the other, and at the same time; then, for each
// LABEL=BINARY, baseline sbom and discover in packages and modules mode.
//
// Usage (see docs/performance.md for how DIR is prepared):
//
//	GOPROXY=off GOFLAGS=-mod=readonly go run ./_tools/perfharness DIR ROUNDS LABEL=BINARY...
//
// It lives in a directory that ./... leaves out: it is a measuring
// tool, run by hand, not part of the build or the tests.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type group struct {
	name, base string
	cmds       [][]string
	concurrent bool
}

func runConcurrent(dir string, cmds [][]string) (time.Duration, int64) {
	t := time.Now()
	var ps []*exec.Cmd
	for _, c := range cmds {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, c, err)
			os.Exit(1)
		}
		ps = append(ps, cmd)
	}
	var rss int64
	for _, cmd := range ps {
		if err := cmd.Wait(); err != nil {
			fmt.Fprintln(os.Stderr, cmd.Args, err)
			os.Exit(1)
		}
		if r := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss; r > rss {
			rss = r
		}
	}
	return time.Since(t), rss
}

func run(dir string, cmds [][]string) (time.Duration, int64) {
	var total time.Duration
	var rss int64
	for _, c := range cmds {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Dir = dir
		t := time.Now()
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, c, err)
			os.Exit(1)
		}
		total += time.Since(t)
		if r := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss; r > rss {
			rss = r
		}
	}
	return total, rss
}

func median[T int64 | float64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func main() {
	dir := os.Args[1]
	rounds, _ := strconv.Atoi(os.Args[2])
	gl := []string{"go", "list", "-deps", "-json=ImportPath,Module,Imports,Standard,DepOnly", "./cmd/syft"}
	groups := []group{
		{name: "go list -deps", cmds: [][]string{gl}},
		{name: "go list -m + graph", cmds: [][]string{{"go", "list", "-m", "-e", "-json", "all"}, {"go", "mod", "graph"}}},
		{name: "go list -m & graph", base: "go list -m + graph", concurrent: true, cmds: [][]string{{"go", "list", "-m", "-e", "-json", "all"}, {"go", "mod", "graph"}}},
	}
	for _, arg := range os.Args[3:] {
		label, bl, _ := strings.Cut(arg, "=")
		groups = append(groups,
			group{name: label + " sbom packages", base: "go list -deps", cmds: [][]string{{bl, "sbom", "--version", "1.57.1", "-o", "/dev/null", "./cmd/syft"}}},
			group{name: label + " discover packages", base: "go list -deps", cmds: [][]string{{bl, "discover", "-o", "/dev/null", "./cmd/syft"}}},
			group{name: label + " sbom modules", base: "go list -m + graph", cmds: [][]string{{bl, "sbom", "--version", "1.57.1", "--mode", "modules", "-o", "/dev/null"}}},
			group{name: label + " discover modules", base: "go list -m + graph", cmds: [][]string{{bl, "discover", "--mode", "modules", "-o", "/dev/null"}}},
		)
	}
	wall := map[string][]time.Duration{}
	rss := map[string][]int64{}
	ratio := map[string][]float64{}
	for r := -2; r < rounds; r++ {
		this := map[string]time.Duration{}
		for _, g := range groups {
			runner := run
			if g.concurrent {
				runner = runConcurrent
			}
			d, m := runner(dir, g.cmds)
			this[g.name] = d
			if r >= 0 {
				wall[g.name] = append(wall[g.name], d)
				rss[g.name] = append(rss[g.name], m)
			}
		}
		if r >= 0 {
			for _, g := range groups {
				if g.base != "" {
					ratio[g.name] = append(ratio[g.name], float64(this[g.name])/float64(this[g.base]))
				}
			}
		}
	}
	for _, g := range groups {
		line := fmt.Sprintf("%-28s %6.1f ms  rss max %.1f MB (median %.1f)", g.name, float64(median(wall[g.name]))/1e6,
			float64(slices.Max(rss[g.name]))/1024, float64(median(rss[g.name]))/1024)
		if g.base != "" {
			line += fmt.Sprintf("  ratio %.2fx (of medians %.2fx)", median(ratio[g.name]),
				float64(median(wall[g.name]))/float64(median(wall[g.base])))
		}
		fmt.Println(line)
	}
}
