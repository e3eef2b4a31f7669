package analyzer

import (
	"cmp"
	"slices"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/rules"
)

// cycleRules are the findings Suggest sets out to remove.
var cycleRules = []string{rules.RecoveryCycle.ID, rules.PartialRecoveryCycle.ID, rules.DependencyCycle.ID}

// SuggestFor proposes changes that remove every recovery-cycle,
// partial-recovery-cycle and dependency-cycle finding of res that is not
// waived. See Suggest.
func SuggestFor(g *graph.Graph, res *Result) []Change {
	var recovery []int
	var cycles [][]int
	for _, f := range res.Findings {
		if f.Waived || !slices.Contains(cycleRules, f.Rule) {
			continue
		}
		v, ok := g.Lookup(f.Node)
		if !ok {
			continue
		}
		if f.Rule == rules.DependencyCycle.ID {
			for _, set := range g.Traps() {
				if slices.Contains(set, v) {
					cycles = append(cycles, set)
				}
			}
		} else {
			recovery = append(recovery, v)
		}
	}
	return Suggest(g, recovery, cycles)
}

// Suggest proposes a small set of changes after which no node of recovery
// has a blocked procedure and no set of cycles holds a trap any more (see
// graph.Traps: a cycle of hard dependencies of either phase and of any_of
// groups that fail with the set down). Softening an edge of a trap means
// softening its entry: a start-phase one starts from a cached copy, a group
// is softened as a whole, since mode is set per [[dependency]].
//
// It is greedy: each step applies the candidate change that removes the
// most errors (recovery and dependency cycles), then the most warnings
// (partial recovery cycles), then the most blocked procedures and links
// inside traps; ties go to the gentler kind (soften one entry, soften an
// any_of group as a whole, drop a procedure, add a breakglass) and then to
// node order. The last measure falls at every step, so the loop ends, and
// some candidate always makes progress, so it ends with nothing left. The set is small but not
// guaranteed minimal (that problem is NP-hard: it contains feedback arc
// set).
func Suggest(g *graph.Graph, recovery []int, cycles [][]int) []Change {
	m := newModel(g, recovery, cycles)
	var out []Change
	for m.total().bad() {
		best := m.bestOf(m.candidates(false))
		if best == nil {
			best = m.bestOf(m.candidates(true))
		}
		if best == nil {
			break // cannot happen (see above); never loop forever
		}
		m.commit(*best)
		out = append(out, *best)
	}
	return out
}

// model is the graph with changes applied, and what is left of each
// target, kept up to date so that a candidate is judged by recomputing only
// the targets it touches.
type model struct {
	g       *graph.Graph
	soft    map[[2]int]bool // hard edges made soft
	softGrp map[int]bool    // hard any_of groups made soft, by index
	trapper *graph.Trapper  // traps over what is still hard
	dropped map[[2]int]bool // (node, procedure) dropped
	glass   map[int]bool    // nodes given a breakglass procedure
	nodes   []*recoveryTarget
	sets    []*cycleTarget

	// Scratch space of downFrom.
	seen  []uint32
	hop   []int32
	gen   uint32
	queue []int32
}

// recoveryTarget is a node whose blocked procedures must be cleared.
type recoveryTarget struct {
	v     int
	procs procState
	score score
	// onPaths holds the edges of every blocking path: a change that
	// softens no edge of them leaves every path, and so the target, as it is.
	onPaths map[[2]int]bool
	down    int // |down({v})| in the model, -1 until a breakglass message needs it
}

// cycleTarget is a trap (graph.Traps) whose cycles must be broken.
type cycleTarget struct {
	set   []int
	in    map[int]bool
	parts [][]int // the traps left in it
	score score
}

func newModel(g *graph.Graph, recovery []int, cycles [][]int) *model {
	m := &model{g: g, soft: map[[2]int]bool{}, softGrp: map[int]bool{}, dropped: map[[2]int]bool{}, glass: map[int]bool{}}
	m.trapper = g.NewTrapper(m.hard, func(gi int) bool { return !m.softGrp[gi] })
	slices.Sort(recovery)
	for _, v := range slices.Compact(recovery) {
		t := &recoveryTarget{v: v}
		m.refreshNode(t, true)
		if t.score.bad() { // nothing blocked now ever becomes blocked
			m.nodes = append(m.nodes, t)
		}
	}
	for _, set := range cycles {
		t := &cycleTarget{set: set, in: map[int]bool{}}
		for _, v := range set {
			t.in[v] = true
		}
		m.refreshSet(t)
		m.sets = append(m.sets, t)
	}
	return m
}

