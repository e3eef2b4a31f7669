// Package gctune sets the garbage collector's policy for a catch22 run.
//
// Loading many manifests makes a great deal of short-lived garbage (the
// TOML decoder allocates about 11 KB per file) while the data kept is small
// (about 150 MB for 100,000 services). Go's default policy collects every
// time the heap doubles, which early in a load means every few megabytes:
// most of those collections find almost nothing to free. Instead the
// collector waits until the process nears a floor, and above the floor
// lets the heap grow to 2.5 times what the last collection found live.
// Once a load is over, Settle moves a collection that is due soon to that
// moment, when every core can mark.
package gctune

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Floor is the memory the collector lets the process reach before its
// first collection: 100,000 services check in about 20% less time than
// with Go's default policy, within 1 GB.
const Floor = 700 << 20

// Enable applies the policy with the given floor, unless GOGC or
// GOMEMLIMIT in the environment choose another.
func Enable(floor int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	enabled.Store(true)
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(floor)
	arm(floor)
}

// enabled is whether the policy is in force: the retune after each
// collection stops re-arming itself once Restore clears it.
var enabled atomic.Bool

// Restore gives the collector back Go's default policy (GOGC=100, no
// limit), for a long-running server in a process that enabled the batch
// policy: one that sees large values now and then should not sit on 700 MB
// of garbage.
func Restore() {
	enabled.Store(false)
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
}

// sentinel is an object that only the collector frees, so that its cleanup
// runs once after every collection. It holds a pointer so that it is
// never batched with other tiny objects, which would delay its freeing.
type sentinel struct {
	_ *byte
	_ [8]byte
}

// arm schedules a retune after the next collection, which re-arms itself.
func arm(floor int64) {
	runtime.AddCleanup(new(sentinel), func(floor int64) {
		if enabled.Load() {
			retune(floor)
			arm(floor)
		}
	}, floor)
}

// liveMetric is the heap that the last collection found live.
const liveMetric = "/gc/heap/live:bytes"

// growth is how far, in halves, the heap may grow past what the last
// collection found live before the next: 5 halves, 2.5 times. Go's default
// is 2 times; at a million services, where about 2.4 GB stay live while
// the decoder makes garbage of 11 KB a file, the wider margin saves about a
// third of the collections, for a peak of 6–7 GB.
const growth = 5

// retune sets the limit to growth/2 times the live heap, and never below
// floor.
func retune(floor int64) {
	sample := []metrics.Sample{{Name: liveMetric}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	debug.SetMemoryLimit(max(floor, growth*int64(sample[0].Value.Uint64())/2))
}

// Settle collects now when the heap is closer to its next collection than
// the data it holds, so that the collection falls here rather than in the
// middle of what comes next. Meant for the moment a load has ended: its
// garbage is dead, nothing else runs, and every core marks; the graph and
// the analysis that follow allocate about as much as the data loaded, and
// a collection running alongside them slows them by more than its own work
// (at 100,000 services, 0.25 s where a collection here takes 0.05 s).
func Settle() {
	if !enabled.Load() {
		return
	}
	s := []metrics.Sample{{Name: liveMetric}, {Name: "/gc/heap/goal:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	for _, v := range s {
		if v.Value.Kind() != metrics.KindUint64 {
			return
		}
	}
	live, goal, now := s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64()
	if live == 0 { // no collection yet: what is in use bounds what is live
		live = now
	}
	if now+live > goal {
		runtime.GC()
	}
}
