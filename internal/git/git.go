// Package git reads a git repository for the records: the commit a
// baseline is taken at, whether the work tree is modified, the tags that
// version a module, and the history between two revisions (IEC 62304
// 8.1.3 identification of the source, 8.3 configuration status
// accounting).
//
// It only reads. Every command runs with GIT_OPTIONAL_LOCKS=0 and
// --no-optional-locks, so that not even git's opportunistic refresh of
// .git/index happens, and only read-only subcommands are accepted (Output
// refuses others). "git describe --dirty" is never run: it rewrites
// .git/index even with --no-optional-locks (git 2.39); Dirty asks
// "git status --porcelain", which does not.
package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// readOnly are the subcommands Output runs: none of them writes to the
// repository or the work tree with the options this package adds.
var readOnly = map[string]bool{
	"cat-file": true, "describe": true, "diff": true, "for-each-ref": true,
	"log": true, "ls-files": true, "ls-remote": true, "ls-tree": true, "merge-base": true,
	"rev-list": true, "rev-parse": true, "show": true, "status": true,
	"var": true,
}

// writing are options of read-only subcommands that write.
var writing = []string{"--dirty", "--broken", "--output", "--write", "-w"}

// ErrNotRepository is returned (wrapped) when the directory is not in a
// git work tree, or git is not installed.
var ErrNotRepository = errors.New("not in a git work tree")

// Output runs "git -C dir --no-optional-locks args..." and returns its
// standard output. It refuses subcommands that are not read-only and the
// options of read-only ones that write. Cancelled, git is interrupted,
// then killed if it does not stop.
func Output(ctx context.Context, dir string, args ...string) ([]byte, error) {
	if len(args) == 0 || !readOnly[args[0]] {
		return nil, fmt.Errorf("git: refusing to run %q: not a read-only command", strings.Join(args, " "))
	}
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		for _, w := range writing {
			if a == w || strings.HasPrefix(a, w+"=") {
				return nil, fmt.Errorf("git: refusing to run %q: %s writes", strings.Join(args, " "), w)
			}
		}
	}
	if dir == "" {
		dir = "."
	}
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir, "--no-optional-locks"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	cmd.Cancel = func() error {
		if runtime.GOOS == "windows" {
			return cmd.Process.Kill()
		}
		return cmd.Process.Signal(os.Interrupt)
	}
	cmd.WaitDelay = 3 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("git %s: %w", args[0], context.Cause(ctx))
		}
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return nil, fmt.Errorf("git %s: %w (%v)", args[0], ErrNotRepository, err)
		}
		if strings.Contains(msg, "not a git repository") {
			return nil, fmt.Errorf("%s: %w", dir, ErrNotRepository)
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.Bytes(), nil
}

func line(ctx context.Context, dir string, args ...string) (string, error) {
	out, err := Output(ctx, dir, args...)
	return strings.TrimSpace(string(out)), err
}

// Root returns the top directory of the work tree that holds dir.
func Root(ctx context.Context, dir string) (string, error) {
	return line(ctx, dir, "rev-parse", "--show-toplevel")
}

// Commit returns the full hash of the commit rev names ("HEAD", a tag).
func Commit(ctx context.Context, dir, rev string) (string, error) {
	return line(ctx, dir, "rev-parse", "--verify", "--end-of-options", rev+"^{commit}")
}

// Dirty reports whether the work tree that holds dir has changes to
// tracked files or untracked files that are not ignored
// ("git status --porcelain" prints anything).
func Dirty(ctx context.Context, dir string) (bool, error) {
	out, err := Output(ctx, dir, "status", "--porcelain")
	return len(bytes.TrimSpace(out)) > 0, err
}

// TagPrefix returns the prefix of the tags that version the module at
// modulePath whose go.mod is in directory modDir, as the go command reads
// them: "" for a module at the repository root, "a/" for one in directory
// a, and "a/" too for a major-version subdirectory a/v2 of module
// example.com/r/a/v2.
func TagPrefix(ctx context.Context, modDir, modulePath string) (string, error) {
	root, err := Root(ctx, modDir)
	if err != nil {
		return "", err
	}
	rel, err := relDir(root, modDir)
	if err != nil {
		return "", err
	}
	return tagPrefix(rel, modulePath), nil
}

