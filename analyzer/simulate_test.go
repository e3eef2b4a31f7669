package analyzer

// A brute-force reading of what-if and plan (SPEC §2 and §4), written from
// the spec text over the manifests alone: every wave recomputes who is up
// from scratch by iterating to a fixed point. The real simulator is
// event-driven; the two must agree on every random set.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// procVia lists, per procedure of u in declaration order, the declared
// nodes of its via (undeclared ones count as up).
func (n *naive) procVia(u string) [][]string {
	var out [][]string
	for _, r := range n.byID[u].Recoveries {
		var via []string
		for _, ref := range r.Via {
			if n.declared(ref.ID()) {
				via = append(via, ref.ID())
			}
		}
		out = append(out, via)
	}
	return out
}

// upFrom grows a set of up nodes: a node joins when it may run and every
// hard dependency, of either phase, is up, until nothing changes. Only down
// nodes join, and a node that went down needs its start-phase dependencies
// to come back.
func (n *naive) upFrom(up map[string]bool, mayRun func(string) bool) {
	for changed := true; changed; {
		changed = false
		for _, v := range n.ids {
			if up[v] || !mayRun(v) {
				continue
			}
			ok := n.groupsHold(v, up)
			for _, d := range n.gateNext(v) {
				ok = ok && up[d]
			}
			if ok {
				up[v] = true
				changed = true
			}
		}
	}
}

// procNeeds lists, per procedure of u in declaration order, every
// declared node it needs up: its via nodes and what each of those needs,
// hard, to start, since using a via node starts it (README, "Redundancy
// and start-time dependencies").
func (n *naive) procNeeds(u string) [][]string {
	out := n.procVia(u)
	for p, via := range out {
		for _, w := range via {
			out[p] = append(out[p], n.startNext(w)...)
		}
	}
	return out
}

// firstUsable is the index of the first procedure of v whose declared via
// nodes, and what they need to start, are all up, or -1.
func (n *naive) firstUsable(v string, up map[string]bool) int {
	for p, via := range n.procNeeds(v) {
		ok := true
		for _, w := range via {
			ok = ok && up[w]
		}
		if ok {
			return p
		}
	}
	return -1
}

// naiveOutcome is what the oracle predicts of a failure.
type naiveOutcome struct {
	Down        []string
	Waves       [][]Repair
	Back        map[string]int
	Unrecovered map[string]string
	// Stranded: node → reason, for the nodes left needing a redeploy;
	// Rebuilt: node → "host, wave" of the rebuild that last asked for its
	// redeploy; Redeployed: node → the last wave it was redeployed in.
	Stranded   map[string]string
	Rebuilt    map[string]string
	Redeployed map[string]int
}

// naiveRebuild is a node brought back, in a wave, by a procedure that
// rebuilds it.
type naiveRebuild struct {
	host string
	wave int
}

