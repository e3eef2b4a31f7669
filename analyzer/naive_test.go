package analyzer

// This file is an oracle: a brute-force reading of SPEC §2–3, written from the
// spec text alone and sharing no code with graph or rules. It walks the
// manifests directly, one breadth-first search per question, with no
// indexes, no SCC algorithm and no memoisation; it is slow and meant to be
// obviously right. TestAgainstNaive runs it and the real analyzer over
// hundreds of synthetic sets and demands the same findings.

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// naiveSeeds is how many Small presets the oracle is compared on.
const naiveSeeds = 500

// naiveEnvOrder is the default env order of SPEC §2.
var naiveEnvOrder = []string{"production", "staging", "development"}

// naiveSeverity is the severity column of the SPEC §3 table.
var naiveSeverity = map[string]rules.Severity{
	"recovery-cycle":         rules.Error,
	"partial-recovery-cycle": rules.Warning,
	"dependency-cycle":       rules.Error,
	"env-crossing":           rules.Error,
	"unknown-service":        rules.Error,
	"tier-inversion":         rules.Warning,
	"blind-spot":             rules.Warning,
	"missing-recovery":       rules.Warning,
	"stale-breakglass":       rules.Warning,
	"blast-radius":           rules.Info,
}

// Default parameters of SPEC §3.
const (
	naiveMinDependents = 3
	naiveThreshold     = 0.25
	naiveMaxAgeDays    = 90
)

// naiveFinding is what the oracle expects of one finding.
type naiveFinding struct {
	Rule string
	Node string
	Len  int    // nodes in the witness
	End  string // last witness node of per-entry rules ([referrer, target]); "" for the others
	// Shape says which case of the rule this is (which entry caused it,
	// self-loop or longer path…). It is not compared: the coverage test
	// uses it to check that the generator exercises every case.
	Shape string
}

// naive holds the manifests by ID; every question is answered by a fresh
// search over them.
type naive struct {
	byID map[string]*manifest.Manifest
	ids  []string // sorted byte-wise

	trapSets [][]string // traps(), once computed
}

func newNaive(ms []*manifest.Manifest) *naive {
	n := &naive{byID: map[string]*manifest.Manifest{}}
	for _, m := range ms {
		id := m.Service.Name + "@" + m.Service.Env
		n.byID[id] = m
		n.ids = append(n.ids, id)
	}
	slices.Sort(n.ids)
	return n
}

func (n *naive) declared(id string) bool { return n.byID[id] != nil }

// hardNext lists the declared targets of u's hard run-time dependencies,
// the ones that carry failure. References to undeclared nodes make no edge
// (SPEC §1).
func (n *naive) hardNext(u string) []string { return n.next(u, false) }

// gateNext lists the declared targets of u's hard dependencies of either
// phase: what u needs to come (back) up.
func (n *naive) gateNext(u string) []string { return n.next(u, true) }

// startNext lists the declared targets of u's hard start-phase
// dependencies on single nodes: what u needs only to (re)start. Using a
// node as a procedure's via starts it, so a procedure needs these of each
// of its via nodes too.
func (n *naive) startNext(u string) []string {
	var out []string
	for _, d := range n.byID[u].Dependencies {
		if d.AnyOf == nil && d.Mode == manifest.Hard && d.Phase == manifest.PhaseStart && n.declared(d.On.ID()) {
			out = append(out, d.On.ID())
		}
	}
	return out
}

func (n *naive) next(u string, start bool) []string {
	var out []string
	for _, d := range n.byID[u].Dependencies {
		if d.Mode == manifest.Hard && (start || d.Phase != manifest.PhaseStart) && n.declared(d.On.ID()) {
			out = append(out, d.On.ID())
		}
	}
	return out
}

// hardPathLen is the number of nodes on a shortest path of hard dependency
// edges from u to v: 1 when u == v, 0 when there is none.
func (n *naive) hardPathLen(u, v string) int {
	if u == v {
		return 1
	}
	dist := map[string]int{u: 1}
	queue := []string{u}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range n.hardNext(x) {
			if _, seen := dist[y]; seen {
				continue
			}
			dist[y] = dist[x] + 1
			if y == v {
				return dist[y]
			}
			queue = append(queue, y)
		}
	}
	return 0
}

// inDown reports whether v is in down({s}): v is s, or has a path of hard
// dependency edges into s (SPEC §2).
func (n *naive) inDown(v, s string) bool { return n.declared(v) && n.hardPathLen(v, s) > 0 }

// downCount is |down({s})|.
func (n *naive) downCount(s string) int {
	c := 0
	for _, v := range n.ids {
		if n.inDown(v, s) {
			c++
		}
	}
	return c
}

func (n *naive) rank(env string) int {
	if i := slices.Index(naiveEnvOrder, env); i >= 0 {
		return i
	}
	return len(naiveEnvOrder) // every unlisted env shares the rank below the last
}

// hasHardSelfEdge reports whether u hard-depends on itself.
func (n *naive) hasHardSelfEdge(u string) bool { return slices.Contains(n.hardNext(u), u) }

// holds reports whether u needs v, hard, to come back up while the nodes
// of set are down: a dependency of either phase on v, or an any_of group
// naming v with enough declared alternatives in set that it fails.
func (n *naive) holds(set []string, u, v string) bool {
	return n.holdLabel(set, u, v) != ""
}

