package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/baseline-cm/baseline/manifest"
)

func runDiff(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("diff", stderr)
	format := fs.String("format", "text", "output `format`: text, markdown or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return &usageError{"usage: baseline diff [--format text|markdown|json] OLD NEW (release directories or manifest files)"}
	}
	if *format != "text" && *format != "markdown" && *format != "json" {
		return &usageError{fmt.Sprintf("unknown --format %q (want text, markdown or json)", *format)}
	}
	old, err := loadManifest(pos[0])
	if err != nil {
		return err
	}
	new, err := loadManifest(pos[1])
	if err != nil {
		return err
	}
	d := manifest.Diff(old, new)
	switch *format {
	case "markdown":
		return d.WriteMarkdown(stdout)
	case "json":
		return d.WriteJSON(stdout)
	}
	return d.WriteText(stdout)
}

// loadManifest reads a release directory's manifest, or a manifest file.
func loadManifest(p string) (*manifest.Manifest, error) {
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		m, _, err := manifest.LoadRelease(p)
		return m, err
	}
	return manifest.Load(p)
}
