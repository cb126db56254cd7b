package git

import (
	"context"
	"net/url"
)

// RemoteURL returns the URL of the remote "origin" as the repository's
// configuration spells it (git ls-remote --get-url, which reads the
// configuration and contacts no server), without user name or password;
// "" when there is no such remote.
func RemoteURL(ctx context.Context, dir string) (string, error) {
	out, err := line(ctx, dir, "ls-remote", "--get-url", "origin")
	if err != nil {
		return "", err
	}
	if out == "origin" || out == "" {
		return "", nil // git echoes the name of a remote it does not know
	}
	if u, err := url.Parse(out); err == nil && u.User != nil && u.Host != "" {
		u.User = nil
		return u.String(), nil
	}
	// scp-like syntax (git@host:path) keeps its user: it holds no secret.
	return out, nil
}
