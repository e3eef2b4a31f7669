package graph

import (
	"slices"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/topo"
)

// components is the condensation of the hard-edge graph: every node belongs
// to exactly one strongly connected set. Components are numbered in reverse
// topological order (a component's hard successors have smaller numbers), the
// order in which Tarjan's algorithm emits them.
type components struct {
	of      []int32 // of[node] = component number
	members [][]int // members[c], sorted by node index
	succ    csr     // component DAG, without self-loops
}

// condense finds the strongly connected sets of hard edges and numbers them
// in reverse topological order.
//
// In an estate most nodes lie on no cycle, and gonum's Tarjan keeps its
// state in maps, a cache miss per visit. So the nodes that reach no cycle
// are peeled off first, as sinks, numbered as they go (a sink's successors
// went before it), then those that no cycle reaches, as sources, numbered
// last in reverse (a source's successors are sinks, the core or later
// sources). Tarjan runs only on the core left between them, and its
// components take the numbers in between.
func condense(g *Graph) components {
	n := len(g.Nodes)
	out, in := make([]int32, n), make([]int32, n) // degrees among nodes not yet peeled, self-edges aside
	for u := range n {
		for _, v := range g.hardOut.raw(u) {
			if int(v) != u {
				out[u]++
				in[v]++
			}
		}
	}
	peeled := make([]bool, n)
	sinks := peel(n, out, peeled, g.hardIn)
	sources := peel(n, in, peeled, g.hardOut)
	var core []int32 // the nodes left, ascending
	for u := range n {
		if !peeled[u] {
			core = append(core, int32(u))
		}
	}

	c := components{of: make([]int32, n)}
	flat := make([]int, 0, n) // every component's members, one after another
	starts := make([]int, 0, len(sinks)+len(sources)+len(core)+1)
	add := func(members ...int) {
		starts = append(starts, len(flat))
		flat = append(flat, members...)
	}
	for _, u := range sinks {
		add(int(u))
	}
	for _, ms := range coreComponents(g, core) {
		add(ms...)
	}
	for i := len(sources) - 1; i >= 0; i-- {
		add(int(sources[i]))
	}
	starts = append(starts, len(flat))
	c.members = make([][]int, len(starts)-1)
	for i := range c.members {
		c.members[i] = flat[starts[i]:starts[i+1]:starts[i+1]]
		for _, v := range c.members[i] {
			c.of[v] = int32(i)
		}
	}
	dag := make([][2]int, 0, len(g.hardOut.targets))
	for u := range g.Nodes {
		for _, v := range g.hardOut.raw(u) {
			if cu, cv := c.of[u], c.of[v]; cu != cv {
				dag = append(dag, [2]int{int(cu), int(cv)})
			}
		}
	}
	c.succ = newCSR(len(c.members), dag, false)
	return c
}

// peel removes, in turn, every node not yet peeled whose degree has fallen
// to zero, and returns them in the order removed: first those free at the
// start, ascending, then as they come free. Peeling a node lowers the
// degree of its neighbours along.
func peel(n int, degree []int32, peeled []bool, along csr) []int32 {
	var order []int32
	for u := range n {
		if !peeled[u] && degree[u] == 0 {
			order = append(order, int32(u))
			peeled[u] = true
		}
	}
	for i := 0; i < len(order); i++ {
		u := order[i]
		for _, v := range along.raw(int(u)) {
			if v == u || peeled[v] {
				continue
			}
			if degree[v]--; degree[v] == 0 {
				order = append(order, v)
				peeled[v] = true
			}
		}
	}
	return order
}

// coreComponents runs gonum's Tarjan on the hard edges among core (node
// indices, ascending) and returns its components as node indices, each
// sorted (core is ascending, so the local numbers map back in order), in
// the order Tarjan emits them.
func coreComponents(g *Graph, core []int32) [][]int {
	if len(core) == 0 {
		return nil
	}
	local := make(map[int32]int, len(core))
	for i, u := range core {
		local[u] = i
	}
	var edges [][2]int
	for i, u := range core {
		for _, v := range g.hardOut.raw(int(u)) {
			if j, ok := local[v]; ok {
				edges = append(edges, [2]int{i, j})
			}
		}
	}
	comps := StronglyConnected(len(core), edges)
	for _, ms := range comps {
		for k, i := range ms {
			ms[k] = int(core[i])
		}
	}
	return comps
}

// Cycles returns every strongly connected set of hard edges that holds a
// cycle (two or more nodes, or one node with a hard self-edge). Each set is
// sorted; sets are ordered by their smallest node.
func (g *Graph) Cycles() [][]int {
	var out [][]int
	for _, ms := range g.comps.members {
		if len(ms) > 1 || g.selfs[ms[0]] {
			out = append(out, ms)
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

// SameCycle reports whether u and v lie in one strongly connected set.
func (g *Graph) SameCycle(u, v int) bool { return g.comps.of[u] == g.comps.of[v] }

// StronglyConnected returns the strongly connected sets of the directed
// graph on nodes 0..n-1 with the given edges, each sorted, in the order
// gonum's Tarjan emits them (reverse topological). For graphs other than
// the estate's own, such as which stuck node keeps which down: a compact
// adjacency instead of a map-based gonum graph.
func StronglyConnected(n int, edges [][2]int) [][]int {
	return sortedComponents(csrView{n: n, out: newCSR(n, edges, false), in: newCSR(n, edges, true)})
}

// sortedComponents is gonum's Tarjan over view, each set's node IDs
// sorted.
func sortedComponents(view gg.Directed) [][]int {
	sccs := topo.TarjanSCC(view)
	out := make([][]int, len(sccs))
	for i, scc := range sccs {
		ms := make([]int, len(scc))
		for j, v := range scc {
			ms[j] = int(v.ID())
		}
		slices.Sort(ms)
		out[i] = ms
	}
	return out
}
