package validate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/manifest"
)

// withKV marks about one datastore in three as played by the reference KV,
// so that random sets read real keys too.
func withKV(ms []*manifest.Manifest, r *rand.Rand) {
	for _, m := range ms {
		if m.Service.Kind == manifest.KindDatastore && r.IntN(3) == 0 {
			m.Service.Emulate = "kv"
		}
	}
}

// withStartPhase makes about one hard dependency in five a start-phase
// one, so that random sets have nodes that stay up when such a dependency
// fails but wait for it to come back; it returns how many it changed.
func withStartPhase(ms []*manifest.Manifest, r *rand.Rand) int {
	n := 0
	for _, m := range ms {
		for i := range m.Dependencies {
			if d := &m.Dependencies[i]; d.Mode == manifest.Hard && r.IntN(5) == 0 {
				d.Phase = manifest.PhaseStart
				n++
			}
		}
	}
	return n
}

// withAnyOf merges two hard run-time dependencies of about one node in
// four into an any_of group (quorum 1 or 2), so that random sets have nodes
// that survive one alternative down; it returns how many groups it made.
func withAnyOf(ms []*manifest.Manifest, r *rand.Rand) int {
	n := 0
	for _, m := range ms {
		var hard []int
		for i, d := range m.Dependencies {
			if d.Mode == manifest.Hard && d.Phase != manifest.PhaseStart && d.AnyOf == nil {
				hard = append(hard, i)
			}
		}
		if len(hard) < 2 || r.IntN(4) != 0 || m.Dependencies[hard[0]].On.ID() == m.Dependencies[hard[1]].On.ID() {
			continue
		}
		a, b := m.Dependencies[hard[0]], m.Dependencies[hard[1]]
		group := a
		group.On, group.AnyOf, group.Quorum = manifest.Ref{}, []manifest.Ref{a.On, b.On}, 1+r.IntN(2)
		m.Dependencies = append(slices.Delete(m.Dependencies, hard[1], hard[1]+1), group)
		m.Dependencies = slices.Delete(m.Dependencies, hard[0], hard[0]+1)
		n++
	}
	return n
}

// withRebuilds marks about one procedure in two as one that rebuilds its
// node, and gives about one node in three that runs on another (a hard
// dependency) and has no procedure one to be redeployed with, through a
// random node; it returns how many procedures rebuild.
func withRebuilds(ms []*manifest.Manifest, r *rand.Rand) int {
	n := 0
	for _, m := range ms {
		for i := range m.Recoveries {
			if r.IntN(2) == 0 {
				m.Recoveries[i].Rebuilds = true
				n++
			}
		}
		hosted := slices.ContainsFunc(m.Dependencies, func(d manifest.Dependency) bool { return d.AnyOf == nil && d.Mode == manifest.Hard })
		if hosted && len(m.Recoveries) == 0 && r.IntN(3) == 0 {
			via := ms[r.IntN(len(ms))].Service
			m.Recoveries = append(m.Recoveries, manifest.Recovery{Name: "redeploy", Via: []manifest.Ref{{Name: via.Name, Env: via.Env}}})
		}
	}
	return n
}

// agree runs one failure live and reports every observation that differs
// from the prediction.
func agree(t *testing.T, g *graph.Graph, failed []int) (string, *Result) {
	t.Helper()
	o := Options{Faults: map[int]Fault{}, Timeout: testTimeout}
	for _, v := range failed {
		o.Faults[v] = Fault{Mode: FaultDown}
	}
	r, err := Run(context.Background(), g, o)
	if err != nil {
		t.Fatal(err)
	}
	msg := ""
	for _, n := range r.Nodes {
		if !n.Match() {
			msg += fmt.Sprintf("  %s: predicted %+v, observed %+v\n", n.Node, n.Predicted, n.Observed)
		}
	}
	for _, p := range r.Procedures {
		if !p.Match() {
			msg += fmt.Sprintf("  %s %s: predicted blocked %v, observed blocked %v\n", p.Node, p.Procedure, p.PredictedBlocked, p.ObservedBlocked)
		}
	}
	return msg, r
}