// whatIf replays a failure from the spec's text, recomputing everything
// from the history of the waves so far: which failed nodes are repaired,
// which nodes were rebuilt when, and when each node was last deployed
// (repaired or redeployed). A node needs a redeploy when it hard-depends
// at run time, on that node alone, on another node rebuilt in a wave in
// which it was not deployed, after its last deployment, and it is not a
// failed node still waiting for its repair (which deploys it anyway). Such
// a node does not run, whatever its dependencies, and is redeployed like
// a repair: the first procedure whose via nodes are all up. Only repairs
// rebuild: a redeploy puts back what ran there.
func (n *naive) whatIf(failed []string) naiveOutcome {
	isFailed := map[string]bool{}
	for _, f := range failed {
		isFailed[f] = true
	}
	var o naiveOutcome
	o.Back = map[string]int{}
	o.Unrecovered = map[string]string{}
	o.Stranded = map[string]string{}
	o.Rebuilt = map[string]string{}
	o.Redeployed = map[string]int{}
	down := n.downOf(failed)
	for _, v := range n.ids {
		if down[v] {
			o.Down = append(o.Down, v)
		}
	}
	repaired := map[string]int{}  // failed node → the wave it was repaired in
	deploys := map[string][]int{} // node → every wave it was repaired or redeployed in
	var rebuilds []naiveRebuild
	// asks returns the rebuilds that asked v for a redeploy, in order.
	asks := func(v string) []naiveRebuild {
		var out []naiveRebuild
		for _, r := range rebuilds {
			if r.host == v || !slices.Contains(n.hardNext(v), r.host) || slices.Contains(deploys[v], r.wave) {
				continue
			}
			if w, ok := repaired[v]; isFailed[v] && (!ok || w > r.wave) {
				continue // its repair, still to come, deploys it afresh
			}
			out = append(out, r)
		}
		return out
	}
	needsRedeploy := func(v string) bool {
		last := 0
		for _, w := range deploys[v] {
			last = max(last, w)
		}
		for _, r := range asks(v) {
			if r.wave > last {
				return true
			}
		}
		return false
	}
	up := func() map[string]bool {
		u := map[string]bool{}
		for _, v := range n.ids {
			if !slices.Contains(o.Down, v) {
				u[v] = true
			}
		}
		n.upFrom(u, func(v string) bool {
			_, fixed := repaired[v]
			return (!isFailed[v] || fixed) && !needsRedeploy(v)
		})
		return u
	}
	for wave := 1; ; wave++ {
		now := up()
		var rs []Repair
		for _, v := range n.ids {
			_, fixed := repaired[v]
			repair := isFailed[v] && !fixed
			if !repair && !needsRedeploy(v) {
				continue
			}
			if p := n.firstUsable(v, now); p >= 0 {
				r := n.byID[v].Recoveries[p]
				rs = append(rs, Repair{Node: v, Procedure: r.Name, Redeploy: !repair, Rebuilds: repair && r.Rebuilds})
			}
		}
		if len(rs) == 0 {
			break
		}
		for _, r := range rs {
			if r.Redeploy {
				o.Redeployed[r.Node] = wave
			} else {
				repaired[r.Node] = wave
			}
			deploys[r.Node] = append(deploys[r.Node], wave)
			if r.Rebuilds {
				rebuilds = append(rebuilds, naiveRebuild{r.Node, wave})
			}
		}
		o.Waves = append(o.Waves, rs)
		for v := range up() {
			if slices.Contains(o.Down, v) && o.Back[v] == 0 {
				o.Back[v] = wave
			}
		}
	}
	for _, f := range failed {
		if _, fixed := repaired[f]; !fixed {
			o.Unrecovered[f] = ReasonDeadlock
			if len(n.byID[f].Recoveries) == 0 {
				o.Unrecovered[f] = ReasonNoRecovery
			}
		}
	}
	for _, v := range o.Down {
		if a := asks(v); len(a) > 0 {
			// The latest rebuild; in a wave with several, the greatest ID
			// (the simulator goes through a wave in node order).
			last := a[0]
			for _, r := range a[1:] {
				if r.wave > last.wave || r.wave == last.wave && r.host > last.host {
					last = r
				}
			}
			o.Rebuilt[v] = fmt.Sprintf("%s, wave %d", last.host, last.wave)
		}
		if needsRedeploy(v) {
			o.Stranded[v] = ReasonDeadlock
			if len(n.byID[v].Recoveries) == 0 {
				o.Stranded[v] = ReasonNoRecovery
			}
		}
	}
	return o
}

