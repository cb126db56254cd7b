package git

import (
	"os/exec"
	"testing"
)

func TestRemoteURL(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	if u, err := RemoteURL(t.Context(), dir); err != nil || u != "" {
		t.Errorf("no remote: %q, %v", u, err)
	}
	run("remote", "add", "origin", "https://jane:s3cret@example.com/acme/pump.git")
	if u, err := RemoteURL(t.Context(), dir); err != nil || u != "https://example.com/acme/pump.git" {
		t.Errorf("remote with credentials: %q, %v", u, err)
	}
	run("remote", "set-url", "origin", "git@example.com:acme/pump.git")
	if u, err := RemoteURL(t.Context(), dir); err != nil || u != "git@example.com:acme/pump.git" {
		t.Errorf("scp-like remote: %q, %v", u, err)
	}
}
