package graph

import "slices"

// ViaTargets returns, for each recovery procedure of u in declaration order,
// the declared nodes its via list names, sorted and deduplicated. Undeclared
// via entries are left out: they count as up.
func (g *Graph) ViaTargets(u int) [][]int {
	n := len(g.Nodes[u].Manifest.Recoveries)
	if n == 0 {
		return nil
	}
	out := make([][]int, n)
	first, end := g.Out(u)
	for _, e := range g.Edges[first:end] {
		if e.Type == Via {
			out[e.Procedure] = append(out[e.Procedure], e.To)
		}
	}
	for p := range out {
		slices.Sort(out[p])
		out[p] = slices.Compact(out[p])
	}
	return out
}
