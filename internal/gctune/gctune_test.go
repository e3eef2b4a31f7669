package gctune

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestLimitFollowsLiveHeap: below the floor the limit is the floor; once
// more than 40% of the floor is live, a collection raises the limit to 2.5
// times the live heap, and it comes back down to the floor when that is freed.
func TestLimitFollowsLiveHeap(t *testing.T) {
	isolate(t)
	const floor = 16 << 20
	Enable(floor)
	if got := debug.SetMemoryLimit(-1); got != floor {
		t.Fatalf("limit %d after Enable, want the floor %d", got, floor)
	}
	kept := make([]byte, 64<<20)
	for i := range kept {
		kept[i] = 1
	}
	waitForLimit(t, func(l int64) bool { return l >= int64(len(kept))*growth/2 }, "at least 2.5 times the 64 MB kept")
	runtime.KeepAlive(kept)
	kept = nil
	waitForLimit(t, func(l int64) bool { return l == floor }, "back at the floor")
}

// isolate lets a test enable the policy: GOGC and GOMEMLIMIT are unset for
// it, and when it ends the retuning stops and the collector's settings are
// put back, so that no test leaves the policy running under the next.
func isolate(t *testing.T) {
	t.Helper()
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	percent := debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		Restore()
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

// waitForLimit collects until the limit satisfies ok: cleanups run on
// their own goroutine, shortly after the collection that frees them.
func waitForLimit(t *testing.T, ok func(int64) bool, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		l := debug.SetMemoryLimit(-1)
		if ok(l) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("memory limit %d MB, want %s", l>>20, want)
		}
	}
}

// TestRestore: after Restore the collector runs on Go's default policy,
// and later collections no longer retune it.
func TestRestore(t *testing.T) {
	isolate(t)
	Enable(16 << 20)
	Restore()
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Fatalf("memory limit %d after Restore and collections, want none", l)
	}
	if p := debug.SetGCPercent(100); p != 100 {
		t.Fatalf("GOGC %d after Restore, want 100", p)
	}
}

// sink keeps allocations on the heap.
var sink [][]byte

// TestSettle: Settle collects when the heap in use and the live heap
// together pass the next collection's goal, not before, and never once
// Restore gave the policy up.
func TestSettle(t *testing.T) {
	isolate(t)
	Enable(256 << 20)
	kept := make([]byte, 100<<20)
	runtime.GC() // 100 MB live, and little else in use
	cycles := func() uint32 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.NumGC
	}
	before := cycles()
	Settle()
	if cycles() != before {
		t.Fatal("Settle collected with 100 MB in use, 100 MB live and a goal near 256 MB")
	}
	for range 80 {
		sink = append(sink, make([]byte, 1<<20))
	}
	sink = nil // 80 MB of garbage: 180 MB in use
	before = cycles()
	Settle()
	if cycles() != before+1 {
		t.Fatalf("Settle ran %d collections with 180 MB in use and 100 MB live, want 1", cycles()-before)
	}
	Restore()
	for range 200 {
		sink = append(sink, make([]byte, 1<<20))
	}
	sink = nil
	before = cycles()
	Settle()
	if cycles() != before {
		t.Fatal("Settle collected after Restore")
	}
	runtime.KeepAlive(kept)
}
