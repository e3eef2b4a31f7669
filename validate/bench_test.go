package validate

import (
	"context"
	"testing"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/rules"
)

// BenchmarkRun200 replays, on a generated 200-service estate, the failure
// of the node with the largest down set: start, fail, probe, recover, stop.
// The README's figure comes from:
//
//	go test ./validate -run '^$' -bench Run200 -benchtime 5x
func BenchmarkRun200(b *testing.B) {
	ms, err := synth.Manifests(synth.Large(200, 1))
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range ms {
		if m.Service.Kind == "datastore" {
			m.Service.Emulate = "kv"
		}
	}
	g := graph.Build(ms)
	facts := rules.ComputeFacts(g)
	worst := 0
	for v := range g.Nodes {
		if facts.DownSize[v] > facts.DownSize[worst] {
			worst = v
		}
	}
	b.ReportMetric(float64(facts.DownSize[worst]), "down")
	for range b.N {
		r, err := Run(context.Background(), g, Options{Faults: map[int]Fault{worst: {Mode: FaultDown}}})
		if err != nil {
			b.Fatal(err)
		}
		if r.Mismatches() != 0 {
			b.Fatalf("%d mismatches", r.Mismatches())
		}
	}
}
