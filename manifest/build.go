package manifest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/semver"

	"github.com/baseline-cm/baseline/anomaly"
	"github.com/baseline-cm/baseline/change"
	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/items"
	"github.com/baseline-cm/baseline/product"
	"github.com/baseline-cm/baseline/sbom"
	"github.com/baseline-cm/baseline/soup"
)

// Options are the inputs of a release.
type Options struct {
	// Dir is the product repository's root, where baseline.yaml, soup.yaml
	// and items.yaml are; the current directory when empty.
	Dir string
	// Config is the product configuration; nil reads Dir/baseline.yaml
	// (its defaults when there is none).
	Config *product.Config
	// Version is the release version, in baseline.yaml's versioning
	// scheme.
	Version string
	// Previous is the previous baseline's manifest and PreviousSHA256 the
	// SHA-256 of its manifest.json bytes (LoadRelease returns both); nil
	// for a first release.
	Previous       *Manifest
	PreviousSHA256 string
	// Time is the creation time (SOURCE_DATE_EPOCH); required, so that
	// the same inputs give the same bytes.
	Time time.Time
	// AllowDirty allows a work tree with changes (recorded as dirty).
	AllowDirty bool
	// AllowFindings makes the release despite change-control findings
	// (Trace), recording them in the manifest; without it they refuse
	// the release.
	AllowFindings bool
	// Artifacts are files delivered with the release (binaries), copied
	// into artifacts/ under their base names.
	Artifacts []string
	// ToolVersion is baseline's version, recorded as the tool.
	ToolVersion string
	// Discover holds the discovery settings shared by every
	// configuration (CacheDir, Download, GoCommand, Jobs, MainModule);
	// Dir, Patterns, Tags and Env are set per configuration.
	Discover discover.Options
	// VulnDB is the Go vulnerability database (as anomaly.Options.DB);
	// baseline.yaml's vulndb when empty, and none when both are. With one,
	// every configuration is scanned, an advisory the register does not
	// evaluate refuses the release, and the manifest records the
	// advisories and the database (KnownAnomalies).
	VulnDB string
}

// Refused is the error of a release that must not be made as things
// are: a dirty work tree, an out-of-date soup.yaml or items.yaml. Each
// reason is one line.
type Refused struct{ Reasons []string }

func (e *Refused) Error() string {
	return "release refused:\n  " + strings.Join(e.Reasons, "\n  ")
}

// File is a file of a release directory other than manifest.json and
// RELEASE-NOTES.md: an SBOM (Data) or an artifact (copied from Source).
type File struct {
	// Path is slash-separated, relative to the release directory.
	Path   string
	Data   []byte
	Source string
}

// Release is a release prepared in memory: its manifest and files.
// WriteRelease writes it.
type Release struct {
	Manifest *Manifest
	Files    []File
}

// Build returns the manifest of a release (see Prepare).
func Build(ctx context.Context, opts Options) (*Manifest, error) {
	rel, err := Prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	return rel.Manifest, nil
}

