package analyzer

import (
	"slices"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/rules"
)

// WhatIf is the predicted course of a failure (SPEC §2 and §4): what goes
// down, which failed nodes are repaired in which wave, and why the rest
// cannot be.
type WhatIf struct {
	Total  int      // nodes in the graph
	Failed []string // sorted
	Down   []DownNode
	Waves  [][]Repair
	// Unrecovered lists the failed nodes never repaired, sorted.
	Unrecovered []Unrecovered
	// Suggestions break the recovery and dependency cycles that keep nodes
	// down (see Suggest); nil when everything comes back.
	Suggestions []Change
}

// DownNode is one node of down(F).
type DownNode struct {
	Node   string
	Failed bool
	// Why is a shortest hard path from the node to a failed node; just the
	// node itself when it failed.
	Why []rules.Hop
	// Back is the wave after which the node is up again; 0 when it stays
	// down.
	Back int
	// Still, for a node that stays down, proves why: a hard path to a
	// failed node nobody could repair, or to a dependency cycle that cannot
	// restart.
	Still []rules.Hop
}

// Repair is one failed node repaired in a wave, with the procedure used
// (the first declared among those usable).
type Repair struct {
	Node, Procedure string
}

// Unrecovered reasons, as the JSON output spells them.
const (
	ReasonDeadlock   = "deadlock"
	ReasonNoRecovery = "no-recovery"
)

// Unrecovered is a failed node no wave repairs.
type Unrecovered struct {
	Node   string
	Reason string // ReasonDeadlock or ReasonNoRecovery
	// Blocked lists every procedure, in declaration order, with the witness
	// of why it stays blocked: node -[recovery: P]-> via node -> … ending
	// at a failed node nobody could repair, or round a cycle.
	Blocked []Blocked
}

// Blocked is one procedure that cannot be used.
type Blocked struct {
	Procedure string
	Witness   []rules.Hop
}

// Recovered reports whether every down node is back up in the end.
func (w *WhatIf) Recovered() bool {
	for _, d := range w.Down {
		if d.Back == 0 {
			return false
		}
	}
	return true
}

// Simulate predicts the failure of the given nodes (indices into g.Nodes).
//
// Waves: a failed node is repaired in the first wave in which one of its
// procedures has every via node up, and every node those need, hard, to
// start (graph.ProcedureNeeds); a node is up when it is not failed (or
// is repaired) and all its hard dependencies are up, so repairs bring their
// dependents back within the same wave. Start-phase dependencies take
// nothing down, but a node that went down comes back only once those are
// up too. Up-ness is the least fixed point:
// nodes on a hard cycle that went down do not restart by themselves.
// Undeclared via nodes count as up.
//
// It is event-driven: each node keeps the number of its hard dependencies
// still down and each procedure the number of the nodes it needs still
// down, so the whole run costs O(V+E+N), N the sum over the failed nodes'
// procedures of what they need, whatever the number of waves.
func Simulate(g *graph.Graph, failed []int) *WhatIf {
	s := newSim(g, failed)
	s.run()
	return s.result()
}

// sim is the state of one failure simulation.
type sim struct {
	g        *graph.Graph
	failed   []int // sorted, deduplicated
	isFailed []bool
	down     []int // down(F), sorted
	inDown   []bool
	waiting  []int            // per node: hard dependencies and failed groups still down, plus one while unrepaired
	altsDown []int            // per group: alternatives still down
	back     []int            // per node: the wave it came back in, 0 while down
	procs    [][]int          // per failed node (by position in failed): needed nodes still down, per procedure
	viaUsers map[int][][2]int // per down node: the (position in failed, procedure) pairs that need it
	repaired []bool           // by position in failed
	waves    [][][2]int       // per wave: (node, procedure) repaired
	ready    []int            // positions in failed with a usable procedure, for the next wave
	queued   []bool
}

