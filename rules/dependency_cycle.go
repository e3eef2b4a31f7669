package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/catch22/catch22/manifest"
)

// DependencyCycle finds sets of nodes that hold each other down: once all
// are down, none can (re)start before the others.
var DependencyCycle = &Rule{
	ID:       "dependency-cycle",
	Title:    "nodes hard-depend on each other in a cycle",
	Severity: Error,
	Doc: `Fires once per strongly connected set of hard dependency edges (two or more
nodes that reach each other, or one node with a hard dependency on itself),
and once per set that closes a cycle only through what a node needs to come
back up: a hard phase = "start" dependency (a node that is down waits for
it), or a hard any_of group whose alternatives that can fail it all lie in
the set. A set held down only in part by another such set is left out: it
comes up once that one is broken. The finding is on the set's smallest node
ID, at the entry of the witness's first hop; the witness is a shortest cycle
through it, over start-phase hops (labelled "kind, start") too; where it
runs through a group it stops at the group's node and shows every
alternative in the set leading back ("kind, any of").

Why it matters: a hard cycle cannot be cold-started. When every member is
down, each waits for another, and the order has to be improvised. Cold starts
are not hypothetical: Meta's October 2021 backbone outage and Cloudflare's
November 2023 data-centre power loss both ended in a bring-up of whole fleets
where the order of services mattered and took hours.
(https://engineering.fb.com/2021/10/05/networking-traffic/outage-details/,
https://blog.cloudflare.com/post-mortem-on-cloudflare-control-plane-and-analytics-outage/)`,
	Remediation: `Break the cycle at its weakest link: make one dependency soft (start
degraded, cache, start from a cached copy, fail open), give an any_of group an
alternative outside the cycle, or move the shared function into a lower layer
that depends on none of the members.`,
	Check: checkDependencyCycle,
}

func checkDependencyCycle(p *Pass) error {
	// A trap that is a run-time cycle keeps its plain hard witness; others
	// (closed by start-phase edges or groups) get one over every edge that
	// holds them.
	cycles := map[int][]int{} // by smallest node
	for _, set := range p.Graph.Cycles() {
		cycles[set[0]] = set
	}
	for _, set := range p.Graph.Traps() {
		m := set[0]
		var witness []Hop
		var at manifest.Pos
		if c, ok := cycles[m]; ok && slices.Equal(c, set) {
			path := p.Graph.ShortestCycle(m)
			if path == nil {
				return fmt.Errorf("no cycle through %s in its strongly connected set", p.node(m))
			}
			e, _ := p.Graph.HardEdge(m, path[1])
			witness, at = p.hardHops(path, ""), e.Pos
		} else {
			witness, at = p.trapWitness(set)
			if witness == nil {
				return fmt.Errorf("no cycle through %s in its trap", p.node(m))
			}
		}
		names := make([]string, 0, min(len(set), 8))
		for i, v := range set {
			if i == 8 {
				names = append(names, fmt.Sprintf("and %d more", len(set)-8))
				break
			}
			names = append(names, display(p.node(v)))
		}
		msg := fmt.Sprintf("%s hard-depends on itself: it cannot start", display(p.node(m)))
		if len(set) > 1 {
			msg = fmt.Sprintf("%d nodes hard-depend on each other, so none can start first: %s", len(set), strings.Join(names, ", "))
		}
		p.Report(Finding{
			Node:    p.node(m),
			Message: msg,
			Witness: witness,
			File:    at.File, Line: at.Line, Col: at.Col,
		})
	}
	return nil
}

// trapStep is one edge that holds a node within its trap: to a node it
// needs, hard, to (re)start (group < 0), or to an alternative of one of its
// any_of groups with Need alternatives in the trap.
type trapStep struct{ to, group int }

// trapWitness proves a trap that is no plain run-time cycle: a shortest
// cycle from its smallest node m over the edges that hold it, and the
// position of its first hop's entry. Where the cycle goes through an any_of
// group, it stops at the group's node and shows a shortest path back to m
// from every alternative in the trap (at least Need of them, since the trap
// holds its nodes by itself; each path exists, the trap being strongly
// connected). A later group on such a path shows only the alternative it
// takes. It returns nil only for a set that is no trap.
func (p *Pass) trapWitness(set []int) ([]Hop, manifest.Pos) {
	g := p.Graph
	steps := func(u int) []trapStep {
		single, groups := g.TrapEdges(u, set)
		var out []trapStep
		for _, v := range single {
			out = append(out, trapStep{to: v, group: -1})
		}
		for _, gi := range slices.Sorted(maps.Keys(groups)) {
			for _, m := range groups[gi] {
				out = append(out, trapStep{to: m, group: gi})
			}
		}
		return out
	}
	// path returns a shortest path from → … → to over the trap's edges, the
	// step into each node after the first.
	path := func(from, to int) ([]int, []trapStep) {
		prev := map[int]int{}
		via := map[int]trapStep{}
		queue := []int{from}
		for head := 0; head < len(queue); head++ {
			u := queue[head]
			for _, st := range steps(u) {
				if st.to == to {
					nodes, ins := []int{to}, []trapStep{st}
					for x := u; x != from; x = prev[x] {
						nodes, ins = append(nodes, x), append(ins, via[x])
					}
					nodes = append(nodes, from)
					slices.Reverse(nodes)
					slices.Reverse(ins)
					return nodes, ins
				}
				if _, seen := prev[st.to]; !seen && st.to != from {
					prev[st.to], via[st.to] = u, st
					queue = append(queue, st.to)
				}
			}
		}
		return nil, nil
	}
	label := func(u int, st trapStep) string {
		if st.group >= 0 {
			return string(g.Groups[st.group].Kind) + ", any of"
		}
		return g.GateLabel(u, st.to)
	}
	hops := func(nodes []int, ins []trapStep, first string) []Hop {
		out := []Hop{{Node: p.node(nodes[0]), Label: first}}
		for i, st := range ins {
			out = append(out, Hop{Node: p.node(nodes[i+1]), Label: label(nodes[i], st)})
		}
		return out
	}
	m := set[0]
	nodes, ins := path(m, m)
	if nodes == nil {
		return nil, manifest.Pos{}
	}
	// The finding points at the entry of the first hop: the group's
	// header, or the entry its label names, a run-time one first.
	var at manifest.Pos
	if ins[0].group >= 0 {
		at = g.Groups[ins[0].group].Pos
	} else if e, ok := g.HardEdge(nodes[0], nodes[1]); ok {
		at = e.Pos
	} else {
		e, _ := g.GateEdge(nodes[0], nodes[1])
		at = e.Pos
	}
	for i, st := range ins {
		if st.group < 0 {
			continue
		}
		// Stop at the group's node; every alternative in the trap leads back.
		w := hops(nodes[:i+1], ins[:i], "")
		gr := &g.Groups[st.group]
		for _, a := range gr.Members {
			if !slices.Contains(set, a) {
				continue
			}
			an, ai := path(a, m)
			if a == m {
				an, ai = []int{m}, nil
			}
			if an != nil {
				w[len(w)-1].Alternatives = append(w[len(w)-1].Alternatives, hops(an, ai, label(nodes[i], trapStep{to: a, group: st.group})))
			}
		}
		return w, at
	}
	return hops(nodes, ins, ""), at
}
