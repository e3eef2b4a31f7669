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

// ProcedureNeeds returns, for each recovery procedure of u in declaration
// order, every declared node that must be up to use it, sorted and
// deduplicated: its via nodes and what each of them needs, hard, to start
// (StartSuccessors). Using a via node starts it (a CI job pulls its
// runner's image, a console reads its secrets at launch), so a via node
// that is running but could not be started again is no help. Start-phase
// any_of groups of a via node are not counted: only single hard
// dependencies gate a procedure.
func (g *Graph) ProcedureNeeds(u int) [][]int {
	out := g.ViaTargets(u)
	for p, vias := range out {
		need := slices.Clone(vias)
		for _, w := range vias {
			need = append(need, g.startOut.row(w)...)
		}
		slices.Sort(need)
		out[p] = slices.Compact(need)
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
