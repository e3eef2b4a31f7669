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

func condense(g *Graph) components {
	c := components{of: make([]int32, len(g.Nodes)), members: sortedComponents(hardView{g})}
	for i, ms := range c.members {
		for _, v := range ms {
			c.of[v] = int32(i)
		}
	}
	var dag [][2]int
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
