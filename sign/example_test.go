package sign_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/baseline-cm/baseline/manifest"
	"github.com/baseline-cm/baseline/sign"
)

func ExampleNewReleaseStatement() {
	manifest := []byte(`{"version": "1.0.0"}`)
	sbom := []byte(`{"bomFormat": "CycloneDX"}`)
	sum := sha256.Sum256(sbom)
	st, err := sign.NewReleaseStatement(manifest, []sign.Subject{
		{Name: "sbom/linux-amd64.cdx.json", Digest: map[string]string{"sha256": hex.EncodeToString(sum[:])}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.PredicateType)
	for _, s := range st.Subject {
		fmt.Println(s.Name, s.SHA256()[:12])
	}
	fmt.Println(string(st.Predicate))
	// Output:
	// https://github.com/baseline-cm/baseline/release/v1
	// manifest.json 662b20289aeb
	// sbom/linux-amd64.cdx.json 3fb974902205
	// {"version":"1.0.0"}
}

// A release is signed as it is written, then reviewed and approved;
// Verify checks it against a policy.
func ExampleVerify() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "release")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	m := &manifest.Manifest{Format: manifest.FormatVersion, BaselineID: "BL-1.0.0", Product: manifest.Product{Name: "Pump"},
		Version: "1.0.0", ReleaseType: manifest.First, Created: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		Items: []manifest.Item{}, Anomalies: []manifest.Anomaly{}}
	data, _ := m.Marshal()
	os.WriteFile(filepath.Join(dir, manifest.FileName), data, 0o644)

	author, _ := sign.GenerateKey()
	reviewer, _ := sign.GenerateKey()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if err := sign.WriteRelease(ctx, dir, author, &sign.Approval{Name: "Ann Author", UserID: "ann", Time: at}); err != nil {
		log.Fatal(err)
	}
	if _, err := sign.Sign(ctx, dir, reviewer, sign.Approval{Name: "Rob Reviewer", UserID: "rob", Meaning: sign.Reviewed, Time: at.Add(time.Hour)}); err != nil {
		log.Fatal(err)
	}
	policy := &sign.Policy{
		Keys: []sign.TrustedKey{
			{Name: "Ann Author", UserID: "ann", Key: author.Public()},
			{Name: "Rob Reviewer", UserID: "rob", Key: reviewer.Public()},
		},
		Require: []sign.Requirement{
			{Meaning: sign.Authored, Count: 1},
			{Meaning: sign.Reviewed, Count: 1, NotBy: []string{sign.Authored}},
			{Meaning: sign.Approved, Count: 1},
		},
	}
	r, err := sign.Verify(ctx, dir, policy)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range r.Approvals {
		fmt.Println(a.Meaning, "by", a.Name, "at", a.Time.Format(time.RFC3339))
	}
	for _, p := range r.Problems {
		fmt.Println(p)
	}
	// Output:
	// authored by Ann Author at 2026-12-01T09:00:00Z
	// reviewed by Rob Reviewer at 2026-12-01T10:00:00Z
	// policy: needs 1 approved, has 0
}

const examplePub = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+nDvuCOA9nQOWEJUFjb/yXm8d5Wc
iHFfmxVaGeoUmIjPkbTyoX5HzakhNtUYkVHkoAOkMP+C9ChhkZzhGjjP+w==
-----END PUBLIC KEY-----
`

// A key's fingerprint is the SHA-256 of its DER SubjectPublicKeyInfo, as
// "openssl pkey -pubin -in key.pub.pem -outform DER | sha256sum" prints it.
func ExampleParsePublicKey() {
	k, err := sign.ParsePublicKey("ann.pub.pem", []byte(examplePub))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(k.Fingerprint())
	// Output:
	// 087da4df94d822c18889ee7dc7d94c46f9a21699b01b47d0c29aaaf4965b682e
}

func ExampleParsePolicy() {
	policy := `version: 1
keys:
  - name: Ann Author
    user_id: ann@example.com
    public_key: |
      -----BEGIN PUBLIC KEY-----
      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+nDvuCOA9nQOWEJUFjb/yXm8d5Wc
      iHFfmxVaGeoUmIjPkbTyoX5HzakhNtUYkVHkoAOkMP+C9ChhkZzhGjjP+w==
      -----END PUBLIC KEY-----
require:
  - meaning: authored
  - meaning: reviewed
    not_by: [authored]
`
	p, err := sign.ParsePolicy("policy.yaml", []byte(policy))
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range p.Keys {
		fmt.Println(k.Name, k.UserID, k.Key.Fingerprint()[:16])
	}
	for _, r := range p.Require {
		fmt.Println(r)
	}
	_, err = sign.ParsePolicy("policy.yaml", []byte("version: 1\nkeys: []\nrequire:\n  - meaning: blessed\n"))
	fmt.Println(err)
	// Output:
	// Ann Author ann@example.com 087da4df94d822c1
	// 1 authored
	// 1 reviewed by someone other than the authored signer
	// policy.yaml:2: keys: empty: a policy trusts at least one key
	// policy.yaml:4: require[0].meaning: "blessed" is neither a standard meaning (authored, reviewed, approved) nor listed in meanings
}
