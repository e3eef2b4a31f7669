package analyzer

import (
	"slices"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// WhatIf is the predicted course of a failure (SPEC §2 and §4): what goes
// down, which failed nodes are repaired in which wave, which nodes are
// redeployed because a node they ran on was rebuilt, and why the rest
// cannot come back.
type WhatIf struct {
	Total  int      // nodes in the graph
	Failed []string // sorted
	Down   []DownNode
	// Waves lists, per wave, the repairs of failed nodes and the redeploys
	// (Repair.Redeploy), sorted by node.
	Waves [][]Repair
	// Unrecovered lists the failed nodes never repaired, sorted.
	Unrecovered []Unrecovered
	// Stranded lists the nodes that need a redeploy, because a node they
	// ran on was rebuilt, and never get one; sorted.
	Stranded []Stranded
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
	// failed node nobody could repair, to a stranded node (see Stranded),
	// or to a dependency cycle that cannot restart. Nil for those roots
	// themselves.
	Still []rules.Hop
	// Rebuilt is the node whose rebuild last asked for this node's
	// redeploy ("" when none did), and Redeployed the last wave it was
	// redeployed in (0 when never).
	Rebuilt    string
	Redeployed int
}

// Repair is one node brought back through one of its procedures in a wave
// (the first declared among those usable): a failed node repaired, or,
// with Redeploy, a node redeployed because a node it ran on was rebuilt.
// Rebuilds says a repair recreated the node empty (its procedure has
// rebuilds = true), so the nodes running on it need a redeploy; it is
// never set on a redeploy.
type Repair struct {
	Node, Procedure string
	Redeploy        bool
	Rebuilds        bool
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
	// at a failed node nobody could repair, a stranded node, or round a
	// cycle.
	Blocked []Blocked
}

// Stranded is a node that ran on a node rebuilt in wave Wave and needs a
// redeploy it never gets: it declares no procedure (ReasonNoRecovery), or
// each of its procedures stays blocked (ReasonDeadlock, with witnesses as
// in Unrecovered).
type Stranded struct {
	Node    string
	Rebuilt string // the node whose rebuild asked for the redeploy (the last one)
	Wave    int    // the wave that rebuilt it
	Reason  string
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
// Rebuilds: when a failed node is repaired, in wave k, by a procedure with
// rebuilds = true, each of its tenants (graph.Tenants: the nodes that
// hard-depend on it directly at run time) needs a redeploy, unless it was
// repaired or redeployed in wave k itself, already waits for one, or is a
// failed node not yet repaired (its repair deploys it afresh). Such a node
// stays down, whatever its dependencies, until it is redeployed through
// one of its own procedures, in the first wave after k in which one has
// every via node up, like a repair. Nodes further up the chain come back
// by themselves once their dependencies are up, as always. A redeploy
// rebuilds nothing, whatever its procedure says: it puts back what ran
// there, and two nodes that run on each other would otherwise redeploy
// each other forever. So each repair asks for at most one redeploy per
// tenant, and the run ends.
//
// It is event-driven: each node keeps the number of its hard dependencies
// still down (plus one while unrepaired or waiting for a redeploy) and each
// procedure the number of the nodes it needs still down (its via nodes and
// what they need to start), so the whole run costs O(V+E+N), N the sum over
// the procedures of what they need, whatever the number of waves.
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
	waiting  []int            // per node: hard dependencies and failed groups still down, plus one while unrepaired or waiting for a redeploy
	altsDown []int            // per group: alternatives still down
	back     []int            // per node: the wave it came back in, 0 while down
	procs    [][]int          // per node that may need a repair or a redeploy: needed nodes still down, per procedure; nil for the others
	viaUsers map[int][][2]int // per down node: the (node, procedure) pairs that need it
	repaired []bool           // per node: failed and repaired
	pending  []bool           // per node: waits for a redeploy
	deployed []int            // per node: the last wave it was repaired or redeployed in
	rebuilt  []int            // per node: the wave of the rebuild that last asked for its redeploy
	by       []int            // per node: the node of that rebuild, -1 for none
	waves    [][]action
	ready    []int // nodes that need a repair or a redeploy and have a usable procedure, for the next wave
	queued   []bool
}

// action is one repair or redeploy: a node, the procedure used, and
// whether it is a redeploy.
type action struct {
	node, proc int
	redeploy   bool
}

func newSim(g *graph.Graph, failed []int) *sim {
	n := len(g.Nodes)
	f := slices.Clone(failed)
	slices.Sort(f)
	f = slices.Compact(f)
	s := &sim{g: g, failed: f, isFailed: make([]bool, n), inDown: make([]bool, n),
		waiting: make([]int, n), back: make([]int, n), viaUsers: map[int][][2]int{}, altsDown: make([]int, len(g.Groups)),
		procs: make([][]int, n), repaired: make([]bool, n), pending: make([]bool, n), deployed: make([]int, n),
		rebuilt: make([]int, n), by: make([]int, n), queued: make([]bool, n)}
	for _, v := range f {
		s.isFailed[v] = true
	}
	s.down = g.Down(f)
	for _, v := range s.down {
		s.inDown[v] = true
	}
	for _, v := range s.down {
		s.by[v] = -1
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
	for _, v := range s.down {
		if !s.isFailed[v] && !s.mayNeedRedeploy(v) {
			continue
		}
		// A procedure needs its via nodes and what they need to start.
		targets := g.ProcedureNeeds(v)
		s.procs[v] = make([]int, len(targets))
		for p, needs := range targets {
			for _, w := range needs {
				if s.inDown[w] {
					s.procs[v][p]++
					s.viaUsers[w] = append(s.viaUsers[w], [2]int{v, p})
				}
			}
			if s.procs[v][p] == 0 {
				s.enqueue(v)
			}
		}
	}
	return s
}

// mayNeedRedeploy reports whether v runs on a failed node that some
// procedure may rebuild: only such nodes can ever need a redeploy, so only
// their procedures are counted.
func (s *sim) mayNeedRedeploy(v int) bool {
	for _, w := range s.g.HardSuccessors(v) {
		if w != v && s.isFailed[w] && slices.ContainsFunc(s.g.Nodes[w].Manifest.Recoveries, func(r manifest.Recovery) bool { return r.Rebuilds }) {
			return true
		}
	}
	return false
}

// needs reports whether v waits for a repair or a redeploy.
func (s *sim) needs(v int) bool { return s.isFailed[v] && !s.repaired[v] || s.pending[v] }

func (s *sim) enqueue(v int) {
	if s.needs(v) && !s.queued[v] {
		s.queued[v] = true
		s.ready = append(s.ready, v)
	}
}

// run repairs and redeploys, wave by wave, every node that needs it and
// has a usable procedure, until a wave has nothing to do.
func (s *sim) run() {
	for len(s.ready) > 0 {
		wave := len(s.waves) + 1
		batch := s.ready
		s.ready = nil
		slices.Sort(batch)
		acts := make([]action, 0, len(batch))
		for _, v := range batch {
			s.queued[v] = false
			a := action{node: v, proc: slices.Index(s.procs[v], 0), redeploy: s.pending[v]}
			if a.redeploy {
				s.pending[v] = false
			} else {
				s.repaired[v] = true
			}
			s.deployed[v] = wave
			acts = append(acts, a)
		}
		// What ran on a rebuilt node must be redeployed, in a later wave.
		// Mark it before anything comes back, so that nothing comes back
		// on a node that was just recreated empty.
		for _, a := range acts {
			if a.redeploy || !s.g.Rebuilds(a.node, a.proc) {
				continue
			}
			for _, d := range s.g.Tenants(a.node) {
				if s.deployed[d] == wave || s.isFailed[d] && !s.repaired[d] {
					continue
				}
				s.rebuilt[d], s.by[d] = wave, a.node
				if s.pending[d] {
					continue
				}
				s.pending[d] = true
				s.waiting[d]++
				if slices.Contains(s.procs[d], 0) {
					s.enqueue(d)
				}
			}
		}
		// Repairs and redeploys of one wave happen together: bring nodes
		// back only once the whole batch is chosen, so that one never
		// makes another usable in the same wave.
		for _, a := range acts {
			s.release(a.node, wave)
		}
		s.waves = append(s.waves, acts)
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
	redeployed := map[int]int{} // node → the last wave it was redeployed in
	for i, wave := range s.waves {
		var rs []Repair
		for _, a := range wave {
			rs = append(rs, Repair{Node: id(a.node), Procedure: g.Nodes[a.node].Manifest.Recoveries[a.proc].Name,
				Redeploy: a.redeploy, Rebuilds: !a.redeploy && g.Rebuilds(a.node, a.proc)})
			if a.redeploy {
				redeployed[a.node] = i + 1
			}
		}
		w.Waves = append(w.Waves, rs)
	}

	why := hardPathsTo(g, s.failed, s.inDown)
	// Whatever stays down is blamed on its hard dependencies that stay
	// down; failed nodes nobody repaired and nodes that never got the
	// redeploy they need are the roots.
	var stuck, roots []int
	blamed := map[int][]blameEdge{}
	for _, v := range s.down {
		if s.back[v] != 0 {
			continue
		}
		stuck = append(stuck, v)
		if s.needs(v) {
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
		d := DownNode{Node: id(v), Failed: s.isFailed[v], Why: why[v], Back: s.back[v], Redeployed: redeployed[v]}
		if _, root := slices.BinarySearch(roots, v); d.Back == 0 && !root {
			d.Still = still[v]
		}
		if s.by[v] >= 0 {
			d.Rebuilt = id(s.by[v])
		}
		w.Down = append(w.Down, d)
	}

	// blocked lists every procedure of v with the witness of why it stays
	// blocked, and the reason for a node that needs one.
	blocked := func(v int) (string, []Blocked) {
		m := g.Nodes[v].Manifest
		if len(m.Recoveries) == 0 {
			return ReasonNoRecovery, nil
		}
		var out []Blocked
		for p, r := range m.Recoveries {
			out = append(out, Blocked{Procedure: r.Name, Witness: blockedWitness(g, v, p, still)})
		}
		return ReasonDeadlock, out
	}
	var deadlocked []int
	for _, v := range roots {
		if s.pending[v] {
			st := Stranded{Node: id(v), Rebuilt: id(s.by[v]), Wave: s.rebuilt[v]}
			st.Reason, st.Blocked = blocked(v)
			w.Stranded = append(w.Stranded, st)
			continue
		}
		deadlocked = append(deadlocked, v)
		u := Unrecovered{Node: id(v)}
		u.Reason, u.Blocked = blocked(v)
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
