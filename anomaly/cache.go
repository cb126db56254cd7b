package anomaly

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/baseline-cm/baseline/internal/buildkey"
	"github.com/baseline-cm/baseline/internal/gocmd"
	"github.com/baseline-cm/baseline/internal/store"
)

// cache returns the store of scan results, discovery's (store.Open).
func (o Options) cache() store.Store { return store.Open(o.CacheDir, o.NoCache) }

// resultKey returns the digest of every input that decides what
// govulncheck reports for opts in the go environment goenv, or "" when it
// cannot be told: a database reached over the network can change between
// two runs unseen, and an input that cannot be read leaves the scan to
// report it.
func resultKey(ctx context.Context, opts Options, goenv gocmd.Env, patterns []string, cache store.Store) string {
	u, err := url.Parse(opts.DB)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	db, err := digestDir(ctx, filepath.FromSlash(u.Path))
	if err != nil {
		return ""
	}
	// goenv.Build holds GOFLAGS as the go env file and Env set it; the
	// scan runs with those rewritten for opts.Tags (scanEnv).
	purpose := append([]string{"baseline vulnscan v1", scanner(), opts.DB, db,
		gocmd.BuildGOFLAGS(goenv.GOFLAGS, opts.Tags)}, patterns...)
	key, err := buildkey.Key(ctx, goenv, opts.Dir, purpose, cache)
	if err != nil {
		return ""
	}
	return key
}

// digestDir returns the SHA-256 of the names and contents of every file
// under dir: a database's index and entries alike, whatever their
// modification times say.
func digestDir(ctx context.Context, dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fh := sha256.New()
		n, err := io.Copy(fh, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%x\x00", filepath.ToSlash(rel), n, fh.Sum(nil))
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