func (m *model) apply(c Change, on bool) {
	switch c.Kind {
	case Soften:
		if c.group > 0 {
			set(m.softGrp, c.group-1, on)
		} else {
			set(m.soft, [2]int{c.from, c.to}, on)
		}
	case DropProcedure:
		set(m.dropped, [2]int{c.from, c.proc}, on)
	case AddBreakglass:
		set(m.glass, c.from, on)
	}
}

// set adds or removes a key, so that the maps hold only what is on.
func set[K comparable](m map[K]bool, k K, on bool) {
	if on {
		m[k] = true
	} else {
		delete(m, k)
	}
}

func (m *model) hard(u, v int) bool { return len(m.soft) == 0 || !m.soft[[2]int{u, v}] }

// touches reports which targets a change can alter. Softening u → v
// alters a recovery target only when the edge is on one of its blocking
// paths (else they all survive), and the cycle sets that hold both ends;
// softening a group of u, which blocking paths never take, the cycle sets
// that hold u; the other kinds alter only their own node.
func (m *model) touches(c Change) ([]*recoveryTarget, []*cycleTarget) {
	var nodes []*recoveryTarget
	var sets []*cycleTarget
	for _, t := range m.nodes {
		if c.Kind == Soften {
			if t.onPaths[[2]int{c.from, c.to}] {
				nodes = append(nodes, t)
			}
		} else if t.v == c.from {
			nodes = append(nodes, t)
		}
	}
	if c.Kind == Soften {
		for _, t := range m.sets {
			if t.in[c.from] && (c.group > 0 || t.in[c.to]) {
				sets = append(sets, t)
			}
		}
	}
	return nodes, sets
}

// gain is how much a change would improve the total.
func (m *model) gain(c Change) score {
	nodes, sets := m.touches(c)
	var g score
	m.apply(c, true)
	for _, t := range nodes {
		u := &recoveryTarget{v: t.v}
		m.refreshNode(u, false)
		g = g.plus(t.score.gain(u.score))
	}
	for _, t := range sets {
		u := &cycleTarget{set: t.set, in: t.in}
		m.refreshSet(u)
		g = g.plus(t.score.gain(u.score))
	}
	m.apply(c, false)
	return g
}

// commit applies a change for good and updates the targets it touches.
func (m *model) commit(c Change) {
	nodes, sets := m.touches(c)
	m.apply(c, true)
	for _, t := range nodes {
		m.refreshNode(t, true)
	}
	for _, t := range sets {
		m.refreshSet(t)
	}
}

func (m *model) total() score {
	var s score
	for _, t := range m.nodes {
		s = s.plus(t.score)
	}
	for _, t := range m.sets {
		s = s.plus(t.score)
	}
	return s
}

// score counts what is left: errors, warnings, and a finer measure.
type score struct{ errors, warnings, rest int }

func (s score) bad() bool { return s.errors+s.warnings+s.rest > 0 }

func (s score) plus(t score) score {
	return score{s.errors + t.errors, s.warnings + t.warnings, s.rest + t.rest}
}

func (s score) gain(after score) score {
	return score{s.errors - after.errors, s.warnings - after.warnings, s.rest - after.rest}
}

// better reports whether gain s beats t (and is progress at all).
func (s score) better(t score) bool {
	c := cmp.Or(cmp.Compare(s.errors, t.errors), cmp.Compare(s.warnings, t.warnings), cmp.Compare(s.rest, t.rest))
	return c > 0
}

// refreshNode recomputes a recovery target (keep: for good, with the
// edges of its blocking paths): an error when every remaining procedure is
// blocked, a warning when some are; the finer measure counts blocked
// procedures.
func (m *model) refreshNode(t *recoveryTarget, keep bool) {
	var paths [][]int
	t.procs, paths = m.procedures(t.v, keep)
	blocked := 0
	for _, p := range t.procs.blocked {
		if p != nil {
			blocked++
		}
	}
	t.score = score{rest: blocked}
	switch {
	case blocked == 0:
	case blocked == t.procs.active:
		t.score.errors = 1
	default:
		t.score.warnings = 1
	}
	if keep {
		t.down = -1
		t.onPaths = map[[2]int]bool{}
		for _, path := range paths {
			for i := 0; i+1 < len(path); i++ {
				t.onPaths[[2]int{path[i], path[i+1]}] = true
			}
		}
	}
}

// refreshSet recomputes a cycle target: an error per trap left in it; the
// finer measure counts the links that hold inside those traps. Softening a
// link of a trap takes it off the count: the traps that remain hold with
// fewer links, so they lie within the old ones (holding only grows with
// links), and the measure falls.
func (m *model) refreshSet(t *cycleTarget) {
	t.parts = m.cyclicParts(t.set)
	t.score = score{}
	for _, c := range t.parts {
		t.score.errors++
		t.score.rest += len(m.linksWithin(c))
	}
}