// Prepare gathers a release: it checks the version against the previous
// baseline, reads the VCS state (refusing a dirty work tree unless
// AllowDirty), checks that items.yaml and soup.yaml are up to date with
// the repository and every build configuration (refusing otherwise: run
// the syncs and commit first), discovers each configuration, encodes its
// SBOM pair (CycloneDX JSON and SPDX JSON, package sbom), hashes every own
// item, SOUP item, SBOM and artifact, and reads the residual anomalies
// from the change-control records. It never writes to the repository.
func Prepare(ctx context.Context, opts Options) (*Release, error) {
	root := opts.Dir
	if root == "" {
		root = "."
	}
	cfg := opts.Config
	if cfg == nil {
		var err error
		cfg, err = product.Load(filepath.Join(root, product.DefaultFile))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no %s in %s: a release needs the product's name (baseline init writes one)", product.DefaultFile, root)
		}
		if err != nil {
			return nil, err
		}
	}
	if cfg.Product.Name == "" || product.IsTODO(cfg.Product.Name) {
		return nil, fmt.Errorf("%s: product.name: the product has no name yet", cfg.File)
	}
	if opts.Time.IsZero() {
		return nil, errors.New("release: no creation time (set SOURCE_DATE_EPOCH)")
	}
	m := &Manifest{
		Format:     FormatVersion,
		BaselineID: cfg.BaselineIDFor(opts.Version),
		Product: Product{Name: cfg.Product.Name, Manufacturer: cfg.Product.Manufacturer, Supplier: cfg.Product.Supplier,
			Authors: cfg.Product.Authors, Website: cfg.Product.Website, License: cfg.Product.License},
		Version:   opts.Version,
		Created:   opts.Time.UTC().Truncate(time.Second),
		Tool:      Tool{Name: "baseline", Version: opts.ToolVersion},
		Archive:   path.Join(cfg.Archive, opts.Version),
		Anomalies: []Anomaly{},
		Items:     []Item{},
	}
	var err error
	if m.ReleaseType, err = releaseType(cfg, opts.Version, opts.Previous); err != nil {
		return nil, err
	}
	m.Submission = submission(cfg.Versioning.Submission, m.ReleaseType)
	if opts.Previous != nil {
		if !hex64.MatchString(opts.PreviousSHA256) {
			return nil, fmt.Errorf("release: previous baseline %s: no SHA-256 of its manifest", opts.Previous.BaselineID)
		}
		m.Previous = &Previous{BaselineID: opts.Previous.BaselineID, Version: opts.Previous.Version, SHA256: opts.PreviousSHA256}
	}
	var refused []string
	if m.VCS, err = readVCS(ctx, root, opts.Version, cfg.Archive); err != nil {
		return nil, err
	}
	if m.VCS.Dirty && !opts.AllowDirty {
		refused = append(refused, "the work tree has uncommitted changes: commit them (or pass --allow-dirty, recorded as dirty)")
	}

	// Own items.
	found, err := items.Scan(ctx, cfg, root, items.ScanOptions{GoCommand: opts.Discover.GoCommand})
	if err != nil {
		return nil, err
	}
	itemsFile := filepath.Join(root, items.DefaultFile)
	rec, err := items.Load(itemsFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		refused = append(refused, fmt.Sprintf("there is no %s: run baseline items sync and commit it", itemsFile))
	case err != nil:
		return nil, err
	default:
		if fs := items.Check(rec, found, cfg.Items.IDs); len(fs) > 0 {
			refused = append(refused, fmt.Sprintf("%s is out of date (%d findings, first: %s): run baseline items sync and commit it", itemsFile, len(fs), fs[0]))
		}
	}

	// SOUP: the register against every configuration.
	regFile := filepath.Join(root, soup.DefaultFile)
	reg, err := soup.LoadRegister(regFile)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		refused = append(refused, fmt.Sprintf("there is no %s: run baseline soup sync, fill it in and commit it", regFile))
	}
	confs := cfg.Configurations
	if len(confs) == 0 {
		confs = []product.Configuration{product.Current()}
	}
	invs := make([]*inventory.Inventory, len(confs))
	for i, c := range confs {
		if invs[i], err = discoverConfig(ctx, root, c, opts.Discover); err != nil {
			return nil, fmt.Errorf("configuration %s: %w", c.Name, err)
		}
	}
	var vulns []*anomaly.Result
	if db := cmpOr(opts.VulnDB, cfg.VulnDB); db != "" {
		if vulns, err = scanConfigs(ctx, db, root, confs, invs, opts.Discover); err != nil {
			return nil, err
		}
	}
	if reg != nil {
		refused = append(refused, soupFindings(reg, confs, invs, vulns, opts.Time)...)
	}
	if len(refused) > 0 {
		return nil, &Refused{Reasons: refused}
	}

	rel := &Release{Manifest: m}
	// Build environments and SBOMs.
	sopts, err := sbomOptions(cfg, opts, reg)
	if err != nil {
		return nil, err
	}
	var sbomItems []Item
	for i, c := range confs {
		inv := invs[i]
		m.Environments = append(m.Environments, Environment{
			Configuration: c.Name, GoVersion: inv.Build.GoVersion, GOOS: inv.Build.GOOS, GOARCH: inv.Build.GOARCH,
			CGOEnabled: inv.Build.CGOEnabled, Tags: inv.Build.Tags, Flags: c.Flags, Patterns: c.Patterns, Mode: c.Mode,
		})
		for _, f := range []struct {
			format sbom.Format
			ext    string
		}{{sbom.CycloneDXJSON, ".cdx.json"}, {sbom.SPDXJSON, ".spdx.json"}} {
			var buf bytes.Buffer
			if err := sbom.Encode(&buf, inv, f.format, sopts); err != nil {
				return nil, fmt.Errorf("configuration %s: %w", c.Name, err)
			}
			p := "sbom/" + c.Name + f.ext
			d := digestBytes(buf.Bytes())
			sbomItems = append(sbomItems, Item{ID: p, Class: ClassSBOM, Kind: string(f.format), Name: path.Base(p), Path: p,
				SHA256: d.SHA256, SHA512: d.SHA512, Size: int64(buf.Len()), Serial: serialOf(buf.Bytes()), Configuration: c.Name})
			rel.Files = append(rel.Files, File{Path: p, Data: buf.Bytes()})
		}
	}

	// Own items, in class order.
	ids := map[string]string{}
	if rec != nil {
		for _, it := range rec.Items {
			ids[it.Key()] = it.ID
		}
	}
	for _, fd := range found {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := items.DigestOf(root, fd)
		if err != nil {
			return nil, err
		}
		m.Items = append(m.Items, Item{ID: ids[fd.Key()], Class: fd.Class, Kind: fd.Kind, Name: fd.Name, Path: fd.Path,
			H1: d.H1, SHA256: d.SHA256, SHA512: d.SHA512})
	}
	classOrder := map[string]int{}
	for i, cl := range cfg.Items.Classes {
		classOrder[cl.Name] = i
	}
	slices.SortStableFunc(m.Items, func(a, b Item) int {
		if c := classOrder[a.Class] - classOrder[b.Class]; c != 0 {
			return c
		}
		return compareIDs(a.ID, b.ID)
	})
	if reg != nil {
		m.Items = append(m.Items, soupItems(reg, confs, invs)...)
	}
	m.Items = append(m.Items, sbomItems...)

	// Artifacts.
	seen := map[string]string{}
	for _, a := range opts.Artifacts {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("artifact: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("artifact %s is not a regular file", a)
		}
		base := filepath.Base(a)
		if prev, dup := seen[base]; dup {
			return nil, fmt.Errorf("artifacts %s and %s have the same name %s in artifacts/", prev, a, base)
		}
		seen[base] = a
		d, err := items.FileDigest(a)
		if err != nil {
			return nil, fmt.Errorf("artifact: %w", err)
		}
		p := "artifacts/" + base
		m.Items = append(m.Items, Item{ID: p, Class: ClassArtifact, Kind: "file", Name: base, Path: p,
			SHA256: d.SHA256, SHA512: d.SHA512, Size: fi.Size()})
		rel.Files = append(rel.Files, File{Path: p, Source: a})
	}

	if reg != nil {
		m.KnownAnomalies = knownAnomalies(reg, confs, invs, vulns)
	}
	if opts.Previous != nil {
		m.Changes = Diff(opts.Previous, m)
	}

	// Residual anomalies.
	recs, err := change.Load(root, change.Dirs{Requests: "", Problems: "", Anomalies: cfg.Records.Anomalies},
		change.Schemes{Requests: cfg.ChangeControl.IDs, Problems: cfg.ChangeControl.ProblemIDs, Anomalies: cfg.ChangeControl.AnomalyIDs})
	if err != nil {
		return nil, err
	}
	for _, a := range recs.Anomalies {
		if a.AffectsVersion(opts.Version) {
			m.Anomalies = append(m.Anomalies, Anomaly{ID: a.ID, Title: a.Title, Description: a.Description, Evaluation: a.Evaluation, Problem: a.Problem})
		}
	}
	if err := traceRelease(ctx, root, cfg, opts, m); err != nil {
		return nil, err
	}
	return rel, nil
}

