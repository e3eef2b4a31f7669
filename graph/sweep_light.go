package graph

import "github.com/catch22/catch22/internal/parallel"

// sweepLight searches backwards from every component, on all cores, and
// for those whose failure takes at most budget nodes down, sets downComp
// and answers their queries. It returns the others, the heavy ones, sorted.
func (g *Graph) sweepLight(queries []Query, byTarget csr, budget int, downComp []int, proofs []*Proof) []int32 {
	C := len(g.comps.members)
	heavyOf := make([]bool, C)
	parallel.ForScratch(C, 256, func() *lightSearch { return newLightSearch(g) }, func(l *lightSearch, lo, hi int) {
		for c := lo; c < hi; c++ {
			n, ok := l.down(g.comps.members[c][0], budget)
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

// lightSearch is one worker's scratch space for light targets. A generation
// stamp marks the nodes down in the current search, so that a search costs
// only what it touches.
type lightSearch struct {
	g       *Graph
	stamp   []uint32
	gen     uint32
	queue   []int32
	downAlt []int32 // per group: alternatives down in this search
	touched []int32 // groups whose downAlt is not zero
	search  *bfs
	derived *derivation // with gates
}

func newLightSearch(g *Graph) *lightSearch {
	l := &lightSearch{g: g, stamp: make([]uint32, len(g.Nodes)), search: newBFS(len(g.Nodes))}
	if g.gates {
		l.downAlt = make([]int32, len(g.Groups))
		l.derived = newDerivation(g)
	}
	return l
}

// isDown reports whether v went down in the current search.
func (l *lightSearch) isDown(v int) bool { return l.stamp[v] == l.gen }

// down computes down({v}) as Down does, and returns its size, or false once
// more than budget nodes are down.
func (l *lightSearch) down(v, budget int) (int, bool) {
	g := l.g
	if l.gen++; l.gen == 0 { // wrapped: clear once every 2^32 searches
		clear(l.stamp)
		l.gen = 1
	}
	defer func() {
		for _, gi := range l.touched {
			l.downAlt[gi] = 0
		}
		l.touched = l.touched[:0]
	}()
	l.stamp[v] = l.gen
	l.queue = append(l.queue[:0], int32(v))
	for head := 0; head < len(l.queue); head++ {
		if len(l.queue) > budget {
			return 0, false
		}
		u := l.queue[head]
		for _, p := range g.hardIn.raw(int(u)) {
			if l.stamp[p] != l.gen {
				l.stamp[p] = l.gen
				l.queue = append(l.queue, p)
			}
		}
		if l.downAlt == nil {
			continue
		}
		for _, gi := range g.groupsIn.raw(int(u)) {
			gr := &g.Groups[gi]
			if !gr.Propagates() {
				continue
			}
			if l.downAlt[gi] == 0 {
				l.touched = append(l.touched, gi)
			}
			if l.downAlt[gi]++; int(l.downAlt[gi]) == gr.Need && l.stamp[gr.From] != l.gen {
				l.stamp[gr.From] = l.gen
				l.queue = append(l.queue, int32(gr.From))
			}
		}
	}
	if len(l.queue) > budget {
		return 0, false
	}
	return len(l.queue), true
}

// answer gives proofs to the queries asked of the target just searched.
func (l *lightSearch) answer(asked []int32, queries []Query, proofs []*Proof) {
	if len(asked) == 0 {
		return
	}
	if l.g.gates {
		answerGated(l.derived, asked, queries, proofs, l.isDown)
		return
	}
	keep := func(v int32) bool { return l.stamp[v] == l.gen }
	for _, i := range asked {
		if q := queries[i]; keep(int32(q.From)) {
			proofs[i] = &Proof{Path: l.search.path(l.g, q.From, q.To, keep), Group: -1}
		}
	}
}