// plan returns the bring-up waves (with procedures) and the nodes never up.
func (n *naive) plan() ([][]BringUp, []string) {
	up := map[string]bool{}
	var waves [][]BringUp
	for {
		var wave []BringUp
		for _, v := range n.ids {
			if up[v] {
				continue
			}
			ok := n.groupsHold(v, up)
			for _, d := range n.gateNext(v) {
				ok = ok && up[d]
			}
			b := BringUp{Node: v}
			if len(n.byID[v].Recoveries) > 0 {
				p := n.firstUsable(v, up)
				ok = ok && p >= 0
				if p >= 0 {
					b.Procedure = n.byID[v].Recoveries[p].Name
				}
			}
			if ok {
				wave = append(wave, b)
			}
		}
		if len(wave) == 0 {
			break
		}
		for _, b := range wave {
			up[b.Node] = true
		}
		waves = append(waves, wave)
	}
	var never []string
	for _, v := range n.ids {
		if !up[v] {
			never = append(never, v)
		}
	}
	return waves, never
}

// failureSets picks the failures to try on one manifest set: every node
// alone, and a few random pairs and triples.
func failureSets(ids []string, r *rand.Rand) [][]string {
	var out [][]string
	for _, v := range ids {
		out = append(out, []string{v})
	}
	for range 6 {
		k := 2 + r.IntN(2)
		if k > len(ids) {
			break
		}
		pick := map[string]bool{}
		for len(pick) < k {
			pick[ids[r.IntN(len(ids))]] = true
		}
		set := make([]string, 0, k)
		for v := range pick {
			set = append(set, v)
		}
		slices.Sort(set)
		out = append(out, set)
	}
	return out
}

// downOf is down(F) by the definition iterated to a fixed point: a node is
// down when it failed, when a hard run-time dependency on one node is down,
// or when a hard run-time any_of group has fewer than its quorum up.
func (n *naive) downOf(failed []string) map[string]bool {
	down := map[string]bool{}
	for _, f := range failed {
		down[f] = true
	}
	for changed := true; changed; {
		changed = false
		for _, v := range n.ids {
			if down[v] {
				continue
			}
			fails := false
			for _, d := range n.hardNext(v) {
				fails = fails || down[d]
			}
			for _, d := range n.byID[v].Dependencies {
				if d.AnyOf != nil && d.Mode == manifest.Hard && d.Phase != manifest.PhaseStart {
					fails = fails || n.upAlternatives(d, func(id string) bool { return !down[id] }) < d.Quorum
				}
			}
			if fails {
				down[v], changed = true, true
			}
		}
	}
	return down
}

// upAlternatives counts the alternatives of d that are up; undeclared ones
// always are.
func (n *naive) upAlternatives(d manifest.Dependency, up func(string) bool) int {
	k := 0
	for _, a := range d.AnyOf {
		if !n.declared(a.ID()) || up(a.ID()) {
			k++
		}
	}
	return k
}

// groupsHold reports whether every hard any_of group of v, of either phase,
// has its quorum up.
func (n *naive) groupsHold(v string, up map[string]bool) bool {
	for _, d := range n.byID[v].Dependencies {
		if d.AnyOf != nil && d.Mode == manifest.Hard && n.upAlternatives(d, func(id string) bool { return up[id] }) < d.Quorum {
			return false
		}
	}
	return true
}

// groupMember reports whether w is an alternative of a hard any_of group
// of v.
func (n *naive) groupMember(v, w string) bool {
	for _, d := range n.byID[v].Dependencies {
		if d.AnyOf != nil && d.Mode == manifest.Hard && slices.ContainsFunc(d.AnyOf, func(r manifest.Ref) bool { return r.ID() == w }) {
			return true
		}
	}
	return false
}

// simSets are the naive sets for the what-if and plan comparisons, on
// copies since the rule comparison reads the originals: the odd seeds get
// any_of groups, so that alternatives, quorums and groups that hold their
// node back are compared too, and the seeds that are not multiples of 4
// get procedures that rebuild their node, so that redeploys are.
func simSets(t *testing.T) [][]*manifest.Manifest {
	sets := naiveLoadAll(t)
	out := make([][]*manifest.Manifest, len(sets))
	for seed, ms := range sets {
		out[seed] = ms
		if seed%2 == 1 {
			out[seed] = withAnyOf(out[seed], rand.New(rand.NewPCG(uint64(seed), 9)))
		}
		if seed%4 != 0 {
			out[seed] = withRebuilds(out[seed], rand.New(rand.NewPCG(uint64(seed), 11)))
		}
	}
	return out
}

