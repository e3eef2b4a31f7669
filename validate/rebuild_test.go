package validate

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
)

// rebuildEstate: a cluster recreated empty through the breakglass console;
// api runs on it and is redeployed through ci, web runs on api, worker
// runs on it with no procedure, jobs is resubmitted through the scheduler,
// which runs on the cluster with no procedure, and the store is a KV on
// the cluster, redeployed through ci, that web reads softly.
var rebuildEstate = map[string]string{
	"cluster.toml":   "[service]\nname = \"cluster\"\nkind = \"network\"\n[[recovery]]\nname = \"recreate\"\nvia = [\"console\"]\nbreakglass = true\nrebuilds = true\n",
	"console.toml":   "[service]\nname = \"console\"\nkind = \"tool\"\n",
	"ci.toml":        "[service]\nname = \"ci\"\nkind = \"tool\"\n",
	"api.toml":       "[service]\nname = \"api\"\n[[dependency]]\non = \"cluster\"\n[[recovery]]\nname = \"rollback\"\nvia = [\"ci\"]\n",
	"web.toml":       "[service]\nname = \"web\"\n[[dependency]]\non = \"api\"\n[[dependency]]\non = \"store\"\nmode = \"soft\"\n",
	"worker.toml":    "[service]\nname = \"worker\"\n[[dependency]]\non = \"cluster\"\n",
	"jobs.toml":      "[service]\nname = \"jobs\"\n[[dependency]]\non = \"cluster\"\n[[recovery]]\nname = \"resubmit\"\nvia = [\"scheduler\"]\n",
	"scheduler.toml": "[service]\nname = \"scheduler\"\n[[dependency]]\non = \"cluster\"\n",
	"store.toml":     "[service]\nname = \"store\"\nkind = \"datastore\"\nemulate = \"kv\"\n[[dependency]]\non = \"cluster\"\n[[recovery]]\nname = \"redeploy\"\nvia = [\"ci\"]\n",
}

func parseEstate(t *testing.T, files map[string]string) *graph.Graph {
	t.Helper()
	var ms []*manifest.Manifest
	for _, name := range slices.Sorted(maps.Keys(files)) {
		m, errs := manifest.Parse(name, []byte(files[name]))
		if errs != nil {
			t.Fatal(errs)
		}
		ms = append(ms, m)
	}
	return graph.Build(ms)
}

// TestRebuildLive: the cluster is recreated in wave 1 and nothing that ran
// on it answers up again until it is redeployed: api and the KV store in
// wave 2, with web behind api; worker and the scheduler have no procedure,
// and jobs's procedure is observed blocked by the scheduler.
func TestRebuildLive(t *testing.T) {
	g := parseEstate(t, rebuildEstate)
	r, err := Run(context.Background(), g, failOpts(t, g, "cluster@production"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Outcome{
		"api@production":       {Down: true, Back: 2, Redeployed: 2, RedeployedBy: "rollback"},
		"cluster@production":   {Down: true, Back: 1, Repaired: 1, Procedure: "recreate"},
		"jobs@production":      {Down: true, NeedsRedeploy: true},
		"scheduler@production": {Down: true, NeedsRedeploy: true},
		"store@production":     {Down: true, Back: 2, Redeployed: 2, RedeployedBy: "redeploy"},
		"web@production":       {Down: true, Back: 2},
		"worker@production":    {Down: true, NeedsRedeploy: true},
	}
	for _, n := range r.Nodes {
		if !n.Match() || n.Observed != want[n.Node] {
			t.Errorf("%s: predicted %+v, observed %+v, want %+v", n.Node, n.Predicted, n.Observed, want[n.Node])
		}
	}
	if len(r.Procedures) != 1 || !r.Procedures[0].Redeploy || !r.Procedures[0].ObservedBlocked || r.Procedures[0].ObservedDown != "scheduler@production" {
		t.Errorf("procedures %+v", r.Procedures)
	}
	if r.Mismatches() != 0 || r.KV != 1 {
		t.Errorf("%d mismatches, %d KV", r.Mismatches(), r.KV)
	}
}

// TestRebuildLiveRealTenant: a real service that would need a redeploy is
// refused, as a real service that would have to fail is.
func TestRebuildLiveRealTenant(t *testing.T) {
	g := parseEstate(t, rebuildEstate)
	o := failOpts(t, g, "cluster@production")
	worker, _ := g.Lookup("worker@production")
	o.Endpoints = map[int]string{worker: "http://127.0.0.1:1/health"}
	_, err := Run(context.Background(), g, o)
	if want := "worker@production is a real service (--endpoint) that runs on cluster@production, which is rebuilt: catch22 cannot redeploy it"; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}