// procState is what the model says of a node's procedures: per procedure
// (nil when dropped or usable) a shortest path from a via node to the node
// over hard edges, whose first hop may be one the via node needs only to
// start; and how many procedures remain, a breakglass included.
type procState struct {
	blocked [][]int
	active  int
}

// procedures evaluates v's procedures in the model by searching forward
// from each via node, and from what it needs to start, towards v: a via
// node's dependency cone is usually far smaller than v's down set. With
// all, it also returns a path for every via node that blocks (what touches
// needs), not only the shortest per procedure.
func (m *model) procedures(v int, all bool) (procState, [][]int) {
	targets := m.g.ViaTargets(v)
	st := procState{blocked: make([][]int, len(targets))}
	if m.glass[v] {
		st.active++
	}
	var paths [][]int
	found := map[int][]int{}
	for p, vias := range targets {
		if m.dropped[[2]int{v, p}] {
			continue
		}
		st.active++
		for _, w := range vias {
			path, done := found[w]
			if !done {
				path = m.blockingPath(w, v)
				found[w] = path
				if all && path != nil {
					paths = append(paths, path)
				}
			}
			if path != nil && (st.blocked[p] == nil || len(path) < len(st.blocked[p])) {
				st.blocked[p] = path
			}
		}
	}
	return st, paths
}

// blockingPath returns a shortest proof that via node w is no help while v
// is down: a path w → … → v over the model's hard edges, or w → s → … → v
// where w needs s, hard, to start (using w starts it); nil when there is
// none. w's own path wins among equals, then start dependencies in order.
func (m *model) blockingPath(w, v int) []int {
	best := m.hardPath(w, v)
	for _, s := range m.g.StartSuccessors(w) {
		if s == w || !m.hard(w, s) || best != nil && len(best) <= 2 {
			continue
		}
		if p := m.hardPath(s, v); p != nil && (best == nil || len(p)+1 < len(best)) {
			best = append([]int{w}, p...)
		}
	}
	return best
}

// hardPath returns a shortest path w → … → v over the model's hard edges,
// or nil. It searches with the model's scratch arrays (a generation stamp
// marks what one search has seen), so it allocates only the path.
func (m *model) hardPath(w, v int) []int {
	if w == v {
		return []int{v}
	}
	m.stamp()
	m.seen[w], m.hop[w] = m.gen, -1
	queue := append(m.queue[:0], int32(w))
	defer func() { m.queue = queue }()
	for head := 0; head < len(queue); head++ {
		u := int(queue[head])
		for _, x := range m.g.HardSuccessors(u) {
			if m.seen[x] == m.gen || !m.hard(u, x) {
				continue
			}
			m.seen[x], m.hop[x] = m.gen, int32(u)
			if x == v {
				var rev []int
				for y := int32(v); y >= 0; y = m.hop[y] {
					rev = append(rev, int(y))
				}
				slices.Reverse(rev)
				return rev
			}
			queue = append(queue, int32(x))
		}
	}
	return nil
}

// downCount returns |down({v})| in the model.
func (m *model) downCount(v int) int {
	m.stamp()
	m.seen[v] = m.gen
	queue := append(m.queue[:0], int32(v))
	for head := 0; head < len(queue); head++ {
		w := int(queue[head])
		for _, p := range m.g.HardPredecessors(w) {
			if m.seen[p] != m.gen && m.hard(p, w) {
				m.seen[p] = m.gen
				queue = append(queue, int32(p))
			}
		}
	}
	m.queue = queue
	return len(queue)
}

// stamp starts a search over the scratch arrays.
func (m *model) stamp() {
	if m.seen == nil {
		m.seen, m.hop = make([]uint32, len(m.g.Nodes)), make([]int32, len(m.g.Nodes))
	}
	m.gen++
}

// cyclicParts returns the traps left within a set in the model, each
// sorted, ordered by smallest node.
func (m *model) cyclicParts(set []int) [][]int { return m.trapper.Traps(set) }

// link is what holds a node within a trap and can be softened: a hard
// dependency u → to (either phase), or a hard any_of group of u with Need
// alternatives in the trap (group = 1 + its index, to = -1).
type link struct{ from, to, group int }

// linksWithin lists the model's links inside a set, in node order:
// dependencies first, then groups in declaration order.
func (m *model) linksWithin(set []int) []link {
	in := make(map[int]bool, len(set))
	for _, v := range set {
		in[v] = true
	}
	var out []link
	for _, u := range set {
		for _, v := range m.g.GateSuccessors(u) {
			if m.hard(u, v) && in[v] {
				out = append(out, link{u, v, 0})
			}
		}
		for _, gi := range m.g.GroupsOf(u) {
			if m.softGrp[gi] {
				continue
			}
			gr := &m.g.Groups[gi]
			alts := 0
			for _, a := range gr.Members {
				if in[a] {
					alts++
				}
			}
			if alts >= gr.Need {
				out = append(out, link{u, -1, gi + 1})
			}
		}
	}
	return out
}

