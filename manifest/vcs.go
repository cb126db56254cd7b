package manifest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/baseline-cm/baseline/internal/git"
)

// readVCS reads the commit, the tags naming it and whether the work tree
// is dirty; git is only read.
//
// The release archive (archive, relative to root) does not make the tree
// dirty: archived releases are records, not configuration items, and an
// archive not yet committed must not block the next release.
func readVCS(ctx context.Context, root, version, archive string) (VCS, error) {
	commit, err := git.Commit(ctx, root, "HEAD")
	if err != nil {
		if errors.Is(err, git.ErrNotRepository) {
			return VCS{}, fmt.Errorf("release: %s is not in a git work tree: a baseline records the commit it is taken at", root)
		}
		return VCS{}, fmt.Errorf("release: reading the commit: %w", err)
	}
	status, err := git.Output(ctx, root, "status", "--porcelain", "--", ":/", ":(exclude)"+archive)
	dirty := len(bytes.TrimSpace(status)) > 0
	if err != nil {
		return VCS{}, fmt.Errorf("release: reading the work tree's state: %w", err)
	}
	v := VCS{System: "git", Commit: commit, Dirty: dirty}
	if v.Repository, err = git.RemoteURL(ctx, root); err != nil {
		return VCS{}, fmt.Errorf("release: reading the remote: %w", err)
	}
	out, err := git.Output(ctx, root, "for-each-ref", "--points-at=HEAD", "--format=%(refname:strip=2)", "refs/tags")
	if err != nil {
		return VCS{}, fmt.Errorf("release: reading tags: %w", err)
	}
	tags := strings.Fields(string(out))
	slices.Sort(tags)
	for _, t := range tags {
		if t == version || t == "v"+version || strings.HasSuffix(t, "/"+version) || strings.HasSuffix(t, "/v"+version) {
			v.Tag = t
		}
	}
	if v.Tag == "" && len(tags) > 0 {
		v.Tag = tags[0]
	}
	return v, nil
}
