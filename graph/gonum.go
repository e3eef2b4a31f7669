package graph

import (
	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// hardView presents the hard dependency edges as a gonum graph.Directed, so
// gonum's algorithms (Tarjan's SCC here) run on the compact adjacency. Node
// IDs are node indices; every iterator it returns is in ascending order, which
// makes gonum's output order deterministic.
type hardView struct{ g *Graph }

var _ gg.Directed = hardView{}

func (h hardView) Node(id int64) gg.Node {
	if id < 0 || id >= int64(len(h.g.Nodes)) {
		return nil
	}
	return simple.Node(id)
}

func (h hardView) Nodes() gg.Nodes {
	return iterator.NewImplicitNodes(0, len(h.g.Nodes), func(id int) gg.Node { return simple.Node(id) })
}

func (h hardView) From(id int64) gg.Nodes { return nodesOf(h.g.hardOut.raw(int(id))) }

func (h hardView) To(id int64) gg.Nodes { return nodesOf(h.g.hardIn.raw(int(id))) }

func (h hardView) HasEdgeBetween(xid, yid int64) bool {
	return h.HasEdgeFromTo(xid, yid) || h.HasEdgeFromTo(yid, xid)
}

func (h hardView) HasEdgeFromTo(uid, vid int64) bool {
	_, found := search(h.g.hardOut.raw(int(uid)), int32(vid))
	return found
}

func (h hardView) Edge(uid, vid int64) gg.Edge {
	if !h.HasEdgeFromTo(uid, vid) {
		return nil
	}
	return simple.Edge{F: simple.Node(uid), T: simple.Node(vid)}
}

func nodesOf(ids []int32) gg.Nodes {
	if len(ids) == 0 {
		return gg.Empty
	}
	ns := make([]gg.Node, len(ids))
	for i, v := range ids {
		ns[i] = simple.Node(v)
	}
	return iterator.NewOrderedNodes(ns)
}

// search finds v in a sorted row.
func search(row []int32, v int32) (int, bool) {
	lo, hi := 0, len(row)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if row[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(row) && row[lo] == v
}

// csrView presents any adjacency held in a pair of csrs as a gonum
// graph.Directed, for Tarjan's algorithm over graphs other than the nodes'
// (the components and their groups, say).
type csrView struct {
	n       int
	out, in csr
}

var _ gg.Directed = csrView{}

func (h csrView) Node(id int64) gg.Node {
	if id < 0 || id >= int64(h.n) {
		return nil
	}
	return simple.Node(id)
}

func (h csrView) Nodes() gg.Nodes {
	return iterator.NewImplicitNodes(0, h.n, func(id int) gg.Node { return simple.Node(id) })
}

func (h csrView) From(id int64) gg.Nodes { return nodesOf(h.out.raw(int(id))) }

func (h csrView) To(id int64) gg.Nodes { return nodesOf(h.in.raw(int(id))) }

func (h csrView) HasEdgeBetween(xid, yid int64) bool {
	return h.HasEdgeFromTo(xid, yid) || h.HasEdgeFromTo(yid, xid)
}

func (h csrView) HasEdgeFromTo(uid, vid int64) bool {
	_, found := search(h.out.raw(int(uid)), int32(vid))
	return found
}

func (h csrView) Edge(uid, vid int64) gg.Edge {
	if !h.HasEdgeFromTo(uid, vid) {
		return nil
	}
	return simple.Edge{F: simple.Node(uid), T: simple.Node(vid)}
}