// withRebuilds copies ms, marking about one procedure in two as one that
// rebuilds its node, and giving about one node in three, among those that
// hard-depend on another, a procedure of its own to be redeployed with
// when it has none, through a random node.
func withRebuilds(ms []*manifest.Manifest, r *rand.Rand) []*manifest.Manifest {
	out := make([]*manifest.Manifest, len(ms))
	for i, m := range ms {
		c := *m
		c.Recoveries = slices.Clone(m.Recoveries)
		out[i] = &c
		for j := range c.Recoveries {
			c.Recoveries[j].Rebuilds = r.IntN(2) == 0
		}
		hosted := slices.ContainsFunc(c.Dependencies, func(d manifest.Dependency) bool { return d.AnyOf == nil && d.Mode == manifest.Hard })
		if hosted && len(c.Recoveries) == 0 && r.IntN(3) == 0 {
			via := ms[r.IntN(len(ms))].Service
			c.Recoveries = append(c.Recoveries, manifest.Recovery{Name: "redeploy", Via: []manifest.Ref{{Name: via.Name, Env: via.Env}},
				Rebuilds: r.IntN(4) == 0})
		}
	}
	return out
}

// withAnyOf copies ms, merging two single hard dependencies of about one
// node in three into an any_of group with a random quorum.
func withAnyOf(ms []*manifest.Manifest, r *rand.Rand) []*manifest.Manifest {
	out := make([]*manifest.Manifest, len(ms))
	for i, m := range ms {
		c := *m
		c.Dependencies = slices.Clone(m.Dependencies)
		out[i] = &c
		var single []int
		for j, d := range c.Dependencies {
			if d.AnyOf == nil && d.Mode == manifest.Hard {
				single = append(single, j)
			}
		}
		if len(single) < 2 || r.IntN(3) != 0 {
			continue
		}
		a, b := c.Dependencies[single[0]], c.Dependencies[single[1]]
		if a.On.ID() == b.On.ID() {
			continue
		}
		group := a
		group.On, group.AnyOf, group.Quorum = manifest.Ref{}, []manifest.Ref{a.On, b.On}, 1+r.IntN(2)
		c.Dependencies = slices.Delete(c.Dependencies, single[1], single[1]+1)
		c.Dependencies[single[0]] = group
	}
	return out
}

func TestSimulateAgainstNaive(t *testing.T) {
	deadlocks, waves, redeploys, stranded, late := 0, 0, 0, 0, 0
	for seed, ms := range simSets(t) {
		n := newNaive(ms)
		g := graph.Build(ms)
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		for _, failed := range failureSets(n.ids, r) {
			want := n.whatIf(failed)
			idx := make([]int, len(failed))
			for i, f := range failed {
				idx[i], _ = g.Lookup(f)
			}
			got := Simulate(g, idx)
			if msg := compareWhatIf(n, failed, want, got); msg != "" {
				t.Fatalf("seed %d, --fail %v:\n%s", seed, failed, msg)
			}
			if len(got.Unrecovered) > 0 {
				deadlocks++
			}
			waves = max(waves, len(got.Waves))
			stranded += len(got.Stranded)
			for i, wave := range got.Waves {
				for _, r := range wave {
					if r.Redeploy {
						redeploys++
						if i > 1 {
							late++ // a redeploy that waited beyond the wave after the rebuild, or followed another
						}
					}
				}
			}
		}
	}
	// The comparison is only worth something if the sets exercise it.
	if deadlocks < 100 || waves < 2 || redeploys < 300 || stranded < 300 || late < 10 {
		t.Fatalf("generator too tame: %d failures with unrecovered nodes, at most %d waves, %d redeploys (%d after wave 2), %d stranded nodes",
			deadlocks, waves, redeploys, late, stranded)
	}
}

