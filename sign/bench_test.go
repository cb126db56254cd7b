package sign

import (
	"context"
	"testing"
	"time"
)

// BenchmarkVerify verifies a release with a signed release envelope and
// three approvals against a policy of three keys: digests recomputed,
// four ECDSA verifications, notes re-rendered and compared.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		r, err := Verify(ctx, f.dir, f.policy)
		if err != nil || !r.OK() {
			b.Fatal(err, r.Problems)
		}
	}
}

// BenchmarkSign adds approvals to one release, one a call, each checking
// the release files, signing, appending under the lock and re-rendering
// the notes.
func BenchmarkSign(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	at := t0
	b.ResetTimer()
	for b.Loop() {
		p := newPerson(b, "Bench Signer", "bench@example.com")
		at = at.Add(time.Second)
		if _, err := Sign(ctx, f.dir, p.key, p.approval(Reviewed, at)); err != nil {
			b.Fatal(err)
		}
	}
}
