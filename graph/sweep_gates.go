package graph

import "slices"

// sweepOrder orders the components for a sweep over a graph with gates: the
// blocks are the strongly connected sets of components linked by hard edges
// and by the edges from a group's node to its alternatives, in reverse
// topological order, so that every block comes after all it can be failed
// by. A block of several components (or one whose group names its own
// component) is filled by iterating to a fixed point.
func sweepOrder(g *Graph) [][]int {
	comps := &g.comps
	C := len(comps.members)
	var edges [][2]int
	for c := range C {
		for _, d := range comps.succ.raw(c) {
			edges = append(edges, [2]int{c, int(d)})
		}
	}
	for i := range g.Groups {
		if gr := &g.Groups[i]; gr.Propagates() && gr.CanFail() {
			for _, m := range gr.Members {
				edges = append(edges, [2]int{int(comps.of[gr.From]), int(comps.of[m])})
			}
		}
	}
	return StronglyConnected(C, edges)
}

// chunkGates is chunk for a graph with gates: every component's row is the
// set of the chunk's targets whose failure takes it down, the least fixed
// point of: its own bit, its hard successors' rows, and for each failing
// group of its nodes the targets that fail at least Need alternatives.
func (s *sweeper) chunkGates(targets []int32, downComp []int, queries []Query, byTarget csr, proofs []*Proof) {
	comps := &s.g.comps
	W := s.W
	clear(s.rows)
	scratch := make([]uint64, W)
	counts := make([][]uint64, 0, 4)
	for _, block := range s.g.order {
		for changed := true; changed; {
			changed = false
			for _, c := range block {
				s.fill(c, scratch, &counts)
				row := s.rows[c*W : (c+1)*W]
				if !slices.Equal(row, scratch) {
					copy(row, scratch)
					changed = len(block) > 1 || s.selfGate(c)
				}
			}
		}
	}
	s.sums.reset(W, len(targets))
	for c := range comps.members {
		s.sums.add(s.rows[c*W:(c+1)*W], len(comps.members[c]))
	}
	s.sums.addTo(downComp, targets)
	for _, ct := range targets {
		bit := int(s.bit[ct])
		answerGated(s.derived, byTarget.raw(int(ct)), queries, proofs, func(v int) bool { return s.kills(v, bit) })
	}
}

// answerGated answers the queries asked (of one target component) with
// proofs from d, derived for each failed node in turn; down tells the
// nodes that go down with the target, whose queries are true. Queries on
// one failed node share its derivation.
func answerGated(d *derivation, asked []int32, queries []Query, proofs []*Proof, down func(v int) bool) {
	var hits []int32
	for _, i := range asked {
		if down(queries[i].From) {
			hits = append(hits, i)
		}
	}
	slices.SortStableFunc(hits, func(a, b int32) int { return queries[a].To - queries[b].To })
	for _, i := range hits {
		if d.to != queries[i].To {
			d.derive(queries[i].To, noBudget)
		}
		proofs[i] = d.proof(queries[i].From)
	}
}

// fill computes component c's row into out from the rows so far.
func (s *sweeper) fill(c int, out []uint64, counts *[][]uint64) {
	comps := &s.g.comps
	W := s.W
	clear(out)
	if b := s.bit[c]; b >= 0 {
		out[b/64] |= 1 << uint(b%64)
	}
	for _, d := range comps.succ.raw(c) {
		for j, w := range s.rows[int(d)*W : (int(d)+1)*W] {
			out[j] |= w
		}
	}
	for _, u := range comps.members[c] {
		for _, gi := range s.g.groupsOut.raw(u) {
			if gr := &s.g.Groups[gi]; gr.Propagates() && gr.CanFail() {
				s.threshold(gr, out, counts)
			}
		}
	}
}

// threshold ORs into out the targets that fail at least gr.Need of gr's
// alternatives, counting per bit with one "at least k" bitset per k.
func (s *sweeper) threshold(gr *Group, out []uint64, counts *[][]uint64) {
	W, need := s.W, gr.Need
	for len(*counts) < need {
		*counts = append(*counts, make([]uint64, W))
	}
	at := (*counts)[:need] // at[k]: targets failing more than k alternatives so far
	for _, a := range at {
		clear(a)
	}
	for _, m := range gr.Members {
		c := int(s.g.comps.of[m])
		row := s.rows[c*W : (c+1)*W]
		for k := need - 1; k >= 0; k-- {
			for j, w := range row {
				if k == 0 {
					at[0][j] |= w
				} else {
					at[k][j] |= at[k-1][j] & w
				}
			}
		}
	}
	for j, w := range at[need-1] {
		out[j] |= w
	}
}

// selfGate reports whether a group of a node of c names a node of c, so
// that c's row depends on itself.
func (s *sweeper) selfGate(c int) bool {
	comps := &s.g.comps
	for _, u := range comps.members[c] {
		for _, gi := range s.g.groupsOut.raw(u) {
			for _, m := range s.g.Groups[gi].Members {
				if comps.of[m] == int32(c) {
					return true
				}
			}
		}
	}
	return false
}

// kills reports whether v goes down with the target of bit.
func (s *sweeper) kills(v, bit int) bool {
	c := int(s.g.comps.of[v])
	return s.rows[c*s.W+bit/64]&(1<<uint(bit%64)) != 0
}
