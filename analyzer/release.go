package analyzer

import (
	"slices"

	"github.com/catch22/catch22/graph"
)

// Release is a single change and how many stuck nodes it would bring up.
type Release struct {
	Change Change
	Nodes  int
}

// bestRelease finds the single change that brings up the most stuck nodes
// after a cold start. Only a change that lets some stuck node come up at
// once can release anything (the rest waits on stuck nodes), so the
// candidates are: soften the one stuck hard dependency of a node whose
// procedures are fine, or give a breakglass procedure to a node whose hard
// dependencies are all up. Each is counted by propagating from that node
// alone, over the final state. Ties go to the gentler kind, then to node
// order.
func bestRelease(g *graph.Graph, b *boot, stuck []int) *Release {
	var best *Release
	consider := func(c Change, v int) {
		n := b.countRelease(v, c)
		if n > 0 && (best == nil || n > best.Nodes) {
			best = &Release{Change: c, Nodes: n}
		}
	}
	for _, kind := range []ChangeKind{Soften, AddBreakglass} {
		for _, v := range stuck {
			procOK := !b.needs[v] || slices.Contains(b.procs[v], 0)
			switch {
			case kind == Soften && b.waiting[v] == 1 && procOK:
				for _, d := range g.GateSuccessors(v) {
					if !b.up[d] {
						consider(softenChange(g, v, d), v)
					}
				}
			case kind == AddBreakglass && b.waiting[v] == 0 && !procOK:
				consider(breakglassChange(g, v, b.stuckVia(v), 0), v)
			}
		}
	}
	return best
}

// stuckVia lists the via nodes of v that never came up.
func (b *boot) stuckVia(v int) []string {
	var out []string
	for _, vias := range b.g.ViaTargets(v) {
		for _, w := range vias {
			if !b.up[w] && !slices.Contains(out, b.g.Nodes[w].ID) {
				out = append(out, b.g.Nodes[w].ID)
			}
		}
	}
	slices.Sort(out)
	return out
}

// countRelease counts the nodes that come up when change c lets v come up,
// without touching b: what the release changes is kept in overlays.
// Softening what v needs to start also frees the procedures that use v as
// a via node of that need (freedBySoften).
func (b *boot) countRelease(v int, c Change) int {
	lessWaiting := map[int]int{}
	lessVia := map[[2]int]int{}
	freed := map[[2]int]bool{}
	moreUp := map[int]int{} // per group: alternatives the release brings up
	upNow := map[int]bool{}
	ready := func(x int) bool {
		if b.up[x] || upNow[x] || b.waiting[x]-lessWaiting[x] > 0 {
			return false
		}
		if !b.needs[x] || x == v && c.Kind == AddBreakglass {
			return true
		}
		for p, n := range b.procs[x] {
			if n-lessVia[[2]int{x, p}] == 0 {
				return true
			}
		}
		return false
	}
	if c.Kind == Soften {
		lessWaiting[v] = 1
		for _, use := range b.freedBySoften(v, c.to) {
			freed[use] = true
			lessVia[use]++
		}
	}
	if !ready(v) {
		return 0
	}
	queue := []int{v}
	upNow[v] = true
	for head := 0; head < len(queue); head++ {
		u := queue[head]
		wake := func(x int) {
			if ready(x) {
				upNow[x] = true
				queue = append(queue, x)
			}
		}
		for _, preds := range [2][]int{b.g.HardPredecessors(u), b.g.StartPredecessors(u)} {
			for _, p := range preds {
				lessWaiting[p]++
				wake(p)
			}
		}
		for _, use := range b.viaUse[u] {
			if !freed[use] || u != c.to {
				lessVia[use]++
			}
			wake(use[0])
		}
		for _, gi := range b.g.GroupsWith(u) {
			gr := &b.g.Groups[gi]
			if moreUp[gi]++; gr.CanFail() && len(gr.Members)-b.upAlts[gi]-moreUp[gi] == gr.Need-1 {
				lessWaiting[gr.From]++
				wake(gr.From)
			}
		}
	}
	return len(queue)
}

// freedBySoften lists the procedures that need d (not up) only because
// their via node v needs it to start: once v → d is soft, they need it no
// more. A procedure that names d as a via node, or through another via node
// that needs it to start, still needs it.
func (b *boot) freedBySoften(v, d int) [][2]int {
	if !slices.Contains(b.g.StartSuccessors(v), d) {
		return nil
	}
	var out [][2]int
	for _, use := range b.viaUse[v] {
		vias := b.g.ViaTargets(use[0])[use[1]]
		if !slices.Contains(vias, v) {
			continue // it needs v only to start one of its via nodes
		}
		still := slices.ContainsFunc(vias, func(w int) bool {
			return w == d || w != v && slices.Contains(b.g.StartSuccessors(w), d)
		})
		if !still {
			out = append(out, use)
		}
	}
	return out
}

// softenChange makes v's hard dependency on d soft: its run-time one, or
// else the one it needs to start.
func softenChange(g *graph.Graph, v, d int) Change {
	e, ok := g.HardEdge(v, d)
	if !ok {
		e, _ = g.GateEdge(v, d)
	}
	return Change{Kind: Soften, Node: g.Nodes[v].ID, On: g.Nodes[d].ID, DepKind: e.Kind, Start: e.Start, Pos: e.Pos, from: v, to: d, proc: -1}
}

// softenGroupChange makes the hard any_of group gi soft as a whole: mode
// is set per [[dependency]], not per alternative.
func softenGroupChange(g *graph.Graph, gi int) Change {
	gr := &g.Groups[gi]
	var alts []string
	for _, a := range gr.Members {
		alts = append(alts, g.Nodes[a].ID)
	}
	return Change{Kind: Soften, Node: g.Nodes[gr.From].ID, AnyOf: alts, DepKind: gr.Kind, Start: gr.Start, Pos: gr.Pos,
		from: gr.From, to: -1, proc: -1, group: gi + 1}
}

// breakglassChange gives v a breakglass procedure avoiding the given via
// nodes and, when down counts more, the rest of what goes down with v.
func breakglassChange(g *graph.Graph, v int, avoid []string, down int) Change {
	return Change{Kind: AddBreakglass, Node: g.Nodes[v].ID, Because: avoid, Down: max(down, len(avoid)),
		Pos: g.Nodes[v].Manifest.Service.Pos, from: v, to: -1, proc: -1}
}
