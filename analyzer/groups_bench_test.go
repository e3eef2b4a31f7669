package analyzer

import (
	"fmt"
	"testing"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/manifest"
)

// BenchmarkAnalyzeWithGroups times the analysis (every single failure's
// down set, through the sweep) and one what-if on estates where one
// service in three depends on two of its dependencies as any_of
// alternatives, to show the cost stays linear with groups:
//
//	go test ./analyzer -run '^$' -bench AnalyzeWithGroups -benchtime 3x
func BenchmarkAnalyzeWithGroups(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		cfg := synth.Large(n, 1)
		ms, err := synth.Manifests(cfg)
		if err != nil {
			b.Fatal(err)
		}
		groups := 0
		for i, m := range ms {
			var hard []int
			for j, d := range m.Dependencies {
				if d.Mode == manifest.Hard && d.AnyOf == nil {
					hard = append(hard, j)
				}
			}
			if i%3 != 0 || len(hard) < 2 || m.Dependencies[hard[0]].On == m.Dependencies[hard[1]].On {
				continue
			}
			a, c := m.Dependencies[hard[0]], m.Dependencies[hard[1]]
			a.AnyOf, a.Quorum, a.On = []manifest.Ref{a.On, c.On}, 1, manifest.Ref{}
			m.Dependencies[hard[0]] = a
			m.Dependencies = append(m.Dependencies[:hard[1]], m.Dependencies[hard[1]+1:]...)
			groups++
		}
		g := graph.Build(ms)
		if !g.HasGates() {
			b.Fatal("no group can fail")
		}
		b.Run(fmt.Sprintf("services=%d/analyze", n), func(b *testing.B) {
			b.ReportMetric(float64(groups), "groups")
			for range b.N {
				if _, err := Analyze(g, DefaultConfig(cfg.Now)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("services=%d/what-if", n), func(b *testing.B) {
			for range b.N {
				Simulate(g, []int{0, len(g.Nodes) / 2})
			}
		})
	}
}
