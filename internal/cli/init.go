package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/baseline-cm/baseline/items"
	"github.com/baseline-cm/baseline/product"
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
	facts, err := product.Learn(ctx, root)
	if err != nil {
		return err
	}
	data := product.Starter(facts)
	cfg, err := product.Parse(file, data)
	if err != nil {
		return fmt.Errorf("init: the starting %s does not parse (a bug): %w", product.DefaultFile, err)
	}
	// Created exclusively: an existing baseline.yaml is never replaced.
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if os.IsExist(err) {
		return &usageError{fmt.Sprintf("init: %s already exists; edit it instead", file)}
	}
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file)
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (%d TODOs to resolve)\n", file, len(cfg.TODOs()))
	found, err := items.Scan(ctx, cfg, root, items.ScanOptions{})
	if err != nil {
		return err
	}
	now, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	itemsFile := filepath.Join(root, items.DefaultFile)
	changes, err := items.Sync(itemsFile, found, cfg.Items.IDs, items.SyncOptions{Now: now})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d items)\n", itemsFile, len(changes))
	fmt.Fprintln(stdout, "next: resolve the TODOs, run baseline soup sync and fill in soup.yaml, commit, then baseline release --version V")
	return nil
}
