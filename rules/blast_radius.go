package rules

import (
	"fmt"
	"math"
)

// BlastRadius points at the nodes whose failure takes much of the system
// with it.
var BlastRadius = &Rule{
	ID:       "blast-radius",
	Title:    "a node's failure takes a large share of the system down",
	Severity: Info,
	Doc: `Fires once per node S when at least min_dependents (default 3) nodes, and at
least threshold (default 0.25) of all other declared nodes, are in down({S})
besides S: they hard-depend on S, directly or through others.

Why it matters: Cloudflare wrote that Workers KV had "organically" come to
"underpin a tremendous amount of our products and services", so one bad
deployment of it took Access, Pages, Turnstile, the dashboard and more down
together on 30 October 2023, and they committed to "reduce the blast radius
of critical dependencies".
(https://blog.cloudflare.com/cloudflare-incident-on-october-30-2023/)`,
	Remediation: `Nothing may be wrong: some nodes are foundations. Make sure such a node has
a tested recovery path that avoids its dependents, and turn dependencies that
can be soft into soft ones (caches, fail-open defaults).`,
	Params: []Param{
		{Name: "min_dependents", Default: 3, Doc: "fewest nodes that must go down with it"},
		{Name: "threshold", Default: 0.25, Doc: "smallest share of all other nodes that must go down with it"},
	},
	Check:     checkBlastRadius,
	UsesFacts: true,
}

func checkBlastRadius(p *Pass) error {
	others := len(p.Graph.Nodes) - 1
	need := math.Max(p.Params["min_dependents"], p.Params["threshold"]*float64(others))
	for u, n := range p.Graph.Nodes {
		down := p.Facts.DownSize[u] - 1
		if float64(down) < need {
			continue
		}
		s := &n.Manifest.Service
		p.Report(Finding{
			Node:    n.ID,
			Message: fmt.Sprintf("%d of %d other nodes (%.0f%%) go down with %s", down, others, 100*float64(down)/float64(others), display(n.ID)),
			Witness: []Hop{{Node: n.ID}},
			File:    s.Pos.File, Line: s.Pos.Line, Col: s.Pos.Col,
		})
	}
	return nil
}
