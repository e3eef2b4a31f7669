package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/manifest"
)

// randomManifests builds n services with random hard and soft dependencies,
// self-edges and references to undeclared nodes included.
func randomManifests(rng *rand.Rand, n int, density float64) []*manifest.Manifest {
	ms := make([]*manifest.Manifest, n)
	for i := range ms {
		ms[i] = &manifest.Manifest{File: fmt.Sprintf("s%d.toml", i), Service: manifest.Service{Name: fmt.Sprintf("s%03d", i), Env: "production"}}
	}
	for _, m := range ms {
		for j := 0; j < n; j++ {
			if rng.Float64() < density {
				mode := manifest.Hard
				if rng.IntN(4) == 0 {
					mode = manifest.Soft
				}
				m.Dependencies = append(m.Dependencies, manifest.Dependency{On: manifest.Ref{Name: fmt.Sprintf("s%03d", j), Env: "production"}, Mode: mode, Kind: manifest.DepRuntime})
			}
		}
		if rng.IntN(5) == 0 {
			m.Dependencies = append(m.Dependencies, manifest.Dependency{On: manifest.Ref{Name: "ghost", Env: "production"}, Mode: manifest.Hard})
		}
	}
	rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	return ms
}

// naiveReaches answers "does from reach to over hard edges" straight from
// the manifests, with no use of the compiled adjacency.
func naiveReaches(ms []*manifest.Manifest, from, to string) (int, bool) {
	deps := map[string][]string{}
	for _, m := range ms {
		for _, d := range m.Dependencies {
			if d.Mode == manifest.Hard {
				deps[m.ID()] = append(deps[m.ID()], d.On.ID())
			}
		}
	}
	dist := map[string]int{from: 0}
	queue := []string{from}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if u == to {
			return dist[u], true
		}
		for _, v := range deps[u] {
			if _, ok := dist[v]; !ok {
				dist[v] = dist[u] + 1
				queue = append(queue, v)
			}
		}
	}
	return 0, false
}

func TestSweepMatchesNaiveSearch(t *testing.T) {
	for seed := range 200 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		n := 1 + rng.IntN(40)
		ms := randomManifests(rng, n, rng.Float64()*0.15)
		g := Build(ms)
		var qs []Query
		for u := range g.Nodes {
			for v := range g.Nodes {
				qs = append(qs, Query{u, v})
			}
		}
		r := g.Sweep(qs)
		for v := range g.Nodes {
			if got, want := r.DownSize[v], len(g.Down([]int{v})); got != want {
				t.Fatalf("seed %d: DownSize[%s] = %d, want %d", seed, g.Nodes[v].ID, got, want)
			}
		}
		for i, q := range qs {
			dist, ok := naiveReaches(ms, g.Nodes[q.From].ID, g.Nodes[q.To].ID)
			var p []int
			if r.Proofs[i] != nil {
				p = r.Proofs[i].Path
			}
			if ok != (p != nil) {
				t.Fatalf("seed %d: %s reaches %s: got %v, want %v", seed, g.Nodes[q.From].ID, g.Nodes[q.To].ID, p != nil, ok)
			}
			if !ok {
				continue
			}
			if len(p)-1 != dist || p[0] != q.From || p[len(p)-1] != q.To {
				t.Fatalf("seed %d: path %v for %v is not a shortest path (distance %d)", seed, p, q, dist)
			}
			for k := 1; k < len(p); k++ {
				if !slices.Contains(g.HardSuccessors(p[k-1]), p[k]) {
					t.Fatalf("seed %d: path %v uses a missing hard edge", seed, p)
				}
			}
		}
	}
}

// TestSweepChunksAgree: the answers do not depend on the chunk width nor on
// which targets the light searches take, and the sizes are Down's.
func TestSweepChunksAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ms := randomManifests(rng, 400, 0.008)
	g := Build(ms)
	var qs []Query
	for i := 0; i < 3000; i++ {
		qs = append(qs, Query{rng.IntN(len(g.Nodes)), rng.IntN(len(g.Nodes))})
	}
	if len(g.comps.members) <= 64 {
		t.Fatalf("fixture has %d components; it must span several 64-wide chunks", len(g.comps.members))
	}
	sweepsAgree(t, g, qs)
}

// sweepsAgree checks that every split between light and heavy targets, and
// every chunk width, gives the same answers, with Down's sizes.
func sweepsAgree(t *testing.T, g *Graph, qs []Query) {
	t.Helper()
	want := g.sweep(qs, 64, 1<<30) // every target light
	light := 0
	for v := range g.Nodes {
		if want.DownSize[v] != len(g.Down([]int{v})) {
			t.Fatalf("DownSize[%d] = %d, want %d", v, want.DownSize[v], len(g.Down([]int{v})))
		}
		if want.DownSize[v] <= 3 {
			light++
		}
	}
	if light == 0 || light == len(g.Nodes) {
		t.Fatalf("%d of %d nodes take at most 3 down: the budget of 3 must split them", light, len(g.Nodes))
	}
	for _, c := range []struct{ words, budget int }{{64, 0}, {1, 0}, {1, 3}, {2, 3}} {
		if diff := cmp.Diff(want, g.sweep(qs, c.words, c.budget)); diff != "" {
			t.Fatalf("chunks of %d words, budget %d: results differ from light searches:\n%s", c.words, c.budget, diff)
		}
	}
}

func TestCyclesAndShortestCycle(t *testing.T) {
	for seed := range 200 {
		rng := rand.New(rand.NewPCG(uint64(seed), 9))
		ms := randomManifests(rng, 1+rng.IntN(30), rng.Float64()*0.1)
		g := Build(ms)
		inCycle := map[int]bool{}
		for _, set := range g.Cycles() {
			if !slices.IsSorted(set) {
				t.Fatalf("seed %d: cycle set %v not sorted", seed, set)
			}
			for _, v := range set {
				inCycle[v] = true
			}
			c := g.ShortestCycle(set[0])
			if c == nil || c[0] != set[0] || c[len(c)-1] != set[0] {
				t.Fatalf("seed %d: ShortestCycle(%d) = %v", seed, set[0], c)
			}
			// Shortest: no successor of set[0] reaches it faster.
			best := -1
			for _, s := range g.HardSuccessors(set[0]) {
				if d, ok := naiveReaches(ms, g.Nodes[s].ID, g.Nodes[set[0]].ID); ok && (best < 0 || d+1 < best) {
					best = d + 1
				}
			}
			if len(c)-1 != best {
				t.Fatalf("seed %d: cycle %v has length %d, shortest is %d", seed, c, len(c)-1, best)
			}
		}
		for v := range g.Nodes {
			onCycle := false
			for _, s := range g.HardSuccessors(v) {
				if _, ok := naiveReaches(ms, g.Nodes[s].ID, g.Nodes[v].ID); ok {
					onCycle = true
				}
			}
			if onCycle != inCycle[v] {
				t.Fatalf("seed %d: %s on a cycle = %v, Cycles says %v", seed, g.Nodes[v].ID, onCycle, inCycle[v])
			}
		}
	}
}

func TestBuildIsOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ms := randomManifests(rng, 25, 0.1)
	a := Build(ms)
	rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	b := Build(ms)
	if fmt.Sprint(a.Nodes) != fmt.Sprint(b.Nodes) || fmt.Sprint(a.Edges) != fmt.Sprint(b.Edges) || fmt.Sprint(a.Cycles()) != fmt.Sprint(b.Cycles()) {
		t.Fatal("graph depends on the order of its input")
	}
	if len(a.Unknown) == 0 {
		t.Fatal("fixture should hold references to undeclared nodes")
	}
}
