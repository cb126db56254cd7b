package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/baseline-cm/baseline/items"
)

const itemsUsage = `usage: baseline items <command> [-C DIR]

Commands:
  check  compare items.yaml with the repository: exit 0 when it lists every
         configuration item of baseline.yaml's classes, 1 naming each
         item missing from it or listed but gone
  sync   bring items.yaml up to date: new items get identifiers for life,
         items that are gone are retired

Run "baseline items <command> -h" for a command's flags.
`

func runItems(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, itemsUsage)
		return &usageError{"items: missing command (check or sync)"}
	}
	switch args[0] {
	case "check", "sync":
	case "help", "-h", "--help":
		fmt.Fprint(stdout, itemsUsage)
		return nil
	default:
		fmt.Fprint(stderr, itemsUsage)
		return &usageError{fmt.Sprintf("items: unknown command %q", args[0])}
	}
	cmd := args[0]
	flags := newFlagSet("items "+cmd, stderr)
	dir := flags.String("C", "", "the product repository `DIR` (where baseline.yaml is)")
	format := flags.String("format", "text", "output `format`: text or json")
	pos, err := parse(flags, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &usageError{fmt.Sprintf("items %s takes no arguments", cmd)}
	}
	if *format != "text" && *format != "json" {
		return &usageError{fmt.Sprintf("unknown --format %q (want text or json)", *format)}
	}
	root := *dir
	if root == "" {
		root = "."
	}
	cfg, err := loadProduct(root)
	if err != nil {
		return err
	}
	found, err := items.Scan(ctx, cfg, root, items.ScanOptions{})
	if err != nil {
		return err
	}
	file := filepath.Join(root, items.DefaultFile)
	if cmd == "sync" {
		now, err := sourceDateEpoch()
		if err != nil {
			return err
		}
		changes, err := items.Sync(file, found, cfg.Items.IDs, items.SyncOptions{Now: now})
		if err != nil {
			return err
		}
		if *format == "json" {
			return writeJSON(stdout, changes)
		}
		for _, c := range changes {
			fmt.Fprintln(stdout, c)
		}
		fmt.Fprintf(stdout, "%s: %d items, %d changes\n", file, len(found), len(changes))
		return nil
	}
	f, err := items.Load(file)
	if errors.Is(err, fs.ErrNotExist) {
		return &findingError{fmt.Sprintf("items check: there is no %s: create it with baseline items sync", file)}
	}
	if err != nil {
		return err
	}
	findings := items.Check(f, found, cfg.Items.IDs)
	if *format == "json" {
		if err := writeJSON(stdout, findings); err != nil {
			return err
		}
	} else {
		for _, fd := range findings {
			fmt.Fprintln(stdout, fd)
		}
	}
	if len(findings) > 0 {
		return &findingError{fmt.Sprintf("items check: %s is out of date (%d findings): run baseline items sync", file, len(findings))}
	}
	if *format == "text" {
		fmt.Fprintf(stdout, "%s: %d items match the repository\n", file, len(found))
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
