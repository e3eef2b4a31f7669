package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/catch22/catch22/manifest"
)

// sparseManifests builds n services with a few random entries each: hard,
// soft and start-phase dependencies, any_of groups, via and monitored_by,
// with references to undeclared nodes among them, so that a graph of
// several compile blocks has unknown references and groups in each.
func sparseManifests(rng *rand.Rand, n int) []*manifest.Manifest {
	name := func() manifest.Ref {
		if rng.IntN(12) == 0 {
			return manifest.Ref{Name: fmt.Sprintf("ghost%d", rng.IntN(5)), Env: "production", Pos: manifest.Pos{Line: rng.IntN(99)}}
		}
		return manifest.Ref{Name: fmt.Sprintf("s%05d", rng.IntN(n)), Env: "production", Pos: manifest.Pos{Line: rng.IntN(99)}}
	}
	ms := make([]*manifest.Manifest, n)
	for i := range ms {
		m := &manifest.Manifest{File: fmt.Sprintf("s%d.toml", i), Service: manifest.Service{Name: fmt.Sprintf("s%05d", i), Env: "production"}}
		for range rng.IntN(5) {
			d := manifest.Dependency{Mode: manifest.Hard, Kind: manifest.DepRuntime, Phase: manifest.PhaseRun}
			if rng.IntN(4) == 0 {
				d.Mode = manifest.Soft
			}
			if rng.IntN(6) == 0 {
				d.Phase = manifest.PhaseStart
			}
			if rng.IntN(5) == 0 {
				for range 2 + rng.IntN(3) {
					d.AnyOf = append(d.AnyOf, name())
				}
				d.Quorum = 1 + rng.IntN(len(d.AnyOf))
			} else {
				d.On = name()
			}
			m.Dependencies = append(m.Dependencies, d)
		}
		for range rng.IntN(2) {
			m.Recoveries = append(m.Recoveries, manifest.Recovery{Name: "r", Via: []manifest.Ref{name(), name()}})
		}
		if rng.IntN(3) == 0 {
			m.Service.MonitoredBy = []manifest.Ref{name()}
		}
		ms[i] = m
	}
	return ms
}

// naiveEntry is one reference of a manifest as Build should compile it,
// worked out from the manifest alone.
type naiveEntry struct {
	From, To string // To is "" for an undeclared node
	Type     EdgeType
	Group    int // 0, or the 1-based number of the any_of entry among all groups
	Line     int
}

func naiveEntries(ms []*manifest.Manifest) []naiveEntry {
	declared := map[string]bool{}
	for _, m := range ms {
		declared[m.ID()] = true
	}
	sorted := slices.SortedFunc(slices.Values(ms), func(a, b *manifest.Manifest) int { return cmpStr(a.ID(), b.ID()) })
	var out []naiveEntry
	groups := 0
	add := func(m *manifest.Manifest, t EdgeType, group int, r manifest.Ref) {
		to := r.ID()
		if !declared[to] {
			to = ""
		}
		out = append(out, naiveEntry{m.ID(), to, t, group, r.Pos.Line})
	}
	for _, m := range sorted {
		for _, d := range m.Dependencies {
			if d.AnyOf == nil {
				add(m, Dependency, 0, d.On)
				continue
			}
			groups++
			for _, alt := range d.AnyOf {
				add(m, Dependency, groups, alt)
			}
		}
		for _, r := range m.Recoveries {
			for _, v := range r.Via {
				add(m, Via, 0, v)
			}
		}
		for _, v := range m.Service.MonitoredBy {
			add(m, Monitor, 0, v)
		}
	}
	return out
}

