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
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
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
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
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
