package graph

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/manifest"
)

// TestProcedureNeeds: a procedure needs its via nodes and their hard
// start-phase dependencies on single nodes, nothing else: not their
// run-time or soft dependencies, not start-phase groups, not undeclared
// nodes.
func TestProcedureNeeds(t *testing.T) {
	ref := func(name string) manifest.Ref { return manifest.Ref{Name: name, Env: "production"} }
	svc := func(name string, deps ...manifest.Dependency) *manifest.Manifest {
		return &manifest.Manifest{Service: manifest.Service{Name: name, Env: "production"}, Dependencies: deps}
	}
	start := func(on string, mode manifest.Mode) manifest.Dependency {
		return manifest.Dependency{On: ref(on), Mode: mode, Phase: manifest.PhaseStart, Kind: manifest.DepDeploy}
	}
	ci := svc("ci",
		start("registry", manifest.Hard),
		start("ghost", manifest.Hard), // undeclared: counts as up
		start("cache", manifest.Soft),
		manifest.Dependency{On: ref("api"), Mode: manifest.Hard, Kind: manifest.DepRuntime},
		manifest.Dependency{AnyOf: []manifest.Ref{ref("vault-a"), ref("vault-b")}, Quorum: 1, Mode: manifest.Hard, Phase: manifest.PhaseStart})
	db := svc("db")
	db.Recoveries = []manifest.Recovery{
		{Name: "restore", Via: []manifest.Ref{ref("ci"), ref("registry")}},
		{Name: "by-hand", Via: []manifest.Ref{ref("ghost")}},
	}
	ms := []*manifest.Manifest{ci, db, svc("registry"), svc("cache"), svc("api"), svc("vault-a"), svc("vault-b")}
	g := Build(ms)
	id := func(name string) int {
		v, ok := g.Lookup(name + "@production")
		if !ok {
			t.Fatalf("no %s", name)
		}
		return v
	}
	got := g.ProcedureNeeds(id("db"))
	want := [][]int{{id("ci"), id("registry")}, nil}
	if id("registry") < id("ci") {
		want[0] = []int{id("registry"), id("ci")}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("ProcedureNeeds(db) (-want +got):\n%s", diff)
	}
	if got := g.ProcedureNeeds(id("api")); got != nil {
		t.Fatalf("ProcedureNeeds of a node without procedures = %v", got)
	}
}
