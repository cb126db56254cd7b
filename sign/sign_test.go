package sign

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"

	"github.com/baseline-cm/baseline/manifest"
)

// person is a signer of the tests.
type person struct {
	name, userID string
	key          *PrivateKey
}

func newPerson(t testing.TB, name, userID string) person {
	t.Helper()
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return person{name, userID, k}
}

func (p person) approval(meaning string, at time.Time) Approval {
	return Approval{Name: p.name, UserID: p.userID, Meaning: meaning, Time: at}
}

func (p person) trusted() TrustedKey {
	return TrustedKey{Name: p.name, UserID: p.userID, Key: p.key.Public()}
}

// makeRelease writes a hand-made release directory: a manifest listing
// an own item, an SBOM and an artifact with their digests, and its
// unsigned notes.
func makeRelease(t testing.TB, version string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"sbom/linux-amd64.cdx.json": `{"bomFormat":"CycloneDX","version":` + fmt.Sprint(len(version)) + `}`,
		"artifacts/tool":            "binary of " + version + "\x00\x01",
	}
	m := &manifest.Manifest{
		Format:      manifest.FormatVersion,
		BaselineID:  "BL-" + version,
		Product:     manifest.Product{Name: "Pump Ctl", Manufacturer: "Pump Ctl <ctl@example.com>"},
		Version:     version,
		ReleaseType: manifest.First,
		Created:     time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
		VCS:         manifest.VCS{System: "git", Commit: strings.Repeat("c", 40)},
		Items: []manifest.Item{
			{ID: "CI-001", Class: "source", Kind: "go-package", Name: "example.com/pump/ctl", H1: "h1:abc="},
		},
		Anomalies: []manifest.Anomaly{},
	}
	for _, name := range []string{"artifacts/tool", "sbom/linux-amd64.cdx.json"} {
		writeFile(t, filepath.Join(dir, name), files[name])
		sum := sha256.Sum256([]byte(files[name]))
		class := manifest.ClassArtifact
		if strings.HasPrefix(name, "sbom/") {
			class = manifest.ClassSBOM
		}
		m.Items = append(m.Items, manifest.Item{ID: name, Class: class, Kind: "file", Name: path.Base(name), Path: name, SHA256: hex.EncodeToString(sum[:])})
	}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, ManifestFile), string(data))
	writeFile(t, filepath.Join(dir, NotesFile), string(manifest.RenderNotes(m, nil)))
	return dir
}

func writeFile(t testing.TB, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
)

