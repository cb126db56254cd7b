package items

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baseline-cm/baseline/internal/git"
)

var errNoGit = git.ErrNotRepository

// gitFiles lists the files below root that git tracks or would track
// (untracked files that are not ignored, so that a new file is an item
// before its first commit), as slash paths relative to root; git is only
// read. errNoGit outside a git work tree.
func gitFiles(ctx context.Context, root string) ([]string, error) {
	out, err := git.Output(ctx, root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
	if err != nil {
		if errors.Is(err, git.ErrNotRepository) {
			return nil, errNoGit
		}
		return nil, err
	}
	var files []string
	for _, f := range strings.Split(string(out), "\x00") {
		if f == "" {
			continue
		}
		// A file deleted in the work tree but still in the index is not
		// here any more; a symbolic link is not a file item.
		if fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(f))); err == nil && fi.Mode().IsRegular() {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	return files, nil
}
