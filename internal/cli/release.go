package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/manifest"
	"github.com/baseline-cm/baseline/product"
)

// ReleaseHook lets another command's file add flags to baseline release
// and work inside its atomic write: when set, it is called with the
// release flag set before parsing, and the function it returns (nil for
// nothing to do) is called after parsing, with the manifest; its result
// runs as manifest.WriteRelease's hook, before the release directory
// appears.
var releaseHook func(fs *flag.FlagSet) func(ctx context.Context, m *manifest.Manifest) (func(tmpDir string) error, error)

func runRelease(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("release", stderr)
	dir := fs.String("C", "", "the product repository `DIR` (where baseline.yaml is)")
	version := fs.String("version", "", "the release `version` (required)")
	previous := fs.String("previous", "", "the previous release `DIR`, or none for a first release (default: the highest archived release below --version)")
	out := fs.String("out", "", "write the release to `DIR` (default: baseline.yaml's archive directory/VERSION)")
	var artifacts stringsFlag
	fs.Var(&artifacts, "artifact", "a delivered `FILE` (a binary) copied into artifacts/ (repeatable)")
	allowDirty := fs.Bool("allow-dirty", false, "release a work tree with uncommitted changes (recorded as dirty)")
	allowFindings := fs.Bool("allow-findings", false, "release despite change-control findings (baseline change check), recording them in the manifest")
	cacheDir := fs.String("cache-dir", "", "digest, licence, vulnerability-scan and SBOM cache `DIR` (\"off\" for none)")
	download := fs.Bool("download", false, "let the go command download missing modules")
	var vulndb vulndbFlag
	vulndb.register(fs)
	var hook func(ctx context.Context, m *manifest.Manifest) (func(tmpDir string) error, error)
	if releaseHook != nil {
		hook = releaseHook(fs)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &usageError{fmt.Sprintf("release takes no arguments (found %q)", pos[0])}
	}
	if *version == "" {
		return &usageError{"release: --version is required"}
	}
	root := *dir
	if root == "" {
		root = "."
	}
	// A release records the product: its configuration must be there,
	// not defaults that name nothing.
	if _, err := os.Stat(filepath.Join(root, product.DefaultFile)); errors.Is(err, os.ErrNotExist) {
		return &usageError{fmt.Sprintf("release: no %s in %s: a release records the product it configures (baseline init writes one)", product.DefaultFile, root)}
	}
	cfg, err := loadProduct(root)
	if err != nil {
		return err
	}
	if err := cfg.Versioning.Check(*version); err != nil {
		return &usageError{fmt.Sprintf("--version: %v", err)}
	}
	now, err := discover.Timestamp()
	if err != nil {
		return &usageError{err.Error()}
	}
	opts := manifest.Options{Dir: root, Config: cfg, Version: *version, Time: now, AllowDirty: *allowDirty, AllowFindings: *allowFindings,
		Artifacts: artifacts, ToolVersion: Version(),
		Discover: discover.Options{CacheDir: *cacheDir, NoCache: *cacheDir == "off", Download: *download}}
	if opts.VulnDB, err = vulndb.dbURL(); err != nil {
		return err
	}
	if opts.Discover.NoCache {
		opts.Discover.CacheDir = ""
	}
	switch *previous {
	case "none":
	case "":
		prev, err := manifest.PreviousRelease(cfg.Path(cfg.Archive), *version)
		if err != nil {
			return err
		}
		if prev != nil {
			opts.Previous, opts.PreviousSHA256 = prev.Manifest, prev.SHA256
		}
	default:
		if opts.Previous, opts.PreviousSHA256, err = manifest.LoadRelease(*previous); err != nil {
			return err
		}
	}
	rel, err := manifest.Prepare(ctx, opts)
	var refused *manifest.Refused
	if errors.As(err, &refused) {
		return &findingError{err.Error()}
	}
	if err != nil {
		return err
	}
	dst := *out
	if dst == "" {
		dst = filepath.Join(cfg.Path(cfg.Archive), *version)
	}
	// (An existing dst is refused by WriteRelease, which says so.)
	if _, err := os.Lstat(dst); err != nil && inArchive(dst, cfg.Path(cfg.Archive)) {
		if err := manifest.CheckAppend(cfg.Path(cfg.Archive), rel.Manifest); err != nil {
			return err
		}
	}
	var write func(string) error
	if hook != nil {
		if write, err = hook(ctx, rel.Manifest); err != nil {
			return err
		}
	}
	if err := manifest.WriteRelease(ctx, dst, rel, write); err != nil {
		return err
	}
	m := rel.Manifest
	fmt.Fprintf(stdout, "%s: %s %s (%s release), %d configuration items\n", dst, m.BaselineID, m.Version, m.ReleaseType, len(m.Items))
	return nil
}

// inArchive reports whether the release directory dst is a release of
// the archive directory archive.
func inArchive(dst, archive string) bool {
	d, err1 := filepath.Abs(filepath.Dir(dst))
	a, err2 := filepath.Abs(archive)
	if err1 != nil || err2 != nil {
		return false
	}
	if e, err := filepath.EvalSymlinks(d); err == nil {
		d = e
	}
	if e, err := filepath.EvalSymlinks(a); err == nil {
		a = e
	}
	return d == a
}