// compareIDs orders identifiers by prefix, then number, then text.
func compareIDs(a, b string) int {
	pa, na := splitID(a)
	pb, nb := splitID(b)
	if pa != pb {
		return strings.Compare(pa, pb)
	}
	if len(na) != len(nb) {
		return len(na) - len(nb)
	}
	return strings.Compare(na, nb)
}

func splitID(id string) (string, string) {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	return id[:i], strings.TrimLeft(id[i:], "0")
}

// releaseType derives the release type from the version and the previous
// baseline's: the highest semver part that changed. A version not above
// the previous one is an error.
func releaseType(cfg *product.Config, version string, prev *Manifest) (string, error) {
	if err := cfg.Versioning.Check(version); err != nil {
		return "", fmt.Errorf("release: %w", err)
	}
	if prev == nil {
		return First, nil
	}
	v, p := product.Canonical(version), product.Canonical(prev.Version)
	if p == "" {
		return "", fmt.Errorf("release: the previous baseline's version %q is not a semantic version", prev.Version)
	}
	if semver.Compare(v, p) <= 0 {
		return "", fmt.Errorf("release: version %s is not above the previous baseline's %s", version, prev.Version)
	}
	switch {
	case semver.Major(v) != semver.Major(p):
		return Major, nil
	case semver.MajorMinor(v) != semver.MajorMinor(p):
		return Minor, nil
	}
	return Patch, nil
}