func compareWhatIf(n *naive, failed []string, want naiveOutcome, got *WhatIf) string {
	var down []string
	back := map[string]int{}
	for _, d := range got.Down {
		down = append(down, d.Node)
		if d.Back > 0 {
			back[d.Node] = d.Back
		}
		if err := n.checkHardPath(d.Why, failed); err != nil {
			return fmt.Sprintf("why %s: %v", d.Node, err)
		}
	}
	if diff := cmp.Diff(want.Down, down); diff != "" {
		return "down (-want +got):\n" + diff
	}
	if diff := cmp.Diff(want.Waves, got.Waves); diff != "" {
		return "waves (-want +got):\n" + diff
	}
	if diff := cmp.Diff(want.Back, back); diff != "" {
		return "back (-want +got):\n" + diff
	}
	unrecovered := map[string]string{}
	for _, u := range got.Unrecovered {
		unrecovered[u.Node] = u.Reason
	}
	for _, u := range got.Unrecovered {
		if u.Reason == ReasonDeadlock && len(u.Blocked) != len(n.byID[u.Node].Recoveries) {
			return fmt.Sprintf("%s: %d blocked procedures shown, %d declared", u.Node, len(u.Blocked), len(n.byID[u.Node].Recoveries))
		}
		for _, b := range u.Blocked {
			if err := n.checkStuckWitness(b.Witness, back, unrecovered, got); err != nil {
				return fmt.Sprintf("%s blocked %s: %v", u.Node, b.Procedure, err)
			}
		}
	}
	if diff := cmp.Diff(want.Unrecovered, unrecovered); diff != "" {
		return "unrecovered (-want +got):\n" + diff
	}
	stranded := map[string]string{}
	for _, st := range got.Stranded {
		stranded[st.Node] = st.Reason
		if want.Rebuilt[st.Node] != fmt.Sprintf("%s, wave %d", st.Rebuilt, st.Wave) {
			return fmt.Sprintf("stranded %s: rebuilt by %s in wave %d, want %s", st.Node, st.Rebuilt, st.Wave, want.Rebuilt[st.Node])
		}
		if st.Reason == ReasonDeadlock && len(st.Blocked) != len(n.byID[st.Node].Recoveries) {
			return fmt.Sprintf("stranded %s: %d blocked procedures shown, %d declared", st.Node, len(st.Blocked), len(n.byID[st.Node].Recoveries))
		}
		for _, b := range st.Blocked {
			if err := n.checkStuckWitness(b.Witness, back, unrecovered, got); err != nil {
				return fmt.Sprintf("stranded %s blocked %s: %v", st.Node, b.Procedure, err)
			}
		}
	}
	if diff := cmp.Diff(want.Stranded, stranded); diff != "" {
		return "stranded (-want +got):\n" + diff
	}
	rebuilt, redeployed := map[string]string{}, map[string]int{}
	for _, d := range got.Down {
		if d.Rebuilt != "" {
			rebuilt[d.Node] = d.Rebuilt
		}
		if d.Redeployed > 0 {
			redeployed[d.Node] = d.Redeployed
		}
	}
	wantRebuilt := map[string]string{}
	for v, r := range want.Rebuilt {
		wantRebuilt[v] = strings.Split(r, ", ")[0]
	}
	if diff := cmp.Diff(wantRebuilt, rebuilt); diff != "" {
		return "rebuilt (-want +got):\n" + diff
	}
	if diff := cmp.Diff(want.Redeployed, redeployed); diff != "" {
		return "redeployed (-want +got):\n" + diff
	}
	return ""
}

