package rules

import (
	"fmt"
	"strings"
)

// DependencyCycle finds sets of nodes that hard-depend on each other: none
// of them can start before the others.
var DependencyCycle = &Rule{
	ID:       "dependency-cycle",
	Title:    "nodes hard-depend on each other in a cycle",
	Severity: Error,
	Doc: `Fires once per strongly connected set of hard dependency edges (two or more
nodes that reach each other, or one node with a hard dependency on itself).
The finding is on the set's smallest node ID; the witness is a shortest cycle
through it.

Why it matters: a hard cycle cannot be cold-started. When every member is
down, each waits for another, and the order has to be improvised. Cold starts
are not hypothetical: Meta's October 2021 backbone outage and Cloudflare's
November 2023 data-centre power loss both ended in a bring-up of whole fleets
where the order of services mattered and took hours.
(https://engineering.fb.com/2021/10/05/networking-traffic/outage-details/,
https://blog.cloudflare.com/post-mortem-on-cloudflare-control-plane-and-analytics-outage/)`,
	Remediation: `Break the cycle at its weakest link: make one dependency soft (start
degraded, cache, fail open), or move the shared function into a lower layer
that depends on none of the members.`,
	Check: checkDependencyCycle,
}

func checkDependencyCycle(p *Pass) error {
	for _, set := range p.Graph.Cycles() {
		m := set[0]
		path := p.Graph.ShortestCycle(m)
		if path == nil {
			return fmt.Errorf("no cycle through %s in its strongly connected set", p.node(m))
		}
		e, _ := p.Graph.HardEdge(m, path[1])
		names := make([]string, 0, min(len(set), 8))
		for i, v := range set {
			if i == 8 {
				names = append(names, fmt.Sprintf("and %d more", len(set)-8))
				break
			}
			names = append(names, display(p.node(v)))
		}
		msg := fmt.Sprintf("%s hard-depends on itself: it cannot start", display(p.node(m)))
		if len(set) > 1 {
			msg = fmt.Sprintf("%d nodes hard-depend on each other, so none can start first: %s", len(set), strings.Join(names, ", "))
		}
		p.Report(Finding{
			Node:    p.node(m),
			Message: msg,
			Witness: p.hardHops(path, ""),
			File:    e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col,
		})
	}
	return nil
}
