package sign

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	manifestpkg "github.com/baseline-cm/baseline/manifest"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// Result is the outcome of Verify.
type Result struct {
	// Problems lists every reason the release does not verify, one line
	// each; empty when it verifies.
	Problems []string
	// ReleaseSigned reports whether the release envelope carries a
	// signature (verified or not).
	ReleaseSigned bool
	// ReleaseKeys are the trusted keys that verified the release
	// envelope's signatures.
	ReleaseKeys []TrustedKey
	// Approvals are the approvals that verified, in file order.
	Approvals []VerifiedApproval
}

// OK reports whether the release verified.
func (r *Result) OK() bool { return len(r.Problems) == 0 }

// VerifiedApproval is an approval whose signature verified with a trusted
// key.
type VerifiedApproval struct {
	Approval
	// Line is the approval's line in release.intoto.jsonl.
	Line int
	// Key is the trusted key that verified it.
	Key TrustedKey
}

func (r *Result) addf(format string, args ...any) {
	r.Problems = append(r.Problems, oneLine(fmt.Sprintf(format, args...)))
}

func oneLine(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// Verify verifies the release in dir against policy: every envelope must
// verify with a trusted key; every subject digest is recomputed from the
// files; the subjects must be exactly manifest.json and the files the
// manifest lists, and the directory must hold nothing else but the notes
// and the envelope files; the release statement's predicate must be the
// manifest; each approval must have this release statement as its
// subject, its key owner's name and user ID, and a known meaning; no
// signer counts twice; the policy's required meanings must be met; and
// RELEASE-NOTES.md must be the rendering of the manifest and the
// approvals. Every problem found is in the Result; the error is for a
// directory that cannot be read at all.
func Verify(ctx context.Context, dir string, policy *Policy) (*Result, error) {
	if policy == nil || len(policy.Keys) == 0 {
		return nil, errors.New("no trusted key: give a policy or a public key")
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	r := &Result{}
	v := &verifier{ctx: ctx, dir: dir, root: root, policy: policy, r: r}
	v.run()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

type verifier struct {
	ctx    context.Context
	dir    string
	root   *os.Root
	policy *Policy
	r      *Result
}

func (v *verifier) run() {
	r := v.r
	manifest, err := readLimited(v.root, ManifestFile)
	if err != nil {
		r.addf("%s: %v", ManifestFile, unwrapPath(err))
		return
	}
	data, err := readLimited(v.root, EnvelopesFile)
	if err != nil {
		r.addf("%s: %v", EnvelopesFile, unwrapPath(err))
		return
	}
	envs, err := ParseEnvelopes(EnvelopesFile, data)
	if err != nil {
		r.addf("%v", err)
		return
	}
	rel := envs[0]
	if alone, err := v.root.ReadFile(ReleaseEnvelopeFile); err != nil {
		r.addf("%s: %v", ReleaseEnvelopeFile, unwrapPath(err))
	} else if first, _ := MarshalEnvelope(rel); !bytes.Equal(bytes.TrimSuffix(alone, []byte("\n")), first) {
		r.addf("%s: differs from the release envelope (line 1 of %s)", ReleaseEnvelopeFile, EnvelopesFile)
	}
	relPayload, st, err := statementOf(rel, ReleasePredicateType)
	if err != nil {
		r.addf("%s:1: release envelope: %v", EnvelopesFile, err)
		return
	}
	v.checkRelease(manifest, st)
	r.ReleaseSigned = len(rel.Signatures) > 0
	for i, sig := range rel.Signatures {
		if k, ok := v.trusted(rel, sig); ok {
			r.ReleaseKeys = append(r.ReleaseKeys, k)
		} else {
			r.addf("%s:1: release envelope signature %d: not signed by a trusted key (wrong or unknown key, or a changed payload)", EnvelopesFile, i+1)
		}
	}
	if v.policy.ReleaseSigned && len(r.ReleaseKeys) == 0 {
		r.addf("%s:1: policy: the release envelope must be signed by a trusted key (baseline release --key)", EnvelopesFile)
	}
	v.checkApprovals(envs, relPayload)
	if !r.ReleaseSigned && len(envs) == 1 {
		r.addf("%s: no signature: the release envelope is unsigned and there is no approval", EnvelopesFile)
	}
	v.checkRequirements()
	v.checkNotes(envs)
}

// maxRecordSize bounds the manifest and envelope files read.
const maxRecordSize = 64 << 20

// readLimited reads a regular file of root, at most maxRecordSize bytes.
func readLimited(root *os.Root, name string) ([]byte, error) {
	// A symbolic link is named as one, not as the root's "path escapes
	// from parent" (or read, when its target is inside the release).
	if fi, err := root.Lstat(name); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", fileType(fi.Mode()))
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxRecordSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRecordSize {
		return nil, fmt.Errorf("larger than %d MiB", maxRecordSize>>20)
	}
	return data, nil
}

// unwrapPath drops the *PathError's repetition of the file name.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkRelease checks the release statement against the manifest and the
// files of the directory.
func (v *verifier) checkRelease(manifest []byte, st *Statement) {
	r := v.r
	// A manifest that does not parse is reported as manifest.Parse says,
	// with its line and member.
	_, perr := manifestpkg.Parse(ManifestFile, manifest)
	if perr != nil {
		r.addf("%v", perr)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, manifest); err != nil {
		if perr == nil {
			r.addf("%s: %v", ManifestFile, err)
		}
		return
	}
	if !bytes.Equal(compact.Bytes(), st.Predicate) {
		r.addf("release statement: its predicate is not %s (the manifest or the payload changed)", ManifestFile)
	}
	if perr != nil {
		return // its files cannot be told
	}
	subjects := map[string]string{}
	for _, s := range st.Subject {
		if _, dup := subjects[s.Name]; dup {
			r.addf("release statement: subject %s listed twice", s.Name)
		}
		subjects[s.Name] = s.SHA256()
	}
	files, err := manifestFiles(manifest)
	if err != nil {
		r.addf("%s: %v", ManifestFile, err)
		return
	}
	listed := map[string]bool{ManifestFile: true}
	check := func(name, recorded string) {
		sum, err := fileSHA256(v.root, name)
		switch {
		case err != nil:
			r.addf("%s: %v", name, unwrapPath(err))
			return
		case recorded != "" && sum != recorded:
			r.addf("%s: sha256 %s, the manifest records %s", name, sum, recorded)
		}
		want, ok := subjects[name]
		switch {
		case !ok:
			r.addf("%s: not a subject of the release statement", name)
		case sum != want:
			r.addf("%s: sha256 %s, the release statement signs %s (the file changed)", name, sum, want)
		}
	}
	check(ManifestFile, "")
	for _, f := range files {
		if err := checkPath(f.Path); err != nil {
			r.addf("%s: %v", ManifestFile, err)
			continue
		}
		listed[f.Path] = true
		check(f.Path, f.SHA256)
	}
	for _, s := range st.Subject {
		if !listed[s.Name] {
			r.addf("release statement: subject %s is not a file the manifest lists", s.Name)
		}
	}
	problems, err := strayFiles(v.ctx, v.root, listed)
	for _, p := range problems {
		r.addf("%s", p)
	}
	if err != nil {
		r.addf("%v", err)
	}
}

// strayFiles checks that every file in the release directory root is one
// of listed (the subjects), the notes or an envelope file, and returns a
// problem for each that is not, or cannot be read; the error is ctx's.
// verify refuses a release holding such a file, and so sign does not
// approve one.
func strayFiles(ctx context.Context, root *os.Root, listed map[string]bool) ([]string, error) {
	var problems []string
	err := fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", p, unwrapPath(err)))
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch p {
		case NotesFile, EnvelopesFile, ReleaseEnvelopeFile:
			return nil
		}
		if !listed[p] {
			problems = append(problems, fmt.Sprintf("%s: in the release directory but neither a subject, the notes nor an envelope file", p))
		}
		return nil
	})
	return problems, err
}

// trusted returns the trusted key that verifies sig of e.
func (v *verifier) trusted(e *Envelope, sig Signature) (TrustedKey, bool) {
	for _, k := range v.policy.Keys {
		if VerifyEnvelope(v.ctx, e, sig, k.Key) {
			return k, true
		}
	}
	return TrustedKey{}, false
}

// checkApprovals verifies each approval envelope.
func (v *verifier) checkApprovals(envs []*Envelope, relPayload []byte) {
	r := v.r
	type signed struct{ signer, meaning string }
	seen := map[signed]int{}
	for i, e := range envs[1:] {
		line := i + 2
		at := fmt.Sprintf("%s:%d", EnvelopesFile, line)
		if e.PayloadType != PayloadType {
			r.addf("%s: payload type %q, want %q", at, e.PayloadType, PayloadType)
			continue
		}
		a, err := approvalOf(e, relPayload)
		if err != nil {
			r.addf("%s: %v", at, err)
			continue
		}
		if len(e.Signatures) != 1 {
			r.addf("%s: approval with %d signatures, want exactly 1", at, len(e.Signatures))
			continue
		}
		k, ok := v.trusted(e, e.Signatures[0])
		if !ok {
			r.addf("%s: approval by %s (%s): not signed by a trusted key (wrong or unknown key %s, or a changed payload)", at, a.Name, a.Meaning, a.KeyFingerprint)
			continue
		}
		bad := false
		if a.KeyFingerprint != k.Key.Fingerprint() {
			r.addf("%s: approval names key %s but is signed by %s", at, a.KeyFingerprint, k.Key.Fingerprint())
			bad = true
		}
		if k.Name != "" && a.Name != k.Name {
			r.addf("%s: printed name %q is not the key owner's %q", at, a.Name, k.Name)
			bad = true
		}
		if k.UserID != "" && a.UserID != k.UserID {
			r.addf("%s: user ID %q is not the key owner's %q", at, a.UserID, k.UserID)
			bad = true
		}
		if !v.policy.knows(a.Meaning) {
			r.addf("%s: meaning %q is not one the policy knows", at, a.Meaning)
			bad = true
		}
		if bad {
			continue
		}
		id := signerID(k)
		if prev, dup := seen[signed{id, a.Meaning}]; dup {
			r.addf("%s: %s signed as %s again (line %d): a signer counts once", at, a.Name, a.Meaning, prev)
			continue
		}
		seen[signed{id, a.Meaning}] = line
		r.Approvals = append(r.Approvals, VerifiedApproval{Approval: *a, Line: line, Key: k})
	}
}

// signerID identifies the person behind a trusted key: its owner's user
// ID (so that two keys of one person count once), or, for a key without
// an owner, its fingerprint.
func signerID(k TrustedKey) string {
	if k.UserID != "" {
		return "user:" + k.UserID
	}
	if k.Name != "" {
		return "name:" + k.Name
	}
	return "key:" + k.Key.Fingerprint()
}

// checkRequirements checks the policy's required meanings.
func (v *verifier) checkRequirements() {
	by := map[string][]string{} // meaning -> signer IDs
	for _, a := range v.r.Approvals {
		by[a.Meaning] = append(by[a.Meaning], signerID(a.Key))
	}
	for _, req := range v.policy.Require {
		n := 0
		for _, s := range by[req.Meaning] {
			excluded := false
			for _, m := range req.NotBy {
				if slices.Contains(by[m], s) {
					excluded = true
				}
			}
			if !excluded {
				n++
			}
		}
		if n < req.Count {
			v.r.addf("policy: needs %s, has %d", req, n)
		}
	}
}

// checkNotes checks that RELEASE-NOTES.md is the rendering of the manifest
// and the approvals.
func (v *verifier) checkNotes(envs []*Envelope) {
	want, err := expectedNotes(v.dir, envs)
	if err != nil {
		v.r.addf("%s: cannot render: %v", NotesFile, err)
		return
	}
	got, err := readLimited(v.root, NotesFile)
	if err != nil {
		v.r.addf("%s: %v", NotesFile, unwrapPath(err))
		return
	}
	if !bytes.Equal(got, want) {
		v.r.addf("%s: does not match the rendering of %s and the signatures", NotesFile, ManifestFile)
	}
}
