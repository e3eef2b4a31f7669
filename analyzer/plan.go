package analyzer

import (
	"slices"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/rules"
)

// Plan is a cold start from nothing (SPEC §4): every node is down, and comes
// up in the first wave in which all its hard dependencies (those it needs
// only to start included) are up and, when it declares procedures, every
// node one of them needs is up (graph.ProcedureNeeds: its via nodes and
// what they need to start; from nothing, a via node that is up has what it
// needs to start up too, so this is "every via node of one of them").
type Plan struct {
	Total int
	Waves [][]BringUp
	// Never lists the nodes that never come up, sorted, each with the cycle
	// that holds it.
	Never []Stuck
	// Release is the single change that would bring up the most of Never;
	// nil when nothing is stuck or no single change helps.
	Release *Release
	// Suggestions break the recovery and dependency cycles among Never
	// (see Suggest).
	Suggestions []Change
}

// BringUp is one node coming up, with the procedure whose via nodes were
// up ("" when it declares none).
type BringUp struct {
	Node, Procedure string
}

// Stuck is a node that never comes up. Witness leads from it to a cycle of
// nodes waiting on each other and goes round it once: each hop is a hard
// dependency, or a procedure whose via node is stuck when every procedure
// is blocked.
type Stuck struct {
	Node    string
	Witness []rules.Hop
}

// ColdStart computes the bring-up waves of g. Like Simulate it counts what
// each node and each procedure still waits for, so it costs O(V+E).
func ColdStart(g *graph.Graph) *Plan {
	b := newBoot(g)
	b.run()
	p := &Plan{Total: len(g.Nodes)}
	for _, wave := range b.waves {
		var ups []BringUp
		for _, v := range wave {
			up := BringUp{Node: g.Nodes[v].ID}
			if i := b.used[v]; i >= 0 {
				up.Procedure = g.Nodes[v].Manifest.Recoveries[i].Name
			}
			ups = append(ups, up)
		}
		p.Waves = append(p.Waves, ups)
	}
	stuck := b.stuck()
	if len(stuck) == 0 {
		return p
	}
	id := func(v int) string { return g.Nodes[v].ID }
	proofs := explainStuck(stuck, b.blame(stuck), nil, id)
	for _, v := range stuck {
		p.Never = append(p.Never, Stuck{Node: id(v), Witness: proofs[v]})
	}
	p.Release = bestRelease(g, b, stuck)
	var recovering []int
	for _, v := range stuck {
		if b.needs[v] {
			recovering = append(recovering, v)
		}
	}
	p.Suggestions = Suggest(g, recovering, cyclesTouching(g, stuck))
	return p
}

// boot is the state of one cold start.
type boot struct {
	g       *graph.Graph
	waiting []int   // per node: hard dependencies and groups not up yet
	upAlts  []int   // per group: alternatives up
	procs   [][]int // per node and procedure: nodes it needs (graph.ProcedureNeeds) not up yet
	needs   []bool  // per node: declares procedures, so one must be usable
	up      []bool
	used    []int // per node: the procedure it came up with, -1 for none
	waves   [][]int
	viaUse  [][][2]int // per node: the (node, procedure) pairs that need it
}

func newBoot(g *graph.Graph) *boot {
	n := len(g.Nodes)
	b := &boot{g: g, waiting: make([]int, n), upAlts: make([]int, len(g.Groups)), procs: make([][]int, n), needs: make([]bool, n),
		up: make([]bool, n), used: make([]int, n), viaUse: make([][][2]int, n)}
	for v := range g.Nodes {
		b.waiting[v] = len(g.HardSuccessors(v)) + len(g.StartSuccessors(v))
		// From nothing, a group holds once its quorum is up: every
		// alternative starts down.
		for _, gi := range g.GroupsOf(v) {
			if g.Groups[gi].CanFail() {
				b.waiting[v]++
			}
		}
		targets := g.ProcedureNeeds(v)
		b.needs[v] = len(targets) > 0
		b.procs[v] = make([]int, len(targets))
		for p, need := range targets {
			b.procs[v][p] = len(need)
			for _, w := range need {
				b.viaUse[w] = append(b.viaUse[w], [2]int{v, p})
			}
		}
	}
	return b
}

// ready reports whether v can come up now.
func (b *boot) ready(v int) bool {
	return !b.up[v] && b.waiting[v] == 0 && (!b.needs[v] || slices.Contains(b.procs[v], 0))
}

// run brings nodes up wave by wave: a wave is every node ready at its start.
func (b *boot) run() {
	var next []int
	for v := range b.g.Nodes {
		if b.ready(v) {
			next = append(next, v)
		}
	}
	for len(next) > 0 {
		wave := next
		next = nil
		for _, v := range wave {
			b.up[v] = true
			b.used[v] = slices.Index(b.procs[v], 0) // -1 when it declares none
		}
		for _, v := range wave {
			for _, p := range b.g.HardPredecessors(v) {
				b.waiting[p]--
				next = b.appendReady(next, p)
			}
			for _, p := range b.g.StartPredecessors(v) {
				b.waiting[p]--
				next = b.appendReady(next, p)
			}
			for _, gi := range b.g.GroupsWith(v) {
				if b.upAlts[gi]++; b.g.Groups[gi].CanFail() && len(b.g.Groups[gi].Members)-b.upAlts[gi] == b.g.Groups[gi].Need-1 {
					p := b.g.Groups[gi].From
					b.waiting[p]--
					next = b.appendReady(next, p)
				}
			}
			for _, use := range b.viaUse[v] {
				b.procs[use[0]][use[1]]--
				next = b.appendReady(next, use[0])
			}
		}
		slices.Sort(next)
		next = slices.Compact(next)
		b.waves = append(b.waves, wave)
	}
}

func (b *boot) appendReady(next []int, v int) []int {
	if b.ready(v) {
		next = append(next, v)
	}
	return next
}

// stuck returns the nodes that never came up, sorted.
func (b *boot) stuck() []int {
	var out []int
	for v, up := range b.up {
		if !up {
			out = append(out, v)
		}
	}
	return out
}

// blame says what keeps each stuck node down: its hard dependencies that
// are stuck; when there are none, the stuck via nodes of every procedure.
// A procedure whose via nodes are all up is never blocked by what they need
// to start: from nothing, a node comes up only once that is up, and nothing
// goes down again.
func (b *boot) blame(stuck []int) map[int][]blameEdge {
	g := b.g
	out := make(map[int][]blameEdge, len(stuck))
	for _, v := range stuck {
		for _, d := range g.GateSuccessors(v) {
			if !b.up[d] {
				out[v] = append(out[v], blameEdge{To: d, Label: g.GateLabel(v, d)})
			}
		}
		out[v] = append(out[v], groupBlame(g, v, func(m int) bool { return !b.up[m] })...)
		if len(out[v]) > 0 {
			continue
		}
		first, end := g.Out(v)
		for _, e := range g.Edges[first:end] {
			if e.Type == graph.Via && !b.up[e.To] && labelOf(out[v], e.To) == "" {
				out[v] = append(out[v], blameEdge{To: e.To, Label: "recovery: " + g.Nodes[v].Manifest.Recoveries[e.Procedure].Name})
			}
		}
	}
	return out
}
