package rules

import (
	"fmt"
	"strings"
)

// RecoveryCycle is the founding Catch-22: every way to repair a node needs
// the node itself.
var RecoveryCycle = &Rule{
	ID:       "recovery-cycle",
	Title:    "every recovery procedure of a node needs the node itself",
	Severity: Error,
	Doc: `Fires on a node S that declares recovery procedures when every one of them is
blocked: some node in its via list is S itself or hard-depends on S, so it is
down whenever S is down, or needs, hard, to start (phase = "start") a node
that is. Using a tool starts it: a CI job that pulls its runner's image from
the very registry it must repair cannot run. The node cannot be repaired with
the tools that were planned for it.

Why it matters: on 30 October 2023 a deployment tool pointed Cloudflare's
production Workers KV route at a build in the staging account. The rollback
was delayed 21 minutes because the rollback path needed Workers KV: CI and
the secrets to roll back sat behind Access, which verifies JWTs through KV,
and the dashboard used to revert needed Turnstile and feature flags, both in
KV. Engineers bypassed their own tooling by hand.
(https://blog.cloudflare.com/cloudflare-incident-on-october-30-2023/)

The witness is the shortest loop S -[recovery: P]-> via node -> ... -> S; where
the via node is blocked by what it needs to start, its first hop is labelled
with the dependency's kind and "start": registry -[recovery: redeploy]-> ci
-[deploy, start]-> registry.`,
	Remediation: `Give S one procedure whose via nodes do not go down with S, and can start
without it: make the dependency that closes the loop soft (cache the keys,
fail open, keep a copy of the runner image), or add a breakglass procedure
through tooling that avoids S, and drill it.`,
	Check:     checkRecoveryCycle,
	UsesFacts: true,
}

func checkRecoveryCycle(p *Pass) error {
	for u, n := range p.Graph.Nodes {
		states := p.procedures(u)
		if len(states) == 0 || countBlocked(states) < len(states) {
			continue
		}
		var reasons []string
		for _, st := range states {
			reasons = append(reasons, fmt.Sprintf("%s via %s", n.Manifest.Recoveries[st.index].Name, chain(st.witness[1:])))
		}
		best := shortest(states)
		pos := p.Graph.Edges[best.edge].Pos
		what := "its only recovery procedure is blocked"
		if len(states) > 1 {
			what = fmt.Sprintf("all %d recovery procedures are blocked", len(states))
		}
		p.Report(Finding{
			Node:    n.ID,
			Message: fmt.Sprintf("%s cannot be recovered while it is down: %s (%s)", display(n.ID), what, strings.Join(reasons, "; ")),
			Witness: best.witness,
			File:    pos.File, Line: pos.Line, Col: pos.Col,
		})
	}
	return nil
}
