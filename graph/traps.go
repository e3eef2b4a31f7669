package graph

import (
	"slices"

	"gonum.org/v1/gonum/graph/topo"
)

// Traps returns the sets of nodes that, once all down, hold each other down
// for good: none can (re)start before another. A node is held back while a
// hard dependency of either phase is down (a node needs its start-phase
// dependencies to restart) or a hard any_of group has fewer than its quorum
// up, that is Need of its alternatives down.
//
// A trap is a set S, strongly connected over the edges that hold its nodes
// within S and holding a cycle, in which every node is held by S alone: it
// has a hard dependency on a node of S or a group with Need alternatives in
// S. Traps returns the greatest such sets, which are disjoint, each sorted,
// ordered by smallest node. A set held down only in part by another trap
// (an any_of group whose alternatives lie partly in a trap elsewhere) is no
// trap of its own: it comes up once that trap is broken, so it is a
// consequence, not a cause, just as a node that hard-depends on a cycle is
// on none. Without start-phase dependencies and groups every node of a
// strongly connected set is held within it, so Traps is exactly Cycles().
//
// It refines candidates, starting from all nodes: peel (drop, until none
// is left to drop, every node not held within the candidate, counting what
// each node still has in it), then split what is left into the strongly
// connected sets of its holding edges. A set that is its whole candidate is
// a trap; any other becomes a candidate. Every trap stays within one
// candidate at each step, since peeling never drops a node held within a
// subset and a trap's edges hold in every superset. Each round is linear
// in the candidates' nodes and edges and candidates shrink strictly, so
// Traps is O(V+E) per level of nesting, O(V·(V+E)) at worst; estates need
// one or two levels.
func (g *Graph) Traps() [][]int {
	if !g.hasGatesBeyondRun() {
		return g.Cycles()
	}
	all := make([]int, len(g.Nodes))
	for i := range all {
		all[i] = i
	}
	return g.NewTrapper(nil, nil).Traps(all)
}

// Trapper finds traps within sets of nodes over the edges its filters keep
// (a model with some dependencies made soft, say). It keeps scratch space
// of O(V) between calls, so one call costs what the set holds; it is not
// safe for concurrent use.
type Trapper struct{ p *peeler }

// NewTrapper returns a Trapper over the hard dependencies (either phase)
// u → v that edge keeps and the hard any_of groups that group keeps; a nil
// filter keeps every one.
func (g *Graph) NewTrapper(edge func(u, v int) bool, group func(gi int) bool) *Trapper {
	p := newPeeler(g)
	p.edge, p.group = edge, group
	return &Trapper{p}
}

