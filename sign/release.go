package sign

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/internal/atomicfile"
	"github.com/baseline-cm/baseline/manifest"
	"github.com/rogpeppe/go-internal/lockedfile"
)

// The files of a release directory that signing reads and writes.
const (
	// ManifestFile is the release's manifest, the record signed.
	ManifestFile = manifest.FileName
	// NotesFile is the human-readable form of the release, re-rendered
	// with the signature block after every signature.
	NotesFile = manifest.NotesFileName
	// EnvelopesFile holds every envelope of the release, one a line, the
	// release envelope first.
	EnvelopesFile = "release.intoto.jsonl"
	// ReleaseEnvelopeFile holds the release envelope alone, for verifiers
	// that read one envelope (cosign --signature).
	ReleaseEnvelopeFile = "release.dsse.json"
)

// ReleaseFile is a file a manifest lists (an SBOM or an artifact): its
// slash-separated path in the release directory and the SHA-256 the
// manifest records for it.
type ReleaseFile struct {
	Path   string
	SHA256 string
}

// manifestFiles returns the SBOM and artifact files a manifest lists.
func manifestFiles(data []byte) ([]ReleaseFile, error) {
	m, err := manifest.Parse(ManifestFile, data)
	if err != nil {
		return nil, err
	}
	var files []ReleaseFile
	for _, it := range m.Items {
		if it.Class == manifest.ClassSBOM || it.Class == manifest.ClassArtifact {
			files = append(files, ReleaseFile{Path: it.Path, SHA256: it.SHA256})
		}
	}
	return files, nil
}

// ManifestSignatures returns the signature manifestations of approvals, as
// manifest.RenderNotes shows them.
func ManifestSignatures(approvals []Approval) []manifest.Signature {
	var sigs []manifest.Signature
	for _, a := range approvals {
		sigs = append(sigs, manifest.Signature{Name: a.Name, UserID: a.UserID, Meaning: a.Meaning, Time: a.Time, KeyFingerprint: a.KeyFingerprint})
	}
	return sigs
}

// renderNotes renders the release notes of a manifest with the signature
// block of approvals.
func renderNotes(manifestJSON []byte, approvals []Approval) ([]byte, error) {
	m, err := manifest.Parse(ManifestFile, manifestJSON)
	if err != nil {
		return nil, err
	}
	return manifest.RenderNotes(m, ManifestSignatures(approvals)), nil
}

// checkPath checks that p, a path a manifest lists, is a clean relative
// slash path inside the release directory, not one of the files signing
// owns.
func checkPath(p string) error {
	if p == "" || path.IsAbs(p) || path.Clean(p) != p || p == "." || p == ".." || len(p) >= 3 && p[:3] == "../" || filepath.FromSlash(p) != filepath.Clean(filepath.FromSlash(p)) {
		return fmt.Errorf("path %q is not a clean relative path inside the release", p)
	}
	switch p {
	case ManifestFile, NotesFile, EnvelopesFile, ReleaseEnvelopeFile:
		return fmt.Errorf("path %q: a manifest cannot list the release's own %s", p, p)
	}
	return nil
}

// fileSHA256 returns the hex SHA-256 of the regular file name in root.
func fileSHA256(root *os.Root, name string) (string, error) {
	fi, err := root.Lstat(filepath.FromSlash(name))
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s: not a regular file (%s)", name, fileType(fi.Mode()))
	}
	f, err := root.Open(filepath.FromSlash(name))
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReleaseStatementOf returns the release statement of the release
// directory dir: the subjects are manifest.json and every file the manifest
// lists, digested from the files on disk; a listed file whose digest is
// not the manifest's is an error.
func ReleaseStatementOf(ctx context.Context, dir string) (*Statement, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	data, err := root.ReadFile(ManifestFile)
	if err != nil {
		return nil, err
	}
	files, err := manifestFiles(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	var subj []Subject
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := checkPath(f.Path); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
		}
		sum, err := fileSHA256(root, f.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		if sum != f.SHA256 {
			return nil, fmt.Errorf("%s: sha256 %s, but the manifest records %s", filepath.Join(dir, filepath.FromSlash(f.Path)), sum, f.SHA256)
		}
		subj = append(subj, Subject{Name: f.Path, Digest: map[string]string{"sha256": sum}})
	}
	return NewReleaseStatement(data, subj)
}

