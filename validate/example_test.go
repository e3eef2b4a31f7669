package validate

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
)

// testTimeout bounds calls in tests generously: only faults may make a
// node slow, never a busy test machine.
const testTimeout = 5 * time.Second

func loadGraph(t testing.TB, dir string) *graph.Graph {
	t.Helper()
	ms, err := manifest.Load([]string{filepath.Join("..", "examples", dir)})
	if err != nil {
		t.Fatal(err)
	}
	return graph.Build(ms)
}

func failOpts(t testing.TB, g *graph.Graph, ids ...string) Options {
	o := Options{Faults: map[int]Fault{}, Timeout: testTimeout}
	for _, id := range ids {
		v, ok := g.Lookup(id)
		if !ok {
			t.Fatalf("no node %s", id)
		}
		o.Faults[v] = Fault{Mode: FaultDown}
	}
	return o
}

// The founding incident live: Workers KV fails, everything that reads it
// goes down, and both rollback procedures are observed blocked.
func TestCloudflareDeadlockLive(t *testing.T) {
	g := loadGraph(t, "cloudflare-2023")
	r, err := Run(context.Background(), g, failOpts(t, g, "workers-kv@production"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range r.Nodes {
		if !n.Match() {
			t.Errorf("%s: predicted %+v, observed %+v", n.Node, n.Predicted, n.Observed)
		}
	}
	if len(r.Procedures) != 2 || !r.Procedures[0].ObservedBlocked || !r.Procedures[1].ObservedBlocked {
		t.Fatalf("procedures %+v", r.Procedures)
	}
	if r.Mismatches() != 0 || r.KV != 1 {
		t.Fatalf("%d mismatches, %d KV", r.Mismatches(), r.KV)
	}
}

// With the remediations the same failure comes back in wave 1, live.
func TestCloudflareFixedRecoversLive(t *testing.T) {
	g := loadGraph(t, "cloudflare-2023-fixed")
	r, err := Run(context.Background(), g, failOpts(t, g, "workers-kv@production"))
	if err != nil {
		t.Fatal(err)
	}
	back := 0
	for _, n := range r.Nodes {
		if !n.Match() {
			t.Errorf("%s: predicted %+v, observed %+v", n.Node, n.Predicted, n.Observed)
		}
		if n.Observed.Back == 1 {
			back++
		}
	}
	if back != 12 || r.Mismatches() != 0 {
		t.Fatalf("%d back in wave 1, %d mismatches", back, r.Mismatches())
	}
}
