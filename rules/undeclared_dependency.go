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

// checkUndeclaredDependency runs in time linear in the observed pairs plus
// the edges and unknown references of the graph (and a sort of the pairs):
// each caller's declared dependencies are collected into a set once, so
// that each pair is one lookup. Scanning the caller's edges and every
// unknown reference for each pair made 500k observed pairs take seconds.
func checkUndeclaredDependency(p *Pass) error {
	t := p.Traffic
	if t == nil {
		return nil
	}
	unknown := unknownDependencies(p.Graph)
	for _, caller := range t.callers() {
		u, ok := p.Graph.Lookup(caller)
		if !ok {
			continue
		}
		declared := dependencyTargets(p.Graph, u, unknown[u])
		for _, callee := range t.callees(caller) {
			if callee == caller || declared[callee] {
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

// unknownDependencies maps each node to the IDs of the undeclared nodes it
// has a [[dependency]] entry on.
func unknownDependencies(g *graph.Graph) map[int][]string {
	out := map[int][]string{}
	for _, r := range g.Unknown {
		if r.Type == graph.Dependency {
			out[r.From] = append(out[r.From], r.Ref.ID())
		}
	}
	return out
}

// dependencyTargets is the set of IDs node u has a [[dependency]] entry
// on: its dependency edges' targets and unknown, the IDs of undeclared
// nodes it depends on.
func dependencyTargets(g *graph.Graph, u int, unknown []string) map[string]bool {
	first, end := g.Out(u)
	set := make(map[string]bool, end-first+len(unknown))
	for _, e := range g.Edges[first:end] {
		if e.Type == graph.Dependency {
			set[g.Nodes[e.To].ID] = true
		}
	}
	for _, id := range unknown {
		set[id] = true
	}
	return set
}
