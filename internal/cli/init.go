package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/baseline-cm/baseline/internal/atomicfile"
	"github.com/baseline-cm/baseline/items"
	"github.com/baseline-cm/baseline/product"
	"github.com/baseline-cm/baseline/soup"
)

func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("init", stderr)
	dir := fs.String("C", "", "the product repository `DIR`")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &usageError{"init takes no arguments"}
	}
	root := *dir
	if root == "" {
		root = "."
	}
	file := filepath.Join(root, product.DefaultFile)
	// Everything is checked and learnt before anything is written: a
	// failing init leaves the repository as it was.
	if _, err := os.Lstat(file); err == nil {
		return &usageError{fmt.Sprintf("init: %s already exists; edit it instead", file)}
	}
	if !fileExists(filepath.Join(root, "go.mod")) && !fileExists(filepath.Join(root, "go.work")) {
		return &usageError{fmt.Sprintf("init: %s has no go.mod or go.work: baseline init runs in the Go module's (or workspace's) directory, where baseline.yaml belongs", root)}
	}
	itemsFile := filepath.Join(root, items.DefaultFile)
	if _, err := items.Load(itemsFile); err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("init: %w", err)
	}
	facts, err := product.Learn(ctx, root)
	if err != nil {
		return err
	}
	data := product.Starter(facts)
	cfg, err := product.Parse(file, data)
	if err != nil {
		return fmt.Errorf("init: the starting %s does not parse (a bug): %w", product.DefaultFile, err)
	}
	found, err := items.Scan(ctx, cfg, root, items.ScanOptions{})
	if err != nil {
		return fmt.Errorf("init: finding the product's configuration items in %s: %w", root, err)
	}
	now, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	// The lock and temporary files of soup.yaml and items.yaml are not
	// records: ignored, so that "git add -A" leaves them out.
	ignored, err := ignoreWorkFiles(filepath.Join(root, ".gitignore"))
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	// Created exclusively: an existing baseline.yaml is never replaced.
	if err := atomicfile.CreateNew(file, data, 0o666); err != nil {
		if errors.Is(err, iofs.ErrExist) {
			return &usageError{fmt.Sprintf("init: %s already exists; edit it instead", file)}
		}
		return fmt.Errorf("init: %w", err)
	}
	changes, err := items.Sync(itemsFile, found, cfg.Items.IDs, items.SyncOptions{Now: now})
	if err != nil {
		os.Remove(file) // written by this run a moment ago
		return fmt.Errorf("init: %w", err)
	}
	if ignored > 0 {
		fmt.Fprintf(stdout, "wrote %s (%d patterns for baseline's lock and temporary files)\n", filepath.Join(root, ".gitignore"), ignored)
	}
	fmt.Fprintf(stdout, "wrote %s (%d TODOs to resolve)\n", file, len(cfg.TODOs()))
	fmt.Fprintf(stdout, "wrote %s (%d items)\n", itemsFile, len(changes))
	fmt.Fprintln(stdout, "next: resolve the TODOs, run baseline soup sync and fill in soup.yaml, commit, then baseline release --version V")
	return nil
}

// workFilePatterns are the files baseline keeps beside the records that
// are not records: the lock files of the register and of items.yaml, and
// the temporary file of a write a killed run left (removed by the next).
var workFilePatterns = []string{soup.DefaultFile + ".lock", items.DefaultFile + ".lock", "*" + atomicfile.TempSuffix}

// ignoreWorkFiles adds to the .gitignore file name the work-file patterns
// it lacks, creating it if need be, and returns how many it added.
func ignoreWorkFiles(name string) (int, error) {
	data, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return 0, err
	}
	have := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		have[strings.TrimSpace(line)] = true
	}
	var add []string
	for _, p := range workFilePatterns {
		if !have[p] && !have["/"+p] {
			add = append(add, p)
		}
	}
	if len(add) == 0 {
		return 0, nil
	}
	out := data
	if len(out) > 0 && !strings.HasSuffix(string(out), "\n") {
		out = append(out, '\n')
	}
	out = append(out, "# baseline's lock and temporary files (not records)\n"+strings.Join(add, "\n")+"\n"...)
	return len(add), atomicfile.WriteFile(name, out, 0o666)
}
