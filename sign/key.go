package sign

import (
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/secure-systems-lab/go-securesystemslib/encrypted"
)

// PEM block types of the encrypted private keys cosign generate-key-pair
// writes: scrypt and NaCl secretbox around a PKCS#8 key, in the format of
// go-securesystemslib's encrypted package.
const (
	cosignKeyPEMType   = "ENCRYPTED COSIGN PRIVATE KEY"
	sigstoreKeyPEMType = "ENCRYPTED SIGSTORE PRIVATE KEY"
)

// PrivateKey is a signing key: ECDSA P-256 or Ed25519.
type PrivateKey struct {
	key crypto.Signer
	pub *PublicKey
}

// PublicKey is a verification key: ECDSA P-256 or Ed25519.
type PublicKey struct {
	key crypto.PublicKey
	fp  string
}

// Public returns the public half of k.
func (k *PrivateKey) Public() *PublicKey { return k.pub }

// Fingerprint returns the key's fingerprint: the hex SHA-256 of the DER
// SubjectPublicKeyInfo encoding of the public key, as
// "openssl pkey -pubin -outform DER | sha256sum" prints it.
func (k *PublicKey) Fingerprint() string { return k.fp }

// Key returns the crypto public key (*ecdsa.PublicKey or ed25519.PublicKey).
func (k *PublicKey) Key() crypto.PublicKey { return k.key }

// MarshalPEM returns the public key as a PKIX "PUBLIC KEY" PEM block, as
// openssl pkey -pubout writes it.
func (k *PublicKey) MarshalPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(k.key)
	if err != nil {
		panic(err) // only keys newPublicKey accepted get here
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// MarshalPEM returns the private key as an unencrypted PKCS#8 "PRIVATE
// KEY" PEM block, as openssl genpkey writes it.
func (k *PrivateKey) MarshalPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// GenerateKey returns a new ECDSA P-256 key, the default key type.
func GenerateKey() (*PrivateKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return newPrivateKey(k)
}

// Passphrase returns the passphrase of an encrypted key. It is called only
// for an encrypted key.
type Passphrase func() ([]byte, error)

// LoadPrivateKey reads a private key file; see ParsePrivateKey.
func LoadPrivateKey(path string, pass Passphrase) (*PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePrivateKey(path, data, pass)
}

// ParsePrivateKey parses a PEM private key: ECDSA P-256 or Ed25519 in
// unencrypted PKCS#8 ("PRIVATE KEY", as openssl genpkey writes it), ECDSA
// P-256 in SEC 1 ("EC PRIVATE KEY", openssl ecparam -genkey), or a cosign
// encrypted key ("ENCRYPTED SIGSTORE PRIVATE KEY" or "ENCRYPTED COSIGN
// PRIVATE KEY", as cosign generate-key-pair writes it), whose passphrase
// pass returns. name names the key in errors.
func ParsePrivateKey(name string, data []byte, pass Passphrase) (*PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: not a PEM private key", name)
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case cosignKeyPEMType, sigstoreKeyPEMType:
		if pass == nil {
			return nil, fmt.Errorf("%s: encrypted key and no passphrase", name)
		}
		var pw []byte
		pw, err = pass()
		if err != nil {
			return nil, fmt.Errorf("%s: passphrase: %w", name, err)
		}
		var der []byte
		der, err = encrypted.Decrypt(block.Bytes, pw)
		if err != nil {
			return nil, fmt.Errorf("%s: cannot decrypt the key (wrong passphrase?): %w", name, err)
		}
		key, err = x509.ParsePKCS8PrivateKey(der)
	case "PUBLIC KEY":
		return nil, fmt.Errorf("%s: a public key, where a private key is needed", name)
	case "ENCRYPTED PRIVATE KEY":
		return nil, fmt.Errorf("%s: PKCS#8 encrypted keys are not supported; use an unencrypted PKCS#8 key or a cosign encrypted key", name)
	default:
		return nil, fmt.Errorf("%s: unsupported PEM block %q", name, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: malformed %s: %w", name, block.Type, err)
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s: unsupported key: %s; use ECDSA P-256 or Ed25519", name, keyKind(key))
	}
	k, err := newPrivateKey(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

func newPrivateKey(s crypto.Signer) (*PrivateKey, error) {
	pub, err := newPublicKey(s.Public())
	if err != nil {
		return nil, err
	}
	return &PrivateKey{key: s, pub: pub}, nil
}

// LoadPublicKey reads a public key file; see ParsePublicKey.
func LoadPublicKey(path string) (*PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePublicKey(path, data)
}

// ParsePublicKey parses a PKIX "PUBLIC KEY" PEM block (openssl pkey
// -pubout, cosign.pub) holding an ECDSA P-256 or Ed25519 key.
func ParsePublicKey(name string, data []byte) (*PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: not a PEM public key", name)
	}
	if block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("%s: PEM block %q, want \"PUBLIC KEY\"", name, block.Type)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: malformed PUBLIC KEY: %w", name, err)
	}
	k, err := newPublicKey(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

func newPublicKey(key crypto.PublicKey) (*PublicKey, error) {
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("ECDSA curve %s: only P-256 is supported", k.Curve.Params().Name)
		}
	case ed25519.PublicKey:
	default:
		return nil, fmt.Errorf("unsupported key: %s; use ECDSA P-256 or Ed25519", keyKind(key))
	}
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(der)
	return &PublicKey{key: key, fp: hex.EncodeToString(sum[:])}, nil
}

// errBadSignature is a signature that does not verify.
var errBadSignature = errors.New("signature does not verify")

// dsseSigner is k as a dsse.Signer. Its key ID is empty: some verifiers
// skip a signature whose key ID they do not recognise.
type dsseSigner struct{ k *PrivateKey }

func (s dsseSigner) KeyID() (string, error) { return "", nil }

func (s dsseSigner) Sign(_ context.Context, data []byte) ([]byte, error) {
	switch key := s.k.key.(type) {
	case *ecdsa.PrivateKey:
		sum := sha256.Sum256(data)
		return ecdsa.SignASN1(rand.Reader, key, sum[:])
	case ed25519.PrivateKey:
		return ed25519.Sign(key, data), nil
	}
	return nil, fmt.Errorf("unsupported key: %s", keyKind(s.k.key))
}

// dsseVerifier is k as a dsse.Verifier.
type dsseVerifier struct{ k *PublicKey }

func (v dsseVerifier) KeyID() (string, error)   { return "", nil }
func (v dsseVerifier) Public() crypto.PublicKey { return v.k.key }

func (v dsseVerifier) Verify(_ context.Context, data, sig []byte) error {
	switch key := v.k.key.(type) {
	case *ecdsa.PublicKey:
		sum := sha256.Sum256(data)
		if ecdsa.VerifyASN1(key, sum[:], sig) {
			return nil
		}
	case ed25519.PublicKey:
		if ed25519.Verify(key, data, sig) {
			return nil
		}
	}
	return errBadSignature
}

// keyKind names a key's algorithm for a message.
func keyKind(key any) string {
	switch key.(type) {
	case *rsa.PrivateKey, *rsa.PublicKey:
		return "an RSA key"
	case *ecdh.PrivateKey, *ecdh.PublicKey:
		return "an X25519 or ECDH key (not a signing key)"
	}
	return fmt.Sprintf("a key of type %T", key)
}