// WriteRelease signs the release in dir: it writes the release envelope
// (signed with key, or with no signature when key is nil) into
// release.dsse.json and as the first line of release.intoto.jsonl, and
// when author is not nil (it needs a key) adds author's approval. It
// refuses a directory that already has envelopes. It is meant to run
// inside the atomic write of a release, on the directory being built.
func WriteRelease(ctx context.Context, dir string, key *PrivateKey, author *Approval) error {
	if author != nil && key == nil {
		return errors.New("an author's approval needs a key")
	}
	for _, f := range []string{EnvelopesFile, ReleaseEnvelopeFile} {
		if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			return fmt.Errorf("%s: the release already has envelopes", filepath.Join(dir, f))
		}
	}
	st, err := ReleaseStatementOf(ctx, dir)
	if err != nil {
		return err
	}
	env, err := SignStatement(ctx, st, key)
	if err != nil {
		return err
	}
	line, err := MarshalEnvelope(env)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	if err := writeAtomic(filepath.Join(dir, ReleaseEnvelopeFile), line); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(dir, EnvelopesFile), line); err != nil {
		return err
	}
	if author != nil {
		a := *author
		a.Meaning = Authored
		if _, err := Sign(ctx, dir, key, a); err != nil {
			return err
		}
		return nil
	}
	return writeNotes(dir, []*Envelope{env})
}

// lockEnvelopes opens and locks dir's release.intoto.jsonl for writing.
// The file is replaced by rename on every signature, so after the lock is
// granted it checks that the locked file is still the one at the path,
// else it tries again. A holder must make that rename its last write:
// the next signer may start as soon as the new file is in place.
func lockEnvelopes(ctx context.Context, file string) (*lockedfile.File, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := openLocked(ctx, file)
		if err != nil {
			return nil, err
		}
		locked, err1 := f.Stat()
		now, err2 := os.Stat(file)
		if err1 == nil && err2 == nil && os.SameFile(locked, now) {
			return f, nil
		}
		f.Close()
		if err2 != nil {
			return nil, err2
		}
	}
}