// checkHardPath checks a why path: hard dependency hops, ending at a failed
// node, as short as any; or, where a hop carries alternatives, a path to a
// node whose any_of group fails, each alternative's own why path valid.
func (n *naive) checkHardPath(hops []rules.Hop, failed []string) error {
	last := hops[len(hops)-1]
	for i := 1; i < len(hops); i++ {
		if !slices.Contains(n.hardNext(hops[i-1].Node), hops[i].Node) {
			return fmt.Errorf("%s -> %s is no hard dependency", hops[i-1].Node, hops[i].Node)
		}
	}
	if len(last.Alternatives) > 0 {
		for _, a := range last.Alternatives {
			if !n.groupMember(last.Node, a[0].Node) {
				return fmt.Errorf("%s is no alternative of %s", a[0].Node, last.Node)
			}
			if err := n.checkHardPath(a, failed); err != nil {
				return err
			}
		}
		return nil
	}
	if !slices.Contains(failed, last.Node) {
		return fmt.Errorf("ends at %s, which did not fail", last.Node)
	}
	best := 0
	for _, f := range failed {
		if l := n.hardPathLen(hops[0].Node, f); l > 0 && (best == 0 || l < best) {
			best = l
		}
	}
	if len(hops) != best {
		return fmt.Errorf("%d nodes long, shortest is %d", len(hops), best)
	}
	return nil
}

// checkStuckWitness checks a blocked procedure's witness: a via hop, then
// hard dependencies between nodes that stay down, ending at an unrepaired
// failed node, at a node that needs a redeploy it never gets, or closing a
// cycle. The via node may be up when the next hop is one it needs to start
// (labelled "kind, start"): it could not start again.
func (n *naive) checkStuckWitness(hops []rules.Hop, back map[string]int, unrecovered map[string]string, got *WhatIf) error {
	if len(hops) < 2 {
		return fmt.Errorf("too short: %v", hops)
	}
	stays := func(v string) bool {
		return back[v] == 0 && slices.ContainsFunc(got.Down, func(d DownNode) bool { return d.Node == v })
	}
	if !slices.ContainsFunc(n.procVia(hops[0].Node), func(via []string) bool { return slices.Contains(via, hops[1].Node) }) {
		return fmt.Errorf("%s is no via node of %s", hops[1].Node, hops[0].Node)
	}
	startHop := len(hops) > 2 && strings.HasSuffix(hops[2].Label, ", start")
	if startHop && !n.startEdge(hops[1].Node, hops[2].Node, strings.TrimSuffix(hops[2].Label, ", start")) {
		return fmt.Errorf("%s -[%s]-> %s is no hard start-phase dependency", hops[1].Node, hops[2].Label, hops[2].Node)
	}
	for i := 1; i < len(hops); i++ {
		if !stays(hops[i].Node) && !(i == 1 && startHop) {
			return fmt.Errorf("%s comes back", hops[i].Node)
		}
		if i > 1 && !slices.Contains(n.gateNext(hops[i-1].Node), hops[i].Node) && !n.groupMember(hops[i-1].Node, hops[i].Node) {
			return fmt.Errorf("%s -> %s is no hard dependency", hops[i-1].Node, hops[i].Node)
		}
	}
	last := hops[len(hops)-1].Node
	closes := slices.ContainsFunc(hops[1:len(hops)-1], func(h rules.Hop) bool { return h.Node == last })
	_, root := unrecovered[last]
	root = root || slices.ContainsFunc(got.Stranded, func(st Stranded) bool { return st.Node == last })
	if !root && !closes && last != hops[0].Node {
		return fmt.Errorf("ends at %s: neither an unrepaired failed node, a stranded node nor a cycle", last)
	}
	return nil
}