// holdLabel is the witness label of the hop u → v that holds u within set,
// or "": the kind of a run-time hard dependency, else "kind, start" for a
// start-phase one, else "kind, any of" for a group.
func (n *naive) holdLabel(set []string, u, v string) string {
	if !slices.Contains(set, v) {
		return ""
	}
	var start, group string
	for _, d := range n.byID[u].Dependencies {
		if d.Mode != manifest.Hard {
			continue
		}
		if d.AnyOf == nil {
			switch {
			case d.On.ID() != v:
			case d.Phase != manifest.PhaseStart:
				return string(d.Kind)
			case start == "":
				start = string(d.Kind) + ", start"
			}
			continue
		}
		if group == "" && n.groupFails(set, d) && slices.ContainsFunc(d.AnyOf, func(r manifest.Ref) bool { return r.ID() == v }) {
			group = string(d.Kind) + ", any of"
		}
	}
	if start != "" {
		return start
	}
	return group
}

// groupFails reports whether the any_of group d fails while the nodes of
// set are down: more than len(any_of) − quorum of its alternatives are
// declared and in set (an undeclared one counts as up).
func (n *naive) groupFails(set []string, d manifest.Dependency) bool {
	down := 0
	for _, a := range d.AnyOf {
		if n.declared(a.ID()) && slices.Contains(set, a.ID()) {
			down++
		}
	}
	return down > len(d.AnyOf)-d.Quorum
}

// holdPathLen is the number of hops on a shortest path from u to v over
// the edges that hold within set, at least one: 0 when there is none.
func (n *naive) holdPathLen(set []string, u, v string) int {
	dist := map[string]int{u: 0}
	queue := []string{u}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range set {
			if !n.holds(set, x, y) {
				continue
			}
			if y == v {
				return dist[x] + 1
			}
			if _, seen := dist[y]; !seen {
				dist[y] = dist[x] + 1
				queue = append(queue, y)
			}
		}
	}
	return 0
}

// traps reads the definition off the manifests: within a candidate
// (first, every node), drop one at a time any node that nothing left
// holds; split what is left into sets that reach each other over the
// edges that hold within it, with a cycle. A set that is its whole
// candidate is a trap; any other is a new candidate, since a set held down
// only in part by another trap comes up once that one is broken.
func (n *naive) traps() [][]string {
	if n.trapSets != nil {
		return n.trapSets
	}
	out := [][]string{}
	defer func() { n.trapSets = out }()
	for work := [][]string{n.ids}; len(work) > 0; {
		cand := work[len(work)-1]
		work = work[:len(work)-1]
		left := slices.Clone(cand)
		for changed := true; changed; {
			changed = false
			for i, u := range left {
				if !slices.ContainsFunc(left, func(v string) bool { return n.holds(left, u, v) }) {
					left = slices.Delete(left, i, i+1)
					changed = true
					break
				}
			}
		}
		done := map[string]bool{}
		for _, u := range left {
			if done[u] || n.holdPathLen(left, u, u) == 0 {
				continue
			}
			var set []string
			for _, v := range left {
				if v == u || n.holdPathLen(left, u, v) > 0 && n.holdPathLen(left, v, u) > 0 {
					set = append(set, v)
					done[v] = true
				}
			}
			if len(set) == len(cand) {
				out = append(out, set)
			} else {
				work = append(work, set)
			}
		}
	}
	return out
}

// isRunCycle reports whether set is exactly a strongly connected set of
// hard run-time edges that holds a cycle.
func (n *naive) isRunCycle(set []string) bool {
	u := set[0]
	if len(set) == 1 {
		return n.hasHardSelfEdge(u)
	}
	var scc []string
	for _, v := range n.ids {
		if n.hardPathLen(u, v) > 0 && n.hardPathLen(v, u) > 0 {
			scc = append(scc, v)
		}
	}
	return slices.Equal(scc, set)
}

// closesOnlyByGroup reports whether set needs a group: without group
// edges, no cycle through its smallest node is left.
func (n *naive) closesOnlyByGroup(set []string) bool {
	m := slices.Min(set)
	dist := map[string]bool{m: true}
	queue := []string{m}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range set {
			if l := n.holdLabel(set, x, y); l == "" || strings.HasSuffix(l, ", any of") {
				continue
			}
			if y == m {
				return false
			}
			if !dist[y] {
				dist[y] = true
				queue = append(queue, y)
			}
		}
	}
	return true
}

// naiveRef is one reference written by a node, with the kind of entry it
// sits in.
type naiveRef struct {
	entry string // "dependency", "via" or "monitored_by"
	ref   manifest.Ref
	hard  bool // a hard dependency
}

func (n *naive) references(s string) []naiveRef {
	m := n.byID[s]
	var out []naiveRef
	for _, d := range m.Dependencies {
		if d.AnyOf != nil { // each alternative is a reference; none alone carries failure
			for _, a := range d.AnyOf {
				out = append(out, naiveRef{"dependency", a, false})
			}
			continue
		}
		out = append(out, naiveRef{"dependency", d.On, d.Mode == manifest.Hard && d.Phase != manifest.PhaseStart})
	}
	for _, p := range m.Recoveries {
		for _, v := range p.Via {
			out = append(out, naiveRef{"via", v, false})
		}
	}
	for _, r := range m.Service.MonitoredBy {
		out = append(out, naiveRef{"monitored_by", r, false})
	}
	return out
}