func newSim(g *graph.Graph, failed []int) *sim {
	n := len(g.Nodes)
	f := slices.Clone(failed)
	slices.Sort(f)
	f = slices.Compact(f)
	s := &sim{g: g, failed: f, isFailed: make([]bool, n), inDown: make([]bool, n),
		waiting: make([]int, n), back: make([]int, n), viaUsers: map[int][][2]int{}, altsDown: make([]int, len(g.Groups)),
		procs: make([][]int, len(f)), repaired: make([]bool, len(f)), queued: make([]bool, len(f))}
	for _, v := range f {
		s.isFailed[v] = true
	}
	s.down = g.Down(f)
	for _, v := range s.down {
		s.inDown[v] = true
	}
	for _, v := range s.down {
		// A node that went down needs its start-phase dependencies to
		// come back, though their failure took nothing down.
		for _, w := range g.HardSuccessors(v) {
			if s.inDown[w] {
				s.waiting[v]++
			}
		}
		for _, w := range g.StartSuccessors(v) {
			if s.inDown[w] {
				s.waiting[v]++
			}
		}
		// A group too: it holds its node back while fewer than its quorum
		// of alternatives are up.
		for _, gi := range g.GroupsOf(v) {
			for _, m := range g.Groups[gi].Members {
				if s.inDown[m] {
					s.altsDown[gi]++
				}
			}
			if s.altsDown[gi] >= g.Groups[gi].Need {
				s.waiting[v]++
			}
		}
		if s.isFailed[v] {
			s.waiting[v]++
		}
	}
	for i, v := range f {
		// A procedure needs its via nodes and what they need to start.
		targets := g.ProcedureNeeds(v)
		s.procs[i] = make([]int, len(targets))
		for p, needs := range targets {
			for _, w := range needs {
				if s.inDown[w] {
					s.procs[i][p]++
					s.viaUsers[w] = append(s.viaUsers[w], [2]int{i, p})
				}
			}
			if s.procs[i][p] == 0 {
				s.enqueue(i)
			}
		}
	}
	return s
}

func (s *sim) enqueue(i int) {
	if !s.repaired[i] && !s.queued[i] {
		s.queued[i] = true
		s.ready = append(s.ready, i)
	}
}

// run repairs, wave by wave, every failed node with a usable procedure,
// until a wave has nothing to repair.
func (s *sim) run() {
	for len(s.ready) > 0 {
		wave := len(s.waves) + 1
		batch := s.ready
		s.ready = nil
		slices.Sort(batch)
		var repairs [][2]int
		for _, i := range batch {
			s.queued[i] = false
			p := slices.Index(s.procs[i], 0)
			repairs = append(repairs, [2]int{s.failed[i], p})
			s.repaired[i] = true
		}
		// Repairs of one wave happen together: bring nodes back only once
		// the whole batch is chosen, so a repair in this wave never makes
		// another one usable in the same wave.
		for _, r := range repairs {
			s.release(r[0], wave)
		}
		s.waves = append(s.waves, repairs)
	}
}

// release takes away one reason v is down and brings back, in wave, every
// node that has none left.
func (s *sim) release(v, wave int) {
	s.waiting[v]--
	if s.waiting[v] > 0 {
		return
	}
	queue := []int{v}
	for len(queue) > 0 {
		u := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		s.back[u] = wave
		for _, use := range s.viaUsers[u] {
			s.procs[use[0]][use[1]]--
			if s.procs[use[0]][use[1]] == 0 {
				s.enqueue(use[0])
			}
		}
		for _, preds := range [2][]int{s.g.HardPredecessors(u), s.g.StartPredecessors(u)} {
			for _, p := range preds {
				if s.inDown[p] {
					s.waiting[p]--
					if s.waiting[p] == 0 {
						queue = append(queue, p)
					}
				}
			}
		}
		for _, gi := range s.g.GroupsWith(u) {
			gr := &s.g.Groups[gi]
			if !s.inDown[gr.From] {
				continue
			}
			// The group holds again when one fewer than Need is down.
			if s.altsDown[gi]--; s.altsDown[gi] == gr.Need-1 {
				if s.waiting[gr.From]--; s.waiting[gr.From] == 0 {
					queue = append(queue, gr.From)
				}
			}
		}
	}
}

