package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/baseline-cm/baseline/plan"
	"github.com/baseline-cm/baseline/product"
)

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("plan", stderr)
	dir := fs.String("C", "", "the product's repository `DIR` (default the current directory)")
	check := fs.Bool("check", false, "report the fields the plan needs that baseline.yaml does not give: exit 0 when none, 1 with one line each")
	out := fs.String("o", "", "write the plan to `FILE` (atomically) instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: baseline plan [--check] [-C DIR] [-o FILE]")
		fmt.Fprintln(stderr, "Renders the configuration management plan (IEC 62304 5.1.9) from baseline.yaml as Markdown.")
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &usageError{fmt.Sprintf("plan: unexpected argument %q", pos[0])}
	}
	if *check && *out != "" {
		return &usageError{"plan: --check writes no plan; leave out -o"}
	}
	d := *dir
	if d == "" {
		d = "."
	}
	cfg, err := product.Load(filepath.Join(d, product.DefaultFile))
	if err != nil {
		return err
	}
	if *check {
		fs := plan.Check(cfg)
		for _, f := range fs {
			fmt.Fprintln(stdout, f)
		}
		if len(fs) > 0 {
			return &findingError{fmt.Sprintf("plan: %d field%s missing for the CM plan", len(fs), plural(len(fs)))}
		}
		return nil
	}
	return write(*out, stdout, plan.Render(cfg))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