// TestBuildAcrossBlocks compiles graphs of several compile blocks, so that
// edges, unknown references and groups are joined across blocks, and checks
// every entry against the manifests.
func TestBuildAcrossBlocks(t *testing.T) {
	for seed := range 3 {
		rng := rand.New(rand.NewPCG(uint64(seed), 41))
		ms := sparseManifests(rng, 2*compileBlock+1+rng.IntN(compileBlock))
		g := Build(ms)
		want := naiveEntries(ms)
		var got, unknown []naiveEntry
		for u := range g.Nodes {
			first, end := g.Out(u)
			for _, e := range g.Edges[first:end] {
				if e.From != u {
					t.Fatalf("seed %d: edge %v listed under node %d", seed, e, u)
				}
				got = append(got, naiveEntry{g.Nodes[e.From].ID, g.Nodes[e.To].ID, e.Type, e.Group, e.Pos.Line})
			}
		}
		for _, r := range g.Unknown {
			unknown = append(unknown, naiveEntry{g.Nodes[r.From].ID, "", r.Type, r.Group, r.Pos.Line})
		}
		var wantKnown, wantUnknown []naiveEntry
		for _, e := range want {
			if e.To == "" {
				wantUnknown = append(wantUnknown, e)
			} else {
				wantKnown = append(wantKnown, e)
			}
		}
		if diff := cmp.Diff(wantKnown, got); diff != "" {
			t.Fatalf("seed %d: edges (-want +got):\n%s", seed, diff)
		}
		if diff := cmp.Diff(wantUnknown, unknown); diff != "" {
			t.Fatalf("seed %d: unknown references (-want +got):\n%s", seed, diff)
		}
		for _, e := range g.Edges {
			if e.Group > 0 && (g.Groups[e.Group-1].From != e.From || !slices.Contains(g.Groups[e.Group-1].Members, e.To)) {
				t.Fatalf("seed %d: edge %v is not an alternative of group %d %+v", seed, e, e.Group, g.Groups[e.Group-1])
			}
		}
		for gi, gr := range g.Groups {
			if gr.Hard && !slices.Contains(g.GroupsOf(gr.From), gi) {
				t.Fatalf("seed %d: group %d missing from GroupsOf(%d)", seed, gi, gr.From)
			}
			for _, m := range gr.Members {
				if gr.Hard && !slices.Contains(g.GroupsWith(m), gi) {
					t.Fatalf("seed %d: group %d missing from GroupsWith(%d)", seed, gi, m)
				}
			}
		}
	}
}

// TestCondenseMatchesTarjan checks the peeled condensation against gonum's
// Tarjan over the whole graph: the same strongly connected sets, numbered
// so that every hard edge between two sets leads to a smaller number.
func TestCondenseMatchesTarjan(t *testing.T) {
	for seed := range 100 {
		rng := rand.New(rand.NewPCG(uint64(seed), 43))
		ms := randomManifests(rng, 1+rng.IntN(60), rng.Float64()*0.06)
		g := Build(ms)
		d := simple.NewDirectedGraph()
		for u := range g.Nodes {
			d.AddNode(simple.Node(u))
		}
		for u := range g.Nodes {
			for _, v := range g.HardSuccessors(u) {
				if v != u {
					d.SetEdge(simple.Edge{F: simple.Node(u), T: simple.Node(v)})
				}
			}
		}
		var want [][]int
		for _, scc := range topo.TarjanSCC(d) {
			var set []int
			for _, n := range scc {
				set = append(set, int(n.ID()))
			}
			slices.Sort(set)
			want = append(want, set)
		}
		got := slices.Clone(g.comps.members)
		byFirst := func(a, b []int) int { return a[0] - b[0] }
		slices.SortFunc(want, byFirst)
		slices.SortFunc(got, byFirst)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("seed %d: components (-want +got):\n%s", seed, diff)
		}
		for u := range g.Nodes {
			for _, v := range g.HardSuccessors(u) {
				if cu, cv := g.comps.of[u], g.comps.of[v]; cu != cv && cu < cv {
					t.Fatalf("seed %d: hard edge %d → %d leads from component %d up to %d", seed, u, v, cu, cv)
				}
			}
		}
	}
}
