package analyzer

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/observed"
	"github.com/catch22/catch22/rules"
)

// trafficEstate is 10k synthetic services with about 2% of their
// references naming no declared node, and n observed calls: every declared
// dependency once, the rest between random callers and random callees, a
// third of them services nobody declares.
func trafficEstate(tb testing.TB, n int) (*graph.Graph, []observed.Call) {
	tb.Helper()
	cfg := synth.Large(10_000, 1)
	cfg.UnknownRefs = 0.02
	ms, err := synth.Manifests(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	g := graph.Build(ms)
	calls := make([]observed.Call, 0, n)
	for _, e := range g.Edges {
		if e.Type == graph.Dependency && len(calls) < n {
			calls = append(calls, observed.Call{Client: g.Nodes[e.From].ID, Server: g.Nodes[e.To].ID, Count: 3})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for len(calls) < n {
		client := strings.TrimSuffix(g.Nodes[r.IntN(len(g.Nodes))].ID, "@production")
		server := fmt.Sprintf("ghost-%d", r.IntN(n))
		if r.IntN(3) > 0 {
			server = g.Nodes[r.IntN(len(g.Nodes))].ID
		}
		calls = append(calls, observed.Call{Client: client, Server: server, Count: float64(1 + r.IntN(100))})
	}
	return g, calls
}

// BenchmarkObserved times check --observed with 40k and 500k observed
// calls: "analyze" is the whole analysis, "traffic" only what the traffic
// adds (mapping the calls to nodes and the two traffic rules), which must
// stay linear in calls plus edges.
//
//	go test ./analyzer -run '^$' -bench Observed -benchtime 3x
func BenchmarkObserved(b *testing.B) {
	for _, n := range []int{40_000, 500_000} {
		g, calls := trafficEstate(b, n)
		b.Run(fmt.Sprintf("analyze/calls=%d", n), func(b *testing.B) {
			cfg := DefaultConfig(synth.DefaultNow())
			cfg.Observed = calls
			for range b.N {
				if _, err := Analyze(g, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("traffic/calls=%d", n), func(b *testing.B) {
			for range b.N {
				found := 0
				pass := &rules.Pass{Graph: g, Traffic: mapTraffic(calls, nil), Report: func(rules.Finding) { found++ }}
				for _, r := range []*rules.Rule{rules.UndeclaredDependency, rules.UnobservedDependency} {
					if err := r.Check(pass); err != nil {
						b.Fatal(err)
					}
				}
				if found == 0 {
					b.Fatal("no traffic finding")
				}
			}
		})
	}
}
