package report_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/internal/testenv"
	"github.com/catch22/catch22/report"
)

// picEstate is a synthetic estate of n services (synth.Large), analysed.
func picEstate(b *testing.B, n int) (*graph.Graph, *analyzer.Result) {
	b.Helper()
	cfg := synth.Large(n, 1)
	ms, err := synth.Manifests(cfg)
	if err != nil {
		b.Fatal(err)
	}
	g := graph.Build(ms)
	res, err := analyzer.Analyze(g, analyzer.DefaultConfig(cfg.Now))
	if err != nil {
		b.Fatal(err)
	}
	return g, res
}

// BenchmarkDOT times writing the DOT source of a whole synthetic estate,
// the analysis done beforehand. The numbers in the graph command's notes
// come from:
//
//	go test ./report -run '^$' -bench 'DOT$' -benchtime 5x
func BenchmarkDOT(b *testing.B) {
	for _, n := range []int{100, 1_000, 5_000} {
		g, res := picEstate(b, n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportMetric(float64(len(g.Edges)), "edges")
			for range b.N {
				if err := report.DOT(io.Discard, g, res, report.PictureOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderSVG times Graphviz laying out those pictures with each
// engine as RenderSVG runs it, to place report.SFDPThreshold. dot runs
// only up to 200 nodes, which took it 24 s, and minutes beyond. Run it
// with:
//
//	go test ./report -run '^$' -bench RenderSVG -benchtime 1x -timeout 30m
func BenchmarkRenderSVG(b *testing.B) {
	testenv.Need(b, testenv.Graphviz)
	for _, n := range []int{40, 100, 200, 1_000, 5_000} {
		g, res := picEstate(b, n)
		var src bytes.Buffer
		if err := report.DOT(&src, g, res, report.PictureOptions{}); err != nil {
			b.Fatal(err)
		}
		for _, engine := range []string{"dot", "sfdp"} {
			// RenderSVG picks the engine, and how hard dot tries, from
			// the node count it is told.
			nodes := min(n, report.SFDPThreshold)
			switch {
			case engine == "sfdp":
				nodes = report.SFDPThreshold + 1
			case n > 200:
				continue
			}
			b.Run(fmt.Sprintf("nodes=%d/engine=%s", n, engine), func(b *testing.B) {
				for range b.N {
					svg, err := report.RenderSVG(context.Background(), src.Bytes(), nodes)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(svg)), "svg-bytes")
				}
			})
		}
	}
}