// bestOf returns the candidate with the largest gain, the first among
// equals; nil when none makes progress.
func (m *model) bestOf(cands []Change) *Change {
	var best *Change
	var bestGain score
	for i := range cands {
		if gain := m.gain(cands[i]); gain.better(bestGain) {
			best, bestGain = &cands[i], gain
		}
	}
	return best
}

// candidates lists the changes worth trying, sorted by kind and node: for
// every blocked procedure, softening each edge of its shortest blocking
// path, and dropping it (when another procedure works) or adding a
// breakglass (when none does); for every trap left in a cycle set,
// softening each link inside it, or only those of its shortest cycle when
// it has more than 64 and all is unset.
func (m *model) candidates(all bool) []Change {
	g := m.g
	var out []Change
	seen := map[[4]int]bool{}
	add := func(c Change) {
		k := [4]int{int(c.Kind), c.from, c.to, c.proc + c.group*len(g.Nodes)}
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	for _, t := range m.nodes {
		v, st := t.v, t.procs
		blocked := 0
		for _, path := range st.blocked {
			if path == nil {
				continue
			}
			blocked++
			for i := 0; i+1 < len(path); i++ {
				add(softenChange(g, path[i], path[i+1]))
			}
		}
		if blocked == 0 {
			continue
		}
		if blocked < st.active {
			for p, path := range st.blocked {
				if path != nil {
					because := []string{g.Nodes[path[0]].ID}
					if startHop(g, path) {
						because = append(because, g.Nodes[path[1]].ID)
					}
					add(Change{Kind: DropProcedure, Node: g.Nodes[v].ID, Procedure: g.Nodes[v].Manifest.Recoveries[p].Name,
						Because: because, Pos: g.Nodes[v].Manifest.Recoveries[p].Pos, from: v, to: -1, proc: p})
				}
			}
		} else {
			if t.down < 0 {
				t.down = m.downCount(v)
			}
			add(breakglassChange(g, v, blockingVia(g, st), t.down-1))
		}
	}
	for _, t := range m.sets {
		for _, part := range t.parts {
			links := m.linksWithin(part)
			if !all && len(links) > 64 {
				links = m.cycleLinks(part, links)
			}
			for _, l := range links {
				if l.group > 0 {
					add(softenGroupChange(g, l.group-1))
				} else {
					add(softenChange(g, l.from, l.to))
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		// A group made soft as a whole is a broader edit than one entry.
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(min(a.group, 1), min(b.group, 1)), cmp.Compare(a.from, b.from),
			cmp.Compare(a.group, b.group), cmp.Compare(a.to, b.to), cmp.Compare(a.proc, b.proc))
	})
	return out
}

// startHop reports whether a blocking path begins with a hop its via node
// needs only to start. A run-time edge on the same node would have given a
// path as short without it, found first; softening either softens both.
func startHop(g *graph.Graph, path []int) bool {
	if len(path) < 2 {
		return false
	}
	_, runtime := g.HardEdge(path[0], path[1])
	return !runtime
}

// blockingVia lists the via nodes that block procedures, sorted.
func blockingVia(g *graph.Graph, st procState) []string {
	var out []string
	for _, path := range st.blocked {
		if path != nil && !slices.Contains(out, g.Nodes[path[0]].ID) {
			out = append(out, g.Nodes[path[0]].ID)
		}
	}
	slices.Sort(out)
	return out
}

// cycleLinks returns the links of a shortest cycle through the smallest
// node of a trap, over its links (a group leads to each alternative in the
// trap); a hop that a dependency and a group both make is softened as the
// dependency.
func (m *model) cycleLinks(part []int, links []link) []link {
	in := map[int]bool{}
	for _, v := range part {
		in[v] = true
	}
	blamed := map[int][]blameEdge{}
	by := map[[2]int]link{}
	for _, l := range links {
		targets := []int{l.to}
		if l.group > 0 {
			targets = slices.DeleteFunc(slices.Clone(m.g.Groups[l.group-1].Members), func(a int) bool { return !in[a] })
		}
		for _, v := range targets {
			if _, ok := by[[2]int{l.from, v}]; !ok {
				by[[2]int{l.from, v}] = l
				blamed[l.from] = append(blamed[l.from], blameEdge{To: v})
			}
		}
	}
	c := shortestCycle(part[0], blamed, in)
	var out []link
	for i := 0; i+1 < len(c); i++ {
		out = append(out, by[[2]int{c[i], c[i+1]}])
	}
	return out
}
