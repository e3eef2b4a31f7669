package rules

import (
	"fmt"
	"math"
)

// StaleBreakglass asks that emergency procedures are drilled.
var StaleBreakglass = &Rule{
	ID:       "stale-breakglass",
	Title:    "a breakglass procedure was never drilled, or not recently",
	Severity: Warning,
	Doc: `Fires once per procedure with breakglass = true whose tested date is missing,
or more than max_age_days (default 90) before today (--now).

Why it matters: the break-glass path is the one used when everything else is
down, so it is the one nobody exercises. Cloudflare wrote after 30 October
2023 that "we had not spent sufficient time testing the rollback mechanisms";
their automatic rollback had been tested, but not under the conditions of the
outage.
(https://blog.cloudflare.com/cloudflare-incident-on-october-30-2023/)`,
	Remediation: `Drill the procedure under realistic conditions (with the node it repairs
down) and record the date in tested = YYYY-MM-DD.`,
	Params: []Param{{Name: "max_age_days", Default: 90, Doc: "days a drill stays valid"}},
	Check:  checkStaleBreakglass,
}

func checkStaleBreakglass(p *Pass) error {
	maxAge := p.Params["max_age_days"]
	for _, n := range p.Graph.Nodes {
		for _, r := range n.Manifest.Recoveries {
			if !r.Breakglass {
				continue
			}
			var msg string
			pos := r.Pos
			if r.Tested.IsZero() {
				msg = fmt.Sprintf("breakglass procedure %s of %s has never been drilled (no tested date)", r.Name, display(n.ID))
			} else {
				age := math.Floor(p.Now.Sub(r.Tested).Hours() / 24)
				if age <= maxAge {
					continue
				}
				msg = fmt.Sprintf("breakglass procedure %s of %s was last drilled on %s, %.0f days before %s (limit %g)",
					r.Name, display(n.ID), r.Tested.Format("2006-01-02"), age, p.Now.Format("2006-01-02"), maxAge)
				pos = r.TestedPos
			}
			p.Report(Finding{
				Node:    n.ID,
				Message: msg,
				Witness: []Hop{{Node: n.ID}},
				File:    pos.File, Line: pos.Line, Col: pos.Col,
				Key: "procedure " + r.Name,
			})
		}
	}
	return nil
}
