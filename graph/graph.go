package graph

import (
	"slices"
	"strings"

	"github.com/catch22/catch22/internal/parallel"
	"github.com/catch22/catch22/manifest"
)

// EdgeType says which manifest entry an edge comes from.
type EdgeType int

const (
	Dependency EdgeType = iota // a [[dependency]] entry
	Via                        // one element of a recovery procedure's via
	Monitor                    // one element of monitored_by
)

// Node is one declared service.
type Node struct {
	ID       string
	Manifest *manifest.Manifest
}

// Edge is one manifest entry between two declared nodes, from the declaring
// node to the node it names.
type Edge struct {
	From, To  int
	Type      EdgeType
	Hard      bool             // Dependency only: mode = "hard"
	Start     bool             // Dependency only: phase = "start"
	Group     int              // Dependency only: 1 + index into Groups for an alternative of any_of, 0 otherwise
	Kind      manifest.DepKind // Dependency only
	Procedure int              // Via only: index into the declaring manifest's Recoveries
	Pos       manifest.Pos     // where the entry names its target
}

// Propagates reports whether e alone carries failure: a hard dependency on
// one node, needed at run time. A start-phase dependency never takes a
// running node down; an alternative of any_of takes it down only with
// enough of the others (see Group).
func (e Edge) Propagates() bool { return e.Type == Dependency && e.Hard && !e.Start && e.Group == 0 }

// Gates reports whether e alone holds back a node that is down: a hard
// dependency on one node, of either phase, since a node needs its
// start-phase dependencies to restart.
func (e Edge) Gates() bool { return e.Type == Dependency && e.Hard && e.Group == 0 }

// UnknownRef is a reference to a node nobody declares. It is not an edge: it
// is in no down set and blocks nothing.
type UnknownRef struct {
	Edge // To is -1
	Ref  manifest.Ref
}

// Graph is the compiled manifest set. It is immutable once built and safe
// for concurrent readers.
type Graph struct {
	Nodes   []Node       // sorted by ID
	Edges   []Edge       // by From, then in declaration order: dependencies, via, monitored_by
	Unknown []UnknownRef // in the same order as Edges
	index   map[string]int
	// Edges are appended node by node, so u's edges are the contiguous
	// range Edges[outStart[u]:outStart[u+1]], in declaration order.
	outStart []int

	hardOut  csr // hard run-time dependency successors, sorted, deduplicated
	hardIn   csr // hard run-time dependency predecessors, sorted, deduplicated
	startOut csr // hard start-phase dependency successors, sorted, deduplicated
	startIn  csr // hard start-phase dependency predecessors, sorted, deduplicated
	selfs    []bool

	comps components // strongly connected sets of hard edges

	// Groups are the dependencies on alternatives (any_of), in edge order.
	Groups    []Group
	groupsOut csr     // per node: the hard groups it declares (either phase)
	groupsIn  csr     // per node: the hard groups that name it as an alternative
	gates     bool    // some run-time hard group can fail: down sets need counting
	order     [][]int // with gates: blocks of components in the order the sweep fills them
}

// Build compiles manifests whose node IDs are unique (manifest.Load
// guarantees it). It runs in O((V+E) log E).
func Build(ms []*manifest.Manifest) *Graph {
	g := &Graph{Nodes: make([]Node, len(ms)), index: make(map[string]int, len(ms))}
	parallel.For(len(ms), compileBlock, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			g.Nodes[i] = Node{ID: ms[i].ID(), Manifest: ms[i]}
		}
	})
	slices.SortFunc(g.Nodes, func(a, b Node) int { return strings.Compare(a.ID, b.ID) })
	for i, n := range g.Nodes {
		g.index[n.ID] = i
	}
	hard, start, groupsOut, groupsIn := g.compile()
	g.hardOut = newCSR(len(g.Nodes), hard, false)
	g.hardIn = newCSR(len(g.Nodes), hard, true)
	g.startOut = newCSR(len(g.Nodes), start, false)
	g.startIn = newCSR(len(g.Nodes), start, true)
	g.groupsOut = newCSR(len(g.Nodes), groupsOut, false)
	g.groupsIn = newCSR(len(g.Nodes), groupsIn, false)
	g.selfs = make([]bool, len(g.Nodes))
	for _, e := range hard {
		if e[0] == e[1] {
			g.selfs[e[0]] = true
		}
	}
	g.comps = condense(g)
	for _, gr := range g.Groups {
		g.gates = g.gates || gr.Propagates() && gr.CanFail()
	}
	if g.gates {
		g.order = sweepOrder(g)
	}
	return g
}

// Lookup returns the index of the node with the given full ID.
func (g *Graph) Lookup(id string) (int, bool) {
	i, ok := g.index[id]
	return i, ok
}

// Out returns the range of indices into Edges that holds u's edges, in
// declaration order: Edges[first:end].
func (g *Graph) Out(u int) (first, end int) { return g.outStart[u], g.outStart[u+1] }

// HardSuccessors returns the nodes u hard-depends on directly at run time,
// sorted.
func (g *Graph) HardSuccessors(u int) []int { return g.hardOut.row(u) }

// HardPredecessors returns the nodes that hard-depend on u directly at run
// time, sorted.
func (g *Graph) HardPredecessors(u int) []int { return g.hardIn.row(u) }

// StartSuccessors returns the nodes u needs, hard, only to start, sorted:
// what holds u back once it is down, beyond its HardSuccessors.
func (g *Graph) StartSuccessors(u int) []int { return g.startOut.row(u) }

// GateSuccessors returns the nodes u needs, hard, to come back up once it
// is down, of either phase: HardSuccessors and StartSuccessors merged,
// sorted, deduplicated.
func (g *Graph) GateSuccessors(u int) []int {
	return slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(g.HardSuccessors(u)), g.StartSuccessors(u)...))))
}

// StartPredecessors returns the nodes that need u, hard, only to start,
// sorted.
func (g *Graph) StartPredecessors(u int) []int { return g.startIn.row(u) }

// HasHardSelfEdge reports whether u declares a hard dependency on itself.
func (g *Graph) HasHardSelfEdge(u int) bool { return g.selfs[u] }

// HardEdge returns u's first hard run-time dependency entry on v, in
// declaration order.
func (g *Graph) HardEdge(u, v int) (Edge, bool) {
	for _, e := range g.Edges[g.outStart[u]:g.outStart[u+1]] {
		if e.Propagates() && e.To == v {
			return e, true
		}
	}
	return Edge{}, false
}

// HardLabel is the label of the witness hop u → v over a hard run-time
// dependency: the kind of u's first such entry on v.
func (g *Graph) HardLabel(u, v int) string {
	e, _ := g.HardEdge(u, v)
	return string(e.Kind)
}

// GateEdge returns u's first hard dependency entry on v of either phase,
// in declaration order.
func (g *Graph) GateEdge(u, v int) (Edge, bool) {
	for _, e := range g.Edges[g.outStart[u]:g.outStart[u+1]] {
		if e.Gates() && e.To == v {
			return e, true
		}
	}
	return Edge{}, false
}

// GateLabel is the label of the witness hop u → v over a hard dependency
// of either phase that holds u back: the kind, with ", start" for a
// start-phase entry when u has no run-time one on v.
func (g *Graph) GateLabel(u, v int) string {
	if e, ok := g.HardEdge(u, v); ok {
		return string(e.Kind)
	}
	if e, ok := g.GateEdge(u, v); ok {
		return string(e.Kind) + ", start"
	}
	return ""
}
