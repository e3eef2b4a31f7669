package graph

import "github.com/catch22/catch22/internal/parallel"

// sweepLight derives, backwards from every component and on all cores, the
// down set of its failure, and for those that take at most budget nodes
// down, sets downComp and answers their queries. It returns the others, the
// heavy ones, sorted.
func (g *Graph) sweepLight(queries []Query, byTarget csr, budget int, downComp []int, proofs []*Proof) []int32 {
	C := len(g.comps.members)
	heavyOf := make([]bool, C)
	parallel.ForScratch(C, 256, func() *lightSearch { return newLightSearch(g) }, func(l *lightSearch, lo, hi int) {
		for c := lo; c < hi; c++ {
			n, ok := l.d.derive(g.comps.members[c][0], budget)
			if !ok {
				heavyOf[c] = true
				continue
			}
			downComp[c] = n
			l.answer(byTarget.raw(c), queries, proofs)
		}
	})
	var heavy []int32
	for c, h := range heavyOf {
		if h {
			heavy = append(heavy, int32(c))
		}
	}
	return heavy
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
