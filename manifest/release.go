package manifest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/baseline-cm/baseline/internal/atomicfile"
	"github.com/baseline-cm/baseline/product"
)

// WriteRelease writes release rel as the directory dir, atomically: it
// builds the directory beside dir (a hidden ".NAME.tmp-*" directory in
// the same parent), writes manifest.json, RELEASE-NOTES.md (unsigned),
// the SBOMs and the artifacts (copied, and checked against the digests
// the manifest records), syncs them, calls hook with the temporary
// directory, and renames it to dir. An interrupted or failed release
// leaves no dir, and the temporary directory is removed (one left by a
// killed process is removed by the next release of the same directory).
// An existing dir is never replaced: an archived release is immutable.
//
// hook, which may be nil, is where a signer adds its files to the
// release before it appears (release.intoto.jsonl, release.dsse.json)
// and re-renders RELEASE-NOTES.md with RenderNotes and the signatures: a
// hook error aborts the release.
func WriteRelease(ctx context.Context, dir string, rel *Release, hook func(tmpDir string) error) (err error) {
	dir = filepath.Clean(dir)
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("release directory %s already exists: an archived release is never overwritten", dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := atomicfile.CheckDir(parent); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	prefix := "." + base + ".tmp-"
	if stale, _ := filepath.Glob(filepath.Join(parent, globEscape(prefix)+"*")); len(stale) > 0 {
		for _, s := range stale {
			os.RemoveAll(s)
		}
	}
	// Mode 0777 less the umask, as any directory (MkdirTemp's are
	// private).
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(parent, prefix+hex.EncodeToString(rnd[:]))
	if err := os.Mkdir(tmp, 0o777); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	data, err := rel.Manifest.Marshal()
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(tmp, FileName), data); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(tmp, NotesFileName), RenderNotes(rel.Manifest, nil)); err != nil {
		return err
	}
	for _, f := range rel.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !safePath(f.Path) {
			return fmt.Errorf("release: file path %q is not a relative path inside the release", f.Path)
		}
		dst := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
			return fmt.Errorf("release: %w", err)
		}
		if f.Source == "" {
			if err := writeFile(dst, f.Data); err != nil {
				return err
			}
			continue
		}
		want := ""
		if it := rel.Manifest.Item(f.Path); it != nil {
			want = it.SHA256
		}
		if err := copyFile(dst, f.Source, want); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if hook != nil {
		if err := hook(tmp); err != nil {
			return fmt.Errorf("release: %w", err)
		}
	}
	if err := syncDir(tmp); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("release directory %s already exists: an archived release is never overwritten", dir)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	syncDir(parent)
	return nil
}