// openLocked opens file for writing and waits for its exclusive lock, or
// for ctx to be done (Ctrl-C while another signer holds the lock).
func openLocked(ctx context.Context, file string) (*lockedfile.File, error) {
	type result struct {
		f   *lockedfile.File
		err error
	}
	ch := make(chan result, 1)
	go func() {
		f, err := lockedfile.OpenFile(file, os.O_RDWR, 0)
		ch <- result{f, err}
	}()
	select {
	case r := <-ch:
		return r.f, r.err
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.f != nil {
				r.f.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// Sign adds a's approval, signed with key, to the release in dir: the
// approval statement's subject is the release statement (the SHA-256 of
// the release envelope's payload), its predicate a with the key's
// fingerprint and, when a.Time is zero, the current time. The envelope is
// appended to release.intoto.jsonl atomically under a lock, so concurrent
// signers lose no signature, and RELEASE-NOTES.md is re-rendered with the
// signature block. Before signing, Sign checks that the release files
// still have the digests of the release statement, so nobody approves a
// changed release. It refuses a second approval with the same key and
// meaning.
func Sign(ctx context.Context, dir string, key *PrivateKey, a Approval) (*Envelope, error) {
	if key == nil {
		return nil, errors.New("signing needs a key")
	}
	if a.Time.IsZero() {
		a.Time = time.Now()
	}
	a.KeyFingerprint = key.Public().Fingerprint()
	file := filepath.Join(dir, EnvelopesFile)
	// Both files are replaced: refuse before writing either when one is
	// not the release's own regular file (a symbolic link would have
	// its target, anywhere, written; verify refuses such a release), or
	// when the user made one read-only, so that the notes never miss a
	// signature.
	for _, name := range []string{file, filepath.Join(dir, NotesFile)} {
		fi, err := os.Lstat(name)
		if err != nil {
			continue // a missing file: reported below
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file (%s): a release's files must be its own, and baseline verify refuses it", name, fileType(fi.Mode()))
		}
		if fi.Mode().Perm()&0o222 == 0 {
			return nil, &fs.PathError{Op: "sign", Path: name, Err: atomicfile.ErrReadOnly}
		}
	}
	f, err := lockEnvelopes(ctx, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no %s: not a release written by baseline release (or sign.WriteRelease)", dir, EnvelopesFile)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Under the lock no other signer writes: what an interrupted one left
	// is stale.
	for _, name := range []string{file, filepath.Join(dir, NotesFile)} {
		if _, err := atomicfile.RemoveStale(name); err != nil {
			return nil, err
		}
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	envs, err := ParseEnvelopes(file, data)
	if err != nil {
		return nil, err
	}
	relPayload, err := checkReleaseEnvelope(ctx, dir, envs[0])
	if err != nil {
		return nil, err
	}
	for i, e := range envs[1:] {
		prev, err := approvalOf(e, relPayload)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, i+2, err)
		}
		if prev.KeyFingerprint == a.KeyFingerprint && prev.Meaning == a.Meaning {
			return nil, fmt.Errorf("%s: already signed as %s with key %s (line %d)", dir, a.Meaning, a.KeyFingerprint, i+2)
		}
	}
	st, err := NewApprovalStatement(relPayload, a)
	if err != nil {
		return nil, err
	}
	env, err := SignStatement(ctx, st, key)
	if err != nil {
		return nil, err
	}
	line, err := MarshalEnvelope(env)
	if err != nil {
		return nil, err
	}
	out := append(bytes.Clone(data), append(line, '\n')...)
	notesFile := filepath.Join(dir, NotesFile)
	notes, err := expectedNotes(dir, append(envs, env))
	if err != nil {
		return nil, err
	}
	oldNotes, oldErr := os.ReadFile(notesFile)
	// The notes first, the envelopes last: the lock is on the envelope
	// file being replaced, so a waiting signer may proceed as soon as the
	// new one is in place, and nothing may be written after it.
	if err := writeAtomic(notesFile, notes); err != nil {
		return nil, err
	}
	if err := writeAtomic(file, out); err != nil {
		if oldErr == nil {
			writeAtomic(notesFile, oldNotes)
		}
		return nil, err
	}
	return env, nil
}

// checkReleaseEnvelope checks that e is a release envelope whose
// statement matches the files of dir and that release.dsse.json holds the
// same envelope, and returns its payload.
func checkReleaseEnvelope(ctx context.Context, dir string, e *Envelope) ([]byte, error) {
	payload, st, err := statementOf(e, ReleasePredicateType)
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", filepath.Join(dir, EnvelopesFile), err)
	}
	alone, err := os.ReadFile(filepath.Join(dir, ReleaseEnvelopeFile))
	if err != nil {
		return nil, err
	}
	first, _ := MarshalEnvelope(e)
	if !bytes.Equal(bytes.TrimSpace(alone), first) {
		return nil, fmt.Errorf("%s: not the release envelope of %s", filepath.Join(dir, ReleaseEnvelopeFile), EnvelopesFile)
	}
	now, err := ReleaseStatementOf(ctx, dir)
	if err != nil {
		return nil, err
	}
	if !sameSubjects(st.Subject, now.Subject) || !bytes.Equal(st.Predicate, now.Predicate) {
		return nil, fmt.Errorf("%s: the release files differ from the release statement", dir)
	}
	// A file the release does not list would make verify refuse it: it
	// is not approved either.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	listed := map[string]bool{}
	for _, sub := range st.Subject {
		listed[sub.Name] = true
	}
	problems, err := strayFiles(ctx, root, listed)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s: %s", dir, strings.Join(problems, "; "))
	}
	return payload, nil
}

// statementOf decodes e's statement and checks its payload and predicate
// types.
func statementOf(e *Envelope, predicateType string) ([]byte, *Statement, error) {
	if e.PayloadType != PayloadType {
		return nil, nil, fmt.Errorf("payload type %q, want %q", e.PayloadType, PayloadType)
	}
	payload, err := Payload(e)
	if err != nil {
		return nil, nil, err
	}
	st, err := ParseStatement(payload)
	if err != nil {
		return nil, nil, err
	}
	if st.PredicateType != predicateType {
		return nil, nil, fmt.Errorf("predicate type %q, want %q", st.PredicateType, predicateType)
	}
	return payload, st, nil
}

// approvalOf decodes e's approval statement, which must have the release
// statement of payload relPayload as its one subject.
func approvalOf(e *Envelope, relPayload []byte) (*Approval, error) {
	_, st, err := statementOf(e, ApprovalPredicateType)
	if err != nil {
		return nil, err
	}
	want := digestSubject(ReleaseSubjectName, relPayload)
	if len(st.Subject) != 1 || st.Subject[0].Name != want.Name || st.Subject[0].SHA256() != want.SHA256() {
		return nil, errors.New("approval of another release (its subject is not this release statement)")
	}
	return ParseApproval(st.Predicate)
}

func sameSubjects(a, b []Subject) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].SHA256() != b[i].SHA256() || len(a[i].Digest) != len(b[i].Digest) {
			return false
		}
	}
	return true
}

// Approvals returns the approvals of envs (release envelope first) in
// order, without verifying signatures.
func Approvals(envs []*Envelope) ([]Approval, error) {
	if len(envs) == 0 {
		return nil, errors.New("no release envelope")
	}
	payload, _, err := statementOf(envs[0], ReleasePredicateType)
	if err != nil {
		return nil, err
	}
	var as []Approval
	for _, e := range envs[1:] {
		a, err := approvalOf(e, payload)
		if err != nil {
			return nil, err
		}
		as = append(as, *a)
	}
	return as, nil
}

// writeNotes re-renders dir's release notes with the approvals of envs.
func writeNotes(dir string, envs []*Envelope) error {
	notes, err := expectedNotes(dir, envs)
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, NotesFile), notes)
}

func expectedNotes(dir string, envs []*Envelope) ([]byte, error) {
	as, err := Approvals(envs)
	if err != nil {
		return nil, err
	}
	m, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	return renderNotes(m, as)
}

// writeAtomic replaces name with data atomically.
func writeAtomic(name string, data []byte) error {
	return atomicfile.WriteFile(name, data, 0o644)
}

// fileType names the type of a file that is not a regular one.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	}
	return "mode " + m.Type().String()
}
