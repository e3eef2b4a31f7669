// Package parallel shares work out to every core in blocks: the pattern
// of loading, sweeping and writing large estates, in one place.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls work(lo, hi) for consecutive blocks [lo, hi) of at most block
// indices covering [0, n), on runtime.GOMAXPROCS(0) goroutines at most, and
// returns once every call has returned. Blocks are handed out in order as
// goroutines become free, so uneven blocks balance themselves; work must
// write only what its block owns.
func For(n, block int, work func(lo, hi int)) {
	ForScratch(n, block, func() struct{} { return struct{}{} }, func(_ struct{}, lo, hi int) { work(lo, hi) })
}

// ForScratch is For with scratch space: each goroutine makes its own with
// newScratch, once, and passes it to every block it works on.
func ForScratch[S any](n, block int, newScratch func() S, work func(s S, lo, hi int)) {
	if n <= 0 {
		return
	}
	block = max(block, 1)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (n+block-1)/block) {
		wg.Go(func() {
			s := newScratch()
			for lo := int(next.Add(int64(block)) - int64(block)); lo < n; lo = int(next.Add(int64(block)) - int64(block)) {
				work(s, lo, min(lo+block, n))
			}
		})
	}
	wg.Wait()
}
