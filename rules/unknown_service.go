package rules

import (
	"fmt"

	"github.com/catch22/catch22/internal/suggest"
)

// UnknownService flags references to nodes nobody declares.
var UnknownService = &Rule{
	ID:       "unknown-service",
	Title:    "a reference names no declared node",
	Severity: Error,
	Doc: `Fires once per dependency, via element or monitored_by element that names a
node no manifest declares, with a suggestion when a declared node has a
similar name. The reference is otherwise ignored: the undeclared node is in no
down set, blocks nothing and counts as up, so every other rule is blind
along that edge until the name is fixed.

Why it matters: an architecture check is only as good as its map. A typo
("workerskv"), a renamed service or an environment missing from the
repository silently removes the very edge that closes a recovery cycle.`,
	Remediation: `Fix the name (the suggestion is usually right), write the missing node's
manifest, or spell the environment out as name@env.`,
	Check: checkUnknownService,
}

func checkUnknownService(p *Pass) error {
	ids := make([]string, len(p.Graph.Nodes))
	for i, n := range p.Graph.Nodes {
		ids[i] = n.ID
	}
	hints := map[string]string{} // one search per distinct missing ID
	for _, u := range p.Graph.Unknown {
		from := p.Graph.Nodes[u.From]
		id := u.Ref.ID()
		hint, ok := hints[id]
		if !ok {
			if s := suggest.Closest(id, ids); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", display(s))
			}
			hints[id] = hint
		}
		what, label, key := edgeWords(p, u.Edge)
		p.Report(Finding{
			Node:    from.ID,
			Message: fmt.Sprintf("%s %s %s, which no manifest declares%s", display(from.ID), what, display(id), hint),
			Witness: []Hop{{Node: from.ID}, {Node: id, Label: label}},
			File:    u.Ref.Pos.File, Line: u.Ref.Pos.Line, Col: u.Ref.Pos.Col,
			Key: key + " " + id,
		})
	}
	return nil
}
