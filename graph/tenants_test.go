package graph

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/manifest"
)

// TestTenants: the tenants of a node are its direct hard run-time
// dependents, itself excepted; soft, start-phase and any_of dependents,
// and those further up the chain, are not.
func TestTenants(t *testing.T) {
	dep := func(on string, mode manifest.Mode, phase manifest.Phase) manifest.Dependency {
		return manifest.Dependency{On: manifest.Ref{Name: on, Env: "production"}, Mode: mode, Phase: phase, Kind: manifest.DepRuntime}
	}
	svc := func(name string, deps ...manifest.Dependency) *manifest.Manifest {
		return &manifest.Manifest{Service: manifest.Service{Name: name, Env: "production"}, Dependencies: deps}
	}
	k8s := svc("k8s", dep("k8s", manifest.Hard, manifest.PhaseRun))
	k8s.Recoveries = []manifest.Recovery{
		{Name: "restore", Via: []manifest.Ref{{Name: "console", Env: "production"}}},
		{Name: "recreate", Via: []manifest.Ref{{Name: "console", Env: "production"}}, Rebuilds: true},
	}
	either := svc("either")
	either.Dependencies = []manifest.Dependency{{AnyOf: []manifest.Ref{{Name: "k8s", Env: "production"}, {Name: "console", Env: "production"}}, Quorum: 1, Mode: manifest.Hard, Phase: manifest.PhaseRun}}
	g := Build([]*manifest.Manifest{
		k8s, svc("console"), either,
		svc("api", dep("k8s", manifest.Hard, manifest.PhaseRun), dep("k8s", manifest.Hard, manifest.PhaseRun)),
		svc("worker", dep("k8s", manifest.Hard, manifest.PhaseRun)),
		svc("web", dep("api", manifest.Hard, manifest.PhaseRun)),
		svc("batch", dep("k8s", manifest.Soft, manifest.PhaseRun)),
		svc("job", dep("k8s", manifest.Hard, manifest.PhaseStart)),
	})
	id := func(name string) int {
		v, ok := g.Lookup(name + "@production")
		if !ok {
			t.Fatalf("no %s", name)
		}
		return v
	}
	var got []string
	for _, v := range g.Tenants(id("k8s")) {
		got = append(got, g.Nodes[v].ID)
	}
	if diff := cmp.Diff([]string{"api@production", "worker@production"}, got); diff != "" {
		t.Errorf("tenants of k8s (-want +got):\n%s", diff)
	}
	if len(g.Tenants(id("web"))) != 0 || len(g.Tenants(id("console"))) != 0 {
		t.Errorf("web has tenants %v, console %v", g.Tenants(id("web")), g.Tenants(id("console")))
	}
	if g.Rebuilds(id("k8s"), 0) || !g.Rebuilds(id("k8s"), 1) {
		t.Errorf("rebuilds: restore %v, recreate %v", g.Rebuilds(id("k8s"), 0), g.Rebuilds(id("k8s"), 1))
	}
	// The self-edge stays in HardPredecessors: Tenants works on a copy.
	if preds := g.HardPredecessors(id("k8s")); len(preds) != 3 {
		t.Errorf("HardPredecessors(k8s) = %v, want api, k8s, worker", preds)
	}
}
