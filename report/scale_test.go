package report_test

import (
	"sync"
	"testing"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
)

// scaleServices is the size of the estate the output-size tests draw on:
// large enough that every format meets its limit (the Markdown comment
// has about 800 findings to show, the whole Mermaid picture is several
// times Mermaid's maxTextSize), small enough to analyse in a fraction of a
// second.
const scaleServices = 2000

// estate is a synthetic estate of scaleServices services (synth.Large with
// seed 1), analysed once and shared by the tests that read it; they must
// not change it.
var estate = sync.OnceValues(func() (*graph.Graph, *analyzer.Result) {
	cfg := synth.Large(scaleServices, 1)
	ms, err := synth.Manifests(cfg)
	if err != nil {
		panic(err)
	}
	g := graph.Build(ms)
	res, err := analyzer.Analyze(g, analyzer.DefaultConfig(cfg.Now))
	if err != nil {
		panic(err)
	}
	return g, res
})

// scaleEstate returns the shared estate, after checking that it is still
// the estate the tests were written for: errors, warnings and infos, and
// findings of more rules than the Markdown comment's groups can show.
func scaleEstate(t testing.TB) (*graph.Graph, *analyzer.Result) {
	t.Helper()
	g, res := estate()
	c := res.Counts()
	if len(g.Nodes) < scaleServices || c.Errors == 0 || c.Warnings < 100 || c.Infos == 0 {
		t.Fatalf("the synthetic estate changed: %d nodes, %+v; the size tests need errors, warnings and infos", len(g.Nodes), c)
	}
	return g, res
}
