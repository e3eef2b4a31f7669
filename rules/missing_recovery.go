package rules

import (
	"fmt"

	"github.com/catch22/catch22/manifest"
)

// MissingRecovery asks critical nodes to say how they are repaired.
var MissingRecovery = &Rule{
	ID:       "missing-recovery",
	Title:    "a critical node declares no recovery procedure",
	Severity: Warning,
	Doc: `Fires once per node of tier 0 or 1, other than kind external or human, that
declares no [[recovery]] procedure. Without one, catch22 cannot tell whether
the node can be repaired while its neighbours are down, and neither can the
people on call.

Why it matters: Cloudflare's engineers restored Workers KV on 30 October 2023
by "manually edit[ing] (via break glass mechanisms) deployment routes", a
path that existed but was not the planned one. A recovery path that is not
written down cannot be checked, drilled or found at 3 a.m.
(https://blog.cloudflare.com/cloudflare-incident-on-october-30-2023/)`,
	Remediation: `Add a [[recovery]] table naming every node the operator must use (via),
with a runbook link and the date of the last drill.`,
	Check: checkMissingRecovery,
}

func checkMissingRecovery(p *Pass) error {
	for _, n := range p.Graph.Nodes {
		s := &n.Manifest.Service
		if !s.HasTier || s.Tier > 1 || s.Kind == manifest.KindExternal || s.Kind == manifest.KindHuman || len(n.Manifest.Recoveries) > 0 {
			continue
		}
		p.Report(Finding{
			Node:    n.ID,
			Message: fmt.Sprintf("tier %d %s %s declares no recovery procedure", s.Tier, s.Kind, display(n.ID)),
			Witness: []Hop{{Node: n.ID}},
			File:    s.Pos.File, Line: s.Pos.Line, Col: s.Pos.Col,
		})
	}
	return nil
}
