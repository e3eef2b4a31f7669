package graph

import (
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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
// Targets are processed in chunks of up to 64·chunkWords components. For a
// chunk, each component gets a bitset of the chunk's components it reaches,
// built in reverse topological order by OR-ing its successors' bitsets: a
// component can only reach components numbered at most itself, so rows below
// the chunk are never needed. Cost: O(E·C/64) word operations in all, plus one
// pruned breadth-first search per true query (restricted to nodes that reach
// the target, so it walks only the region between the two ends). Chunks run
// on all cores; results do not depend on scheduling.
func (g *Graph) Sweep(queries []Query) Reach { return g.sweep(queries, chunkWords) }

// sweep is Sweep with the chunk width as a parameter, so tests can force many
// chunks on small graphs.
func (g *Graph) sweep(queries []Query, chunkWords int) Reach {
	comps := &g.comps
	C := len(comps.members)
	r := Reach{DownSize: make([]int, len(g.Nodes)), Proofs: make([]*Proof, len(queries))}
	if C == 0 {
		return r
	}
	W := min(chunkWords, (C+63)/64)
	T := 64 * W
	nChunks := (C + T - 1) / T
	byChunk := make([][]int, nChunks)
	for i, q := range queries {
		cf, ct := int(comps.of[q.From]), int(comps.of[q.To])
		switch {
		case q.From == q.To:
			r.Proofs[i] = &Proof{Path: []int{q.From}, Group: -1}
		case g.gates || cf >= ct: // else From cannot reach To: edges only lead to lower components
			byChunk[ct/T] = append(byChunk[ct/T], i)
		}
	}
	downComp := make([]int, C)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), nChunks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := sweeper{g: g, W: W, rows: make([]uint64, C*W), search: newBFS(len(g.Nodes))}
			for k := int(next.Add(1) - 1); k < nChunks; k = int(next.Add(1) - 1) {
				if g.gates {
					s.chunkGates(k*T, min(C, (k+1)*T), downComp, queries, byChunk[k], r.Proofs)
				} else {
					s.chunk(k*T, min(C, (k+1)*T), downComp, queries, byChunk[k], r.Proofs)
				}
			}
		}()
	}
	wg.Wait()
	for v := range g.Nodes {
		r.DownSize[v] = downComp[comps.of[v]]
	}
	return r
}

// sweeper is one worker's scratch space.
type sweeper struct {
	g      *Graph
	W      int
	rows   []uint64 // rows[(c-lo)*W:][:W]: targets in [lo,hi) that component c reaches
	search *bfs
}

func (s *sweeper) row(c, lo int) []uint64 { return s.rows[(c-lo)*s.W : (c-lo+1)*s.W] }

func (s *sweeper) chunk(lo, hi int, downComp []int, queries []Query, mine []int, proofs []*Proof) {
	comps := &s.g.comps
	C := len(comps.members)
	nonEmpty := make([]bool, C-lo)
	for c := lo; c < C; c++ {
		row := s.row(c, lo)
		clear(row)
		if c < hi {
			row[(c-lo)/64] |= 1 << uint((c-lo)%64)
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
		if !nonEmpty[c-lo] {
			continue
		}
		size := len(comps.members[c])
		for j, w := range row {
			for w != 0 {
				downComp[lo+j*64+bits.TrailingZeros64(w)] += size
				w &= w - 1
			}
		}
	}
	for _, i := range mine {
		q := queries[i]
		ct := int(comps.of[q.To]) - lo
		reaches := func(v int32) bool {
			c := int(comps.of[v])
			return c >= lo && s.rows[(c-lo)*s.W+ct/64]&(1<<uint(ct%64)) != 0
		}
		if reaches(int32(q.From)) {
			proofs[i] = &Proof{Path: s.search.path(s.g, q.From, q.To, reaches), Group: -1}
		}
	}
}