// naiveFindings computes the findings SPEC §3 demands of ms with default
// configuration.
func naiveFindings(ms []*manifest.Manifest, now time.Time) []naiveFinding {
	n := newNaive(ms)
	var out []naiveFinding
	add := func(rule, node string, length int, end, shape string) {
		out = append(out, naiveFinding{Rule: rule, Node: node, Len: length, End: end, Shape: shape})
	}
	for _, s := range n.ids {
		m := n.byID[s]

		// recovery-cycle / partial-recovery-cycle: a procedure is blocked
		// when one of its via nodes is in down({S}), or needs, hard, to
		// start a node that is (README, "Redundancy and start-time
		// dependencies"). Witness [S, v, …, S] or [S, v, w, …, S] with w a
		// start-phase dependency of v, shortest over blocked procedures,
		// their via nodes and the start dependencies of those.
		blocked, best, bestStart := 0, 0, false
		for _, p := range m.Recoveries {
			isBlocked := false
			for _, v := range p.Via {
				if !n.declared(v.ID()) {
					continue
				}
				if n.inDown(v.ID(), s) {
					isBlocked = true
					if l := 1 + n.hardPathLen(v.ID(), s); best == 0 || l < best {
						best, bestStart = l, false
					}
				}
				for _, w := range n.startNext(v.ID()) {
					if n.inDown(w, s) {
						isBlocked = true
						if l := 2 + n.hardPathLen(w, s); best == 0 || l < best {
							best, bestStart = l, true
						}
					}
				}
			}
			if isBlocked {
				blocked++
			}
		}
		shape := "through others"
		switch {
		case bestStart:
			shape = "through a start-phase dependency of the via node"
		case best == 2:
			shape = "via itself"
		}
		switch {
		case len(m.Recoveries) > 0 && blocked == len(m.Recoveries):
			add("recovery-cycle", s, best, "", shape)
		case blocked > 0:
			add("partial-recovery-cycle", s, best, "", shape)
		}

		// env-crossing and unknown-service: once per written reference.
		for _, r := range n.references(s) {
			t := r.ref.ID()
			if !n.declared(t) {
				add("unknown-service", s, 2, t, r.entry)
				continue
			}
			if n.rank(m.Service.Env) < n.rank(n.byID[t].Service.Env) {
				shape := r.entry
				if n.rank(n.byID[t].Service.Env) == len(naiveEnvOrder) {
					shape += " into an unlisted env"
				}
				add("env-crossing", s, 2, t, shape)
			}
		}

		// tier-inversion: once per direct hard dependency entry on a
		// declared node of a less critical tier, both tiers declared.
		for _, r := range n.references(s) {
			t := r.ref.ID()
			if r.entry == "dependency" && r.hard && n.declared(t) {
				ts := n.byID[t].Service
				if m.Service.HasTier && ts.HasTier && ts.Tier > m.Service.Tier {
					add("tier-inversion", s, 2, t, "")
				}
			}
		}

		// blind-spot: a monitor of S in down({S}); witness [S, M, …, S].
		best = 0
		for _, r := range m.Service.MonitoredBy {
			if n.inDown(r.ID(), s) {
				if l := 1 + n.hardPathLen(r.ID(), s); best == 0 || l < best {
					best = l
				}
			}
		}
		if best > 0 {
			shape := "through others"
			if best == 2 {
				shape = "monitors itself"
			}
			add("blind-spot", s, best, "", shape)
		}

		// missing-recovery.
		if m.Service.HasTier && m.Service.Tier <= 1 &&
			m.Service.Kind != manifest.KindExternal && m.Service.Kind != manifest.KindHuman &&
			len(m.Recoveries) == 0 {
			add("missing-recovery", s, 1, "", "")
		}

		// stale-breakglass: once per breakglass procedure never drilled or
		// drilled more than max_age_days before now.
		for _, p := range m.Recoveries {
			if !p.Breakglass {
				continue
			}
			switch {
			case p.Tested.IsZero():
				add("stale-breakglass", s, 1, "", "never drilled")
			case now.Sub(p.Tested) > naiveMaxAgeDays*24*time.Hour:
				shape := "drilled long ago"
				if now.Sub(p.Tested) == (naiveMaxAgeDays+1)*24*time.Hour {
					shape = "drilled 91 days ago"
				}
				add("stale-breakglass", s, 1, "", shape)
			}
		}

		// blast-radius: count = |down({S})| − 1 other nodes.
		count := n.downCount(s) - 1
		if count >= naiveMinDependents && float64(count) >= naiveThreshold*float64(len(n.ids)-1) {
			add("blast-radius", s, 1, "", "")
		}
	}

	// dependency-cycle: the traps (README, "Redundancy and start-time
	// dependencies"), each at its smallest ID m. A trap that is a
	// strongly connected set of hard run-time edges has a shortest such
	// cycle through m as witness; any other a shortest cycle through m
	// over the edges that hold it, counted in full even where the witness
	// stops at a group and shows the alternatives' paths back.
	for _, set := range n.traps() {
		m := slices.Min(set) // byte-wise smallest ID
		plain := n.isRunCycle(set)
		best := 0
		if plain {
			for _, w := range n.hardNext(m) {
				if l := 1 + n.hardPathLen(w, m); n.hardPathLen(w, m) > 0 && (best == 0 || l < best) {
					best = l
				}
			}
		} else {
			best = 1 + n.holdPathLen(set, m, m)
		}
		shape := "longer cycle"
		switch {
		case !plain && n.closesOnlyByGroup(set):
			shape = "through an any_of group"
		case !plain:
			shape = "through a start-phase dependency"
		case best == 2:
			shape = "self-edge"
		}
		if len(set) > 1 && m != slices.MinFunc(set, naiveCompareByName) {
			shape += ", smallest ID is not the smallest name"
		}
		add("dependency-cycle", m, best, "", shape)
	}
	return out
}

