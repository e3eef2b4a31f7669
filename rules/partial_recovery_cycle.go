package rules

import (
	"fmt"
	"strings"
)

// PartialRecoveryCycle warns when some, not all, procedures of a node need
// the node itself: the plan looks redundant but is not.
var PartialRecoveryCycle = &Rule{
	ID:       "partial-recovery-cycle",
	Title:    "some recovery procedure of a node needs the node itself",
	Severity: Warning,
	Doc: `Fires on a node S when at least one of its recovery procedures is blocked (a via
node is S or hard-depends on S, or needs, hard, to start a node that goes down
with S) and at least one is not. S can still be recovered, but with fewer
options than its owners believe, and often the blocked procedure is the one
everybody knows.

Why it matters: Cloudflare's automatic rollback through CI "had been
successfully tested previously", yet on 30 October 2023 it could not be used
because CI login went through Access, which needs Workers KV. Whoever is on
call must know in advance which procedure still works.
(https://blog.cloudflare.com/cloudflare-incident-on-october-30-2023/)`,
	Remediation: `Fix or remove the blocked procedure (make the closing dependency soft, or
route it through tooling that avoids S), and make the working procedure the
documented first step of the runbook.`,
	Check:     checkPartialRecoveryCycle,
	UsesFacts: true,
}

func checkPartialRecoveryCycle(p *Pass) error {
	for u, n := range p.Graph.Nodes {
		states := p.procedures(u)
		blocked := countBlocked(states)
		if blocked == 0 || blocked == len(states) {
			continue
		}
		var bad, good []string
		for _, st := range states {
			name := n.Manifest.Recoveries[st.index].Name
			if st.blocked {
				bad = append(bad, fmt.Sprintf("%s via %s", name, chain(st.witness[1:])))
			} else {
				good = append(good, name)
			}
		}
		best := shortest(states)
		pos := p.Graph.Edges[best.edge].Pos
		p.Report(Finding{
			Node:    n.ID,
			Message: fmt.Sprintf("%s: %s blocked while it is down (%s); still usable: %s", display(n.ID), plural(blocked, "recovery procedure is", "recovery procedures are"), strings.Join(bad, "; "), strings.Join(good, ", ")),
			Witness: best.witness,
			File:    pos.File, Line: pos.Line, Col: pos.Col,
		})
	}
	return nil
}
