package sign

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needTools skips the test when a tool is missing.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: skipping the independent verification with it", tool)
		}
	}
}

func run(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	return string(out), err
}

// opensslKey makes a key pair with openssl genpkey and returns the paths
// of the private and public PEM files.
func opensslKey(t *testing.T, dir, name string, genArgs ...string) (string, string) {
	t.Helper()
	priv, pub := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".pub.pem")
	if out, err := run(t, "openssl", append([]string{"genpkey", "-out", priv}, genArgs...)...); err != nil {
		t.Fatalf("openssl genpkey: %v\n%s", err, out)
	}
	if out, err := run(t, "openssl", "pkey", "-in", priv, "-pubout", "-out", pub); err != nil {
		t.Fatalf("openssl pkey: %v\n%s", err, out)
	}
	return priv, pub
}

// TestOpenSSL: keys made by openssl sign releases that the shipped
// openssl script verifies, and it rejects a tampered one. The fingerprint
// is openssl's DER SubjectPublicKeyInfo, hashed.
func TestOpenSSL(t *testing.T) {
	needTools(t, "openssl", "jq", "base64", "sha256sum", "bash")
	script, err := filepath.Abs("../scripts/dsse-verify-openssl.sh")
	if err != nil {
		t.Fatal(err)
	}
	keys := t.TempDir()
	ecPriv, ecPub := opensslKey(t, keys, "ec", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")
	edPriv, edPub := opensslKey(t, keys, "ed", "-algorithm", "ed25519")
	ctx := context.Background()
	var pubs []string
	dir := makeRelease(t, "3.0.0")
	for i, kp := range [][2]string{{ecPriv, ecPub}, {edPriv, edPub}} {
		priv, err := LoadPrivateKey(kp[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := LoadPublicKey(kp[1])
		if err != nil {
			t.Fatal(err)
		}
		der, err := exec.Command("openssl", "pkey", "-pubin", "-in", kp[1], "-outform", "DER").Output()
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(der)
		if fp := hex.EncodeToString(sum[:]); pub.Fingerprint() != fp || priv.Public().Fingerprint() != fp {
			t.Errorf("fingerprint %s / %s, openssl DER SHA-256 %s", pub.Fingerprint(), priv.Public().Fingerprint(), fp)
		}
		if i == 0 {
			// The release envelope signed by the ECDSA key, with an authored approval.
			if err := WriteRelease(ctx, dir, priv, &Approval{Name: "Zoë Ünïcode", UserID: "zoe@example.com", Time: t0}); err != nil {
				t.Fatal(err)
			}
		} else if _, err := Sign(ctx, dir, priv, Approval{Name: "Ed Signer", Meaning: Approved, Comment: "naïve café ✓", Time: t0}); err != nil {
			t.Fatal(err)
		}
		pubs = append(pubs, kp[1])
	}
	out, err := run(t, "bash", append([]string{script, dir}, pubs...)...)
	if err != nil {
		t.Fatalf("openssl script rejects a good release: %v\n%s", err, out)
	}
	for _, want := range []string{
		"release.intoto.jsonl:1: release statement: signature 1 verified with " + ecPub,
		"release.intoto.jsonl:2: authored by Zoë Ünïcode at 2026-12-01T09:00:00Z: verified with " + ecPub,
		"release.intoto.jsonl:3: approved by Ed Signer at 2026-12-01T09:00:00Z: verified with " + edPub,
		"OK",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Only the ECDSA key: the Ed25519 signature is unknown.
	if out, err := run(t, "bash", script, dir, ecPub); err == nil || !strings.Contains(out, "release.intoto.jsonl:3: signature 1 does not verify") {
		t.Errorf("one key missing: %v\n%s", err, out)
	}
	// A changed payload byte and a changed file are rejected.
	bad := copyDir(t, dir)
	editPayload(t, bad, 2, func(p []byte) []byte { return []byte(strings.Replace(string(p), "Ed Signer", "Ed Signor", 1)) })
	if out, err := run(t, "bash", append([]string{script, bad}, pubs...)...); err == nil || !strings.Contains(out, "release.intoto.jsonl:3: signature 1 does not verify") {
		t.Errorf("changed payload: %v\n%s", err, out)
	}
	bad = copyDir(t, dir)
	flipByte(t, filepath.Join(bad, "sbom/linux-amd64.cdx.json"))
	if out, err := run(t, "bash", append([]string{script, bad}, pubs...)...); err == nil || !strings.Contains(out, "a subject's digest differs") {
		t.Errorf("changed file: %v\n%s", err, out)
	}
	bad = copyDir(t, dir)
	other := makeRelease(t, "4.0.0")
	WriteRelease(ctx, other, nil, nil)
	p, _ := LoadPrivateKey(edPriv, nil)
	Sign(ctx, other, p, Approval{Name: "Ed Signer", Meaning: Reviewed, Time: t0})
	writeLines(t, bad, append(readLines(t, bad), readLines(t, other)[1]))
	if out, err := run(t, "bash", append([]string{script, bad}, pubs...)...); err == nil || !strings.Contains(out, "release.intoto.jsonl:4: the approval's subject is not this release statement") {
		t.Errorf("moved approval: %v\n%s", err, out)
	}
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if out, err := run(t, "cp", "-a", src+"/.", dst); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	return dst
}

// TestSEC1Key: openssl ecparam -genkey's "EC PRIVATE KEY" is accepted.
func TestSEC1Key(t *testing.T) {
	needTools(t, "openssl")
	dir := t.TempDir()
	priv := filepath.Join(dir, "sec1.pem")
	if out, err := run(t, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", priv); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := LoadPrivateKey(priv, nil); err != nil {
		t.Error(err)
	}
	// A P-384 key is refused with a clear reason.
	p384 := filepath.Join(dir, "p384.pem")
	if out, err := run(t, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", p384); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := LoadPrivateKey(p384, nil); err == nil || !strings.Contains(err.Error(), "only P-256") {
		t.Errorf("P-384: %v", err)
	}
}
