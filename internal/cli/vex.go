package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/inventory"
)

// vulndbFlag is the --vulndb flag: the vulnerability database, always
// named (nothing reaches the network unless an https URL is given).
type vulndbFlag struct{ url string }

func (v *vulndbFlag) register(fs *flag.FlagSet) {
	fs.StringVar(&v.url, "vulndb", "", "the Go vulnerability database `URL`: https://vuln.go.dev, or file:///path (or a directory) for a local copy")
}

// discoverAndScan runs discovery and, with --vulndb, govulncheck over the
// same packages and build configuration, concurrently.
func (v *vulndbFlag) discoverAndScan(ctx context.Context, d *discoverFlags, pos []string, stderr io.Writer) (*inventory.Inventory, *anomaly.Result, error) {
	if v.url == "" {
		inv, err := d.discover(ctx, pos)
		return inv, nil, err
	}
	db, err := anomaly.DBURL(v.url)
	if err != nil {
		return nil, nil, &usageError{fmt.Sprintf("--vulndb: %v", err)}
	}
	if err := anomaly.CheckDB(db); err != nil {
		return nil, nil, &usageError{fmt.Sprintf("--vulndb: %v", err)}
	}
	if inventory.Mode(d.mode) == inventory.Binary {
		return nil, nil, &usageError{"--vulndb looks up the source of the product's packages; it does not take --mode binary"}
	}
	opts := anomaly.Options{DB: db, Dir: d.dir, Patterns: pos, Download: d.download, Progress: progress(stderr)}
	if d.tags != "" {
		opts.Tags = strings.Split(d.tags, ",")
	}
	var inv *inventory.Inventory
	var res *anomaly.Result
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		inv, err = d.discover(gctx, pos)
		return err
	})
	g.Go(func() (err error) {
		res, err = anomaly.Scan(gctx, opts)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	return inv, res, nil
}

// progress returns a function writing progress messages to stderr when it
// is a terminal, and nil (silence) in scripts.
func progress(stderr io.Writer) func(string) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(msg string) { fmt.Fprintf(stderr, "baseline: %s\n", strings.TrimSpace(msg)) }
}