// signedRelease is a release signed by an author (in the release
// envelope and an authored approval), a reviewer a day later and an
// approver two days later.
type fixture struct {
	dir                        string
	author, reviewer, approver person
	policy                     *Policy
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{
		dir:      makeRelease(t, "1.0.0"),
		author:   newPerson(t, "Ann Author", "ann@example.com"),
		reviewer: newPerson(t, "Rób Réviewer", "rob@example.com"),
		approver: newPerson(t, "Qa Approver", "qa@example.com"),
	}
	ctx := context.Background()
	a := f.author.approval(Authored, t0)
	if err := WriteRelease(ctx, f.dir, f.author.key, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := Sign(ctx, f.dir, f.reviewer.key, f.reviewer.approval(Reviewed, t0.Add(24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	ap := f.approver.approval(Approved, t0.Add(48*time.Hour))
	ap.Comment = "Released for the 510(k) submission"
	if _, err := Sign(ctx, f.dir, f.approver.key, ap); err != nil {
		t.Fatal(err)
	}
	f.policy = &Policy{
		Keys: []TrustedKey{f.author.trusted(), f.reviewer.trusted(), f.approver.trusted()},
		Require: []Requirement{
			{Meaning: Authored, Count: 1},
			{Meaning: Reviewed, Count: 1, NotBy: []string{Authored}},
			{Meaning: Approved, Count: 1},
		},
	}
	return f
}

func verify(t testing.TB, dir string, p *Policy) *Result {
	t.Helper()
	r, err := Verify(context.Background(), dir, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSignVerify(t *testing.T) {
	f := newFixture(t)
	f.policy.ReleaseSigned = true
	r := verify(t, f.dir, f.policy)
	if !r.OK() {
		t.Fatalf("problems:\n%s", strings.Join(r.Problems, "\n"))
	}
	if !r.ReleaseSigned {
		t.Error("release envelope not reported signed")
	}
	var got []string
	for _, a := range r.Approvals {
		got = append(got, fmt.Sprintf("%d %s %s %s %s", a.Line, a.Name, a.Meaning, a.Time.Format(time.RFC3339), a.KeyFingerprint))
	}
	want := []string{
		"2 Ann Author authored 2026-12-01T09:00:00Z " + f.author.key.Public().Fingerprint(),
		"3 Rób Réviewer reviewed 2026-12-02T09:00:00Z " + f.reviewer.key.Public().Fingerprint(),
		"4 Qa Approver approved 2026-12-03T09:00:00Z " + f.approver.key.Public().Fingerprint(),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("approvals:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The notes show every signature (Part 11: the human-readable form).
	notes, _ := os.ReadFile(filepath.Join(f.dir, NotesFile))
	for _, w := range []string{
		"| Ann Author | ann@example.com | authored | 2026-12-01 09:00:00 | `" + f.author.key.Public().Fingerprint() + "` |",
		"| Rób Réviewer | rob@example.com | reviewed | 2026-12-02 09:00:00 | `" + f.reviewer.key.Public().Fingerprint() + "` |",
		"| Qa Approver | qa@example.com | approved | 2026-12-03 09:00:00 | `" + f.approver.key.Public().Fingerprint() + "` |",
	} {
		if !strings.Contains(string(notes), w) {
			t.Errorf("notes lack %s:\n%s", w, notes)
		}
	}

	// The envelope files: release.dsse.json is line 1 of the JSON lines.
	lines := readLines(t, f.dir)
	if len(lines) != 4 {
		t.Fatalf("%d envelopes, want 4", len(lines))
	}
	alone, _ := os.ReadFile(filepath.Join(f.dir, ReleaseEnvelopeFile))
	if string(alone) != lines[0]+"\n" {
		t.Errorf("release.dsse.json is not line 1")
	}
	// The release statement: subjects exactly manifest.json, SBOM and
	// artifact by SHA-256; predicate the manifest; key IDs empty.
	e, err := ParseEnvelope([]byte(lines[0]))
	if err != nil {
		t.Fatal(err)
	}
	if e.PayloadType != "application/vnd.in-toto+json" || len(e.Signatures) != 1 || e.Signatures[0].KeyID != "" {
		t.Errorf("release envelope: %+v", e)
	}
	payload, _ := Payload(e)
	var st map[string]any
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	if st["_type"] != "https://in-toto.io/Statement/v1" || st["predicateType"] != "https://github.com/baseline-cm/baseline/release/v1" {
		t.Errorf("statement: %v", st)
	}
	var names []string
	for _, s := range st["subject"].([]any) {
		s := s.(map[string]any)
		d := s["digest"].(map[string]any)
		data, _ := os.ReadFile(filepath.Join(f.dir, s["name"].(string)))
		sum := sha256.Sum256(data)
		if d["sha256"] != hex.EncodeToString(sum[:]) || len(d) != 1 {
			t.Errorf("subject %v: digest %v", s["name"], d)
		}
		names = append(names, s["name"].(string))
	}
	if strings.Join(names, " ") != "artifacts/tool manifest.json sbom/linux-amd64.cdx.json" {
		t.Errorf("subjects %v", names)
	}
	if st["predicate"].(map[string]any)["baselineId"] != "BL-1.0.0" {
		t.Errorf("predicate: %v", st["predicate"])
	}
	if !bytes.Contains(payload, []byte("Pump Ctl <ctl@example.com>")) {
		t.Errorf("payload escapes HTML characters: %s", payload)
	}
	// An approval: its subject is the release payload's digest.
	ea, _ := ParseEnvelope([]byte(lines[3]))
	ap, _ := Payload(ea)
	sum := sha256.Sum256(payload)
	var ast Statement
	json.Unmarshal(ap, &ast)
	if len(ast.Subject) != 1 || ast.Subject[0].SHA256() != hex.EncodeToString(sum[:]) || ast.PredicateType != ApprovalPredicateType {
		t.Errorf("approval statement %s", ap)
	}
	if !strings.Contains(string(ap), `"comment":"Released for the 510(k) submission"`) {
		t.Errorf("approval lacks the comment: %s", ap)
	}
}

func readLines(t testing.TB, dir string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, EnvelopesFile))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func writeLines(t testing.TB, dir string, lines []string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, EnvelopesFile), strings.Join(lines, "\n")+"\n")
	writeFile(t, filepath.Join(dir, ReleaseEnvelopeFile), lines[0]+"\n")
}

// editPayload rewrites the payload of envelope line i with edit, keeping
// its signatures.
func editPayload(t testing.TB, dir string, i int, edit func([]byte) []byte) {
	t.Helper()
	lines := readLines(t, dir)
	e, err := ParseEnvelope([]byte(lines[i]))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Payload(e)
	e.Payload = base64.StdEncoding.EncodeToString(edit(p))
	b, _ := MarshalEnvelope(e)
	lines[i] = string(b)
	writeLines(t, dir, lines)
}

func editEnvelope(t testing.TB, dir string, i int, edit func(*Envelope)) {
	t.Helper()
	lines := readLines(t, dir)
	e, err := ParseEnvelope([]byte(lines[i]))
	if err != nil {
		t.Fatal(err)
	}
	edit(e)
	b, _ := MarshalEnvelope(e)
	lines[i] = string(b)
	writeLines(t, dir, lines)
}

// TestVerifyRejects provokes every rejection of the issue, each on a fresh
// signed release, and checks the reason given.
func TestVerifyRejects(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, f *fixture)
		want   []string
	}{
		{"changed byte in an SBOM", func(t *testing.T, f *fixture) {
			flipByte(t, filepath.Join(f.dir, "sbom/linux-amd64.cdx.json"))
		}, []string{"sbom/linux-amd64.cdx.json: sha256", "the release statement signs"}},
		{"changed byte in an artifact", func(t *testing.T, f *fixture) {
			flipByte(t, filepath.Join(f.dir, "artifacts/tool"))
		}, []string{"artifacts/tool: sha256", "the manifest records"}},
		{"changed byte in the manifest", func(t *testing.T, f *fixture) {
			data, _ := os.ReadFile(filepath.Join(f.dir, ManifestFile))
			writeFile(t, filepath.Join(f.dir, ManifestFile), strings.Replace(string(data), "BL-1.0.0", "BL-1.0.1", 1))
		}, []string{"manifest.json: sha256", "its predicate is not manifest.json"}},
		{"changed byte in the release payload", func(t *testing.T, f *fixture) {
			editPayload(t, f.dir, 0, func(p []byte) []byte { return bytes.Replace(p, []byte("BL-1.0.0"), []byte("BL-1.0.1"), 1) })
		}, []string{"release envelope signature 1: not signed by a trusted key", "approval of another release"}},
		{"changed byte in an approval payload", func(t *testing.T, f *fixture) {
			editPayload(t, f.dir, 2, func(p []byte) []byte { return bytes.Replace(p, []byte("reviewed"), []byte("approved"), 1) })
		}, []string{"release.intoto.jsonl:3: approval by Rób Réviewer (approved): not signed by a trusted key", "policy: needs 1 reviewed"}},
		{"changed byte in a signature", func(t *testing.T, f *fixture) {
			editEnvelope(t, f.dir, 3, func(e *Envelope) {
				b, _ := base64.StdEncoding.DecodeString(e.Signatures[0].Sig)
				b[len(b)-1] ^= 1
				e.Signatures[0].Sig = base64.StdEncoding.EncodeToString(b)
			})
		}, []string{"release.intoto.jsonl:4: approval by Qa Approver (approved): not signed by a trusted key"}},
		{"subject missing from the release", func(t *testing.T, f *fixture) {
			os.Remove(filepath.Join(f.dir, "artifacts/tool"))
		}, []string{"artifacts/tool: no such file or directory"}},
		{"a file that is no subject", func(t *testing.T, f *fixture) {
			writeFile(t, filepath.Join(f.dir, "artifacts/extra"), "smuggled")
		}, []string{"artifacts/extra: in the release directory but neither a subject"}},
		{"a symlink that is no subject", func(t *testing.T, f *fixture) {
			os.Symlink("../manifest.json", filepath.Join(f.dir, "sbom/link.json"))
		}, []string{"sbom/link.json: in the release directory but neither"}},
		{"a subject replaced by a symlink", func(t *testing.T, f *fixture) {
			p := filepath.Join(f.dir, "artifacts/tool")
			data, _ := os.ReadFile(p)
			writeFile(t, filepath.Join(t.TempDir(), "outside"), string(data))
			os.Remove(p)
			os.Symlink(filepath.Join(f.dir, ManifestFile), p)
		}, []string{"artifacts/tool: not a regular file"}},
		{"unknown key", func(t *testing.T, f *fixture) {
			mallory := newPerson(t, "Mallory", "mallory@example.com")
			if _, err := Sign(ctx, f.dir, mallory.key, mallory.approval(Approved, t0)); err != nil {
				t.Fatal(err)
			}
		}, []string{"release.intoto.jsonl:5: approval by Mallory (approved): not signed by a trusted key"}},
		{"signer's key replaced by another", func(t *testing.T, f *fixture) {
			f.policy.Keys[1].Key = newPerson(t, "x", "y").key.Public()
		}, []string{"release.intoto.jsonl:3: approval by Rób Réviewer (reviewed): not signed by a trusted key", "policy: needs 1 reviewed"}},
		{"signature moved from another release", func(t *testing.T, f *fixture) {
			other := makeRelease(t, "2.0.0")
			if err := WriteRelease(ctx, other, nil, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := Sign(ctx, other, f.reviewer.key, f.reviewer.approval(Approved, t0)); err != nil {
				t.Fatal(err)
			}
			lines := readLines(t, f.dir)
			writeLines(t, f.dir, append(lines, readLines(t, other)[1]))
		}, []string{"release.intoto.jsonl:5: approval of another release"}},
		{"release envelope replaced by another release's", func(t *testing.T, f *fixture) {
			other := makeRelease(t, "2.0.0")
			if err := WriteRelease(ctx, other, f.author.key, nil); err != nil {
				t.Fatal(err)
			}
			lines := readLines(t, f.dir)
			lines[0] = readLines(t, other)[0]
			writeLines(t, f.dir, lines)
		}, []string{"its predicate is not manifest.json", "the release statement signs", "release.intoto.jsonl:2: approval of another release"}},
		{"wrong payload type", func(t *testing.T, f *fixture) {
			editEnvelope(t, f.dir, 2, func(e *Envelope) { e.PayloadType = "application/json" })
		}, []string{`release.intoto.jsonl:3: payload type "application/json"`}},
		{"wrong payload type of the release", func(t *testing.T, f *fixture) {
			editEnvelope(t, f.dir, 0, func(e *Envelope) { e.PayloadType = "text/plain" })
		}, []string{`release.intoto.jsonl:1: release envelope: payload type "text/plain"`}},
		{"wrong predicate type", func(t *testing.T, f *fixture) {
			signRaw(t, f.dir, f.approver.key, func(st *Statement) { st.PredicateType = "https://slsa.dev/provenance/v1" })
		}, []string{`release.intoto.jsonl:5: predicate type "https://slsa.dev/provenance/v1"`}},
		{"wrong statement type", func(t *testing.T, f *fixture) {
			signRaw(t, f.dir, f.approver.key, func(st *Statement) { st.Type = "https://in-toto.io/Statement/v0.1" })
		}, []string{`release.intoto.jsonl:5: statement: _type "https://in-toto.io/Statement/v0.1"`}},
		{"duplicate signer counted twice", func(t *testing.T, f *fixture) {
			lines := readLines(t, f.dir)
			writeLines(t, f.dir, append(lines, lines[2]))
			f.policy.Require[1].Count = 2
		}, []string{"release.intoto.jsonl:5: Rób Réviewer signed as reviewed again (line 3)", "policy: needs 2 reviewed"}},
		{"one person with two keys counted twice", func(t *testing.T, f *fixture) {
			second := newPerson(t, f.reviewer.name, f.reviewer.userID)
			f.policy.Keys = append(f.policy.Keys, second.trusted())
			if _, err := Sign(ctx, f.dir, second.key, second.approval(Reviewed, t0)); err != nil {
				t.Fatal(err)
			}
			f.policy.Require[1].Count = 2
		}, []string{"release.intoto.jsonl:5: Rób Réviewer signed as reviewed again (line 3)", "policy: needs 2 reviewed"}},
		{"missing required meaning", func(t *testing.T, f *fixture) {
			lines := readLines(t, f.dir)
			writeLines(t, f.dir, lines[:3])
		}, []string{"policy: needs 1 approved, has 0"}},
		{"review by the author", func(t *testing.T, f *fixture) {
			lines := readLines(t, f.dir)
			writeLines(t, f.dir, []string{lines[0], lines[1], lines[3]})
			if _, err := Sign(ctx, f.dir, f.author.key, f.author.approval(Reviewed, t0)); err != nil {
				t.Fatal(err)
			}
		}, []string{"policy: needs 1 reviewed by someone other than the authored signer, has 0"}},
		{"printed name not the key owner's", func(t *testing.T, f *fixture) {
			if _, err := Sign(ctx, f.dir, f.approver.key, Approval{Name: "Chief Executive", UserID: "qa@example.com", Meaning: Reviewed, Time: t0}); err != nil {
				t.Fatal(err)
			}
		}, []string{`release.intoto.jsonl:5: printed name "Chief Executive" is not the key owner's "Qa Approver"`}},
		{"user ID not the key owner's", func(t *testing.T, f *fixture) {
			if _, err := Sign(ctx, f.dir, f.approver.key, Approval{Name: "Qa Approver", UserID: "ceo@example.com", Meaning: Reviewed, Time: t0}); err != nil {
				t.Fatal(err)
			}
		}, []string{`release.intoto.jsonl:5: user ID "ceo@example.com" is not the key owner's "qa@example.com"`}},
		{"unknown meaning", func(t *testing.T, f *fixture) {
			if _, err := Sign(ctx, f.dir, f.approver.key, f.approver.approval("rubber-stamped", t0)); err != nil {
				t.Fatal(err)
			}
		}, []string{`release.intoto.jsonl:5: meaning "rubber-stamped" is not one the policy knows`}},
		{"release.dsse.json differs", func(t *testing.T, f *fixture) {
			other := makeRelease(t, "2.0.0")
			WriteRelease(ctx, other, f.author.key, nil)
			data, _ := os.ReadFile(filepath.Join(other, ReleaseEnvelopeFile))
			writeFile(t, filepath.Join(f.dir, ReleaseEnvelopeFile), string(data))
		}, []string{"release.dsse.json: differs from the release envelope"}},
		{"envelope file truncated", func(t *testing.T, f *fixture) {
			data, _ := os.ReadFile(filepath.Join(f.dir, EnvelopesFile))
			writeFile(t, filepath.Join(f.dir, EnvelopesFile), string(data[:len(data)-20]))
		}, []string{"release.intoto.jsonl: last line is not terminated"}},
		{"a signature removed from the release envelope, leaving no approval", func(t *testing.T, f *fixture) {
			editEnvelope(t, f.dir, 0, func(e *Envelope) { e.Signatures = nil })
			writeLines(t, f.dir, readLines(t, f.dir)[:1])
			f.policy.Require = nil
		}, []string{"no signature: the release envelope is unsigned and there is no approval"}},
		{"manifest lists a file the statement does not sign", func(t *testing.T, f *fixture) {
			writeFile(t, filepath.Join(f.dir, "sbom/extra.spdx.json"), "{}")
			m, err := manifest.Load(filepath.Join(f.dir, ManifestFile))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte("{}"))
			m.Items = append(m.Items, manifest.Item{ID: "sbom/extra.spdx.json", Class: manifest.ClassSBOM, Name: "extra", Path: "sbom/extra.spdx.json", SHA256: hex.EncodeToString(sum[:])})
			data, _ := m.Marshal()
			writeFile(t, filepath.Join(f.dir, ManifestFile), string(data))
		}, []string{"sbom/extra.spdx.json: not a subject of the release statement", "its predicate is not manifest.json"}},
		{"notes edited", func(t *testing.T, f *fixture) {
			data, _ := os.ReadFile(filepath.Join(f.dir, NotesFile))
			writeFile(t, filepath.Join(f.dir, NotesFile), strings.Replace(string(data), "Qa Approver", "Big Boss", 1))
		}, []string{"RELEASE-NOTES.md: does not match the rendering of manifest.json and the signatures"}},
		{"notes missing", func(t *testing.T, f *fixture) {
			os.Remove(filepath.Join(f.dir, NotesFile))
		}, []string{"RELEASE-NOTES.md: no such file or directory"}},
		{"manifest malformed", func(t *testing.T, f *fixture) {
			writeFile(t, filepath.Join(f.dir, ManifestFile), "{\"format\": 1}\n")
		}, []string{"manifest.json: baselineId: missing", "its predicate is not manifest.json"}},
		{"manifest truncated", func(t *testing.T, f *fixture) {
			data, err := os.ReadFile(filepath.Join(f.dir, ManifestFile))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(f.dir, ManifestFile), string(data[:len(data)/2]))
		}, []string{"manifest.json:", "syntax: unexpected end of the file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.tamper(t, f)
			r := verify(t, f.dir, f.policy)
			if r.OK() {
				t.Fatal("verified")
			}
			all := strings.Join(r.Problems, "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("problems lack %q:\n%s", w, all)
				}
			}
			for _, p := range r.Problems {
				if strings.Contains(p, "\n") {
					t.Errorf("problem of more than one line: %q", p)
				}
			}
		})
	}
}

// signRaw appends an approval envelope whose statement edit changed.
func signRaw(t testing.TB, dir string, key *PrivateKey, edit func(*Statement)) {
	t.Helper()
	lines := readLines(t, dir)
	rel, _ := ParseEnvelope([]byte(lines[0]))
	payload, _ := Payload(rel)
	st, err := NewApprovalStatement(payload, Approval{Name: "Qa Approver", UserID: "qa@example.com", Meaning: Reviewed, Time: t0, KeyFingerprint: key.Public().Fingerprint()})
	if err != nil {
		t.Fatal(err)
	}
	edit(st)
	e, err := SignStatement(context.Background(), st, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := MarshalEnvelope(e)
	writeLines(t, dir, append(lines, string(b)))
}

func flipByte(t testing.TB, name string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSignRefuses: signing checks the release before approving it.
func TestSignRefuses(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if _, err := Sign(ctx, f.dir, f.reviewer.key, f.reviewer.approval(Reviewed, t0)); err == nil || !strings.Contains(err.Error(), "already signed as reviewed") {
		t.Errorf("second review by one key: %v", err)
	}
	flipByte(t, filepath.Join(f.dir, "artifacts/tool"))
	before, _ := os.ReadFile(filepath.Join(f.dir, EnvelopesFile))
	if _, err := Sign(ctx, f.dir, f.reviewer.key, f.reviewer.approval(Approved, t0)); err == nil || !strings.Contains(err.Error(), "artifacts/tool") {
		t.Errorf("signing a changed release: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(f.dir, EnvelopesFile))
	if !bytes.Equal(before, after) {
		t.Error("a refused signature changed release.intoto.jsonl")
	}
	if err := WriteRelease(ctx, f.dir, f.author.key, nil); err == nil || !strings.Contains(err.Error(), "already has envelopes") {
		t.Errorf("WriteRelease over a signed release: %v", err)
	}
	for _, a := range []Approval{
		{UserID: "x", Meaning: Approved},
		{Name: "X", Meaning: ""},
		{Name: "X", Meaning: "Approved"},
		{Name: "X\nY", Meaning: Approved},
	} {
		if _, err := Sign(ctx, f.dir, f.approver.key, a); err == nil {
			t.Errorf("Sign accepted %+v", a)
		}
	}
	// A file the release does not list, which verify refuses: not
	// approved either, and nothing is written.
	stray := newFixture(t)
	writeFile(t, filepath.Join(stray.dir, "extra.txt"), "not in the manifest\n")
	envs, _ := os.ReadFile(filepath.Join(stray.dir, EnvelopesFile))
	if _, err := Sign(ctx, stray.dir, stray.reviewer.key, stray.reviewer.approval(Approved, t0)); err == nil || !strings.Contains(err.Error(), "extra.txt: in the release directory but neither a subject") {
		t.Errorf("signing a release with a stray file: %v", err)
	}
	if envs2, _ := os.ReadFile(filepath.Join(stray.dir, EnvelopesFile)); !bytes.Equal(envs, envs2) {
		t.Error("a refused signature changed release.intoto.jsonl")
	}
	// A read-only envelope file or notes file: nothing is written.
	for _, name := range []string{EnvelopesFile, NotesFile} {
		ro := newFixture(t)
		envs, _ := os.ReadFile(filepath.Join(ro.dir, EnvelopesFile))
		notes, _ := os.ReadFile(filepath.Join(ro.dir, NotesFile))
		os.Chmod(filepath.Join(ro.dir, name), 0o444)
		if _, err := Sign(ctx, ro.dir, ro.reviewer.key, ro.reviewer.approval(Approved, t0)); err == nil || !strings.Contains(err.Error(), name+": file is read-only") {
			t.Errorf("signing with a read-only %s: %v", name, err)
		}
		envs2, _ := os.ReadFile(filepath.Join(ro.dir, EnvelopesFile))
		notes2, _ := os.ReadFile(filepath.Join(ro.dir, NotesFile))
		if !bytes.Equal(envs, envs2) || !bytes.Equal(notes, notes2) {
			t.Errorf("read-only %s: a refused signature wrote", name)
		}
	}
}

// TestUnsignedRelease: a release written without a key has an envelope
// with no signature, which approvals then sign.
func TestUnsignedRelease(t *testing.T) {
	ctx := context.Background()
	dir := makeRelease(t, "1.1.0")
	if err := WriteRelease(ctx, dir, nil, nil); err != nil {
		t.Fatal(err)
	}
	lines := readLines(t, dir)
	if len(lines) != 1 || !strings.Contains(lines[0], `"signatures":[]`) {
		t.Fatalf("unsigned release envelope: %v", lines)
	}
	p := newPerson(t, "Ann Author", "ann@example.com")
	pol := &Policy{Keys: []TrustedKey{p.trusted()}, Require: []Requirement{{Meaning: Approved, Count: 1}}}
	if r := verify(t, dir, pol); r.OK() {
		t.Error("an unsigned release without approvals verified")
	}
	if _, err := Sign(ctx, dir, p.key, p.approval(Approved, t0)); err != nil {
		t.Fatal(err)
	}
	if r := verify(t, dir, pol); !r.OK() || r.ReleaseSigned {
		t.Errorf("signed=%v problems %v", r.ReleaseSigned, r.Problems)
	}
	// A policy that wants the release envelope signed, as cosign does.
	pol.ReleaseSigned = true
	if r := verify(t, dir, pol); r.OK() || !strings.Contains(strings.Join(r.Problems, "\n"), "release.intoto.jsonl:1: policy: the release envelope must be signed by a trusted key") {
		t.Errorf("release_signed on an unsigned release: %v", r.Problems)
	}
	pol.ReleaseSigned = false
	// A bare-keys policy needs only valid signatures.
	if r := verify(t, dir, KeysPolicy(p.key.Public())); !r.OK() {
		t.Errorf("KeysPolicy: %v", r.Problems)
	}
	if r := verify(t, dir, KeysPolicy(newPerson(t, "", "").key.Public())); r.OK() {
		t.Errorf("KeysPolicy with a wrong key verified")
	}
}

// TestConcurrentSign: concurrent signers lose no signature.
func TestConcurrentSign(t *testing.T) {
	ctx := context.Background()
	dir := makeRelease(t, "1.2.0")
	if err := WriteRelease(ctx, dir, nil, nil); err != nil {
		t.Fatal(err)
	}
	const n = 12
	var people []person
	for i := range n {
		people = append(people, newPerson(t, fmt.Sprintf("Signer %d", i), fmt.Sprintf("s%d@example.com", i)))
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, p := range people {
		wg.Go(func() {
			_, errs[i] = Sign(ctx, dir, p.key, p.approval(Reviewed, t0.Add(time.Duration(i)*time.Minute)))
		})
	}
	wg.Wait()
	pol := &Policy{Require: []Requirement{{Meaning: Reviewed, Count: n}}}
	for i, p := range people {
		if errs[i] != nil {
			t.Errorf("signer %d: %v", i, errs[i])
		}
		pol.Keys = append(pol.Keys, p.trusted())
	}
	if r := verify(t, dir, pol); !r.OK() || len(r.Approvals) != n {
		t.Errorf("%d approvals, problems %v", len(r.Approvals), r.Problems)
	}
}

func TestEd25519(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := newPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := ParsePrivateKey("ed.pem", k.MarshalPEM(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := makeRelease(t, "1.0.0")
	if err := WriteRelease(ctx, dir, k2, &Approval{Name: "Ed", UserID: "ed@example.com", Time: t0}); err != nil {
		t.Fatal(err)
	}
	pub, err := ParsePublicKey("ed.pub", k.Public().MarshalPEM())
	if err != nil {
		t.Fatal(err)
	}
	if r := verify(t, dir, &Policy{Keys: []TrustedKey{{Name: "Ed", UserID: "ed@example.com", Key: pub}}, Require: []Requirement{{Meaning: Authored, Count: 1}}}); !r.OK() {
		t.Errorf("problems %v", r.Problems)
	}
}

// TestSignStale: a signer killed between writing and renaming leaves a
// temporary file, which the next signer removes under the lock, so that
// verify sees only the release's files.
func TestSignStale(t *testing.T) {
	f := newFixture(t)
	stale := filepath.Join(f.dir, "."+EnvelopesFile+".0123456789abcdef.baseline-tmp")
	writeFile(t, stale, "half")
	if r := verify(t, f.dir, f.policy); r.OK() {
		t.Fatal("verify accepted a stray file")
	}
	p := newPerson(t, "Late Reviewer", "late@example.com")
	if _, err := Sign(context.Background(), f.dir, p.key, p.approval(Reviewed, t0)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("stale temporary file left")
	}
	f.policy.Keys = append(f.policy.Keys, p.trusted())
	if r := verify(t, f.dir, f.policy); !r.OK() {
		t.Errorf("problems: %v", r.Problems)
	}
	if _, err := Sign(context.Background(), t.TempDir(), p.key, p.approval(Reviewed, t0)); err == nil || !strings.Contains(err.Error(), "not a release written by baseline release") {
		t.Errorf("signing a directory without envelopes: %v", err)
	}
}

// TestSignCancelled: a signer waiting for another's lock gives up when
// its context is cancelled (Ctrl-C), writing nothing.
func TestSignCancelled(t *testing.T) {
	f := newFixture(t)
	held, err := lockedfile.OpenFile(filepath.Join(f.dir, EnvelopesFile), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	before, _ := os.ReadFile(filepath.Join(f.dir, EnvelopesFile))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Sign(ctx, f.dir, f.reviewer.key, f.reviewer.approval(Approved, t0)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Sign while the lock is held: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(f.dir, EnvelopesFile))
	if !bytes.Equal(before, after) {
		t.Error("a cancelled Sign wrote")
	}
}
