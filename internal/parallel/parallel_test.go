package parallel

import (
	"sync/atomic"
	"testing"
)

// TestForCoversEachIndexOnce: every index in [0, n) is worked on exactly
// once, in blocks no larger than asked, whatever n and the block size.
func TestForCoversEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 5, 64, 1000, 1001} {
		for _, block := range []int{0, 1, 3, 64, 5000} {
			seen := make([]atomic.Int32, n)
			For(n, block, func(lo, hi int) {
				if hi-lo > max(block, 1) || lo >= hi {
					t.Errorf("n %d, block %d: block [%d, %d)", n, block, lo, hi)
				}
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Fatalf("n %d, block %d: index %d worked on %d times", n, block, i, c)
				}
			}
		}
	}
}

// TestForScratchPerGoroutine: scratch space is made once per goroutine,
// never shared between two at once.
func TestForScratchPerGoroutine(t *testing.T) {
	var made atomic.Int32
	type scratch struct{ busy atomic.Bool }
	ForScratch(10000, 7, func() *scratch { made.Add(1); return new(scratch) }, func(s *scratch, lo, hi int) {
		if s.busy.Swap(true) {
			t.Error("one scratch used by two blocks at once")
		}
		s.busy.Store(false)
	})
	if made.Load() == 0 {
		t.Fatal("no scratch made")
	}
}
