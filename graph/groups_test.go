package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/catch22/catch22/manifest"
)

// withGroups turns some of each manifest's dependencies into any_of groups
// of two to four alternatives with a random quorum, undeclared
// alternatives and start-phase groups included.
func withGroups(rng *rand.Rand, ms []*manifest.Manifest) {
	n := len(ms)
	for _, m := range ms {
		for range rng.IntN(3) {
			k := min(2+rng.IntN(3), n+1)
			d := manifest.Dependency{Kind: manifest.DepNetwork, Mode: manifest.Hard, Phase: manifest.PhaseRun, Quorum: 1 + rng.IntN(k)}
			if rng.IntN(6) == 0 {
				d.Mode = manifest.Soft
			}
			if rng.IntN(6) == 0 {
				d.Phase = manifest.PhaseStart
			}
			seen := map[string]bool{}
			for len(d.AnyOf) < k {
				name := fmt.Sprintf("s%03d", rng.IntN(n+1)) // s<n> is never declared
				if !seen[name] {
					seen[name] = true
					d.AnyOf = append(d.AnyOf, manifest.Ref{Name: name, Env: "production"})
				}
			}
			m.Dependencies = append(m.Dependencies, d)
		}
	}
}

// naiveDown computes down(F) from the manifests alone, by iterating the
// definition to a fixed point: a node is down when it failed, when a hard
// run-time dependency on one node is down, or when a hard run-time any_of
// group has fewer than its quorum of alternatives up (undeclared ones count
// as up).
func naiveDown(ms []*manifest.Manifest, failed []string) map[string]bool {
	declared := map[string]bool{}
	for _, m := range ms {
		declared[m.ID()] = true
	}
	down := map[string]bool{}
	for _, f := range failed {
		down[f] = true
	}
	for changed := true; changed; {
		changed = false
		for _, m := range ms {
			if down[m.ID()] {
				continue
			}
			for _, d := range m.Dependencies {
				if d.Mode != manifest.Hard || d.Phase == manifest.PhaseStart {
					continue
				}
				fails := false
				if d.AnyOf == nil {
					fails = down[d.On.ID()]
				} else {
					up := 0
					for _, a := range d.AnyOf {
						if !declared[a.ID()] || !down[a.ID()] {
							up++
						}
					}
					fails = up < d.Quorum
				}
				if fails {
					down[m.ID()], changed = true, true
					break
				}
			}
		}
	}
	return down
}

// checkProof checks that proof shows from going down with to: each hop a
// hard run-time dependency on one node, ending at to or at a node whose
// group then fails by the alternatives' own proofs.
func checkProof(g *Graph, down map[string]bool, proof *Proof, from, to int) error {
	p := proof.Path
	if len(p) == 0 || p[0] != from {
		return fmt.Errorf("path %v does not start at %d", p, from)
	}
	for k := 1; k < len(p); k++ {
		if !slices.Contains(g.HardSuccessors(p[k-1]), p[k]) {
			return fmt.Errorf("path %v uses a missing hard edge", p)
		}
	}
	last := p[len(p)-1]
	if proof.Group < 0 {
		if last != to {
			return fmt.Errorf("path %v ends elsewhere than %d", p, to)
		}
		return nil
	}
	gr := g.Groups[proof.Group]
	if gr.From != last || !gr.Propagates() || len(proof.Alts) < gr.Need {
		return fmt.Errorf("group %d of %d: from %d, %d proofs for need %d", proof.Group, last, gr.From, len(proof.Alts), gr.Need)
	}
	for _, a := range proof.Alts {
		if !slices.Contains(gr.Members, a.Path[0]) || !down[g.Nodes[a.Path[0]].ID] {
			return fmt.Errorf("alternative %d of group %d is no member that goes down", a.Path[0], proof.Group)
		}
		if err := checkProof(g, down, a, a.Path[0], to); err != nil {
			return err
		}
	}
	return nil
}

// TestGatesMatchNaive: with any_of groups, every down set (one search per
// failure set, and the sweep's sizes for every single failure) matches the
// definition iterated to a fixed point, and every proof holds.
func TestGatesMatchNaive(t *testing.T) {
	gated := 0
	for seed := range 300 {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		n := 2 + rng.IntN(30)
		ms := randomManifests(rng, n, rng.Float64()*0.08)
		withGroups(rng, ms)
		g := Build(ms)
		if g.HasGates() {
			gated++
		}
		var qs []Query
		for u := range g.Nodes {
			for v := range g.Nodes {
				qs = append(qs, Query{u, v})
			}
		}
		r := g.Sweep(qs)
		for v := range g.Nodes {
			want := naiveDown(ms, []string{g.Nodes[v].ID})
			if got := len(g.Down([]int{v})); got != len(want) {
				t.Fatalf("seed %d: |Down(%s)| = %d, want %d", seed, g.Nodes[v].ID, got, len(want))
			}
			if r.DownSize[v] != len(want) {
				t.Fatalf("seed %d: DownSize[%s] = %d, want %d", seed, g.Nodes[v].ID, r.DownSize[v], len(want))
			}
		}
		for i, q := range qs {
			down := naiveDown(ms, []string{g.Nodes[q.To].ID})
			if got := r.Proofs[i] != nil; got != down[g.Nodes[q.From].ID] {
				t.Fatalf("seed %d: %s down with %s: got %v", seed, g.Nodes[q.From].ID, g.Nodes[q.To].ID, got)
			}
			if r.Proofs[i] != nil {
				if err := checkProof(g, down, r.Proofs[i], q.From, q.To); err != nil {
					t.Fatalf("seed %d: %s down with %s: %v", seed, g.Nodes[q.From].ID, g.Nodes[q.To].ID, err)
				}
			}
		}
		// Two failures at once: what only both together take down.
		if n >= 2 {
			a, b := rng.IntN(len(g.Nodes)), rng.IntN(len(g.Nodes))
			want := naiveDown(ms, []string{g.Nodes[a].ID, g.Nodes[b].ID})
			if got := len(g.Down([]int{a, b})); got != len(want) {
				t.Fatalf("seed %d: |Down(%d, %d)| = %d, want %d", seed, a, b, got, len(want))
			}
		}
	}
	if gated < 200 {
		t.Fatalf("only %d of 300 sets have a group that can fail", gated)
	}
}

// TestGatesChunksAgree: with groups, results do not depend on the chunk
// width nor on the light budget either.
func TestGatesChunksAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ms := randomManifests(rng, 300, 0.006)
	withGroups(rng, ms)
	g := Build(ms)
	var qs []Query
	for range 2000 {
		qs = append(qs, Query{rng.IntN(len(g.Nodes)), rng.IntN(len(g.Nodes))})
	}
	sweepsAgree(t, g, qs)
}
