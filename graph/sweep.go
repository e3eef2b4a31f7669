package graph

import (
	"slices"

	"github.com/catch22/catch22/internal/parallel"
)

// Query asks whether From is in down({To}): whether From is To, reaches To
// over hard run-time dependency edges, or depends on a group that To fails.
type Query struct{ From, To int }

// Reach holds the answers of one Sweep.
type Reach struct {
	DownSize []int    // DownSize[v] = |down({v})|, v included
	Proofs   []*Proof // Proofs[i]: why From of query i goes down with To, nil when it does not
}

// Proof shows that a node goes down with a failed one. Path is a shortest
// path of hard run-time dependencies on single nodes; it ends at the failed
// node, or, when Group is not -1, at a node whose any_of group Group fails:
// Alts then proves, for each alternative that goes down (at least the
// group's Need of them), that it does.
type Proof struct {
	Path  []int
	Group int
	Alts  []*Proof
}

// Nodes lists every node the proof passes, its own path first, then each
// alternative's in order.
func (p *Proof) Nodes() []int {
	out := slices.Clone(p.Path)
	for _, a := range p.Alts {
		out = append(out, a.Nodes()...)
	}
	return out
}

// chunkWords bounds the width of the reachability bitsets: 64 words = 4096
// target components per pass, so a pass over 100,000 components holds at
// most 100,000 × 512 bytes ≈ 51 MB per worker.
const chunkWords = 64

// Sweep computes every node's down-set size and answers the queries, in one
// pass over the condensation DAG instead of one search per question.
//
// Most failed nodes take few others down (in a layered estate, nine in ten
// take fewer than 25), and a few, the shared datastores and platforms, take
// down most of the estate. The sweep treats the two apart:
//
//   - light targets: a breadth-first search backwards from the failed
//     component, counting group alternatives as they go down (as Down does),
//     abandoned once it has taken more than a budget of nodes down. It costs
//     what it visits.
//   - heavy targets, those whose search was abandoned: chunks of up to
//     64·chunkWords of them at a time. Each component gets a bitset of the
//     chunk's targets whose failure takes it down, built in reverse
//     topological order by OR-ing its successors' bitsets (rows of
//     components numbered below the chunk's smallest target are never
//     needed: edges lead to lower numbers), and the sizes are summed per
//     target with bit-sliced counters. With groups (see chunkGates) every
//     row is filled, iterating blocks of components to their fixed point.
//
// The budget (lightBudget) is where one more bitset column costs less than a
// search. A true query gets a proof from one pruned search, restricted to the
// nodes that go down with its target. Targets are shared out to all cores;
// results do not depend on scheduling or on which side a target falls.
func (g *Graph) Sweep(queries []Query) Reach {
	return g.sweep(queries, chunkWords, lightBudget(len(g.Nodes)))
}

// lightBudget is how many nodes a light target's search may take down
// before the target is left to the bitset chunks: about the cost, per
// target, of a chunk's pass over every component.
func lightBudget(nodes int) int { return max(1024, nodes/32) }

// sweep is Sweep with the chunk width and the light budget as parameters,
// so tests can force many chunks, or every target to either side.
func (g *Graph) sweep(queries []Query, chunkWords, budget int) Reach {
	comps := &g.comps
	C := len(comps.members)
	r := Reach{DownSize: make([]int, len(g.Nodes)), Proofs: make([]*Proof, len(queries))}
	if C == 0 {
		return r
	}
	var asked [][2]int // (target component, query), for the queries' index by target
	for i, q := range queries {
		cf, ct := int(comps.of[q.From]), int(comps.of[q.To])
		switch {
		case q.From == q.To:
			r.Proofs[i] = &Proof{Path: []int{q.From}, Group: -1}
		case g.gates || cf >= ct: // else From cannot reach To: edges only lead to lower components
			asked = append(asked, [2]int{ct, i})
		}
	}
	byTarget := newCSR(C, asked, false) // each row in query order

	downComp := make([]int, C)
	heavy := g.sweepLight(queries, byTarget, budget, downComp, r.Proofs)
	g.sweepHeavy(heavy, queries, byTarget, chunkWords, downComp, r.Proofs)
	for v := range g.Nodes {
		r.DownSize[v] = downComp[comps.of[v]]
	}
	return r
}

// sweepHeavy fills downComp and answers the queries of the heavy target
// components, sorted, in chunks of up to 64·chunkWords, on all cores.
func (g *Graph) sweepHeavy(heavy []int32, queries []Query, byTarget csr, chunkWords int, downComp []int, proofs []*Proof) {
	if len(heavy) == 0 {
		return
	}
	C := len(g.comps.members)
	W := min(chunkWords, (len(heavy)+63)/64)
	T := 64 * W
	newSweeper := func() *sweeper {
		s := &sweeper{g: g, W: W, rows: make([]uint64, C*W), search: newBFS(len(g.Nodes)), bit: make([]int32, C)}
		if g.gates {
			s.derived = newDerivation(g)
		}
		for i := range s.bit {
			s.bit[i] = -1
		}
		return s
	}
	parallel.ForScratch(len(heavy), T, newSweeper, func(s *sweeper, lo, hi int) {
		targets := heavy[lo:hi]
		for b, c := range targets {
			s.bit[c] = int32(b)
		}
		if g.gates {
			s.chunkGates(targets, downComp, queries, byTarget, proofs)
		} else {
			s.chunk(targets, downComp, queries, byTarget, proofs)
		}
		for _, c := range targets {
			s.bit[c] = -1
		}
	})
}

// sweeper is one worker's scratch space for heavy targets.
type sweeper struct {
	g       *Graph
	W       int
	rows    []uint64 // rows[(c-lo)*W:][:W]: the chunk's targets that take component c down
	search  *bfs
	bit     []int32 // bit[c]: c's bit in the chunk's rows, -1 when c is no target of it
	derived *derivation
	sums    columnSums
}

func (s *sweeper) row(c, lo int) []uint64 { return s.rows[(c-lo)*s.W : (c-lo+1)*s.W] }

// chunk fills the rows of the components at or above the chunk's smallest
// target, then adds each component's size to the targets that take it down.
func (s *sweeper) chunk(targets []int32, downComp []int, queries []Query, byTarget csr, proofs []*Proof) {
	comps := &s.g.comps
	C := len(comps.members)
	lo := int(targets[0])
	nonEmpty := make([]bool, C-lo)
	s.sums.reset(s.W, len(targets))
	for c := lo; c < C; c++ {
		row := s.row(c, lo)
		clear(row)
		if b := s.bit[c]; b >= 0 {
			row[b/64] |= 1 << uint(b%64)
			nonEmpty[c-lo] = true
		}
		for _, d := range comps.succ.raw(c) {
			if int(d) < lo || !nonEmpty[int(d)-lo] {
				continue
			}
			nonEmpty[c-lo] = true
			for j, w := range s.row(int(d), lo) {
				row[j] |= w
			}
		}
		if nonEmpty[c-lo] {
			s.sums.add(row, len(comps.members[c]))
		}
	}
	s.sums.addTo(downComp, targets)
	for _, ct := range targets {
		bit := int(s.bit[ct])
		reaches := func(v int32) bool {
			c := int(comps.of[v])
			return c >= lo && s.rows[(c-lo)*s.W+bit/64]&(1<<uint(bit%64)) != 0
		}
		for _, i := range byTarget.raw(int(ct)) {
			if q := queries[i]; reaches(int32(q.From)) {
				proofs[i] = &Proof{Path: s.search.path(s.g, q.From, q.To, reaches), Group: -1}
			}
		}
	}
}