// naiveCompareByName orders IDs by (name, env): the order a careless "smallest
// ID" would use instead of the byte-wise order of SPEC §2.
func naiveCompareByName(a, b string) int {
	an, ae, _ := strings.Cut(a, "@")
	bn, be, _ := strings.Cut(b, "@")
	if c := strings.Compare(an, bn); c != 0 {
		return c
	}
	return strings.Compare(ae, be)
}

// naiveKey is a finding reduced to what the multiset comparison looks at.
type naiveKey struct{ Rule, Node, End string }

func naiveSorted(ks []naiveKey) []naiveKey {
	slices.SortFunc(ks, func(a, b naiveKey) int {
		return strings.Compare(a.Rule+"\x00"+a.Node+"\x00"+a.End, b.Rule+"\x00"+b.Node+"\x00"+b.End)
	})
	return ks
}

// naivePerEntry are the rules whose witness is [referrer, target], reported once
// per offending entry.
var naivePerEntry = map[string]bool{"env-crossing": true, "unknown-service": true, "tier-inversion": true}

// compareWithNaive returns a readable account of every way res differs from
// the oracle, or "" when they agree.
func compareWithNaive(ms []*manifest.Manifest, res *Result, now time.Time) string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	want := naiveFindings(ms, now)
	n := newNaive(ms)

	if res.Nodes != len(n.ids) {
		bad("Result.Nodes = %d, want %d", res.Nodes, len(n.ids))
	}

	// 1. The multisets of (rule, node) agree.
	var wantRN, gotRN []naiveKey
	for _, f := range want {
		wantRN = append(wantRN, naiveKey{Rule: f.Rule, Node: f.Node})
	}
	for _, f := range res.Findings {
		gotRN = append(gotRN, naiveKey{Rule: f.Rule, Node: f.Node})
	}
	if d := cmp.Diff(naiveSorted(wantRN), naiveSorted(gotRN)); d != "" {
		bad("findings (rule, node) differ (-oracle +analyzer):\n%s", d)
	}

	// 2. Per-entry rules name the same targets: (rule, node, last witness node).
	wantRN, gotRN = nil, nil
	for _, f := range want {
		if naivePerEntry[f.Rule] {
			wantRN = append(wantRN, naiveKey{f.Rule, f.Node, f.End})
		}
	}
	for _, f := range res.Findings {
		if naivePerEntry[f.Rule] && len(f.Witness) > 0 {
			gotRN = append(gotRN, naiveKey{f.Rule, f.Node, f.Witness[len(f.Witness)-1].Node})
		}
	}
	if d := cmp.Diff(naiveSorted(wantRN), naiveSorted(gotRN)); d != "" {
		bad("per-entry findings name different targets (-oracle +analyzer):\n%s", d)
	}

	// 3. Witness lengths, severities, files and paths, finding by finding.
	wantLen := map[naiveKey]int{}
	for _, f := range want {
		wantLen[naiveKey{Rule: f.Rule, Node: f.Node}] = f.Len
	}
	for _, f := range res.Findings {
		where := fmt.Sprintf("%s on %s, witness %s", f.Rule, f.Node, strings.Join(f.Path(), " -> "))
		if l, ok := wantLen[naiveKey{Rule: f.Rule, Node: f.Node}]; ok && naiveWitnessLen(f) != l {
			bad("%s: witness has %d nodes, the shortest has %d", where, naiveWitnessLen(f), l)
		}
		if sev, ok := naiveSeverity[f.Rule]; ok && f.Severity != sev {
			bad("%s: severity %v, want %v", where, f.Severity, sev)
		}
		if m := n.byID[f.Node]; m == nil {
			bad("%s: node is not declared", where)
		} else if f.File != m.File || f.Line <= 0 {
			bad("%s: reported at %s:%d, want a line of %s", where, f.File, f.Line, m.File)
		}
		if f.Waived {
			bad("%s: waived without a waiver", where)
		}
		if err := n.checkWitness(f); err != nil {
			bad("%s: %v", where, err)
		}
	}
	return strings.Join(problems, "\n")
}

// naiveWitnessLen counts the nodes of f's witness; a dependency-cycle
// witness that stops at a group counts the cycle it closes through its
// shortest alternative.
func naiveWitnessLen(f rules.Finding) int {
	l := len(f.Witness)
	if l == 0 {
		return 0
	}
	if alts := f.Witness[l-1].Alternatives; f.Rule == "dependency-cycle" && len(alts) > 0 {
		l += len(slices.MinFunc(alts, func(a, b []rules.Hop) int { return len(a) - len(b) }))
	}
	return l
}

// labels returns the labels of every edge from u to v, by type.
func (n *naive) labels(u, v string) (hard, any []string) {
	m := n.byID[u]
	if m == nil {
		return nil, nil
	}
	for _, d := range m.Dependencies {
		if d.On.ID() == v {
			any = append(any, string(d.Kind))
			if d.Mode == manifest.Hard && d.Phase != manifest.PhaseStart {
				hard = append(hard, string(d.Kind))
			}
		}
	}
	for _, p := range m.Recoveries {
		if slices.ContainsFunc(p.Via, func(r manifest.Ref) bool { return r.ID() == v }) {
			any = append(any, "recovery: "+p.Name)
		}
	}
	if slices.ContainsFunc(m.Service.MonitoredBy, func(r manifest.Ref) bool { return r.ID() == v }) {
		any = append(any, "monitored-by")
	}
	return hard, any
}

