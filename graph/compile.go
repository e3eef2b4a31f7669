package graph

import (
	"slices"

	"github.com/catch22/catch22/internal/parallel"
	"github.com/catch22/catch22/manifest"
)

// compileBlock is the number of nodes one worker compiles at a time.
const compileBlock = 1024

// part is what Build compiles from one block of consecutive nodes. Its
// edges and groups are windows of the graph's own slices, reserved for the
// block before it compiles (a block has at most as many edges as it makes
// references, and exactly as many groups as it declares any_of entries),
// which appends fill in place; the rest is the block's own until compile
// joins the blocks in order. So the graph is the one a single pass in node
// order would build.
type part struct {
	first     int   // the block's first node
	outStart  []int // per node of the block: its first edge, within edges
	edges     []Edge
	groups    []Group
	groupBase int // the number of the block's first group
	unknown   []UnknownRef
	// Adjacency pairs (from, to); for groupsOut and groupsIn the second is
	// a group number.
	hard, start, groupsOut, groupsIn [][2]int
}

// compile fills g's edges, unknown references and groups from its nodes,
// whose index is built, on all cores, and returns the adjacency pairs.
func (g *Graph) compile() (hard, start, groupsOut, groupsIn [][2]int) {
	blocks := (len(g.Nodes) + compileBlock - 1) / compileBlock
	refsAt, groupsAt := make([]int, blocks+1), make([]int, blocks+1)
	parallel.For(blocks, 1, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			for _, n := range g.Nodes[b*compileBlock : min((b+1)*compileBlock, len(g.Nodes))] {
				refs, groups := refCount(n.Manifest)
				refsAt[b+1] += refs
				groupsAt[b+1] += groups
			}
		}
	})
	for b := range blocks {
		refsAt[b+1] += refsAt[b]
		groupsAt[b+1] += groupsAt[b]
	}
	g.Edges = make([]Edge, refsAt[blocks])
	if groupsAt[blocks] > 0 { // nil when there are none, as Groups always was
		g.Groups = make([]Group, groupsAt[blocks])
	}
	parts := make([]part, blocks)
	parallel.ForScratch(len(g.Nodes), compileBlock, func() *[]byte { return new([]byte) }, func(key *[]byte, lo, hi int) {
		b := lo / compileBlock
		p := &parts[b]
		*p = part{first: lo, outStart: make([]int, 0, hi-lo),
			edges:     g.Edges[refsAt[b]:refsAt[b]:refsAt[b+1]],
			groups:    g.Groups[groupsAt[b]:groupsAt[b]:groupsAt[b+1]],
			groupBase: groupsAt[b],
			hard:      make([][2]int, 0, refsAt[b+1]-refsAt[b]),
		}
		for u := lo; u < hi; u++ {
			p.outStart = append(p.outStart, len(p.edges))
			p.node(u, g.Nodes[u].Manifest, func(r *manifest.Ref) int { return g.lookup(r, key) })
		}
	})
	// Join the blocks: edges move down over the room left by unknown
	// references, which are few; blocks before the first stay put.
	g.outStart = make([]int, len(g.Nodes)+1)
	var nHard, nStart, nOut, nIn int
	for _, p := range parts {
		nHard, nStart, nOut, nIn = nHard+len(p.hard), nStart+len(p.start), nOut+len(p.groupsOut), nIn+len(p.groupsIn)
	}
	hard, start = make([][2]int, 0, nHard), make([][2]int, 0, nStart)
	groupsOut, groupsIn = make([][2]int, 0, nOut), make([][2]int, 0, nIn)
	end := 0
	for b, p := range parts {
		if end != refsAt[b] {
			copy(g.Edges[end:], p.edges)
		}
		for j, s := range p.outStart {
			g.outStart[p.first+j] = end + s
		}
		end += len(p.edges)
		g.Unknown = append(g.Unknown, p.unknown...)
		hard = append(hard, p.hard...)
		start = append(start, p.start...)
		groupsOut = append(groupsOut, p.groupsOut...)
		groupsIn = append(groupsIn, p.groupsIn...)
	}
	g.Edges = g.Edges[:end:end]
	g.outStart[len(g.Nodes)] = end
	return hard, start, groupsOut, groupsIn
}

