package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
)

// TestFor: every index is visited once, with one processor or several,
// for counts below, at and above the least range.
func TestFor(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 7, 8, 9, 100} {
			seen := make([]atomic.Int32, n)
			For(n, 8, func(i int) { seen[i].Add(1) })
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Errorf("GOMAXPROCS %d, n %d: index %d visited %d times", procs, n, i, c)
				}
			}
		}
	}
}
