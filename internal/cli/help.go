package cli

import (
	"embed"
	"fmt"
	"io"
	"strings"
)

// A helpTopic is a record format explained by "baseline help TOPIC". The
// text is the format's sections of the package doc (one home: the package
// doc), copied into help/TOPIC.txt by "go test ./internal/cli -run
// TestHelpTopics -update" and checked against it by that test.
type helpTopic struct {
	name, pkg, summary string
	headings           []string // the package doc's sections, in order
}

var helpTopics = []helpTopic{
	{"baseline.yaml", "product", "the product configuration: identity, versioning, build configurations, item classes, change control", []string{"The file", "Sections", "TODO markers"}},
	{"soup.yaml", "soup", "the SOUP register: each SOUP item with its IEC 62304 and FDA fields", []string{"The register file", "Rules", "Identifiers"}},
	{"items.yaml", "items", "the identifiers of the product's own configuration items", []string{"items.yaml"}},
	{"change", "change", "change requests, problem reports and residual anomalies; the commit trailer", []string{"Files", "Change request", "Problem report", "Residual anomaly"}},
	{"policy", "sign", "the signature policy baseline verify --policy reads: trusted keys, required meanings", []string{"Policy", "Keys"}},
	{"manifest.json", "manifest", "a release baseline's manifest", []string{"manifest.json"}},
}

//go:embed help/*.txt
var helpFiles embed.FS

func runHelp(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		fmt.Fprint(stdout, "\nRecord formats (baseline help TOPIC):\n")
		for _, t := range helpTopics {
			fmt.Fprintf(stdout, "  %-14s %s\n", t.name, t.summary)
		}
		return nil
	}
	if len(args) > 1 {
		return &usageError{"usage: baseline help [TOPIC]"}
	}
	for _, t := range helpTopics {
		if t.name == args[0] || strings.TrimSuffix(t.name, ".yaml") == args[0] {
			data, err := helpFiles.ReadFile("help/" + t.name + ".txt")
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: %s\n(from go doc github.com/baseline-cm/baseline/%s)\n\n", t.name, t.summary, t.pkg)
			stdout.Write(data)
			return nil
		}
	}
	names := make([]string, len(helpTopics))
	for i, t := range helpTopics {
		names[i] = t.name
	}
	return &usageError{fmt.Sprintf("help: unknown topic %q (topics: %s; commands: baseline COMMAND -h)", args[0], strings.Join(names, ", "))}
}
