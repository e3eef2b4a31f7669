package graph

// bfs is reusable scratch space for breadth-first searches over hard edges.
// A generation stamp marks visited nodes so that a search costs only what it
// touches, not O(V) to clear. Not safe for concurrent use: each goroutine
// keeps its own.
type bfs struct {
	seen   []uint32
	parent []int32
	gen    uint32
	queue  []int32
}

func newBFS(n int) *bfs { return &bfs{seen: make([]uint32, n), parent: make([]int32, n)} }

// path returns a shortest path from → … → to over hard dependency edges, or
// nil when there is none; with from == to it returns a shortest cycle
// [from, …, from]. Neighbours are visited in ascending index order, so among
// equally short paths the result is fixed. keep, when non-nil, limits the
// search to nodes for which it is true (callers pass "can reach to", which
// never removes a shortest path but prunes everything else).
func (b *bfs) path(g *Graph, from, to int, keep func(int32) bool) []int {
	b.gen++
	if b.gen == 0 { // wrapped: clear once every 2^32 searches
		clear(b.seen)
		b.gen = 1
	}
	b.queue = append(b.queue[:0], int32(from))
	b.parent[from] = -1
	if from != to {
		b.seen[from] = b.gen
	}
	for head := 0; head < len(b.queue); head++ {
		u := b.queue[head]
		for _, v := range g.hardOut.raw(int(u)) {
			if int(v) == to {
				return append(b.trace(u), to)
			}
			if b.seen[v] == b.gen || keep != nil && !keep(v) {
				continue
			}
			b.seen[v] = b.gen
			b.parent[v] = u
			b.queue = append(b.queue, v)
		}
	}
	return nil
}

func (b *bfs) trace(v int32) []int {
	var rev []int
	for ; v >= 0; v = b.parent[v] {
		rev = append(rev, int(v))
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// HardPath returns a shortest path from → … → to over hard dependency edges
// (just [from] when from == to), or nil. O(V+E).
func (g *Graph) HardPath(from, to int) []int {
	if from == to {
		return []int{from}
	}
	return newBFS(len(g.Nodes)).path(g, from, to, nil)
}

// ShortestCycle returns a shortest cycle of hard edges through m as
// [m, …, m], or nil when m is on no cycle. O(V+E), limited to m's strongly
// connected set.
func (g *Graph) ShortestCycle(m int) []int {
	c := g.comps.of[m]
	if !g.selfs[m] && len(g.comps.members[c]) < 2 {
		return nil
	}
	return newBFS(len(g.Nodes)).path(g, m, m, func(v int32) bool { return g.comps.of[v] == c })
}

// Down returns down(F): the nodes of F and every node with a path of hard
// run-time dependency edges into F, or with a run-time hard any_of group of
// which Need alternatives are down, sorted. Each group counts its
// alternatives as they go down, so this stays O(V+E).
func (g *Graph) Down(failed []int) []int {
	seen := make([]bool, len(g.Nodes))
	var queue []int
	mark := func(v int) {
		if !seen[v] {
			seen[v] = true
			queue = append(queue, v)
		}
	}
	for _, f := range failed {
		mark(f)
	}
	var downAlts []int32 // per group: alternatives down so far
	if g.gates {
		downAlts = make([]int32, len(g.Groups))
	}
	for head := 0; head < len(queue); head++ {
		for _, p := range g.hardIn.raw(queue[head]) {
			mark(int(p))
		}
		if downAlts == nil {
			continue
		}
		for _, gi := range g.groupsIn.raw(queue[head]) {
			if gr := &g.Groups[gi]; gr.Propagates() {
				if downAlts[gi]++; int(downAlts[gi]) == gr.Need {
					mark(gr.From)
				}
			}
		}
	}
	var out []int
	for v, s := range seen {
		if s {
			out = append(out, v)
		}
	}
	return out
}
