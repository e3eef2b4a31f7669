package graph

import (
	"github.com/catch22/catch22/internal/parallel"
	"github.com/catch22/catch22/manifest"
)

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
		refs := 0
		eachRef(n.Manifest, func(manifest.Ref) { refs++ })
		r.start[u+1] = r.start[u] + refs
	}
	r.targets = make([]int32, r.start[len(g.Nodes)])
	parallel.For(len(g.Nodes), 1024, func(lo, hi int) {
		for u := lo; u < hi; u++ {
			out := r.targets[r.start[u]:r.start[u]] // appends fill u's own range in place
			eachRef(g.Nodes[u].Manifest, func(ref manifest.Ref) {
				to, ok := g.index[ref.ID()]
				if !ok {
					to = -1
				}
				out = append(out, int32(to))
			})
		}
	})
	return r
}

// eachRef calls visit with every reference of m, in the order Build visits
// them.
func eachRef(m *manifest.Manifest, visit func(manifest.Ref)) {
	for _, d := range m.Dependencies {
		if d.AnyOf == nil {
			visit(d.On)
		}
		for _, alt := range d.AnyOf {
			visit(alt)
		}
	}
	for _, rec := range m.Recoveries {
		for _, v := range rec.Via {
			visit(v)
		}
	}
	for _, v := range m.Service.MonitoredBy {
		visit(v)
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
