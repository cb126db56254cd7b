package items

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
)

var errNoGit = errors.New("not in a git work tree")

// gitFiles lists the files git tracks below root, read-only.
// TODO(manifest): move onto internal/git once it lands on main.
func gitFiles(ctx context.Context, root string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "git", "-C", root, "--no-optional-locks", "ls-files", "-z", "--cached", "--", ".")
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) && strings.Contains(stderr.String(), "not a git repository") || errors.Is(err, exec.ErrNotFound) {
			return nil, errNoGit
		}
		return nil, err
	}
	var files []string
	for _, f := range strings.Split(string(out), "\x00") {
		if f == "" {
			continue
		}
		if fi, err := os.Lstat(root + "/" + f); err == nil && fi.Mode().IsRegular() {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	return files, nil
}
