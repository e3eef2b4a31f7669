package rules

import (
	"fmt"

	"github.com/catch22/catch22/graph"
)

// EnvCrossing flags an edge from an environment to a less important one,
// the shape of the founding incident's misconfiguration.
var EnvCrossing = &Rule{
	ID:       "env-crossing",
	Title:    "a node depends on, is recovered through or monitored by a lower environment",
	Severity: Error,
	Doc: `Fires once per dependency, via element or monitored_by element that goes from
a node of a higher-ranked environment to a node of a lower-ranked one (by
default production > staging > development; configure [environments] order).
The witness is the edge itself.

Why it matters: on 30 October 2023 a bug in a progressive deployment tool
pointed Cloudflare's production Workers KV route at a build that lived in the
staging account. It was not authorized for production, so every KV call
failed with HTTP 401, and Access, Pages, Turnstile, the dashboard and more
failed with it. Production must never need staging to work, to be repaired,
or to be watched.
(https://blog.cloudflare.com/cloudflare-incident-on-october-30-2023/)`,
	Remediation: `Point the entry at the node of the same environment, or, if the
dependency is real, promote the target into the higher environment with the
same controls as the rest of it.`,
	Check: checkEnvCrossing,
}

func checkEnvCrossing(p *Pass) error {
	// Rank each node once: edges outnumber nodes, and each would otherwise
	// read two manifests scattered over the heap.
	rank := make([]int, len(p.Graph.Nodes))
	for u, n := range p.Graph.Nodes {
		rank[u] = p.EnvRank(n.Manifest.Service.Env)
	}
	for _, e := range p.Graph.Edges {
		if rank[e.From] >= rank[e.To] {
			continue
		}
		from, to := p.Graph.Nodes[e.From], p.Graph.Nodes[e.To]
		fe, te := from.Manifest.Service.Env, to.Manifest.Service.Env
		what, label, key := edgeWords(p, e)
		p.Report(Finding{
			Node:    from.ID,
			Message: fmt.Sprintf("%s node %s %s %s node %s", fe, display(from.ID), what, te, display(to.ID)),
			Witness: []Hop{{Node: from.ID}, {Node: to.ID, Label: label}},
			File:    e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col,
			Key: key + " " + to.ID,
		})
	}
	return nil
}

// edgeWords describes an edge for messages ("depends (auth) on"), labels it
// for witnesses and names the entry for fingerprints.
func edgeWords(p *Pass, e graph.Edge) (what, label, key string) {
	switch e.Type {
	case graph.Via:
		name := p.Graph.Nodes[e.From].Manifest.Recoveries[e.Procedure].Name
		return fmt.Sprintf("is recovered (procedure %s) through", name), "recovery: " + name, "via " + name
	case graph.Monitor:
		return "is monitored by", "monitored-by", "monitored_by"
	}
	mode := "hard"
	if !e.Hard {
		mode = "soft"
	}
	if e.Start {
		mode += ", to start"
	}
	return fmt.Sprintf("depends (%s, %s) on", e.Kind, mode), depLabel(e), "dependency"
}

// depLabel labels a dependency hop: its kind, marked when soft and when
// needed only to start.
func depLabel(e graph.Edge) string {
	l := string(e.Kind)
	if !e.Hard {
		l += ", soft"
	}
	if e.Start {
		l += ", start"
	}
	return l
}
