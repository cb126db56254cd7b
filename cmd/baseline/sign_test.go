package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/secure-systems-lab/go-securesystemslib/encrypted"

	"github.com/baseline-cm/baseline/sign"
)

// keyPair writes a new ECDSA P-256 key pair (PKCS#8 and PKIX PEM) into
// dir and returns the paths.
func keyPair(t *testing.T, dir, name string) (priv, pub string) {
	t.Helper()
	k, err := sign.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	priv, pub = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".pub.pem")
	os.WriteFile(priv, k.MarshalPEM(), 0o600)
	os.WriteFile(pub, k.Public().MarshalPEM(), 0o644)
	return priv, pub
}

// runMain runs the test binary as the baseline command in a new process.
func runMain(env []string, args ...string) (string, error) {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "BASELINE_TEST_MAIN=1"), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestSignRelease releases a fixture product signed by its author, adds
// approvals with baseline sign (several signers at different times,
// concurrently, one with a cosign encrypted key), verifies it with a
// policy, with bare keys and with the openssl script, and checks the
// exit codes of verify.
func TestSignRelease(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	p := newProduct(t)
	p.commit("1.0.0")
	p.baseline(0, "items", "sync")
	p.commit("items")
	keys := t.TempDir()
	annKey, annPub := keyPair(t, keys, "ann")

	// A wrong key fails before anything is written.
	_, stderr := p.baseline(2, "release", "--version", "1.0.0", "--key", annPub, "--name", "Ann")
	if !strings.Contains(stderr, "a public key, where a private key is needed") {
		t.Errorf("release with a public key: %s", stderr)
	}
	p.baseline(2, "release", "--version", "1.0.0", "--key", annKey)
	if _, err := os.Stat(filepath.Join(p.dir, "releases")); err == nil {
		t.Error("a refused signed release wrote into the archive")
	}

	p.baseline(0, "release", "--version", "1.0.0", "--key", annKey, "--name", "Ann Author", "--user-id", "ann@acme.example")
	rel := filepath.Join(p.dir, "releases", "1.0.0")
	for _, f := range []string{sign.EnvelopesFile, sign.ReleaseEnvelopeFile} {
		if _, err := os.Stat(filepath.Join(rel, f)); err != nil {
			t.Fatal(err)
		}
	}

	// Concurrent signers, each in its own process, lose no signature.
	type signer struct{ name, id, meaning, key, pub string }
	var signers []signer
	for i := range 6 {
		priv, pub := keyPair(t, keys, fmt.Sprint("r", i))
		signers = append(signers, signer{fmt.Sprintf("Reviewer %d", i), fmt.Sprintf("r%d@acme.example", i), "reviewed", priv, pub})
	}
	var wg sync.WaitGroup
	errs := make([]string, len(signers))
	for i, s := range signers {
		wg.Go(func() {
			if out, err := runMain(nil, "sign", "--key", s.key, "--name", s.name, "--user-id", s.id, "--meaning", s.meaning, "--comment", "looked at it", rel); err != nil {
				errs[i] = fmt.Sprintf("%v: %s", err, out)
			}
		})
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Errorf("signer %d: %s", i, e)
		}
	}

	// An approver with a cosign encrypted key; the passphrase from the
	// environment.
	qk, err := sign.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(mustKey(t, qk))
	enc, err := encrypted.Encrypt(der, []byte("s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	qaKey, qaPub := filepath.Join(keys, "cosign.key"), filepath.Join(keys, "cosign.pub")
	os.WriteFile(qaKey, pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED SIGSTORE PRIVATE KEY", Bytes: enc}), 0o600)
	os.WriteFile(qaPub, qk.Public().MarshalPEM(), 0o644)
	if out, err := runMain([]string{"BASELINE_KEY_PASSWORD=wrong"}, "sign", "--key", qaKey, "--name", "Quinn QA", "--meaning", "approved", rel); err == nil || !strings.Contains(out, "wrong passphrase") {
		t.Errorf("wrong passphrase: %v\n%s", err, out)
	}
	if out, err := runMain([]string{"BASELINE_KEY_PASSWORD=s3cret"}, "sign", "--key", qaKey, "--name", "Quinn QA", "--user-id", "qa@acme.example", "--meaning", "approved", rel); err != nil {
		t.Fatalf("sign with a cosign key: %v\n%s", err, out)
	}

	// The policy: every key with its owner; one authored, two reviews by
	// others, one approval.
	var policy bytes.Buffer
	policy.WriteString("version: 1\nkeys:\n")
	addKey := func(name, id, pub string) {
		fmt.Fprintf(&policy, "  - name: %s\n    user_id: %s\n    public_key_file: %s\n", name, id, pub)
	}
	addKey("Ann Author", "ann@acme.example", annPub)
	for _, s := range signers {
		addKey(s.name, s.id, s.pub)
	}
	addKey("Quinn QA", "qa@acme.example", qaPub)
	policy.WriteString("require:\n  - meaning: authored\n  - meaning: reviewed\n    count: 6\n    not_by: [authored]\n  - meaning: approved\n")
	policyFile := filepath.Join(keys, "policy.yaml")
	os.WriteFile(policyFile, policy.Bytes(), 0o644)
	out, _ := p.baseline(0, "verify", "--policy", policyFile, rel)
	for _, want := range []string{"release statement signed", "authored by Ann Author <ann@acme.example>", "reviewed by Reviewer 5 <r5@acme.example>", "approved by Quinn QA <qa@acme.example>", "verified"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(readFile(t, filepath.Join(rel, sign.EnvelopesFile)), "\n"); n != 9 {
		t.Errorf("%d envelopes, want 9 (release, author, 6 reviews, approval)", n)
	}
	notes := readFile(t, filepath.Join(rel, "RELEASE-NOTES.md"))
	for _, want := range []string{"| Ann Author | ann@acme.example | authored |", "| Reviewer 3 | r3@acme.example | reviewed |", "| Quinn QA | qa@acme.example | approved |"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q", want)
		}
	}
	// Bare keys: exit 0 with every key, 1 with a key missing.
	args := []string{"verify", "--key", annPub, "--key", qaPub}
	for _, s := range signers {
		args = append(args, "--key", s.pub)
	}
	p.baseline(0, append(args, rel)...)
	_, stderr = p.baseline(1, "verify", "--key", annPub, rel)
	if !strings.Contains(stderr, "release.intoto.jsonl:3: approval by") || !strings.Contains(stderr, "not signed by a trusted key") {
		t.Errorf("verify with one key: %s", stderr)
	}
	// A changed byte: exit 1, one reason a line.
	sbom := filepath.Join(rel, "sbom", "linux-amd64.cdx.json")
	data := readFile(t, sbom)
	os.WriteFile(sbom, []byte(strings.Replace(data, "pump", "pimp", 1)), 0o644)
	_, stderr = p.baseline(1, "verify", "--policy", policyFile, rel)
	if !strings.Contains(stderr, rel+": sbom/linux-amd64.cdx.json: sha256") {
		t.Errorf("verify of a changed SBOM: %s", stderr)
	}
	os.WriteFile(sbom, []byte(data), 0o644)

	// The openssl script accepts what baseline signed.
	if _, err := exec.LookPath("openssl"); err == nil {
		if _, err := exec.LookPath("jq"); err == nil {
			script, _ := filepath.Abs(filepath.Join("..", "..", "scripts", "dsse-verify-openssl.sh"))
			sargs := []string{script, rel, annPub, qaPub}
			for _, s := range signers {
				sargs = append(sargs, s.pub)
			}
			if out, err := exec.Command("bash", sargs...).CombinedOutput(); err != nil {
				t.Errorf("openssl script: %v\n%s", err, out)
			}
		}
	}

	// A release without --key: an unsigned release envelope, which does
	// not verify until someone signs it.
	p.baseline(0, "release", "--version", "1.0.1", "--out", filepath.Join(p.dir, "releases", "1.0.1"))
	r2 := filepath.Join(p.dir, "releases", "1.0.1")
	_, stderr = p.baseline(1, "verify", "--key", annPub, r2)
	if !strings.Contains(stderr, "no signature") {
		t.Errorf("verify of an unsigned release: %s", stderr)
	}
	p.baseline(0, "sign", "--key", annKey, "--name", "Ann Author", "--meaning", "approved", r2)
	p.baseline(0, "verify", "--key", annPub, r2)
	// A signature moved from release 1.0.0 is rejected.
	lines := strings.SplitAfter(readFile(t, filepath.Join(rel, sign.EnvelopesFile)), "\n")
	f, _ := os.OpenFile(filepath.Join(r2, sign.EnvelopesFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(lines[len(lines)-2])
	f.Close()
	_, stderr = p.baseline(1, "verify", "--key", annPub, "--key", qaPub, r2)
	if !strings.Contains(stderr, "approval of another release") {
		t.Errorf("moved signature: %s", stderr)
	}
}

func mustKey(t *testing.T, k *sign.PrivateKey) any {
	t.Helper()
	block, _ := pem.Decode(k.MarshalPEM())
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}