// startEdge reports whether u declares a hard start-phase dependency of
// the given kind on v, and no hard run-time one (whose kind alone would
// label the hop).
func (n *naive) startEdge(u, v, kind string) bool {
	hard, _ := n.labels(u, v)
	if len(hard) > 0 {
		return false
	}
	for _, d := range n.byID[u].Dependencies {
		if d.AnyOf == nil && d.On.ID() == v && d.Mode == manifest.Hard && d.Phase == manifest.PhaseStart && string(d.Kind) == kind {
			return true
		}
	}
	return false
}

// naiveLabelIs reports whether a witness label names an edge whose label is
// want. A qualifier after a comma ("auth, soft") is allowed, since the spec
// fixes no spelling for soft edges; hard hops are compared exactly.
func naiveLabelIs(label, want string) bool {
	return label == want || strings.HasPrefix(label, want+", ")
}

// checkWitness checks that f's witness is a real path of the right edges:
// hard dependency edges for every cycle part, a via of S first in a
// recovery witness, a monitored_by of S first in a blind-spot witness.
func (n *naive) checkWitness(f rules.Finding) error {
	w := f.Witness
	if len(w) == 0 {
		return fmt.Errorf("empty witness")
	}
	if w[0].Node != f.Node {
		return fmt.Errorf("witness starts at %s, not at the finding's node", w[0].Node)
	}
	if w[0].Label != "" {
		return fmt.Errorf("first hop has label %q", w[0].Label)
	}
	hardFrom := func(k int) error { // hops k.. are hard dependency edges
		for ; k < len(w); k++ {
			hard, _ := n.labels(w[k-1].Node, w[k].Node)
			if !slices.Contains(hard, w[k].Label) {
				return fmt.Errorf("hop %d %s -[%s]-> %s is not a hard dependency (hard edges there: %q)",
					k, w[k-1].Node, w[k].Label, w[k].Node, hard)
			}
		}
		return nil
	}
	last := w[len(w)-1].Node
	switch f.Rule {
	case "recovery-cycle", "partial-recovery-cycle", "blind-spot":
		if len(w) < 2 || last != f.Node {
			return fmt.Errorf("not a cycle back to %s", f.Node)
		}
		_, any := n.labels(f.Node, w[1].Node)
		if !slices.Contains(any, w[1].Label) {
			return fmt.Errorf("first hop label %q is not an edge to %s (edges: %q)", w[1].Label, w[1].Node, any)
		}
		kind := "recovery: "
		if f.Rule == "blind-spot" {
			kind = "monitored-by"
		}
		if !strings.HasPrefix(w[1].Label, kind) {
			return fmt.Errorf("first hop %q is not a %q edge", w[1].Label, kind)
		}
		// A procedure's via node may be blocked by what it needs to
		// start: that hop reads "kind, start".
		if f.Rule != "blind-spot" && len(w) > 2 && strings.HasSuffix(w[2].Label, ", start") {
			if !n.startEdge(w[1].Node, w[2].Node, strings.TrimSuffix(w[2].Label, ", start")) {
				return fmt.Errorf("hop 2 %s -[%s]-> %s is not a hard start-phase dependency", w[1].Node, w[2].Label, w[2].Node)
			}
			return hardFrom(3)
		}
		return hardFrom(2)
	case "dependency-cycle":
		return n.checkTrapWitness(f)
	case "env-crossing", "tier-inversion":
		if len(w) != 2 {
			return fmt.Errorf("want [referrer, target]")
		}
		hard, any := n.labels(f.Node, last)
		if f.Rule == "tier-inversion" {
			any = hard
		}
		if !slices.ContainsFunc(any, func(l string) bool { return naiveLabelIs(w[1].Label, l) }) {
			return fmt.Errorf("hop label %q is not an edge of the right type (edges: %q)", w[1].Label, any)
		}
		s, t := n.byID[f.Node].Service, n.byID[last].Service
		if f.Rule == "env-crossing" && n.rank(s.Env) >= n.rank(t.Env) {
			return fmt.Errorf("%s does not rank below %s", t.Env, s.Env)
		}
		if f.Rule == "tier-inversion" && !(s.HasTier && t.HasTier && t.Tier > s.Tier) {
			return fmt.Errorf("tiers %d → %d are not inverted", s.Tier, t.Tier)
		}
	case "unknown-service":
		if len(w) != 2 || n.declared(last) {
			return fmt.Errorf("want [referrer, undeclared ID]")
		}
		if !slices.ContainsFunc(n.references(f.Node), func(r naiveRef) bool { return r.ref.ID() == last }) {
			return fmt.Errorf("%s does not reference %s", f.Node, last)
		}
	case "missing-recovery", "stale-breakglass", "blast-radius":
		if len(w) != 1 {
			return fmt.Errorf("want [S]")
		}
	}
	return nil
}

