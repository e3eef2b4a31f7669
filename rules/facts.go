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
	// stays up while the declaring node is down. For a Via edge it may
	// instead prove that a node the via node needs, hard, to start goes
	// down: using a via node starts it, so it is no help if it could not
	// restart. Such a proof's path starts at the via node, whose first hop
	// is that start-phase dependency (graph.GateLabel names it).
	Blocking []*graph.Proof
}

// ComputeFacts runs the shared sweep over g. A via edge to x asks one
// question for x and one for each of x's start-phase dependencies
// (graph.StartSuccessors), so the sweep answers V + |via| + Σ|start(x)|
// questions at most.
func ComputeFacts(g *graph.Graph) *Facts {
	var qs []graph.Query
	type asked struct {
		edge  int
		start int // the via node's start-phase dependency asked about; -1 for the edge's own target
	}
	var questions []asked
	for i, e := range g.Edges {
		if e.Type != graph.Via && e.Type != graph.Monitor {
			continue
		}
		qs = append(qs, graph.Query{From: e.To, To: e.From})
		questions = append(questions, asked{i, -1})
		if e.Type != graph.Via {
			continue
		}
		for _, s := range g.StartSuccessors(e.To) {
			if s != e.To {
				qs = append(qs, graph.Query{From: s, To: e.From})
				questions = append(questions, asked{i, s})
			}
		}
	}
	r := g.Sweep(qs)
	f := &Facts{DownSize: r.DownSize, Blocking: make([]*graph.Proof, len(g.Edges))}
	// Questions on one edge are consecutive, its own target first, start
	// dependencies in ascending order: the first shortest proof wins.
	for k, q := range questions {
		proof := r.Proofs[k]
		if proof == nil {
			continue
		}
		if q.start >= 0 {
			proof = &graph.Proof{Path: append([]int{g.Edges[q.edge].To}, proof.Path...), Group: proof.Group, Alts: proof.Alts}
		}
		if old := f.Blocking[q.edge]; old == nil || len(proof.Nodes()) < len(old.Nodes()) {
			f.Blocking[q.edge] = proof
		}
	}
	return f
}

// procedureState is what the recovery rules need to know of one procedure.
type procedureState struct {
	index   int   // into the manifest's Recoveries
	blocked bool  // some via node, or a via node's start-phase dependency, is in down({S})
	witness []Hop // shortest S -[recovery: name]-> v (-[kind, start]-> w) → … → S when blocked
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
