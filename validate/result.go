package validate

import (
	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
)

// Result holds, per node, the prediction beside the observation.
type Result struct {
	Failed     []string
	Nodes      []NodeResult // every node, sorted by ID
	Procedures []ProcedureResult
	Prediction *analyzer.WhatIf
	Emulated   int // nodes played by an emulated server (KV fronts included)
	KV         int // reference KVs started
	Real       int // real services (--endpoint)
}

// Outcome is what happens to one node: down after the failure or not,
// the wave it is up again (0: never, or never down), and for a failed node
// the wave it is repaired in and by which procedure. For a node that ran
// on a rebuilt node: the last wave it was redeployed in and by which
// procedure, or that it still needs a redeploy in the end.
type Outcome struct {
	Down          bool   `json:"down"`
	Back          int    `json:"back"`
	Repaired      int    `json:"repaired,omitempty"`
	Procedure     string `json:"procedure,omitempty"`
	Redeployed    int    `json:"redeployed,omitempty"`
	RedeployedBy  string `json:"redeployed_by,omitempty"`
	NeedsRedeploy bool   `json:"needs_redeploy,omitempty"`
}

// NodeResult is one node's prediction and observation.
type NodeResult struct {
	Node      string
	Failed    bool
	Predicted Outcome
	Observed  Outcome
	Degraded  bool // observed up with a soft dependency down, right after the failure
}

// Match reports whether the observation confirms the prediction.
func (n NodeResult) Match() bool { return n.Predicted == n.Observed }

// ProcedureResult is one procedure of a failed node never repaired, or
// with Redeploy of a node never redeployed, in the prediction: whether it
// was predicted blocked and observed blocked.
type ProcedureResult struct {
	Node, Procedure  string
	Redeploy         bool
	PredictedBlocked bool
	ObservedBlocked  bool
	ObservedDown     string // the via node, or what it needs to start, that answered down
	PredictedWitness []string
}

// Match reports whether the procedure was blocked as predicted.
func (p ProcedureResult) Match() bool { return p.PredictedBlocked == p.ObservedBlocked }

// Mismatches counts the observations that differ from the prediction.
func (r *Result) Mismatches() int {
	n := 0
	for _, x := range r.Nodes {
		if !x.Match() {
			n++
		}
	}
	for _, p := range r.Procedures {
		if !p.Match() {
			n++
		}
	}
	return n
}

// compare lays the prediction beside the live observation.
func compare(g *graph.Graph, o Options, w *analyzer.WhatIf, l *live) *Result {
	r := &Result{Failed: w.Failed, Prediction: w}
	for v := range g.Nodes {
		switch {
		case l.s.nodes[v] == nil:
			r.Real++
		case l.s.nodes[v].store != nil:
			r.KV++
			r.Emulated++
		default:
			r.Emulated++
		}
	}
	predicted := map[string]Outcome{}
	for _, d := range w.Down {
		predicted[d.Node] = Outcome{Down: true, Back: d.Back}
	}
	for i, wave := range w.Waves {
		for _, rep := range wave {
			p := predicted[rep.Node]
			if rep.Redeploy {
				p.Redeployed, p.RedeployedBy = i+1, rep.Procedure
			} else {
				p.Repaired, p.Procedure = i+1, rep.Procedure
			}
			predicted[rep.Node] = p
		}
	}
	for _, st := range w.Stranded {
		p := predicted[st.Node]
		p.NeedsRedeploy = true
		predicted[st.Node] = p
	}
	for v, n := range g.Nodes {
		_, failed := o.Faults[v]
		nr := NodeResult{Node: n.ID, Failed: failed, Predicted: predicted[n.ID], Degraded: l.after[v] == Degraded}
		nr.Observed.Down = !l.after[v].IsUp()
		if nr.Observed.Down {
			nr.Observed.Back = l.back[v]
		}
		if wave, ok := l.repaired[v]; ok {
			nr.Observed.Repaired, nr.Observed.Procedure = wave, l.used[v]
		}
		if wave, ok := l.redeployed[v]; ok {
			nr.Observed.Redeployed, nr.Observed.RedeployedBy = wave, l.redeployedBy[v]
		}
		_, nr.Observed.NeedsRedeploy = l.wiped[v]
		r.Nodes = append(r.Nodes, nr)
	}
	procedures := func(node string, blocked []analyzer.Blocked, redeploy bool) {
		v, _ := g.Lookup(node)
		obs := l.blocked[v]
		for i, b := range blocked {
			pr := ProcedureResult{Node: node, Procedure: b.Procedure, Redeploy: redeploy, PredictedBlocked: true}
			for _, h := range b.Witness {
				pr.PredictedWitness = append(pr.PredictedWitness, h.Node)
			}
			if i < len(obs) {
				pr.ObservedBlocked, pr.ObservedDown = !obs[i].Usable, obs[i].Down
			}
			r.Procedures = append(r.Procedures, pr)
		}
	}
	for _, u := range w.Unrecovered {
		procedures(u.Node, u.Blocked, false)
	}
	for _, st := range w.Stranded {
		procedures(st.Node, st.Blocked, true)
	}
	return r
}
