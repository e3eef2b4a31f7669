package analyzer

import (
	"fmt"
	"testing"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/rules"
)

// BenchmarkAnalyze times the analysis alone: the graph is built before the
// timer starts. The README's numbers come from:
//
//	go test ./analyzer -run '^$' -bench Analyze -benchtime 5x
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			cfg := synth.Large(n, 1)
			ms, err := synth.Manifests(cfg)
			if err != nil {
				b.Fatal(err)
			}
			g := graph.Build(ms)
			b.ReportMetric(float64(len(g.Edges)), "edges")
			b.ResetTimer()
			for range b.N {
				if _, err := Analyze(g, DefaultConfig(cfg.Now)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuild times compiling parsed manifests into the graph.
func BenchmarkBuild(b *testing.B) {
	cfg := synth.Large(100_000, 1)
	ms, err := synth.Manifests(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		graph.Build(ms)
	}
}

// BenchmarkEachFailure times `what-if --each` after loading: one sweep for
// every single-node failure, then the ranked table.
//
//	go test ./analyzer -run '^$' -bench EachFailure -benchtime 5x
func BenchmarkEachFailure(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			ms, err := synth.Manifests(synth.Large(n, 1))
			if err != nil {
				b.Fatal(err)
			}
			g := graph.Build(ms)
			b.ResetTimer()
			for range b.N {
				if rows := EachFailure(g, rules.ComputeFacts(g)); len(rows) != n {
					b.Fatalf("%d rows", len(rows))
				}
			}
		})
	}
}

// BenchmarkColdStart times `plan` after loading, the single best change
// and the cycle-breaking suggestions included.
func BenchmarkColdStart(b *testing.B) {
	ms, err := synth.Manifests(synth.Large(10_000, 1))
	if err != nil {
		b.Fatal(err)
	}
	g := graph.Build(ms)
	b.ResetTimer()
	for range b.N {
		ColdStart(g)
	}
}
