package graph

import (
	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// csrView presents an adjacency held in a pair of csrs as a gonum
// graph.Directed, so that gonum's algorithms (Tarjan's here) run on it: the
// core of the hard edges that peeling leaves, the components and their
// groups, which stuck node keeps which down. Node IDs are indices; every
// iterator it returns is in ascending order, which makes gonum's output
// order deterministic.
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

// nodesOf is a row of the adjacency as gonum nodes, in its order.
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