// checkTrapWitness checks a dependency-cycle witness: every hop holds its
// node within the finding's trap. A hop labelled with a kind alone is a
// hard run-time dependency; "kind, start" a hard start-phase one where
// there is no run-time one; "kind, any of" an alternative of a hard group
// that fails with the trap down. The witness is a cycle back to the
// finding's node, or ends at a node whose alternatives, each a path of
// such hops starting at an alternative of one failing group of that node,
// all lead back to it, at least as many as fail the group.
func (n *naive) checkTrapWitness(f rules.Finding) error {
	var set []string
	for _, t := range n.traps() {
		if slices.Contains(t, f.Node) {
			set = t
		}
	}
	if set == nil {
		return fmt.Errorf("%s is in no trap", f.Node)
	}
	path := func(w []rules.Hop, from int) error {
		for k := from; k < len(w); k++ {
			u, v, l := w[k-1].Node, w[k].Node, w[k].Label
			if !slices.Contains(set, v) {
				return fmt.Errorf("hop %d %s -[%s]-> %s leaves the trap", k, u, l, v)
			}
			if got := n.holdLabel(set, u, v); !n.holdsAs(set, u, v, l) {
				return fmt.Errorf("hop %d %s -[%s]-> %s does not hold %s down (label there: %q)", k, u, l, v, u, got)
			}
		}
		return nil
	}
	w := f.Witness
	if err := path(w, 1); err != nil {
		return err
	}
	end := w[len(w)-1]
	if len(end.Alternatives) == 0 {
		if len(w) < 2 || end.Node != f.Node {
			return fmt.Errorf("not a cycle back to %s", f.Node)
		}
		return nil
	}
	label := end.Alternatives[0][0].Label
	var alts []string
	for k, a := range end.Alternatives {
		if a[0].Label != label {
			return fmt.Errorf("alternative %d is labelled %q, not %q", k, a[0].Label, label)
		}
		if a[len(a)-1].Node != f.Node || len(a[len(a)-1].Alternatives) > 0 {
			return fmt.Errorf("alternative %d does not lead back to %s", k, f.Node)
		}
		if err := path(a, 1); err != nil {
			return fmt.Errorf("alternative %d: %v", k, err)
		}
		alts = append(alts, a[0].Node)
	}
	// One group of end.Node of that kind names every alternative shown and
	// fails with only those down.
	for _, d := range n.byID[end.Node].Dependencies {
		if d.AnyOf == nil || d.Mode != manifest.Hard || string(d.Kind)+", any of" != label {
			continue
		}
		names := func(v string) bool {
			return slices.ContainsFunc(d.AnyOf, func(r manifest.Ref) bool { return r.ID() == v })
		}
		if !slices.ContainsFunc(alts, func(v string) bool { return !names(v) }) && n.groupFails(alts, d) {
			return nil
		}
	}
	return fmt.Errorf("no hard any_of group of %s of that kind fails with only %v down", end.Node, alts)
}

// holdsAs reports whether the hop u -[label]-> v holds u within set as
// its label says.
func (n *naive) holdsAs(set []string, u, v, label string) bool {
	if !slices.Contains(set, v) {
		return false
	}
	if kind, ok := strings.CutSuffix(label, ", any of"); ok {
		for _, d := range n.byID[u].Dependencies {
			if d.AnyOf != nil && d.Mode == manifest.Hard && string(d.Kind) == kind && n.groupFails(set, d) &&
				slices.ContainsFunc(d.AnyOf, func(r manifest.Ref) bool { return r.ID() == v }) {
				return true
			}
		}
		return false
	}
	if kind, ok := strings.CutSuffix(label, ", start"); ok {
		return n.startEdge(u, v, kind)
	}
	hard, _ := n.labels(u, v)
	return slices.Contains(hard, label)
}

// markStartPhase makes one hard dependency in six of the odd seeds a
// start-phase one, deterministically, so that the comparisons cover
// dependencies that take nothing down but hold their node back once it is
// down; even seeds keep the generator's estates as they are.
func markStartPhase(ms []*manifest.Manifest, seed int64) {
	if seed%2 == 0 {
		return
	}
	i := 0
	for _, m := range ms {
		for j := range m.Dependencies {
			if d := &m.Dependencies[j]; d.Mode == manifest.Hard {
				if i++; i%6 == 0 {
					d.Phase = manifest.PhaseStart
				}
			}
		}
	}
}

