package rules

import "fmt"

// TierInversion flags a critical node that hard-depends on a less critical
// one: the dependency is held to a weaker standard than its dependent.
var TierInversion = &Rule{
	ID:       "tier-inversion",
	Title:    "a node hard-depends on a less critical tier",
	Severity: Warning,
	Doc: `Fires once per direct hard dependency of a node S on a node T whose tier is
higher (less critical) than S's: tier 0 is most critical, 3 least. Both tiers
must be declared. Soft dependencies are fine.

Why it matters: a tier-0 service is only as available as its least available
hard dependency. Cloudflare's dashboard went down on 30 October 2023 partly
through "internal feature flag tooling (which uses KV for configuration)",
internal tooling that had quietly become part of a critical path.
(https://blog.cloudflare.com/cloudflare-incident-on-october-30-2023/)`,
	Remediation: `Make the dependency soft (degrade without it), raise the dependency to the
dependent's tier with the operational commitments that implies, or lower the
dependent's tier honestly.`,
	Check: checkTierInversion,
}

func checkTierInversion(p *Pass) error {
	// Read each node's tier once (-1 for none): edges outnumber nodes, and
	// each would otherwise read two manifests scattered over the heap.
	tier := make([]int, len(p.Graph.Nodes))
	for u, n := range p.Graph.Nodes {
		tier[u] = -1
		if s := &n.Manifest.Service; s.HasTier {
			tier[u] = s.Tier
		}
	}
	for _, e := range p.Graph.Edges {
		if !e.Propagates() || tier[e.From] < 0 || tier[e.To] <= tier[e.From] {
			continue
		}
		s, t := p.Graph.Nodes[e.From], p.Graph.Nodes[e.To]
		ss, ts := &s.Manifest.Service, &t.Manifest.Service
		p.Report(Finding{
			Node:    s.ID,
			Message: fmt.Sprintf("tier %d node %s hard-depends (%s) on tier %d node %s", ss.Tier, display(s.ID), e.Kind, ts.Tier, display(t.ID)),
			Witness: []Hop{{Node: s.ID}, {Node: t.ID, Label: string(e.Kind)}},
			File:    e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col,
			Key: "dependency " + t.ID,
		})
	}
	return nil
}