// TestAgreesWithWhatIf replays random failures of random manifest sets live
// and demands that every observation matches what-if: small tangled sets
// (cycles of every kind, procedures that rebuild their node), and
// 200-service estates.
func TestAgreesWithWhatIf(t *testing.T) {
	seeds := 60
	if testing.Short() {
		seeds = 10
	}
	deadlocks, waves, kvs, starts, groups, viaStarts, redeploys, stranded := 0, 0, 0, 0, 0, 0, 0, 0
	check := func(name string, ms []*manifest.Manifest, r *rand.Rand, tries int) {
		withKV(ms, r)
		groups += withAnyOf(ms, r)
		starts += withStartPhase(ms, r)
		withRebuilds(ms, r)
		g := graph.Build(ms)
		for range tries {
			k := 1 + r.IntN(3)
			var failed []int
			for range k {
				failed = append(failed, r.IntN(len(g.Nodes)))
			}
			slices.Sort(failed)
			failed = slices.Compact(failed)
			msg, res := agree(t, g, failed)
			if msg != "" {
				var ids []string
				for _, v := range failed {
					ids = append(ids, g.Nodes[v].ID)
				}
				t.Fatalf("%s, --fail %v:\n%s", name, ids, msg)
			}
			if !res.Prediction.Recovered() {
				deadlocks++
			}
			waves = max(waves, len(res.Prediction.Waves))
			kvs += res.KV
			for _, u := range res.Prediction.Unrecovered {
				for _, b := range u.Blocked {
					if len(b.Witness) > 2 && strings.HasSuffix(b.Witness[2].Label, ", start") {
						viaStarts++ // blocked by what a via node needs to start
					}
				}
			}
			stranded += len(res.Prediction.Stranded)
			for _, wave := range res.Prediction.Waves {
				for _, rep := range wave {
					if rep.Redeploy {
						redeploys++
					}
				}
			}
		}
	}
	for seed := range seeds {
		ms, err := synth.Manifests(synth.Small(int64(seed)))
		if err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("small seed %d", seed), ms, rand.New(rand.NewPCG(uint64(seed), 1)), 3)
	}
	for seed := range 2 {
		ms, err := synth.Manifests(synth.Large(200, int64(seed)))
		if err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("200 services, seed %d", seed), ms, rand.New(rand.NewPCG(uint64(seed), 2)), 2)
	}
	if deadlocks == 0 || waves < 2 || kvs == 0 || starts == 0 || groups == 0 || viaStarts == 0 || redeploys == 0 || stranded == 0 {
		t.Fatalf("too tame: %d deadlocks, at most %d waves, %d reference KVs, %d start-phase dependencies, %d any_of groups, %d procedures blocked by what a via node needs to start, %d redeploys, %d stranded nodes",
			deadlocks, waves, kvs, starts, groups, viaStarts, redeploys, stranded)
	}
	t.Logf("%d procedures blocked by what a via node needs to start, %d redeploys, %d stranded nodes", viaStarts, redeploys, stranded)
}

// TestStopsEverything: after a run, and after a run cut short, no server,
// connection or goroutine of it is left.
func TestStopsEverything(t *testing.T) {
	g := loadGraph(t, "cloudflare-2023-fixed")
	before := runtime.NumGoroutine()
	if _, err := Run(context.Background(), g, failOpts(t, g, "workers-kv@production")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, g, failOpts(t, g, "workers-kv@production")); err == nil {
		t.Fatal("a cancelled run reported success")
	}
	waitGoroutines(t, before)
}

// TestInterruptedMidRun is Ctrl-C during a replay: a slow node keeps the
// probes waiting when the context is cancelled. Run must return at once
// with the cancellation, and leave nothing running.
func TestInterruptedMidRun(t *testing.T) {
	g := loadGraph(t, "cloudflare-2023-fixed")
	access, _ := g.Lookup("access@production")
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := Run(ctx, g, Options{Faults: map[int]Fault{access: {Mode: FaultLatency, Latency: time.Minute}}, Timeout: 2 * time.Minute})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the cancellation", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("took %s to stop after the cancellation", took)
	}
	waitGoroutines(t, before)
}

// waitGoroutines fails unless the goroutine count falls back to before.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines left (before: %d):\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
