package rules

import "github.com/catch22/catch22/graph"

// Facts are the reachability answers several rules share, computed in one
// graph.Sweep: the size of every down set, and for every via and monitor
// edge whether its target goes down with the node that declares it.
type Facts struct {
	DownSize []int
	// Blocking[i] is, for edge i of type Via or Monitor, the proof that the
	// edge's target goes down with the declaring node (a shortest hard path,
	// with alternatives where an any_of group fails); nil when the target
	// stays up while the declaring node is down.
	Blocking []*graph.Proof
}

// ComputeFacts runs the shared sweep over g.
func ComputeFacts(g *graph.Graph) *Facts {
	var qs []graph.Query
	var edges []int
	for i, e := range g.Edges {
		if e.Type == graph.Via || e.Type == graph.Monitor {
			qs = append(qs, graph.Query{From: e.To, To: e.From})
			edges = append(edges, i)
		}
	}
	r := g.Sweep(qs)
	f := &Facts{DownSize: r.DownSize, Blocking: make([]*graph.Proof, len(g.Edges))}
	for k, i := range edges {
		f.Blocking[i] = r.Proofs[k]
	}
	return f
}

// procedureState is what the recovery rules need to know of one procedure.
type procedureState struct {
	index   int   // into the manifest's Recoveries
	blocked bool  // some via node is in down({S})
	witness []Hop // shortest S -[recovery: name]-> v → … → S when blocked
	edge    int   // the via edge the witness starts with
}

// procedures evaluates every recovery procedure of node u, in declaration
// order. A procedure whose via names only undeclared nodes is not blocked:
// unknown nodes count as up.
func (p *Pass) procedures(u int) []procedureState {
	m := p.Graph.Nodes[u].Manifest
	states := make([]procedureState, len(m.Recoveries))
	for i := range states {
		states[i].index = i
	}
	first, end := p.Graph.Out(u)
	for i := first; i < end; i++ {
		e := &p.Graph.Edges[i]
		proof := p.Facts.Blocking[i]
		if e.Type != graph.Via || proof == nil {
			continue
		}
		st := &states[e.Procedure]
		w := append([]Hop{{Node: p.node(u)}}, ProofHops(p.Graph, proof, "recovery: "+m.Recoveries[e.Procedure].Name)...)
		if st.blocked && HopCount(st.witness) <= HopCount(w) {
			continue
		}
		st.blocked = true
		st.edge = i
		st.witness = w
	}
	return states
}

// shortest returns the blocked state with the shortest witness (the first
// declared among equals), or nil.
func shortest(states []procedureState) *procedureState {
	var best *procedureState
	for i := range states {
		if s := &states[i]; s.blocked && (best == nil || len(s.witness) < len(best.witness)) {
			best = s
		}
	}
	return best
}

func countBlocked(states []procedureState) int {
	n := 0
	for _, s := range states {
		if s.blocked {
			n++
		}
	}
	return n
}
