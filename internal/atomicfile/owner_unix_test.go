//go:build unix

package atomicfile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/baseline-cm/baseline/internal/atomicfile"
)

func TestNewFileHonoursUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	f := filepath.Join(t.TempDir(), "new.json")
	if err := atomicfile.WriteFile(f, []byte("x"), 0o666); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o640 {
		t.Errorf("mode %v, want 0666 less umask 027: -rw-r-----", got)
	}
}

func TestOwnerKept(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root may give a file to another user")
	}
	f := filepath.Join(t.TempDir(), "soup.yaml")
	if err := os.WriteFile(f, []byte("a"), 0o664); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(f, 4321, 8765); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f, 0o664); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(f, []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 4321 || st.Gid != 8765 {
		t.Errorf("owner %d:%d, want 4321:8765", st.Uid, st.Gid)
	}
	if fi.Mode().Perm() != 0o664 {
		t.Errorf("mode %v, want -rw-rw-r--", fi.Mode().Perm())
	}
}
