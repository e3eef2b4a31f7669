package graph

import "github.com/catch22/catch22/internal/parallel"

// resolved holds the node that every reference of every manifest names, -1
// for none, in the order Build visits them: per node, its dependencies (each
// alternative of an any_of), then the via nodes of its procedures, then its
// monitors. Looking a name up costs a string and a hash-map probe, a cache
// miss in a large estate; Build's loop is serial, so the lookups are done
// first, on all cores.
type resolved struct {
	start   []int // node u's references are targets[start[u]:start[u+1]]
	targets []int32
}

// resolve looks up every reference of g's nodes, whose index is built.
func (g *Graph) resolve() resolved {
	r := resolved{start: make([]int, len(g.Nodes)+1)}
	for u, n := range g.Nodes {
		m := n.Manifest
		refs := len(m.Service.MonitoredBy)
		for _, d := range m.Dependencies {
			if d.AnyOf == nil {
				refs++ // on
			}
			refs += len(d.AnyOf)
		}
		for _, rec := range m.Recoveries {
			refs += len(rec.Via)
		}
		r.start[u+1] = r.start[u] + refs
	}
	r.targets = make([]int32, r.start[len(g.Nodes)])
	parallel.For(len(g.Nodes), 1024, func(lo, hi int) {
		for u := lo; u < hi; u++ {
			g.resolveNode(u, r.targets[r.start[u]:r.start[u+1]])
		}
	})
	return r
}

// resolveNode fills out with the targets of node u's references.
func (g *Graph) resolveNode(u int, out []int32) {
	m := g.Nodes[u].Manifest
	i := 0
	look := func(id string) {
		to, ok := g.index[id]
		if !ok {
			to = -1
		}
		out[i] = int32(to)
		i++
	}
	for _, d := range m.Dependencies {
		if d.AnyOf == nil {
			look(d.On.ID())
		}
		for _, alt := range d.AnyOf {
			look(alt.ID())
		}
	}
	for _, rec := range m.Recoveries {
		for _, v := range rec.Via {
			look(v.ID())
		}
	}
	for _, v := range m.Service.MonitoredBy {
		look(v.ID())
	}
}

// of returns a function that yields node u's targets one after another.
func (r resolved) of(u int) func() int {
	i := r.start[u]
	return func() int {
		t := r.targets[i]
		i++
		return int(t)
	}
}