func TestColdStartAgainstNaive(t *testing.T) {
	stuckSets := 0
	for seed, ms := range simSets(t) {
		n := newNaive(ms)
		g := graph.Build(ms)
		wantWaves, wantNever := n.plan()
		got := ColdStart(g)
		if diff := cmp.Diff(wantWaves, got.Waves); diff != "" {
			t.Fatalf("seed %d: waves (-want +got):\n%s", seed, diff)
		}
		var never []string
		for _, s := range got.Never {
			never = append(never, s.Node)
			if err := n.checkPlanWitness(s.Witness, wantNever); err != nil {
				t.Fatalf("seed %d: never %s: %v", seed, s.Node, err)
			}
		}
		if diff := cmp.Diff(wantNever, never); diff != "" {
			t.Fatalf("seed %d: never (-want +got):\n%s", seed, diff)
		}
		if len(never) > 0 {
			stuckSets++
			if got.Release != nil {
				// The count is the claim: apply the change and count again.
				_, after := newNaive(applyChanges(ms, []Change{got.Release.Change})).plan()
				if len(never)-len(after) != got.Release.Nodes {
					t.Fatalf("seed %d: %s claims %d released, applying it releases %d", seed, got.Release.Change, got.Release.Nodes, len(never)-len(after))
				}
			}
		}
	}
	if stuckSets < 100 {
		t.Fatalf("generator too tame: only %d sets have nodes that never come up", stuckSets)
	}
}

// checkPlanWitness checks a never-up witness: each hop a hard dependency
// or a via entry between nodes that never come up, ending by closing a
// cycle.
func (n *naive) checkPlanWitness(hops []rules.Hop, never []string) error {
	for i, h := range hops {
		if !slices.Contains(never, h.Node) {
			return fmt.Errorf("%s comes up", h.Node)
		}
		if i == 0 {
			continue
		}
		from := hops[i-1].Node
		ok := slices.Contains(n.gateNext(from), h.Node) || n.groupMember(from, h.Node)
		for _, via := range n.procVia(from) {
			ok = ok || slices.Contains(via, h.Node)
		}
		if !ok {
			return fmt.Errorf("%s -> %s is no edge", from, h.Node)
		}
	}
	last := hops[len(hops)-1].Node
	if len(hops) < 2 || !slices.ContainsFunc(hops[:len(hops)-1], func(h rules.Hop) bool { return h.Node == last }) {
		return fmt.Errorf("does not close a cycle: %v", hops)
	}
	return nil
}

func TestEachFailureAgainstSimulate(t *testing.T) {
	rebuilt := 0
	for seed, ms := range simSets(t)[:100] {
		n := newNaive(ms)
		g := graph.Build(ms)
		rows := EachFailure(g, rules.ComputeFacts(g))
		if len(rows) != len(n.ids) {
			t.Fatalf("seed %d: %d rows for %d nodes", seed, len(rows), len(n.ids))
		}
		for i, row := range rows {
			want := n.whatIf([]string{row.Node})
			reason := want.Unrecovered[row.Node]
			if row.Down != len(want.Down) || row.Reason != reason {
				t.Fatalf("seed %d: %s: got down %d, reason %q; want %d, %q", seed, row.Node, row.Down, row.Reason, len(want.Down), reason)
			}
			if reason == "" && row.Procedure != want.Waves[0][0].Procedure {
				t.Fatalf("seed %d: %s: procedure %q, want %q", seed, row.Node, row.Procedure, want.Waves[0][0].Procedure)
			}
			redeploys := 0
			for _, wave := range want.Waves {
				for _, r := range wave {
					if r.Redeploy {
						redeploys++
					}
				}
			}
			rebuilds := reason == "" && want.Waves[0][0].Rebuilds
			if row.Rebuilds != rebuilds || row.Redeploys != redeploys || row.Stranded != len(want.Stranded) {
				t.Fatalf("seed %d: %s: rebuilds %v, %d redeploys, %d stranded; want %v, %d, %d", seed, row.Node,
					row.Rebuilds, row.Redeploys, row.Stranded, rebuilds, redeploys, len(want.Stranded))
			}
			if rebuilds && len(want.Down) > 1 {
				rebuilt++
			}
			if i > 0 && rows[i-1].Down < row.Down {
				t.Fatalf("seed %d: not ranked by down count at row %d", seed, i)
			}
		}
	}
	if rebuilt < 50 {
		t.Fatalf("generator too tame: %d rebuilds of a node with dependents", rebuilt)
	}
}