func submission(setting, releaseType string) bool {
	rank := map[string]int{Patch: 1, Minor: 2, Major: 3, First: 4}
	if setting == "none" {
		return releaseType == First
	}
	return rank[releaseType] >= rank[setting]
}

func discoverConfig(ctx context.Context, root string, c product.Configuration, base discover.Options) (*inventory.Inventory, error) {
	o := base
	o.Dir = root
	o.Patterns = c.Patterns
	o.Tags = c.Tags
	o.Env = append(slices.Clip(base.Env), c.Env()...)
	if c.Mode == "modules" {
		return discover.Modules(ctx, o)
	}
	return discover.Packages(ctx, o)
}

// soupFindings reconciles the register with the union of every
// configuration, as "baseline soup check" does (soup.ReconcileOptions.Builds):
// the release is refused on exactly the findings the gate reports, written
// as the gate writes them.
func soupFindings(reg *soup.Register, confs []product.Configuration, invs []*inventory.Inventory, vulns []*anomaly.Result, now time.Time) []string {
	builds := make([]soup.Build, len(invs))
	var known []soup.KnownAdvisory
	seen := map[soup.KnownAdvisory]bool{}
	for i, inv := range invs {
		builds[i] = soup.Build{Name: confs[i].Name, Inventory: inv}
		for _, a := range knownFor(vulns, i) {
			if !seen[a] {
				seen[a] = true
				known = append(known, a)
			}
		}
	}
	rep := soup.Reconcile(reg, nil, soup.ReconcileOptions{Now: now, Builds: builds, Advisories: known})
	var out []string
	for i := range rep.Findings {
		out = append(out, rep.Findings[i].String(reg.File))
	}
	if len(out) > 0 {
		out = append(out, "run baseline soup check, then baseline soup sync, fill in the register and commit it")
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// soupItems lists the register's items with the digests discovery found.
func soupItems(reg *soup.Register, confs []product.Configuration, invs []*inventory.Inventory) []Item {
	var out []Item
	for _, it := range reg.Items {
		mi := Item{ID: it.ID, Class: ClassSOUP, Kind: string(it.Kind), Name: it.Title, Version: it.Version, PURL: it.PURL}
		for i, inv := range invs {
			c := findComponent(inv, it.Module)
			if c == nil {
				continue
			}
			mi.Configurations = append(mi.Configurations, confs[i].Name)
			if mi.PURL == "" {
				mi.PURL = c.PURL
			}
			if mi.H1 == "" {
				mi.H1 = c.Sum
				if mi.H1 == "" {
					mi.H1 = c.DirSum
				}
			}
			for _, h := range c.Hashes {
				switch h.Algorithm {
				case "SHA-256":
					mi.SHA256 = cmpOr(mi.SHA256, h.Value)
				case "SHA-512":
					mi.SHA512 = cmpOr(mi.SHA512, h.Value)
				}
			}
		}
		if it.Module == "" {
			mi.Configurations = nil // declared by hand: not per configuration
		}
		out = append(out, mi)
	}
	slices.SortStableFunc(out, func(a, b Item) int { return compareIDs(a.ID, b.ID) })
	return out
}

func findComponent(inv *inventory.Inventory, module string) *inventory.Component {
	if module == "" {
		return nil
	}
	for i := range inv.Components {
		c := &inv.Components[i]
		if c.Kind == inventory.Main || c.Kind == inventory.FirstParty {
			continue
		}
		if c.ID == module || c.Replace != nil && c.Replace.Version != "" && c.Replace.Path == module {
			return c
		}
	}
	return nil
}

func sbomOptions(cfg *product.Config, opts Options, reg *soup.Register) (sbom.Options, error) {
	so := sbom.Options{Timestamp: opts.Time.UTC().Truncate(time.Second), ToolVersion: opts.ToolVersion,
		ProductVersion: opts.Version, Register: reg, CacheDir: opts.Discover.CacheDirInUse()}
	if err := so.ApplyProduct(cfg.Product); err != nil {
		return so, err
	}
	return so, nil
}

// serialOf returns a CycloneDX serialNumber or an SPDX documentNamespace.
func serialOf(data []byte) string {
	var d struct {
		SerialNumber      string `json:"serialNumber"`
		DocumentNamespace string `json:"documentNamespace"`
	}
	if json.Unmarshal(data, &d) != nil {
		return ""
	}
	return cmpOr(d.SerialNumber, d.DocumentNamespace)
}

func digestBytes(data []byte) items.Digest {
	s256, s512 := sha256.Sum256(data), sha512.Sum512(data)
	return items.Digest{SHA256: hex.EncodeToString(s256[:]), SHA512: hex.EncodeToString(s512[:])}
}
