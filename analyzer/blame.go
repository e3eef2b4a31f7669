package analyzer

import (
	"slices"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/rules"
)

// blameEdge says that node To keeps a stuck node down, and how: Label is a
// dependency kind or "recovery: P".
type blameEdge struct {
	To    int
	Label string
}

// explainStuck proves why nodes stay down. blamed[u] lists, for every stuck
// node u that is not a root, the stuck nodes that keep it down (at least
// one, in a fixed order); roots are stuck for reasons of their own (a
// failed node nobody could repair). Following blame from any stuck node
// therefore ends at a root or goes round a cycle.
//
// It returns, for every stuck node, a shortest path to a root when one is
// reachable; otherwise a path to a cycle that holds it, followed by that
// cycle, closed by repeating the node where it was entered. O(V+E), plus
// one search per cycle shown.
func explainStuck(stuck []int, blamed map[int][]blameEdge, roots []int, id func(int) string) map[int][]rules.Hop {
	next := make(map[int]blameEdge, len(stuck)) // the hop towards the explanation
	done := make(map[int]bool, len(stuck))
	reverse := make(map[int][]blameEdge, len(stuck))
	for _, u := range stuck {
		for _, e := range blamed[u] {
			reverse[e.To] = append(reverse[e.To], blameEdge{To: u, Label: e.Label})
		}
	}
	// Breadth-first from the sources over reversed blame: each node reached
	// learns its first hop towards the nearest source.
	spread := func(sources []int) {
		queue := slices.Clone(sources)
		for _, s := range sources {
			done[s] = true
		}
		for head := 0; head < len(queue); head++ {
			w := queue[head]
			for _, e := range reverse[w] {
				if !done[e.To] {
					done[e.To] = true
					next[e.To] = blameEdge{To: w, Label: labelOf(blamed[e.To], w)}
					queue = append(queue, e.To)
				}
			}
		}
	}
	spread(roots)

	// What reaches no root is held by cycles: take one shortest cycle per
	// cyclic strongly connected set of the rest, and lead everything else
	// to the nearest of them.
	cycles := cyclesAmong(stuck, blamed, done)
	onCycle := map[int][]int{} // node → its cycle, rotated to start there
	var starts []int
	for _, c := range cycles {
		for i, v := range c[:len(c)-1] {
			rot := append(slices.Clone(c[i:len(c)-1]), c[:i+1]...)
			onCycle[v] = rot
			starts = append(starts, v)
		}
	}
	slices.Sort(starts)
	spread(starts)

	out := make(map[int][]rules.Hop, len(stuck))
	for _, v := range stuck {
		hops := []rules.Hop{{Node: id(v)}}
		u := v
		for {
			if c, ok := onCycle[u]; ok {
				for i := 1; i < len(c); i++ {
					hops = append(hops, rules.Hop{Node: id(c[i]), Label: labelOf(blamed[c[i-1]], c[i])})
				}
				break
			}
			e, ok := next[u]
			if !ok {
				break // a root
			}
			hops = append(hops, rules.Hop{Node: id(e.To), Label: e.Label})
			u = e.To
		}
		out[v] = hops
	}
	return out
}

// labelOf is the label of the first blame edge from a list towards w.
func labelOf(edges []blameEdge, w int) string {
	for _, e := range edges {
		if e.To == w {
			return e.Label
		}
	}
	return ""
}

// cyclesAmong returns one shortest cycle, as [m, …, m] from its smallest
// node m, for every strongly connected set of blame among the stuck nodes
// not yet explained that holds a cycle. Cycles are ordered by m.
func cyclesAmong(stuck []int, blamed map[int][]blameEdge, done map[int]bool) [][]int {
	// The nodes not yet explained, numbered densely for the search.
	var nodes []int
	dense := map[int]int{}
	for _, u := range stuck {
		if !done[u] {
			dense[u] = len(nodes)
			nodes = append(nodes, u)
		}
	}
	selfs := map[int]bool{}
	var edges [][2]int
	for _, u := range nodes {
		for _, e := range blamed[u] {
			switch {
			case e.To == u:
				selfs[u] = true
			case !done[e.To]:
				if d, ok := dense[e.To]; ok { // blame names stuck nodes only
					edges = append(edges, [2]int{dense[u], d})
				}
			}
		}
	}
	var out [][]int
	for _, scc := range graph.StronglyConnected(len(nodes), edges) {
		members := make([]int, len(scc))
		in := make(map[int]bool, len(scc))
		for i, d := range scc {
			members[i] = nodes[d]
			in[members[i]] = true
		}
		slices.Sort(members)
		m := members[0]
		switch {
		case selfs[m] && len(members) == 1:
			out = append(out, []int{m, m})
		case len(members) > 1:
			out = append(out, shortestCycle(m, blamed, in))
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

// shortestCycle finds a shortest cycle [m, …, m] through m over blame edges
// that stay inside a strongly connected set.
func shortestCycle(m int, blamed map[int][]blameEdge, in map[int]bool) []int {
	parent := map[int]int{m: -1}
	queue := []int{m}
	for head := 0; head < len(queue); head++ {
		u := queue[head]
		for _, e := range blamed[u] {
			if e.To == m {
				var rev []int
				for v := u; v != -1; v = parent[v] {
					rev = append(rev, v)
				}
				slices.Reverse(rev)
				return append(rev, m)
			}
			if _, seen := parent[e.To]; seen || !in[e.To] {
				continue
			}
			parent[e.To] = u
			queue = append(queue, e.To)
		}
	}
	return []int{m, m} // unreachable for a strongly connected set
}
