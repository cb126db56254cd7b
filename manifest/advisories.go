package manifest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/product"
	"github.com/baseline-cm/baseline/soup"
)

// KnownAnomalies records the published anomalies of the release's SOUP
// items evaluated for it (IEC 62304 7.1.3, 5.8.3): the advisories of the
// Go vulnerability database affecting the versions the release uses, in
// any configuration, with govulncheck's evidence and the SOUP register's
// conclusions, and the database they were looked up in.
type KnownAnomalies struct {
	// DatabaseURL is the database's URL, empty for a local copy;
	// DatabaseModified its last-modified time (how current the
	// evaluation is).
	DatabaseURL      string    `json:"databaseUrl,omitempty"`
	DatabaseModified time.Time `json:"databaseModified"`
	// Scanner is govulncheck's version.
	Scanner string `json:"scanner,omitempty"`
	// Advisories are sorted by module and ID; empty, not absent, when
	// none affects the release.
	Advisories []KnownAnomaly `json:"advisories"`
}

// KnownAnomaly is one advisory affecting a SOUP item of the release.
type KnownAnomaly struct {
	ID      string   `json:"id"`
	Aliases []string `json:"aliases,omitempty"`
	Summary string   `json:"summary,omitempty"`
	// SOUP is the register item's ID; Module and Version what the release
	// uses; FixedVersion the version that fixes it, if any.
	SOUP         string `json:"soup,omitempty"`
	Module       string `json:"module"`
	Version      string `json:"version"`
	FixedVersion string `json:"fixedVersion,omitempty"`
	// Evidence is govulncheck's strongest evidence over the
	// configurations.
	Evidence string `json:"evidence"`
	// Conclusion, Justification, Assessment and Action are the register's
	// (soup.Advisory); all are validated by the register check that
	// gates the release.
	Conclusion    string `json:"conclusion"`
	Justification string `json:"justification,omitempty"`
	Assessment    string `json:"assessment,omitempty"`
	Action        string `json:"action,omitempty"`
	// Configurations are the configurations the advisory affects.
	Configurations []string `json:"configurations"`
}

// scanConfigs looks the advisories of every configuration up in db: the
// package graph's with govulncheck's evidence, and those of the modules
// the configuration's inventory (invs[i]) lists but its build does not
// link, at module level.
func scanConfigs(ctx context.Context, db, root string, confs []product.Configuration, invs []*inventory.Inventory, base discover.Options) ([]*anomaly.Result, error) {
	out := make([]*anomaly.Result, len(confs))
	for i, c := range confs {
		opts := anomaly.Options{
			DB: db, Dir: root, Patterns: c.Patterns, Tags: c.Tags,
			Env: append(slices.Clip(base.Env), c.Env()...), Download: base.Download,
			CacheDir: base.CacheDir, NoCache: base.NoCache,
		}
		res, err := anomaly.Scan(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("configuration %s: %w", c.Name, err)
		}
		if mods := anomaly.UnlinkedModules(invs[i]); len(mods) > 0 {
			extra, err := anomaly.LookupModules(ctx, opts, mods)
			if err != nil {
				return nil, fmt.Errorf("configuration %s: %w", c.Name, err)
			}
			res = anomaly.Union(res, extra)
		}
		out[i] = res
	}
	return out, nil
}

// knownFor returns the i-th configuration's advisories for soup.Reconcile;
// nil without a scan.
func knownFor(results []*anomaly.Result, i int) []soup.KnownAdvisory {
	if results == nil {
		return nil
	}
	return results[i].Known()
}

// knownAnomalies joins the configurations' statements.
func knownAnomalies(reg *soup.Register, confs []product.Configuration, invs []*inventory.Inventory, results []*anomaly.Result) *KnownAnomalies {
	if results == nil {
		return nil
	}
	k := &KnownAnomalies{Advisories: []KnownAnomaly{}}
	byKey := map[string]int{}
	for i, res := range results {
		k.DatabaseURL, k.DatabaseModified, k.Scanner = res.Database.URL, res.Database.LastModified, res.Scanner
		for _, s := range anomaly.Statements(reg, invs[i], res) {
			a := s.Advisory
			key := a.Module + "@" + a.Version + " " + a.ID
			j, ok := byKey[key]
			if !ok {
				ka := KnownAnomaly{ID: a.ID, Aliases: a.Aliases, Summary: a.Summary, Module: a.Module, Version: a.Version,
					FixedVersion: a.FixedVersion, Conclusion: "unevaluated"}
				if s.Item != nil {
					ka.SOUP = s.Item.ID
				}
				if e := s.Evaluation; e != nil && s.Concluded() {
					ka.Conclusion, ka.Justification, ka.Assessment, ka.Action = string(e.Conclusion), string(e.Justification), e.Assessment, e.Action
				}
				j = len(k.Advisories)
				byKey[key] = j
				k.Advisories = append(k.Advisories, ka)
			}
			ka := &k.Advisories[j]
			if a.Evidence.Rank() > soup.Evidence(ka.Evidence).Rank() {
				ka.Evidence = string(a.Evidence)
			}
			ka.Configurations = append(ka.Configurations, confs[i].Name)
		}
	}
	slices.SortFunc(k.Advisories, func(a, b KnownAnomaly) int {
		if c := strings.Compare(a.Module, b.Module); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return k
}

// renderKnownAnomalies writes the release notes' section on the SOUP
// items' known anomalies (5.8.3).
func renderKnownAnomalies(b *bytes.Buffer, k *KnownAnomalies) {
	if k == nil {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Known anomalies of SOUP items\n\n")
	db := k.DatabaseURL
	if db == "" {
		db = "a local copy of the Go vulnerability database"
	}
	mod := "last-modified time unknown"
	if !k.DatabaseModified.IsZero() {
		mod = "last modified " + k.DatabaseModified.UTC().Format(time.RFC3339)
	}
	p("Advisories of %s (%s) affecting the SOUP versions of this release, with %s's evidence and the SOUP register's conclusions.\n\n",
		mdText(db), mod, mdText(k.Scanner))
	if len(k.Advisories) == 0 {
		p("No known advisory affects the release.\n\n")
		return
	}
	p("| Advisory | SOUP item | Module | Evidence | Conclusion | Assessment | Action |\n|---|---|---|---|---|---|---|\n")
	for _, a := range k.Advisories {
		id := a.ID
		if len(a.Aliases) > 0 {
			id += " (" + strings.Join(a.Aliases, ", ") + ")"
		}
		concl := a.Conclusion
		if a.Justification != "" {
			concl += ": " + a.Justification
		}
		mod := a.Module + " " + a.Version
		if a.FixedVersion != "" {
			mod += ", fixed in " + a.FixedVersion
		}
		p("| %s | %s | %s | %s | %s | %s | %s |\n", mdCell(id), mdCell(orDash(a.SOUP)), mdCell(mod), mdCell(a.Evidence),
			mdCell(concl), mdCell(orDash(a.Assessment)), mdCell(orDash(a.Action)))
	}
	p("\n")
}