func relDir(root, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not inside the work tree %s", dir, root)
	}
	return filepath.ToSlash(rel), nil
}

// tagPrefix is TagPrefix for rel, the slash-separated directory of the
// module relative to the repository root.
func tagPrefix(rel, modulePath string) string {
	if rel == "." || rel == "" {
		return ""
	}
	// A major-version subdirectory (a/v2 for module .../a/v2) shares the
	// tags of its parent directory.
	if _, major, ok := module.SplitPathVersion(modulePath); ok && major != "" && strings.HasPrefix(major, "/") {
		if path.Base(rel) == major[1:] {
			rel = path.Dir(rel)
			if rel == "." {
				return ""
			}
		}
	}
	return rel + "/"
}

// Describe returns "git describe --tags --always" of HEAD restricted to
// the tags with prefix (see TagPrefix) followed by a semantic version,
// with the prefix removed: "v1.2.3", "v1.2.3-4-gabcdef0", or the
// abbreviated commit when no such tag is reachable. It never looks at
// the work tree; see Dirty.
func Describe(ctx context.Context, dir, prefix string) (string, error) {
	out, err := line(ctx, dir, "describe", "--tags", "--always", "--abbrev=12", "--match", prefix+"v[0-9]*", "HEAD")
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(out, prefix), nil
}

// Tags returns the semantic-version tags with prefix (prefix removed),
// highest version first; tags whose rest is not a semantic version are
// left out, as the go command leaves them out.
func Tags(ctx context.Context, dir, prefix string) ([]string, error) {
	out, err := Output(ctx, dir, "for-each-ref", "--format=%(refname:strip=2)", "refs/tags/"+prefix)
	if err != nil {
		return nil, err
	}
	var tags []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), prefix)
		if ok && semver.IsValid(v) && !strings.Contains(v, "/") {
			tags = append(tags, v)
		}
	}
	semver.Sort(tags)
	for i, j := 0, len(tags)-1; i < j; i, j = i+1, j-1 {
		tags[i], tags[j] = tags[j], tags[i]
	}
	return tags, nil
}

// A LogEntry is one commit of Log.
type LogEntry struct {
	Commit     string
	Author     string // "Name <email>"
	AuthorTime time.Time
	Committer  string
	CommitTime time.Time
	Subject    string
	// Body is the message after the subject line, trailers included.
	Body string
}

// Log returns the commits of revRange ("v1.0.0..HEAD", or a single
// revision for its whole history), newest first, limited to paths when
// any are given.
func Log(ctx context.Context, dir, revRange string, paths ...string) ([]LogEntry, error) {
	const sep = "\x1e" // between commits; fields are separated by NUL
	args := []string{"log", "--no-color", "--format=" + "%H%x00%an <%ae>%x00%aI%x00%cn <%ce>%x00%cI%x00%s%x00%b" + sep, "--end-of-options", revRange, "--"}
	out, err := Output(ctx, dir, append(args, paths...)...)
	if err != nil {
		return nil, err
	}
	var log []LogEntry
	for rec := range strings.SplitSeq(string(out), sep) {
		rec = strings.TrimLeft(rec, "\n")
		if rec == "" {
			continue
		}
		f := strings.SplitN(rec, "\x00", 7)
		if len(f) != 7 {
			return nil, fmt.Errorf("git log: malformed record %q", rec)
		}
		at, _ := time.Parse(time.RFC3339, f[2])
		ct, _ := time.Parse(time.RFC3339, f[4])
		log = append(log, LogEntry{Commit: f[0], Author: f[1], AuthorTime: at.UTC(), Committer: f[3], CommitTime: ct.UTC(), Subject: f[5], Body: strings.TrimSpace(f[6])})
	}
	return log, nil
}