// refCount is how many references m makes (one per dependency on a node,
// per alternative of an any_of, per via node and per monitor) and how many
// any_of groups it declares.
func refCount(m *manifest.Manifest) (refs, groups int) {
	refs = len(m.Service.MonitoredBy)
	for _, d := range m.Dependencies {
		if d.AnyOf != nil {
			refs += len(d.AnyOf)
			groups++
		} else {
			refs++
		}
	}
	for _, r := range m.Recoveries {
		refs += len(r.Via)
	}
	return refs, groups
}

// lookup returns the node that r names, or -1. The ID is spelled into the
// worker's key buffer: a map lookup by a converted byte slice allocates
// nothing, where Ref.ID would allocate a string per reference.
func (g *Graph) lookup(r *manifest.Ref, key *[]byte) int {
	k := append(append(append((*key)[:0], r.Name...), '@'), r.Env...)
	*key = k
	if i, ok := g.index[string(k)]; ok {
		return i
	}
	return -1
}

// node compiles node u's entries in declaration order: dependencies, the
// via nodes of its procedures, then its monitors. Entries are read in
// place: a Dependency is a couple of hundred bytes.
func (p *part) node(u int, m *manifest.Manifest, lookup func(*manifest.Ref) int) {
	for i := range m.Dependencies {
		d := &m.Dependencies[i]
		if d.AnyOf != nil {
			p.group(u, d, lookup)
			continue
		}
		e := Edge{From: u, Type: Dependency, Hard: d.Mode == manifest.Hard, Start: d.Phase == manifest.PhaseStart, Kind: d.Kind, Pos: d.On.Pos}
		to := lookup(&d.On)
		switch {
		case !p.edge(e, &d.On, to):
		case e.Propagates():
			p.hard = append(p.hard, [2]int{u, to})
		case e.Gates():
			p.start = append(p.start, [2]int{u, to})
		}
	}
	for i := range m.Recoveries {
		for j := range m.Recoveries[i].Via {
			v := &m.Recoveries[i].Via[j]
			p.edge(Edge{From: u, Type: Via, Procedure: i, Pos: v.Pos}, v, lookup(v))
		}
	}
	for i := range m.Service.MonitoredBy {
		v := &m.Service.MonitoredBy[i]
		p.edge(Edge{From: u, Type: Monitor, Pos: v.Pos}, v, lookup(v))
	}
}

// edge records e towards node to, which ref names, or an UnknownRef when
// to is -1: ref names no node. It reports whether an edge was added.
func (p *part) edge(e Edge, ref *manifest.Ref, to int) bool {
	if to < 0 {
		e.To = -1
		p.unknown = append(p.unknown, UnknownRef{Edge: e, Ref: *ref})
		return false
	}
	e.To = to
	p.edges = append(p.edges, e)
	return true
}

// group records an any_of dependency of u: one edge per alternative
// (UnknownRefs for undeclared ones) and the group, numbered after the
// groups of earlier blocks.
func (p *part) group(u int, d *manifest.Dependency, lookup func(*manifest.Ref) int) {
	gi := p.groupBase + len(p.groups)
	gr := Group{From: u, Need: len(d.AnyOf) - d.Quorum + 1, Quorum: d.Quorum, Hard: d.Mode == manifest.Hard,
		Start: d.Phase == manifest.PhaseStart, Kind: d.Kind, Pos: d.Pos}
	for i := range d.AnyOf {
		alt := &d.AnyOf[i]
		e := Edge{From: u, Type: Dependency, Hard: gr.Hard, Start: gr.Start, Group: gi + 1, Kind: d.Kind, Pos: alt.Pos}
		if to := lookup(alt); p.edge(e, alt, to) {
			gr.Members = append(gr.Members, to)
		}
	}
	slices.Sort(gr.Members)
	p.groups = append(p.groups, gr)
	if gr.Hard {
		p.groupsOut = append(p.groupsOut, [2]int{u, gi})
		for _, v := range gr.Members {
			p.groupsIn = append(p.groupsIn, [2]int{v, gi})
		}
	}
}