// Traps returns the traps within set (sorted), as Graph.Traps defines
// them, over the edges the filters keep, each sorted, ordered by smallest
// node.
func (t *Trapper) Traps(set []int) [][]int {
	var out [][]int
	for work := [][]int{set}; len(work) > 0; {
		cand := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range t.p.split(cand) {
			if len(s) == len(cand) {
				out = append(out, s)
			} else {
				work = append(work, s)
			}
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

// TrapEdges lists the edges that hold u within set: the nodes of set that
// u needs, hard, to (re)start, and for each of u's groups with Need
// alternatives in set, the group and those alternatives.
func (g *Graph) TrapEdges(u int, set []int) (single []int, groups map[int][]int) {
	in := make(map[int]bool, len(set))
	for _, v := range set {
		in[v] = true
	}
	for _, v := range g.GateSuccessors(u) {
		if in[v] {
			single = append(single, v)
		}
	}
	for _, gi := range g.groupsOut.raw(u) {
		gr := &g.Groups[gi]
		var alts []int
		for _, m := range gr.Members {
			if in[m] {
				alts = append(alts, m)
			}
		}
		if len(alts) >= gr.Need {
			if groups == nil {
				groups = map[int][]int{}
			}
			groups[int(gi)] = alts
		}
	}
	return single, groups
}

// hasGatesBeyondRun reports whether some hard dependency is start-phase or
// an any_of group that can fail, so that traps may differ from the
// run-time cycles.
func (g *Graph) hasGatesBeyondRun() bool {
	if len(g.startOut.targets) > 0 {
		return true
	}
	for i := range g.Groups {
		if g.Groups[i].Hard && g.Groups[i].CanFail() {
			return true
		}
	}
	return false
}

// peeler holds the counters of one candidate at a time; split leaves them
// clear for the next, so a round costs the candidate's size, not V's.
type peeler struct {
	g       *Graph
	in      []bool
	single  []int // per node: hard dependencies (either phase) in the candidate
	alts    []int // per group: alternatives in the candidate
	holding []int // per node: its hard groups with Need alternatives in the candidate
	local   []int // per node: its index within the candidate
	edge    func(u, v int) bool
	group   func(gi int) bool
}

// keeps reports whether u → v holds (it is known to be a hard dependency).
func (p *peeler) keeps(u int, v int32) bool { return p.in[v] && (p.edge == nil || p.edge(u, int(v))) }

// keepsGroup reports whether group gi holds.
func (p *peeler) keepsGroup(gi int32) bool { return p.group == nil || p.group(int(gi)) }

func newPeeler(g *Graph) *peeler {
	n := len(g.Nodes)
	return &peeler{g: g, in: make([]bool, n), single: make([]int, n), alts: make([]int, len(g.Groups)),
		holding: make([]int, n), local: make([]int, n)}
}

// split peels cand (sorted) down to the nodes held within what is left, and
// returns the strongly connected sets of their holding edges that hold a
// cycle, each sorted.
func (p *peeler) split(cand []int) [][]int {
	g := p.g
	for _, u := range cand {
		p.in[u] = true
	}
	defer func() {
		for _, u := range cand {
			p.in[u], p.single[u], p.holding[u] = false, 0, 0
		}
	}()
	for _, u := range cand {
		// A node that is both a run-time and a start-phase dependency of u
		// counts twice, and is taken off twice when peeled.
		for _, succ := range [2][]int32{g.hardOut.raw(u), g.startOut.raw(u)} {
			for _, v := range succ {
				if p.keeps(u, v) {
					p.single[u]++
				}
			}
		}
		for _, gi := range g.groupsOut.raw(u) {
			if !p.keepsGroup(gi) {
				continue
			}
			gr := &g.Groups[gi]
			p.alts[gi] = g.altsIn(gr, p.in)
			if p.alts[gi] >= gr.Need {
				p.holding[u]++
			}
		}
	}
	var queue []int
	drop := func(u int) {
		if p.in[u] && p.single[u] == 0 && p.holding[u] == 0 {
			p.in[u] = false
			queue = append(queue, u)
		}
	}
	for _, u := range cand {
		drop(u)
	}
	for head := 0; head < len(queue); head++ {
		v := queue[head]
		for _, preds := range [2][]int32{g.hardIn.raw(v), g.startIn.raw(v)} {
			for _, u := range preds {
				if p.in[u] && (p.edge == nil || p.edge(int(u), v)) {
					p.single[u]--
					drop(int(u))
				}
			}
		}
		for _, gi := range g.groupsIn.raw(v) {
			gr := &g.Groups[gi]
			if !p.in[gr.From] || !p.keepsGroup(gi) {
				continue
			}
			if p.alts[gi]--; p.alts[gi] == gr.Need-1 {
				p.holding[gr.From]--
				drop(gr.From)
			}
		}
	}
	// The holding edges among what is left, numbered within it.
	var left []int
	for _, u := range cand {
		if p.in[u] {
			p.local[u] = len(left)
			left = append(left, u)
		}
	}
	var edges [][2]int
	for _, u := range left {
		for _, succ := range [2][]int32{g.hardOut.raw(u), g.startOut.raw(u)} {
			for _, v := range succ {
				if p.keeps(u, v) {
					edges = append(edges, [2]int{p.local[u], p.local[v]})
				}
			}
		}
		for _, gi := range g.groupsOut.raw(u) {
			if gr := &g.Groups[gi]; p.keepsGroup(gi) && p.alts[gi] >= gr.Need {
				for _, m := range gr.Members {
					if p.in[m] {
						edges = append(edges, [2]int{p.local[u], p.local[m]})
					}
				}
			}
		}
	}
	n := len(left)
	view := csrView{n: n, out: newCSR(n, edges, false), in: newCSR(n, edges, true)}
	var out [][]int
	for _, scc := range topo.TarjanSCC(view) {
		x := int(scc[0].ID())
		if _, self := search(view.out.raw(x), int32(x)); len(scc) == 1 && !self {
			continue
		}
		set := make([]int, len(scc))
		for i, y := range scc {
			set[i] = left[y.ID()]
		}
		slices.Sort(set)
		out = append(out, set)
	}
	return out
}

// altsIn counts the alternatives of gr in the set.
func (g *Graph) altsIn(gr *Group, in []bool) int {
	k := 0
	for _, m := range gr.Members {
		if in[m] {
			k++
		}
	}
	return k
}