// applyChanges returns a copy of the manifests with the changes made, as
// a person following the suggestions would: soften every hard entry of the
// dependency, drop the procedure, or add a standalone breakglass tool and
// a drilled procedure through it.
func applyChanges(ms []*manifest.Manifest, cs []Change) []*manifest.Manifest {
	out := make([]*manifest.Manifest, len(ms))
	byID := map[string]*manifest.Manifest{}
	for i, m := range ms {
		c := *m
		c.Dependencies = slices.Clone(m.Dependencies)
		c.Recoveries = slices.Clone(m.Recoveries)
		out[i] = &c
		byID[c.ID()] = &c
	}
	for k, c := range cs {
		m := byID[c.Node]
		switch c.Kind {
		case Soften:
			for i := range m.Dependencies {
				d := &m.Dependencies[i]
				if c.AnyOf == nil && d.AnyOf == nil && d.On.ID() == c.On || c.AnyOf != nil && d.AnyOf != nil && declaredAlts(d.AnyOf, byID) == strings.Join(c.AnyOf, " ") {
					d.Mode = manifest.Soft
				}
			}
		case DropProcedure:
			m.Recoveries = slices.DeleteFunc(m.Recoveries, func(r manifest.Recovery) bool { return r.Name == c.Procedure })
		case AddBreakglass:
			tool := &manifest.Manifest{File: "breakglass.toml", Service: manifest.Service{
				Name: fmt.Sprintf("breakglass-tool-%d", k), Env: m.Service.Env, Kind: manifest.KindTool}}
			out = append(out, tool)
			m.Recoveries = append(m.Recoveries, manifest.Recovery{Name: fmt.Sprintf("breakglass-%d", k),
				Via: []manifest.Ref{{Name: tool.Service.Name}}, Breakglass: true})
		}
	}
	return out
}

// declaredAlts spells an any_of group's declared alternatives, sorted, as
// a Change lists them.
func declaredAlts(refs []manifest.Ref, byID map[string]*manifest.Manifest) string {
	var ids []string
	for _, r := range refs {
		if byID[r.ID()] != nil {
			ids = append(ids, r.ID())
		}
	}
	slices.Sort(ids)
	return strings.Join(ids, " ")
}

// TestSimulationComparisonCanFail keeps the oracle comparisons honest: a
// result with a wave, a procedure, a return or a path changed must be
// caught.
func TestSimulationComparisonCanFail(t *testing.T) {
	ms := loadExample(t, "cloudflare-2023-fixed")
	n, g := newNaive(ms), graph.Build(ms)
	kv, _ := g.Lookup("workers-kv@production")
	failed := []string{"workers-kv@production"}
	want := n.whatIf(failed)
	if msg := compareWhatIf(n, failed, want, Simulate(g, []int{kv})); msg != "" {
		t.Fatalf("the true result differs: %s", msg)
	}
	for name, tamper := range map[string]func(*WhatIf){
		"procedure": func(w *WhatIf) { w.Waves[0][0].Procedure = "breakglass-route-revert" },
		"late wave": func(w *WhatIf) { w.Waves = append([][]Repair{nil}, w.Waves...) },
		"back":      func(w *WhatIf) { w.Down[0].Back = 2 },
		"long why":  func(w *WhatIf) { w.Down[0].Why = append([]rules.Hop{w.Down[0].Why[0]}, w.Down[0].Why...) },
		"lost node": func(w *WhatIf) { w.Down = w.Down[1:] },
	} {
		got := Simulate(g, []int{kv})
		tamper(got)
		if compareWhatIf(n, failed, want, got) == "" {
			t.Errorf("%s: a tampered result passed", name)
		}
	}
}
