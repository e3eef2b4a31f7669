package rules

import (
	"fmt"
)

// UnobservedDependency flags a declared hard dependency that traffic never
// shows: the manifest may be stale, and every analysis built on it with it.
var UnobservedDependency = &Rule{
	ID:       "unobserved-dependency",
	Title:    "a declared hard dependency is never seen in traffic",
	Severity: Info,
	Doc: `Runs only with check --observed FILE. Fires once per [[dependency]] entry
with mode = "hard" from S to a declared node T when S appears as a caller in
the traffic but was never seen calling T. Nodes never seen calling anything
are left alone: their traffic was not captured, which says nothing about
their dependencies.

Why it matters: a stale hard edge makes down sets, blast radii and recovery
cycles wrong in both directions: it can invent a cycle, or hide how a
service really fails. Some dependencies are legitimately quiet (a batch job,
a failover path, a configuration read at start); check before deleting.
Google's SRE book on cascading failures explains why an accurate dependency
picture matters when load shifts:
(https://sre.google/sre-book/addressing-cascading-failures/)`,
	Remediation: `If S no longer calls T, remove the dependency; if it does but rarely (start-up,
failover), keep it and note why, or waive the finding for that node.`,
	Check: checkUnobservedDependency,
}

func checkUnobservedDependency(p *Pass) error {
	t := p.Traffic
	if t == nil {
		return nil
	}
	for u, n := range p.Graph.Nodes {
		calls, seen := t.Calls[n.ID]
		if !seen {
			continue
		}
		first, end := p.Graph.Out(u)
		for _, e := range p.Graph.Edges[first:end] {
			if !e.Propagates() || e.To == u {
				continue
			}
			to := p.Graph.Nodes[e.To].ID
			if calls[to] > 0 {
				continue
			}
			p.Report(Finding{
				Node:    n.ID,
				Message: fmt.Sprintf("%s declares a hard %s dependency on %s, but was never seen calling it", display(n.ID), e.Kind, display(to)),
				Witness: []Hop{{Node: n.ID}, {Node: to, Label: string(e.Kind)}},
				File:    e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col,
				Key: "dependency " + to,
			})
		}
	}
	return nil
}
