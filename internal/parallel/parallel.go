// Package parallel runs the independent steps of a loop on every
// processor: discovery's per-module reads of the module cache and the
// SBOM encoders' per-component conversion and encoding, which on a large
// product run after the go command has finished and so are all that the
// user waits for.
package parallel

import (
	"runtime"
	"sync"
)

// For calls fn for each index below n, in contiguous ranges of at least
// least indexes, one range per processor, and returns when all calls have
// returned. fn must be safe to call concurrently for distinct indexes.
func For(n, least int, fn func(i int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n/max(1, least)))
	if workers == 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	for k := range workers {
		lo, hi := k*n/workers, (k+1)*n/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				fn(i)
			}
		})
	}
	wg.Wait()
}
