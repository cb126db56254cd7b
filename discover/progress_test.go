package discover_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/baseline-cm/baseline/discover"
)

// TestProgress: Options.Progress is told, one call at a time, how many of
// the components have their digests and licences, from 0 to all, with a
// cold cache and with a warm one.
func TestProgress(t *testing.T) {
	ctx := context.Background()
	dir := setupMain(t)
	cacheDir := t.TempDir()
	for _, run := range []string{"cold", "warm"} {
		var calls [][2]int
		var inside atomic.Int32
		opts := discover.Options{Dir: dir, CacheDir: cacheDir, Jobs: 4, Progress: func(done, total int) {
			if inside.Add(1) != 1 {
				t.Errorf("%s: Progress called concurrently", run)
			}
			calls = append(calls, [2]int{done, total})
			inside.Add(-1)
		}}
		inv, err := discover.Packages(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		n := len(inv.Components)
		if len(calls) != n+1 {
			t.Fatalf("%s: %d calls for %d components: %v", run, len(calls), n, calls)
		}
		for i, c := range calls {
			if c != [2]int{i, n} {
				t.Errorf("%s: call %d: Progress(%d, %d), want (%d, %d)", run, i, c[0], c[1], i, n)
			}
		}
	}
}
