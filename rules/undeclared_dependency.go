package rules

import (
	"fmt"

	"github.com/catch22/catch22/graph"
)

// UndeclaredDependency flags traffic with no manifest edge behind it: the
// hidden dependency that nobody plans around until it takes a service down.
var UndeclaredDependency = &Rule{
	ID:       "undeclared-dependency",
	Title:    "traffic is seen between two services, and no manifest declares it",
	Severity: Warning,
	Doc: `Runs only with check --observed FILE (a Jaeger dependencies document or
OpenTelemetry service-graph metrics). Fires once per pair of services when a
declared node S was seen calling T, and S declares no [[dependency]] on T (of
either mode). T may be a node nobody declares; names in the traffic map to
nodes through [observed] aliases in catch22.toml, else NAME@production.

Why it matters: the dependencies that hurt in an outage are the ones nobody
wrote down. In Roblox's 73-hour outage of October 2021, the telemetry systems
engineers needed to diagnose Consul themselves depended on Consul, which
nobody had planned for.
(https://blog.roblox.com/2022/01/roblox-return-to-service-10-28-10-31-2021/)`,
	Remediation: `Declare the dependency in S's manifest, hard or soft as S really behaves
(catch22 validate --endpoint can check which), or stop the call.`,
	Check: checkUndeclaredDependency,
}

func checkUndeclaredDependency(p *Pass) error {
	t := p.Traffic
	if t == nil {
		return nil
	}
	for _, caller := range t.callers() {
		u, ok := p.Graph.Lookup(caller)
		if !ok {
			continue
		}
		for _, callee := range t.callees(caller) {
			if callee == caller || declaresDependency(p.Graph, u, callee) {
				continue
			}
			n := t.Calls[caller][callee]
			what := ""
			if _, ok := p.Graph.Lookup(callee); !ok {
				what = ", a service no manifest declares"
			}
			pos := p.Graph.Nodes[u].Manifest.Service.Pos
			p.Report(Finding{
				Node:    caller,
				Message: fmt.Sprintf("%s was seen calling %s%s (%s observed), but declares no dependency on it", display(caller), display(callee), what, plural(int(n), "call", "calls")),
				Witness: []Hop{{Node: caller}, {Node: callee, Label: "observed"}},
				File:    pos.File, Line: pos.Line, Col: pos.Col,
				Key: "observed " + callee,
			})
		}
	}
	return nil
}

// declaresDependency reports whether u has a [[dependency]] entry on the
// node with ID id, declared or not.
func declaresDependency(g *graph.Graph, u int, id string) bool {
	first, end := g.Out(u)
	for _, e := range g.Edges[first:end] {
		if e.Type == graph.Dependency && g.Nodes[e.To].ID == id {
			return true
		}
	}
	for _, r := range g.Unknown {
		if r.From == u && r.Type == graph.Dependency && r.Ref.ID() == id {
			return true
		}
	}
	return false
}
