package graph

import "math"

// derivation records why each node goes down with one failed node: the
// next node on a hard path towards it, or the group that fails, with the
// alternatives that fail it in the order they went down. It is scratch
// space reused from one failed node to the next (generation stamps mark
// what the current one set), so that a derivation costs what it visits;
// each worker keeps its own.
type derivation struct {
	g      *Graph
	to     int // the failed node of the current derivation; -1 for none
	gen    uint32
	seen   []uint32  // seen[v] == gen: v goes down, next[v] is set
	next   []int32   // node → next node; -1 at the failed node; <= viaGroup for a failing group
	altGen []uint32  // altGen[gi] == gen: alts[gi] is the current one's
	alts   [][]int32 // per group, its alternatives gone down, in order
	queue  []int32
}

// viaGroup marks next[v] <= viaGroup: v goes down because group viaGroup−next[v] fails.
const viaGroup = -2

func newDerivation(g *Graph) *derivation {
	return &derivation{g: g, to: -1, seen: make([]uint32, len(g.Nodes)), next: make([]int32, len(g.Nodes)),
		altGen: make([]uint32, len(g.Groups)), alts: make([][]int32, len(g.Groups))}
}

// noBudget lets a derivation take the whole estate down.
const noBudget = math.MaxInt

// derive finds how everything that goes down with to does: one
// breadth-first search backwards from to over hard edges, counting each
// group's alternatives as they go down, exactly as down sets are defined.
// Searching from the failed node, rather than from each node that fails
// with it, gives every proof a finite derivation even round cycles of
// groups, and costs O(|down({to})|) for all the queries on to together.
//
// It returns |down({to})|, or false as soon as more than budget nodes are
// down: the sweep's light targets are those whose derivation stays within
// its budget, and the derivation that sized them proves their queries too.
func (d *derivation) derive(to, budget int) (int, bool) {
	g := d.g
	if d.gen++; d.gen == 0 { // wrapped: clear once every 2^32 derivations
		clear(d.seen)
		clear(d.altGen)
		d.gen = 1
	}
	d.to = to
	d.mark(int32(to), -1)
	d.queue = append(d.queue[:0], int32(to))
	for head := 0; head < len(d.queue); head++ {
		if len(d.queue) > budget {
			d.to = -1 // the stamps hold only part of the down set
			return 0, false
		}
		w := d.queue[head]
		for _, p := range g.hardIn.raw(int(w)) {
			if d.seen[p] != d.gen {
				d.mark(p, w)
				d.queue = append(d.queue, p)
			}
		}
		for _, gi := range g.groupsIn.raw(int(w)) {
			gr := &g.Groups[gi]
			if !gr.Propagates() {
				continue
			}
			if d.altGen[gi] != d.gen {
				d.altGen[gi], d.alts[gi] = d.gen, d.alts[gi][:0]
			}
			d.alts[gi] = append(d.alts[gi], w)
			owner := int32(gr.From)
			if d.seen[owner] != d.gen && len(d.alts[gi]) == gr.Need {
				d.mark(owner, viaGroup-gi)
				d.queue = append(d.queue, owner)
			}
		}
	}
	if len(d.queue) > budget {
		d.to = -1
		return 0, false
	}
	return len(d.queue), true
}

func (d *derivation) mark(v, next int32) { d.seen[v], d.next[v] = d.gen, next }

// isDown reports whether v goes down in the current derivation.
func (d *derivation) isDown(v int) bool { return d.seen[v] == d.gen }

// proof returns the proof that from goes down, or nil when it does not.
func (d *derivation) proof(from int) *Proof {
	if d.seen[from] != d.gen {
		return nil
	}
	p := &Proof{Path: []int{from}, Group: -1}
	for u := int32(from); ; {
		n := d.next[u]
		switch {
		case n == -1:
			return p
		case n <= viaGroup:
			gi := viaGroup - n
			p.Group = int(gi)
			for _, m := range d.alts[gi][:d.g.Groups[gi].Need] {
				p.Alts = append(p.Alts, d.proof(int(m)))
			}
			return p
		}
		p.Path = append(p.Path, int(n))
		u = n
	}
}