// naiveSets writes the Small preset of every seed to disk and loads it with
// the real loader, once for both tests below: writing and loading the trees
// takes most of their time. The loaded manifests do not need the files.
var naiveSets = sync.OnceValues(func() ([][]*manifest.Manifest, error) {
	root, err := os.MkdirTemp("", "catch22-naive-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	sets := make([][]*manifest.Manifest, naiveSeeds)
	for seed := range int64(naiveSeeds) {
		files := synth.Generate(synth.Small(seed))
		dir := filepath.Join(root, strconv.FormatInt(seed, 10))
		if err := synth.WriteFiles(dir, files); err != nil {
			return nil, err
		}
		ms, err := manifest.Load([]string{dir})
		if err != nil {
			return nil, fmt.Errorf("seed %d: load: %w", seed, err)
		}
		if len(ms) != len(files) {
			return nil, fmt.Errorf("seed %d: loaded %d manifests from %d files", seed, len(ms), len(files))
		}
		markStartPhase(ms, seed)
		sets[seed] = ms
	}
	return sets, nil
})

func naiveLoadAll(t *testing.T) [][]*manifest.Manifest {
	t.Helper()
	sets, err := naiveSets()
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

func TestAgainstNaive(t *testing.T) {
	failed := 0
	for seed, ms := range naiveLoadAll(t) {
		cfg := synth.Small(int64(seed))
		res, err := Run(ms, DefaultConfig(cfg.Now))
		if err != nil {
			t.Fatalf("seed %d: Run: %v", seed, err)
		}
		if msg := compareWithNaive(ms, res, cfg.Now); msg != "" {
			t.Errorf("seed %d (write it out: go run ./internal/cmd/synth -small -seed %d -out DIR; now = %s):\n%s",
				seed, seed, cfg.Now.Format(time.DateOnly), msg)
			if failed++; failed == 5 {
				t.Fatalf("stopping after %d failing seeds", failed)
			}
		}
	}
}

// TestSmallPresetFiresEveryRule keeps TestAgainstNaive from being vacuous:
// over the seeds it uses, the oracle must see every rule of SPEC §3, and
// every case of each, many times.
func TestSmallPresetFiresEveryRule(t *testing.T) {
	seeds := map[string]int{} // rule → seeds where it fires
	shapes := map[string]int{}
	for seed, ms := range naiveLoadAll(t) {
		cfg := synth.Small(int64(seed))
		fired := map[string]bool{}
		for _, f := range naiveFindings(ms, cfg.Now) {
			fired[f.Rule] = true
			shapes[f.Rule+": "+f.Shape]++
		}
		for r := range fired {
			seeds[r]++
		}
		for _, m := range ms {
			for _, p := range m.Recoveries {
				if p.Breakglass && p.Tested.Equal(cfg.Now.AddDate(0, 0, -naiveMaxAgeDays)) {
					shapes["stale-breakglass near miss: drilled exactly 90 days ago"]++
				}
			}
		}
	}
	for rule := range naiveSeverity {
		if seeds[rule] < naiveSeeds/20 {
			t.Errorf("%s fires in %d of %d seeds, want at least %d", rule, seeds[rule], naiveSeeds, naiveSeeds/20)
		}
	}
	for _, shape := range []string{
		"recovery-cycle: via itself", "recovery-cycle: through others",
		"partial-recovery-cycle: via itself", "partial-recovery-cycle: through others",
		"recovery-cycle: through a start-phase dependency of the via node",
		"partial-recovery-cycle: through a start-phase dependency of the via node",
		"dependency-cycle: self-edge", "dependency-cycle: longer cycle",
		"dependency-cycle: longer cycle, smallest ID is not the smallest name",
		"dependency-cycle: through a start-phase dependency",
		"env-crossing: dependency", "env-crossing: via", "env-crossing: monitored_by",
		"env-crossing: dependency into an unlisted env",
		"unknown-service: dependency", "unknown-service: via", "unknown-service: monitored_by",
		"blind-spot: monitors itself", "blind-spot: through others",
		"stale-breakglass: never drilled", "stale-breakglass: drilled 91 days ago",
		"stale-breakglass near miss: drilled exactly 90 days ago",
	} {
		if shapes[shape] < 5 {
			t.Errorf("%q seen %d times over %d seeds, want at least 5", shape, shapes[shape], naiveSeeds)
		}
	}
	if t.Failed() || testing.Verbose() {
		for _, k := range slices.Sorted(maps.Keys(seeds)) {
			t.Logf("%6d seeds  %s", seeds[k], k)
		}
		for _, k := range slices.Sorted(maps.Keys(shapes)) {
			t.Logf("%6d  %s", shapes[k], k)
		}
	}
}

// TestNaiveComparisonCanFail breaks correct analyzer results in the ways a
// wrong analyzer would and checks that compareWithNaive notices each one.
func TestNaiveComparisonCanFail(t *testing.T) {
	mutations := []struct {
		name    string
		applies func(f rules.Finding) bool
		mutate  func(res *Result, i int)
	}{
		{"finding dropped", func(rules.Finding) bool { return true },
			func(res *Result, i int) { res.Findings = slices.Delete(res.Findings, i, i+1) }},
		{"finding duplicated", func(f rules.Finding) bool { return f.Rule == "blind-spot" },
			func(res *Result, i int) { res.Findings = append(res.Findings, res.Findings[i]) }},
		{"wrong severity", func(f rules.Finding) bool { return f.Rule == "tier-inversion" },
			func(res *Result, i int) { res.Findings[i].Severity = rules.Error }},
		{"wrong node", func(f rules.Finding) bool { return f.Rule == "dependency-cycle" && len(f.Witness) > 2 },
			func(res *Result, i int) { res.Findings[i].Node = res.Findings[i].Witness[1].Node }},
		{"longer witness", func(f rules.Finding) bool { return f.Rule == "recovery-cycle" },
			func(res *Result, i int) {
				w := res.Findings[i].Witness
				res.Findings[i].Witness = append(slices.Clip(w), w[1:]...)
			}},
		{"soft hop in a cycle", func(f rules.Finding) bool { return f.Rule == "partial-recovery-cycle" && len(f.Witness) > 2 },
			func(res *Result, i int) { res.Findings[i].Witness[2].Label += ", soft" }},
		{"start hop read as a run-time one", func(f rules.Finding) bool {
			return f.Rule == "recovery-cycle" && len(f.Witness) > 2 && strings.HasSuffix(f.Witness[2].Label, ", start")
		}, func(res *Result, i int) {
			res.Findings[i].Witness[2].Label = strings.TrimSuffix(res.Findings[i].Witness[2].Label, ", start")
		}},
		{"start hop skipped", func(f rules.Finding) bool {
			return f.Rule == "partial-recovery-cycle" && len(f.Witness) > 3 && strings.HasSuffix(f.Witness[2].Label, ", start")
		}, func(res *Result, i int) {
			w := res.Findings[i].Witness
			res.Findings[i].Witness = append([]rules.Hop{w[0], {Node: w[1].Node, Label: w[1].Label}}, w[3:]...)
		}},
		{"start hop of a dependency cycle read as a run-time one", func(f rules.Finding) bool {
			return f.Rule == "dependency-cycle" && slices.ContainsFunc(f.Witness, func(h rules.Hop) bool { return strings.HasSuffix(h.Label, ", start") })
		}, func(res *Result, i int) {
			w := res.Findings[i].Witness
			k := slices.IndexFunc(w, func(h rules.Hop) bool { return strings.HasSuffix(h.Label, ", start") })
			w[k].Label = strings.TrimSuffix(w[k].Label, ", start")
		}},
		{"monitor hop missing", func(f rules.Finding) bool { return f.Rule == "blind-spot" && len(f.Witness) > 2 },
			func(res *Result, i int) { res.Findings[i].Witness[1].Label = "runtime" }},
		{"wrong target", func(f rules.Finding) bool { return f.Rule == "env-crossing" },
			func(res *Result, i int) { res.Findings[i].Witness[1].Node = res.Findings[i].Node }},
		{"wrong file", func(f rules.Finding) bool { return f.Rule == "missing-recovery" },
			func(res *Result, i int) { res.Findings[i].File += ".bak" }},
	}
	sets := naiveLoadAll(t)
	for _, mu := range mutations {
		tried := false
		for seed, ms := range sets[:50] {
			cfg := synth.Small(int64(seed))
			res, err := Run(ms, DefaultConfig(cfg.Now))
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(res.Findings, mu.applies)
			if i < 0 || compareWithNaive(ms, res, cfg.Now) != "" {
				continue // nothing to break, or already broken (TestAgainstNaive says so)
			}
			tried = true
			mu.mutate(res, i)
			if compareWithNaive(ms, res, cfg.Now) == "" {
				t.Errorf("%s (seed %d): not noticed", mu.name, seed)
			}
			break
		}
		if !tried {
			t.Errorf("%s: no seed to try it on", mu.name)
		}
	}
}

// TestNaiveTrapThroughGroup: the generator writes no any_of groups, so a
// small estate checks the oracle on traps that close through one (dns and
// its resolvers; a quorum of two of three, with the third outside) and on
// a group with an alternative outside the cycle (mesh), and that a broken
// witness through a group is noticed.
func TestNaiveTrapThroughGroup(t *testing.T) {
	ms := parseFiles(t, map[string]string{
		"dns.toml": `[service]
name = "dns"
[[dependency]]
any_of = ["resolver-a", "resolver-b"]
kind = "network"`,
		"resolver-a.toml": "[service]\nname = \"resolver-a\"\n[[dependency]]\non = \"dns\"",
		"resolver-b.toml": "[service]\nname = \"resolver-b\"\n[[dependency]]\non = \"relay\"\nphase = \"start\"",
		"relay.toml":      "[service]\nname = \"relay\"\n[[dependency]]\non = \"dns\"",
		"quorum.toml": `[service]
name = "quorum"
[[dependency]]
any_of = ["peer-a", "peer-b", "peer-c"]
quorum = 2
kind = "data"`,
		"peer-a.toml": "[service]\nname = \"peer-a\"\n[[dependency]]\non = \"quorum\"",
		"peer-b.toml": "[service]\nname = \"peer-b\"\n[[dependency]]\non = \"quorum\"",
		"peer-c.toml": "[service]\nname = \"peer-c\"",
		"mesh.toml": `[service]
name = "mesh"
[[dependency]]
any_of = ["proxy-a", "proxy-b"]
kind = "network"`,
		"proxy-a.toml": "[service]\nname = \"proxy-a\"\n[[dependency]]\non = \"mesh\"",
		"proxy-b.toml": "[service]\nname = \"proxy-b\"",
	})
	now := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	run := func() *Result {
		res, err := Run(ms, DefaultConfig(now))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	var got []string
	for _, f := range naiveFindings(ms, now) {
		if f.Rule == "dependency-cycle" {
			got = append(got, f.Node+": "+f.Shape)
		}
	}
	slices.Sort(got)
	want := []string{"dns@production: through an any_of group", "peer-a@production: through an any_of group"}
	if !slices.Equal(got, want) {
		t.Fatalf("oracle's dependency-cycle findings %q, want %q", got, want)
	}
	if msg := compareWithNaive(ms, run(), now); msg != "" {
		t.Fatal(msg)
	}
	dns := func(res *Result) *rules.Finding {
		i := slices.IndexFunc(res.Findings, func(f rules.Finding) bool { return f.Node == "dns@production" })
		return &res.Findings[i]
	}
	for _, mu := range []struct {
		name   string
		mutate func(f *rules.Finding)
	}{
		{"an alternative dropped", func(f *rules.Finding) { f.Witness[0].Alternatives = f.Witness[0].Alternatives[1:] }},
		{"an alternative that does not lead back", func(f *rules.Finding) {
			a := f.Witness[0].Alternatives[1]
			f.Witness[0].Alternatives[1] = a[:len(a)-1]
		}},
		{"a start hop read as a run-time one", func(f *rules.Finding) {
			a := f.Witness[0].Alternatives[1]
			a[1].Label = strings.TrimSuffix(a[1].Label, ", start")
		}},
		{"the group read as a plain hop", func(f *rules.Finding) {
			a := f.Witness[0].Alternatives[0]
			f.Witness = []rules.Hop{{Node: f.Node}, {Node: a[0].Node, Label: "network"}, a[1]}
		}},
	} {
		res := run()
		f := dns(res)
		if len(f.Witness) != 1 || len(f.Witness[0].Alternatives) != 2 {
			t.Fatalf("dns witness %+v: want the group's node with both alternatives", f.Witness)
		}
		mu.mutate(f)
		if compareWithNaive(ms, res, now) == "" {
			t.Errorf("%s: not noticed", mu.name)
		}
	}
}
