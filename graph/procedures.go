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

// Rebuilds reports whether procedure p of u recreates u empty instead of
// restoring it in place (rebuilds = true in its manifest).
func (g *Graph) Rebuilds(u, p int) bool { return g.Nodes[u].Manifest.Recoveries[p].Rebuilds }

// Tenants returns the nodes that run on u, sorted: its direct hard run-time
// dependents other than u itself. When u is brought back by a procedure
// that rebuilds it, they lose what ran there and need a redeploy. Soft,
// start-phase and any_of dependents are no tenants: they keep running
// without u, or run elsewhere.
func (g *Graph) Tenants(u int) []int {
	preds := g.HardPredecessors(u)
	if i, self := slices.BinarySearch(preds, u); self {
		return slices.Delete(slices.Clone(preds), i, i+1)
	}
	return preds
}