func (s *sim) result() *WhatIf {
	g := s.g
	id := func(v int) string { return g.Nodes[v].ID }
	w := &WhatIf{Total: len(g.Nodes)}
	for _, v := range s.failed {
		w.Failed = append(w.Failed, id(v))
	}
	for _, wave := range s.waves {
		var rs []Repair
		for _, r := range wave {
			rs = append(rs, Repair{Node: id(r[0]), Procedure: g.Nodes[r[0]].Manifest.Recoveries[r[1]].Name})
		}
		w.Waves = append(w.Waves, rs)
	}

	why := hardPathsTo(g, s.failed, s.inDown)
	// Whatever stays down is blamed on its hard dependencies that stay
	// down; failed nodes nobody repaired are the roots.
	var stuck, roots []int
	blamed := map[int][]blameEdge{}
	for _, v := range s.down {
		if s.back[v] != 0 {
			continue
		}
		stuck = append(stuck, v)
		if i, failed := slices.BinarySearch(s.failed, v); failed && !s.repaired[i] {
			roots = append(roots, v)
			continue
		}
		for _, d := range g.GateSuccessors(v) {
			if s.inDown[d] && s.back[d] == 0 {
				blamed[v] = append(blamed[v], blameEdge{To: d, Label: g.GateLabel(v, d)})
			}
		}
		blamed[v] = append(blamed[v], groupBlame(g, v, func(m int) bool { return s.inDown[m] && s.back[m] == 0 })...)
	}
	still := explainStuck(stuck, blamed, roots, id)
	for _, v := range s.down {
		d := DownNode{Node: id(v), Failed: s.isFailed[v], Why: why[v], Back: s.back[v]}
		if _, root := slices.BinarySearch(roots, v); d.Back == 0 && !root {
			d.Still = still[v]
		}
		w.Down = append(w.Down, d)
	}

	var deadlocked []int
	for i, v := range s.failed {
		if s.repaired[i] {
			continue
		}
		deadlocked = append(deadlocked, v)
		m := g.Nodes[v].Manifest
		u := Unrecovered{Node: id(v), Reason: ReasonNoRecovery}
		if len(m.Recoveries) > 0 {
			u.Reason = ReasonDeadlock
			for p, r := range m.Recoveries {
				u.Blocked = append(u.Blocked, Blocked{Procedure: r.Name, Witness: blockedWitness(g, v, p, still)})
			}
		}
		w.Unrecovered = append(w.Unrecovered, u)
	}
	if len(stuck) > 0 {
		w.Suggestions = Suggest(g, deadlocked, cyclesTouching(g, stuck))
	}
	return w
}

// cyclesTouching returns the sets of hard cycles that hold one of the nodes.
func cyclesTouching(g *graph.Graph, nodes []int) [][]int {
	var out [][]int
	for _, set := range g.Cycles() {
		for _, v := range set {
			if _, found := slices.BinarySearch(nodes, v); found {
				out = append(out, set)
				break
			}
		}
	}
	return out
}

