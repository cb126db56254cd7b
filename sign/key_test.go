package sign

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/secure-systems-lab/go-securesystemslib/encrypted"
)

// cosignKey encrypts k as cosign generate-key-pair does: the PKCS#8 DER,
// encrypted with go-securesystemslib's encrypted package, in an
// "ENCRYPTED SIGSTORE PRIVATE KEY" PEM block.
func cosignKey(t *testing.T, k *PrivateKey, pass, pemType string) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := encrypted.EncryptWithCustomKDFParameters(der, []byte(pass), encrypted.Legacy)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: enc})
}

func TestCosignKey(t *testing.T) {
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY"} {
		data := cosignKey(t, k, "correct horse", typ)
		asked := 0
		got, err := ParsePrivateKey("cosign.key", data, func() ([]byte, error) { asked++; return []byte("correct horse"), nil })
		if err != nil {
			t.Fatal(err)
		}
		if asked != 1 || got.Public().Fingerprint() != k.Public().Fingerprint() {
			t.Errorf("%s: asked %d times, fingerprint %s want %s", typ, asked, got.Public().Fingerprint(), k.Public().Fingerprint())
		}
		if _, err := ParsePrivateKey("cosign.key", data, func() ([]byte, error) { return []byte("wrong"), nil }); err == nil || !strings.Contains(err.Error(), "cosign.key: cannot decrypt the key (wrong passphrase?)") {
			t.Errorf("wrong passphrase: %v", err)
		}
		if _, err := ParsePrivateKey("cosign.key", data, nil); err == nil || !strings.Contains(err.Error(), "encrypted key and no passphrase") {
			t.Errorf("no passphrase: %v", err)
		}
		boom := errors.New("no terminal")
		if _, err := ParsePrivateKey("cosign.key", data, func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
			t.Errorf("passphrase error: %v", err)
		}
	}
}

func TestKeyErrors(t *testing.T) {
	k, _ := GenerateKey()
	for _, tc := range []struct {
		data, want string
	}{
		{"", "k.pem: not a PEM private key"},
		{"hello", "k.pem: not a PEM private key"},
		{string(k.Public().MarshalPEM()), "k.pem: a public key, where a private key is needed"},
		{"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "PKCS#8 encrypted keys are not supported"},
		{"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", `unsupported PEM block "RSA PRIVATE KEY"`},
		{"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "k.pem: malformed PRIVATE KEY"},
	} {
		if _, err := ParsePrivateKey("k.pem", []byte(tc.data), nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.data, err, tc.want)
		}
	}
	for _, tc := range []struct {
		data, want string
	}{
		{"", "k.pub: not a PEM public key"},
		{string(k.MarshalPEM()), `k.pub: PEM block "PRIVATE KEY", want "PUBLIC KEY"`},
		{"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "k.pub: malformed PUBLIC KEY"},
	} {
		if _, err := ParsePublicKey("k.pub", []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.data, err, tc.want)
		}
	}
	// An RSA key in PKCS#8 and PKIX is named as one, not by its Go type.
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(rk)
	priv := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	der, _ = x509.MarshalPKIXPublicKey(&rk.PublicKey)
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	const wantRSA = "unsupported key: an RSA key; use ECDSA P-256 or Ed25519"
	if _, err := ParsePrivateKey("k.pem", priv, nil); err == nil || !strings.Contains(err.Error(), wantRSA) || strings.Contains(err.Error(), "*rsa") {
		t.Errorf("RSA private key: %v, want %q", err, wantRSA)
	}
	if _, err := ParsePublicKey("k.pub", pub); err == nil || !strings.Contains(err.Error(), wantRSA) || strings.Contains(err.Error(), "*rsa") {
		t.Errorf("RSA public key: %v, want %q", err, wantRSA)
	}
	// A private key round-trips through its PEM.
	k2, err := ParsePrivateKey("k.pem", k.MarshalPEM(), nil)
	if err != nil || k2.Public().Fingerprint() != k.Public().Fingerprint() {
		t.Errorf("round trip: %v", err)
	}
}

// TestCosignGeneratedKey: a key pair written by cosign v2.6.5
// generate-key-pair (passphrase "baseline-test"; a throwaway test key)
// decrypts with its passphrase, and its public half is cosign.pub.
func TestCosignGeneratedKey(t *testing.T) {
	k, err := LoadPrivateKey("testdata/cosign.key", func() ([]byte, error) { return []byte("baseline-test"), nil })
	if err != nil {
		t.Fatal(err)
	}
	pub, err := LoadPublicKey("testdata/cosign.pub")
	if err != nil {
		t.Fatal(err)
	}
	const want = "829572c693df41d1fe3952b92ef7e750271193814e1bc5bea17e8a60b7ee5df5" // openssl pkey -pubin -outform DER | sha256sum
	if k.Public().Fingerprint() != want || pub.Fingerprint() != want {
		t.Errorf("fingerprints %s, %s; want %s", k.Public().Fingerprint(), pub.Fingerprint(), want)
	}
	if _, err := LoadPrivateKey("testdata/cosign.key", func() ([]byte, error) { return []byte("nope"), nil }); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Errorf("wrong passphrase: %v", err)
	}
}