func globEscape(s string) string {
	return strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`).Replace(s)
}

func safePath(p string) bool {
	return p != "" && !path.IsAbs(p) && path.Clean(p) == p && p != "." && !strings.HasPrefix(p, "../") && p != ".." &&
		!strings.Contains(p, `\`) && p != FileName && p != NotesFileName
}

func writeFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("release: writing %s: %w", name, err)
	}
	return nil
}

// copyFile copies src to dst, checking the copy's SHA-256 against want:
// an artifact that changed after it was hashed is not released.
func copyFile(dst, src, want string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("release: artifact: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("release: copying artifact %s: %w", src, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); want != "" && got != want {
		return fmt.Errorf("release: artifact %s changed while the release was made (SHA-256 %s, hashed as %s)", src, got, want)
	}
	return nil
}

// syncDir syncs every directory under dir, then dir.
func syncDir(dir string) error {
	var dirs []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	slices.Reverse(dirs)
	for _, d := range dirs {
		f, err := os.Open(d)
		if err != nil {
			return err
		}
		f.Sync() // not every file system syncs directories
		f.Close()
	}
	return nil
}

// LoadRelease reads the manifest of the release directory dir and
// returns it with the SHA-256 of its bytes (what the next baseline
// records as previous.sha256).
func LoadRelease(dir string) (*Manifest, string, error) {
	file := filepath.Join(dir, FileName)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, "", fmt.Errorf("reading release: %w", err)
	}
	m, err := Parse(file, data)
	if err != nil {
		return nil, "", err
	}
	return m, Digest(data), nil
}

// Archived is a release found in an archive directory.
type Archived struct {
	// Dir is the release directory; Name its name in the archive.
	Dir, Name string
	Manifest  *Manifest
	SHA256    string
	// Err is why the release could not be read (then Manifest is nil).
	Err error
}

// Archive lists the releases in archive directory dir (subdirectories
// holding a manifest.json), in ascending semantic-version order of their
// manifests' versions (directory name when unreadable). A missing archive
// holds no releases.
func Archive(dir string) ([]Archived, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Archived
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		d := filepath.Join(dir, e.Name())
		if _, err := os.Stat(filepath.Join(d, FileName)); err != nil {
			continue
		}
		a := Archived{Dir: d, Name: e.Name()}
		a.Manifest, a.SHA256, a.Err = LoadRelease(d)
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b Archived) int {
		return semver.Compare(product.Canonical(a.version()), product.Canonical(b.version()))
	})
	return out, nil
}

func (a Archived) version() string {
	if a.Manifest != nil {
		return a.Manifest.Version
	}
	return a.Name
}

// PreviousRelease returns the archived release with the highest version
// below version, or nil when there is none (a first release). An
// unreadable release in the archive is an error, and so is an archived
// release at or above version: the chain of baselines is linear, and a
// release below the newest one would fork it (CheckAppend).
func PreviousRelease(archive, version string) (*Archived, error) {
	rels, err := Archive(archive)
	if err != nil {
		return nil, err
	}
	v := product.Canonical(version)
	var best *Archived
	for i := range rels {
		r := &rels[i]
		if r.Err != nil {
			return nil, r.Err
		}
		switch c := semver.Compare(product.Canonical(r.Manifest.Version), v); {
		case c < 0:
			best = r
		case c == 0:
			return nil, fmt.Errorf("release %s is already archived in %s", version, r.Dir)
		default:
			return nil, fmt.Errorf("release %s is archived in %s, above %s: a release below the newest would fork the chain of baselines", r.Manifest.Version, r.Dir, version)
		}
	}
	return best, nil
}

// CheckAppend reports whether m can be archived in archive without
// breaking its chain (CheckChain): the archive's chain must be whole, and
// m must follow its newest release (Previous naming that release's
// version and manifest digest) with a higher version, or be a first
// release of an empty archive. A release that would fork the chain (a
// maintenance release below the newest, a second first release) belongs
// in another directory.
func CheckAppend(archive string, m *Manifest) error {
	rels, err := Archive(archive)
	if err != nil {
		return err
	}
	if problems := CheckChain(rels); len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.String()
		}
		return fmt.Errorf("archive %s: its chain of baselines is broken, and a release would extend it (baseline history lists the problems):\n\t%s", archive, strings.Join(msgs, "\n\t"))
	}
	if len(rels) == 0 {
		if m.Previous != nil {
			return fmt.Errorf("archive %s holds no release, so %s cannot follow %s (%s) there: archive it first, or write this release elsewhere", archive, m.BaselineID, m.Previous.BaselineID, m.Previous.Version)
		}
		return nil
	}
	newest := rels[len(rels)-1]
	nm := newest.Manifest
	switch {
	case semver.Compare(product.Canonical(m.Version), product.Canonical(nm.Version)) <= 0:
		return fmt.Errorf("archive %s: release %s is archived in %s, at or above %s: a release below the newest would fork the chain of baselines; write it elsewhere", archive, nm.Version, newest.Dir, m.Version)
	case m.Previous == nil:
		return fmt.Errorf("archive %s: %s is a first release, but %s (%s) is archived: it must follow %s, or be written elsewhere", archive, m.BaselineID, nm.BaselineID, nm.Version, nm.BaselineID)
	case m.Previous.Version != nm.Version || m.Previous.SHA256 != newest.SHA256:
		return fmt.Errorf("archive %s: %s follows %s (%s), not the newest archived release %s (%s, %s): the chain of baselines is linear; write it elsewhere", archive, m.BaselineID, m.Previous.BaselineID, m.Previous.Version, nm.BaselineID, nm.Version, newest.Dir)
	}
	return nil
}
