package git

import (
	"context"
	"fmt"
	"strings"
)

// CommitFiles is a commit of LogFiles and the paths it touched.
type CommitFiles struct {
	LogEntry
	// Parents are the commit's parents' hashes.
	Parents []string
	// Files are the slash-separated paths, relative to the repository
	// root, that the commit added, modified or deleted (a rename is the
	// deletion of the old path and the addition of the new one). A merge
	// commit lists none: its changes are those of the commits it merges.
	Files []string
}

// LogFiles returns the commits of revRange (as Log) with the paths each
// touched, newest first.
func LogFiles(ctx context.Context, dir, revRange string) ([]CommitFiles, error) {
	log, err := Log(ctx, dir, revRange)
	if err != nil {
		return nil, err
	}
	out, err := Output(ctx, dir, "log", "--no-color", "--format=%x1e%H%x00%P", "--name-only", "--no-renames", "-z", "--end-of-options", revRange, "--")
	if err != nil {
		return nil, err
	}
	type info struct{ parents, files []string }
	byCommit := map[string]info{}
	for rec := range strings.SplitSeq(string(out), "\x1e") {
		if rec == "" {
			continue
		}
		f := strings.Split(rec, "\x00")
		if len(f) < 2 {
			return nil, fmt.Errorf("git log: malformed record %q", rec)
		}
		in := info{parents: strings.Fields(f[1])}
		for _, p := range f[2:] {
			p = strings.TrimPrefix(p, "\n")
			if p != "" {
				in.files = append(in.files, p)
			}
		}
		byCommit[f[0]] = in
	}
	cs := make([]CommitFiles, len(log))
	for i, e := range log {
		in := byCommit[e.Commit]
		cs[i] = CommitFiles{LogEntry: e, Parents: in.parents, Files: in.files}
	}
	return cs, nil
}

// Show returns the content of file (slash-separated, relative to the
// repository root) at revision rev, and false when rev has no such file.
func Show(ctx context.Context, dir, rev, file string) ([]byte, bool, error) {
	ls, err := Output(ctx, dir, "ls-tree", "--name-only", "-z", "--end-of-options", rev, "--", file)
	if err != nil {
		return nil, false, err
	}
	if strings.TrimSuffix(string(ls), "\x00") != file {
		return nil, false, nil
	}
	data, err := Output(ctx, dir, "cat-file", "blob", rev+":"+file)
	if err != nil {
		return nil, false, err
	}
	return data, true, nil
}

// Identity returns git's author identity in dir, "Name <email>" (git
// var GIT_AUTHOR_IDENT without the time), or "" when git has none.
func Identity(ctx context.Context, dir string) string {
	out, err := Output(ctx, dir, "var", "GIT_AUTHOR_IDENT")
	if err != nil {
		return ""
	}
	s := strings.TrimSpace(string(out))
	if i := strings.LastIndexByte(s, '>'); i >= 0 {
		return s[:i+1]
	}
	return ""
}

// Prefix returns the slash-separated path of dir inside its work tree,
// with a trailing slash: "" at the root, "sub/" below it. Paths git
// prints are relative to the root; cutting Prefix makes them relative to
// dir.
func Prefix(ctx context.Context, dir string) (string, error) {
	root, err := Root(ctx, dir)
	if err != nil {
		return "", err
	}
	rel, err := relDir(root, dir)
	if err != nil || rel == "." {
		return "", err
	}
	return rel + "/", nil
}
