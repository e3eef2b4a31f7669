package rules

import (
	"fmt"
	"strings"

	"github.com/catch22/catch22/graph"
)

// BlindSpot flags a monitor that goes down with the node it watches.
var BlindSpot = &Rule{
	ID:       "blind-spot",
	Title:    "a node's monitor goes down with it",
	Severity: Warning,
	Doc: `Fires once per node S when some node in its monitored_by list is S itself or
hard-depends on S: the alarm fails exactly when it is needed. The witness is
the shortest loop S -[monitored-by]-> monitor -> ... -> S.

Why it matters: in 2017 AWS could not update its Service Health Dashboard
during the S3 outage because the dashboard's administration console depended
on S3; in 2020 its tooling to post status updates depended on Cognito, which
the Kinesis outage had taken down. Roblox's 73-hour outage in 2021 was longer
because the telemetry needed to diagnose Consul depended on Consul.
(https://aws.amazon.com/message/41926/, https://aws.amazon.com/message/11201/,
https://blog.roblox.com/2022/01/roblox-return-to-service-10-28-10-31-2021/)`,
	Remediation: `Monitor S from something that does not depend on it: an external prober,
a different region or provider, or make the monitor's dependency on S soft.`,
	Check:     checkBlindSpot,
	UsesFacts: true,
}

func checkBlindSpot(p *Pass) error {
	for u, n := range p.Graph.Nodes {
		var best []Hop
		var at graph.Edge
		var blind []string
		first, end := p.Graph.Out(u)
		for i := first; i < end; i++ {
			e := p.Graph.Edges[i]
			proof := p.Facts.Blocking[i]
			if e.Type != graph.Monitor || proof == nil {
				continue
			}
			w := append([]Hop{{Node: n.ID}}, ProofHops(p.Graph, proof, "monitored-by")...)
			blind = append(blind, chain(w[1:]))
			if best == nil || HopCount(w) < HopCount(best) {
				best, at = w, e
			}
		}
		if best == nil {
			continue
		}
		p.Report(Finding{
			Node:    n.ID,
			Message: fmt.Sprintf("%s is watched by a monitor that goes down with it: %s", display(n.ID), strings.Join(blind, "; ")),
			Witness: best,
			File:    at.Pos.File, Line: at.Pos.Line, Col: at.Pos.Col,
		})
	}
	return nil
}
