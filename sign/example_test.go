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
