package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/baseline-cm/baseline/manifest"
)

func runHistory(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("history", stderr)
	dir := fs.String("C", "", "the product repository `DIR` (where baseline.yaml is)")
	releases := fs.String("releases", "", "the archive `DIR` (default: baseline.yaml's archive directory)")
	format := fs.String("format", "text", "output `format`: text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return &usageError{"usage: baseline history [-C DIR] [--releases DIR] [--format text|json] [ITEM-ID]"}
	}
	if *format != "text" && *format != "json" {
		return &usageError{fmt.Sprintf("unknown --format %q (want text or json)", *format)}
	}
	archive := *releases
	if archive == "" {
		root := *dir
		if root == "" {
			root = "."
		}
		cfg, err := loadProduct(root)
		if err != nil {
			return err
		}
		archive = cfg.Path(cfg.Archive)
	} else if fi, err := os.Stat(archive); err != nil {
		// An archive named on the command line must be there: a
		// mistyped path must not pass the chain check.
		return fmt.Errorf("--releases: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("--releases %s: not a directory", archive)
	}
	rels, err := manifest.Archive(archive)
	if err != nil {
		return err
	}
	problems := manifest.CheckChain(rels)
	if *format == "json" {
		v := struct {
			Releases []release               `json:"releases"`
			Events   []manifest.ItemEvent    `json:"events,omitempty"`
			Problems []manifest.ChainProblem `json:"problems"`
		}{Releases: []release{}, Problems: problems}
		if v.Problems == nil {
			v.Problems = []manifest.ChainProblem{}
		}
		for _, r := range rels {
			v.Releases = append(v.Releases, toRelease(r))
		}
		if len(pos) == 1 {
			v.Events = manifest.ItemHistory(rels, pos[0])
		}
		if err := writeJSON(stdout, v); err != nil {
			return err
		}
	} else if len(pos) == 1 {
		events := manifest.ItemHistory(rels, pos[0])
		if len(events) == 0 {
			fmt.Fprintf(stdout, "%s is in no archived release\n", pos[0])
		}
		for _, e := range events {
			what := e.Item.Name
			if e.Item.Version != "" {
				what += " " + e.Item.Version
			}
			if e.Event == "changed" {
				switch {
				case e.Old.Version != e.Item.Version:
					what = fmt.Sprintf("%s %s -> %s", e.Item.Name, e.Old.Version, e.Item.Version)
				case e.Old.Name != e.Item.Name:
					what = fmt.Sprintf("%s (was %s)", e.Item.Name, e.Old.Name)
				default:
					what += " (content)"
				}
			}
			if len(e.Requests) > 0 {
				what += "\t" + strings.Join(e.Requests, ", ")
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", e.BaselineID, e.Version, e.Event, what)
		}
	} else {
		if len(rels) == 0 {
			fmt.Fprintf(stdout, "no release archived in %s\n", archive)
		}
		for _, r := range rels {
			if r.Manifest == nil {
				fmt.Fprintf(stdout, "%s\t(unreadable)\n", r.Dir)
				continue
			}
			m := r.Manifest
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\t%s\t%d items\tmanifest %s\n", m.BaselineID, m.Version, m.ReleaseType,
				m.Created.Format("2006-01-02"), shortHash(m.VCS.Commit), len(m.Items), shortHash(r.SHA256))
		}
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	if len(problems) > 0 {
		return &findingError{fmt.Sprintf("history: the chain of releases in %s is broken (%d problem%s)", archive, len(problems), plural(len(problems)))}
	}
	return nil
}

type release struct {
	Dir        string `json:"dir"`
	BaselineID string `json:"baselineId,omitempty"`
	Version    string `json:"version,omitempty"`
	SHA256     string `json:"sha256,omitempty"`
}

func toRelease(r manifest.Archived) release {
	out := release{Dir: r.Dir, SHA256: r.SHA256}
	if r.Manifest != nil {
		out.BaselineID, out.Version = r.Manifest.BaselineID, r.Manifest.Version
	}
	return out
}

func shortHash(s string) string { return s[:min(12, len(s))] }
