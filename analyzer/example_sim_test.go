package analyzer

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// exampleNow pins "today" for the examples (the fixed example's drill is
// recent on this day).
var exampleNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func loadExample(t *testing.T, name string) []*manifest.Manifest {
	t.Helper()
	ms, err := manifest.Load([]string{filepath.Join("..", "examples", name)})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func simulateExample(t *testing.T, name string, fail ...string) *WhatIf {
	t.Helper()
	g := graph.Build(loadExample(t, name))
	var idx []int
	for _, f := range fail {
		v, ok := g.Lookup(f)
		if !ok {
			t.Fatalf("no node %s", f)
		}
		idx = append(idx, v)
	}
	return Simulate(g, idx)
}

// On 30 October 2023, as designed, Workers KV could not be rolled back:
// both procedures went through something that needs KV.
func TestWhatIfWorkersKVDeadlock(t *testing.T) {
	w := simulateExample(t, "cloudflare-2023", "workers-kv@production")
	if len(w.Waves) != 0 {
		t.Fatalf("waves %v, want none", w.Waves)
	}
	if len(w.Unrecovered) != 1 || w.Unrecovered[0].Node != "workers-kv@production" || w.Unrecovered[0].Reason != ReasonDeadlock {
		t.Fatalf("unrecovered %+v", w.Unrecovered)
	}
	got := map[string]string{}
	for _, b := range w.Unrecovered[0].Blocked {
		got[b.Procedure] = drawHops(b.Witness)
	}
	want := map[string]string{
		"ci-rollback":      "workers-kv -[recovery: ci-rollback]-> ci -[auth]-> access -[auth]-> workers-kv",
		"dashboard-revert": "workers-kv -[recovery: dashboard-revert]-> dashboard -[config]-> feature-flags -[config]-> workers-kv",
	}
	if len(got) != 2 || got["ci-rollback"] != want["ci-rollback"] || got["dashboard-revert"] != want["dashboard-revert"] {
		t.Fatalf("blocked witnesses %v, want %v", got, want)
	}
	if len(w.Down) != 14 || w.Recovered() {
		t.Fatalf("down %d (want 14), recovered %v", len(w.Down), w.Recovered())
	}
	for _, d := range w.Down {
		if d.Back != 0 {
			t.Fatalf("%s comes back in wave %d", d.Node, d.Back)
		}
	}
	if len(w.Suggestions) == 0 {
		t.Fatal("no suggestion to break the deadlock")
	}
}

// With the post-mortem's remediations, KV is repaired in the first wave
// and everything that went down with it is back.
func TestWhatIfWorkersKVFixedRecovers(t *testing.T) {
	w := simulateExample(t, "cloudflare-2023-fixed", "workers-kv@production")
	if len(w.Waves) != 1 || len(w.Waves[0]) != 1 || w.Waves[0][0] != (Repair{Node: "workers-kv@production", Procedure: "ci-rollback"}) {
		t.Fatalf("waves %v", w.Waves)
	}
	if len(w.Unrecovered) != 0 || !w.Recovered() || len(w.Down) != 12 || len(w.Suggestions) != 0 {
		t.Fatalf("unrecovered %v, recovered %v, down %d, suggestions %v", w.Unrecovered, w.Recovered(), len(w.Down), w.Suggestions)
	}
}

func TestPlanCloudflare(t *testing.T) {
	p := ColdStart(graph.Build(loadExample(t, "cloudflare-2023")))
	if len(p.Never) != 14 || !slices.ContainsFunc(p.Never, func(s Stuck) bool { return s.Node == "workers-kv@production" }) {
		t.Fatalf("never %v", p.Never)
	}
	for _, s := range p.Never {
		if s.Node == "workers-kv@production" {
			if got, want := drawHops(s.Witness), "workers-kv -[recovery: ci-rollback]-> ci -[auth]-> access -[auth]-> workers-kv"; got != want {
				t.Fatalf("workers-kv never comes up because %s, want %s", got, want)
			}
		}
	}
	if p.Release == nil || p.Release.Nodes != 14 || p.Release.Change.String() != "make access → workers-kv soft (cache the keys or tokens it verifies with)" {
		t.Fatalf("release %+v", p.Release)
	}

	fixed := ColdStart(graph.Build(loadExample(t, "cloudflare-2023-fixed")))
	if len(fixed.Never) != 0 || fixed.Release != nil || len(fixed.Waves) != 4 {
		t.Fatalf("fixed: never %v, release %v, %d waves", fixed.Never, fixed.Release, len(fixed.Waves))
	}
	kv := slices.IndexFunc(fixed.Waves[1], func(b BringUp) bool { return b.Node == "workers-kv@production" })
	if kv < 0 || fixed.Waves[1][kv].Procedure != "ci-rollback" {
		t.Fatalf("wave 2 %v: want workers-kv up by ci-rollback", fixed.Waves[1])
	}
}

// drawHops draws a witness as the text output does.
func drawHops(hops []rules.Hop) string {
	s := ""
	for i, h := range hops {
		if i > 0 {
			s += " -[" + h.Label + "]-> "
		}
		s += display(h.Node)
	}
	return s
}
