package graph

import (
	"sync/atomic"

	"github.com/catch22/catch22/internal/parallel"
)

// sweepLight derives, backwards from every component and on all cores, the
// down set of its failure, and for those that take at most budget nodes
// down, sets downComp and answers their queries. It returns the others, the
// heavy ones, sorted.
//
// A component that a heavy one hard-depends on is heavy too (its failure
// takes the other down, and all that goes with it), so it is not searched
// at all: an abandoned search costs the whole budget, and the heavy
// components are mostly of that kind. Components go from the highest
// number down, each after its dependents (which have higher numbers) as
// far as the cores' interleaving allows; one whose dependent is still
// being searched is searched itself, which only costs time.
func (g *Graph) sweepLight(queries []Query, byTarget csr, budget int, downComp []int, proofs []*Proof) []int32 {
	C := len(g.comps.members)
	heavyOf := make([]atomic.Bool, C)
	parallel.ForScratch(C, 256, func() *lightSearch { return newLightSearch(g) }, func(l *lightSearch, lo, hi int) {
		for i := lo; i < hi; i++ {
			c := C - 1 - i
			if g.hasHeavyDependent(c, heavyOf) {
				heavyOf[c].Store(true)
				continue
			}
			n, ok := l.d.derive(g.comps.members[c][0], budget)
			if !ok {
				heavyOf[c].Store(true)
				continue
			}
			downComp[c] = n
			l.answer(byTarget.raw(c), queries, proofs)
		}
	})
	var heavy []int32
	for c := range heavyOf {
		if heavyOf[c].Load() {
			heavy = append(heavy, int32(c))
		}
	}
	return heavy
}

// hasHeavyDependent reports whether a node hard-depends at run time on a
// member of component c from a component already found heavy.
func (g *Graph) hasHeavyDependent(c int, heavyOf []atomic.Bool) bool {
	for _, v := range g.comps.members[c] {
		for _, p := range g.hardIn.raw(v) {
			if d := g.comps.of[p]; int(d) != c && heavyOf[d].Load() {
				return true
			}
		}
	}
	return false
}

// lightSearch is one worker's scratch space for light targets: the
// derivation that sizes a target's down set, and a search for shortest
// paths.
type lightSearch struct {
	g      *Graph
	d      *derivation
	search *bfs
}

func newLightSearch(g *Graph) *lightSearch {
	return &lightSearch{g: g, d: newDerivation(g), search: newBFS(len(g.Nodes))}
}

// answer gives proofs to the queries asked of the target just derived.
// Without groups a proof is a shortest path forwards from the node that
// goes down, searched among the nodes the derivation took down; with
// groups, it is the derivation's own.
func (l *lightSearch) answer(asked []int32, queries []Query, proofs []*Proof) {
	if len(asked) == 0 {
		return
	}
	if l.g.gates {
		answerGated(l.d, asked, queries, proofs, l.d.isDown)
		return
	}
	keep := func(v int32) bool { return l.d.isDown(int(v)) }
	for _, i := range asked {
		if q := queries[i]; keep(int32(q.From)) {
			proofs[i] = &Proof{Path: l.search.path(l.g, q.From, q.To, keep), Group: -1}
		}
	}
}