// blockedWitness proves procedure p of v blocked: v -[recovery: P]-> the
// via node that stays down with the shortest proof, then that proof; or
// v -[recovery: P]-> a via node -[kind, start]-> a node it needs to start
// that stays down, then that node's proof (the via node itself may be up:
// it could not start again). The first declared via entry wins among
// equals, its own proof before its start dependencies'. still holds the
// proofs of the nodes that stay down.
func blockedWitness(g *graph.Graph, v, p int, still map[int][]rules.Hop) []rules.Hop {
	var best []rules.Hop
	consider := func(w []rules.Hop) {
		if best == nil || len(w) < len(best) {
			best = w
		}
	}
	first, end := g.Out(v)
	for _, e := range g.Edges[first:end] {
		if e.Type != graph.Via || e.Procedure != p {
			continue
		}
		if proof, ok := still[e.To]; ok {
			consider(proof)
		}
		for _, d := range g.StartSuccessors(e.To) {
			if proof, ok := still[d]; ok && d != e.To {
				hop := proof[0]
				hop.Label = g.GateLabel(e.To, d)
				consider(append([]rules.Hop{{Node: g.Nodes[e.To].ID}, hop}, proof[1:]...))
			}
		}
	}
	hops := []rules.Hop{{Node: g.Nodes[v].ID}}
	if best == nil {
		return hops // cannot happen: a blocked procedure needs a node that stays down
	}
	head := best[0]
	head.Label = "recovery: " + g.Nodes[v].Manifest.Recoveries[p].Name
	return append(append(hops, head), best[1:]...)
}

// hardPathsTo returns, for every node of down(F), a shortest proof that it
// goes down with F: a hard path to the nearest node of F, or to a node
// whose any_of group fails, with the paths of the alternatives that fail
// it. One breadth-first search backwards from all of F at once finds them;
// a group fails when the search has reached Need of its alternatives. Ties
// go to the smaller node index.
func hardPathsTo(g *graph.Graph, failed []int, inDown []bool) map[int][]rules.Hop {
	const viaGroup = -2 // next[v] <= viaGroup: v is down because group viaGroup-next[v] fails
	next := map[int]int{}
	for _, f := range failed {
		next[f] = -1
	}
	altsSeen := map[int][]int{} // per group: the alternatives reached, in order
	queue := slices.Clone(failed)
	for head := 0; head < len(queue); head++ {
		w := queue[head]
		for _, p := range g.HardPredecessors(w) {
			if _, seen := next[p]; !seen && inDown[p] {
				next[p] = w
				queue = append(queue, p)
			}
		}
		for _, gi := range g.GroupsWith(w) {
			gr := &g.Groups[gi]
			if !gr.Propagates() {
				continue
			}
			altsSeen[gi] = append(altsSeen[gi], w)
			if _, seen := next[gr.From]; !seen && inDown[gr.From] && len(altsSeen[gi]) == gr.Need {
				next[gr.From] = viaGroup - gi
				queue = append(queue, gr.From)
			}
		}
	}
	var proof func(v int, label string) []rules.Hop
	proof = func(v int, label string) []rules.Hop {
		hops := []rules.Hop{{Node: g.Nodes[v].ID, Label: label}}
		for u := v; ; {
			switch n := next[u]; {
			case n == -1:
				return hops
			case n <= viaGroup:
				gi := viaGroup - n
				kind := string(g.Groups[gi].Kind) + ", any of"
				last := &hops[len(hops)-1]
				for _, m := range altsSeen[gi][:g.Groups[gi].Need] {
					last.Alternatives = append(last.Alternatives, proof(m, kind))
				}
				return hops
			default:
				hops = append(hops, rules.Hop{Node: g.Nodes[n].ID, Label: g.HardLabel(u, n)})
				u = n
			}
		}
	}
	out := make(map[int][]rules.Hop, len(next))
	for v := range next {
		out[v] = proof(v, "")
	}
	return out
}

// groupBlame blames v's groups that cannot hold, given which nodes stay
// down: one edge to each alternative that stays down, labelled with the
// group's kind and "any of".
func groupBlame(g *graph.Graph, v int, stays func(int) bool) []blameEdge {
	var out []blameEdge
	for _, gi := range g.GroupsOf(v) {
		gr := &g.Groups[gi]
		var down []int
		for _, m := range gr.Members {
			if stays(m) {
				down = append(down, m)
			}
		}
		if len(down) < gr.Need {
			continue
		}
		for _, m := range down {
			out = append(out, blameEdge{To: m, Label: string(gr.Kind) + ", any of"})
		}
	}
	return out
}
