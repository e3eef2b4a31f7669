package analyzer

import (
	"cmp"
	"slices"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/rules"
)

// SinglePoint is the outcome of one node failing alone.
type SinglePoint struct {
	Node string
	Down int // |down({node})|, the node included
	// Procedure is the first declared procedure usable while the node is
	// down, "" when none is: then Reason says why it cannot come back.
	Procedure string
	Reason    string // "", ReasonDeadlock or ReasonNoRecovery
	// Rebuilds says Procedure recreates the node empty; then Redeploys
	// counts the redeploys the recovery takes (Simulate's waves) and
	// Stranded the nodes that need one and never get it.
	Rebuilds  bool
	Redeploys int
	Stranded  int
}

// Recoverable reports whether the node can be repaired after failing alone.
func (p SinglePoint) Recoverable() bool { return p.Reason == "" }

// EachFailure predicts every single-node failure at once, ranked most
// dangerous first: most nodes down, then unrecoverable before recoverable,
// then by ID.
//
// With one failed node F = {v}, a procedure of v is usable in wave 1 exactly
// when none of its via nodes, nor what they need to start, is in down({v})
// (rules.Facts.Blocking answers both); if none is, nothing else was
// repaired, so no later wave can differ, and once v is repaired everything
// in down({v}) is back. So the whole table needs only the down-set sizes and
// the blocking answers that one graph sweep computes (rules.Facts), not a
// simulation per node: O(E·C/64) for all V failures together. Only a node
// whose procedure rebuilds it is simulated (Simulate's waves without the
// explanations), to count the redeploys its tenants need: O(V+E) for each
// such node.
func EachFailure(g *graph.Graph, facts *rules.Facts) []SinglePoint {
	out := make([]SinglePoint, len(g.Nodes))
	for v, n := range g.Nodes {
		sp := SinglePoint{Node: n.ID, Down: facts.DownSize[v]}
		recs := n.Manifest.Recoveries
		blocked := make([]bool, len(recs))
		first, end := g.Out(v)
		for i := first; i < end; i++ {
			if e := g.Edges[i]; e.Type == graph.Via && facts.Blocking[i] != nil {
				blocked[e.Procedure] = true
			}
		}
		switch p := slices.Index(blocked, false); {
		case len(recs) == 0:
			sp.Reason = ReasonNoRecovery
		case p < 0:
			sp.Reason = ReasonDeadlock
		default:
			sp.Procedure = recs[p].Name
			if sp.Rebuilds = recs[p].Rebuilds; sp.Rebuilds {
				sp.Redeploys, sp.Stranded = redeploys(g, v)
			}
		}
		out[v] = sp
	}
	slices.SortStableFunc(out, func(a, b SinglePoint) int {
		return cmp.Or(cmp.Compare(b.Down, a.Down), cmp.Compare(recoverableRank(a), recoverableRank(b)))
	})
	return out
}

// recoverableRank sorts unrecoverable failures first.
func recoverableRank(p SinglePoint) int {
	if p.Recoverable() {
		return 1
	}
	return 0
}

// redeploys runs the failure of v alone and counts the redeploys of its
// recovery, and the nodes left waiting for one.
func redeploys(g *graph.Graph, v int) (done, stranded int) {
	s := newSim(g, []int{v})
	s.run()
	for _, wave := range s.waves {
		for _, a := range wave {
			if a.redeploy {
				done++
			}
		}
	}
	for _, u := range s.down {
		if s.pending[u] {
			stranded++
		}
	}
	return done, stranded
}
