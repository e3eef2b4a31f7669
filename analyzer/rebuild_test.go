package analyzer

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// rebuildFiles is a small estate on one cluster, which the operators can
// only recreate, empty, through the breakglass console: api and worker run
// on it (api is rolled back through ci, worker declares no procedure), web
// runs on api, and the dashboard only reads the cluster's metrics (soft).
var rebuildFiles = map[string]string{
	"cluster.toml": `[service]
name = "cluster"
kind = "network"
[[recovery]]
name = "recreate"
via = ["console"]
breakglass = true
rebuilds = true
tested = 2026-11-01`,
	"console.toml": "[service]\nname = \"console\"\nkind = \"tool\"",
	"ci.toml":      "[service]\nname = \"ci\"\nkind = \"tool\"",
	"api.toml": `[service]
name = "api"
[[dependency]]
on = "cluster"
[[recovery]]
name = "rollback"
via = ["ci"]`,
	"worker.toml": "[service]\nname = \"worker\"\n[[dependency]]\non = \"cluster\"",
	"web.toml": `[service]
name = "web"
[[dependency]]
on = "api"`,
	"dashboard.toml": `[service]
name = "dashboard"
[[dependency]]
on = "cluster"
kind = "observability"
mode = "soft"`,
}

// buildFiles parses the files, edited by the given replacements first
// (file → old → new), and builds the graph.
func buildFiles(t *testing.T, files map[string]string, edits map[string][2]string) *graph.Graph {
	t.Helper()
	var ms []*manifest.Manifest
	for _, name := range slices.Sorted(maps.Keys(files)) {
		src := files[name]
		if e, ok := edits[name]; ok {
			if !strings.Contains(src, e[0]) {
				t.Fatalf("%s: no %q to replace", name, e[0])
			}
			src = strings.Replace(src, e[0], e[1], 1)
		}
		m, errs := manifest.Parse(name, []byte(src))
		if errs != nil {
			t.Fatal(errs)
		}
		ms = append(ms, m)
	}
	return graph.Build(ms)
}

// TestRebuildRedeploys: the cluster is recreated in wave 1 and comes back
// empty, so neither workload comes back with it; api is redeployed through
// its rollback in wave 2 and web follows it; worker needs a redeploy it
// cannot get; the soft dashboard never went down.
func TestRebuildRedeploys(t *testing.T) {
	w := simulateIDs(t, buildFiles(t, rebuildFiles, nil), "cluster")
	wantWaves := [][]Repair{
		{{Node: "cluster@production", Procedure: "recreate", Rebuilds: true}},
		{{Node: "api@production", Procedure: "rollback", Redeploy: true}},
	}
	if diff := cmp.Diff(wantWaves, w.Waves); diff != "" {
		t.Errorf("waves (-want +got):\n%s", diff)
	}
	if got := downIDs(w); got != "api:2 cluster:1 web:2 worker:0" {
		t.Errorf("down %q", got)
	}
	wantStranded := []Stranded{{Node: "worker@production", Rebuilt: "cluster@production", Wave: 1, Reason: ReasonNoRecovery}}
	if diff := cmp.Diff(wantStranded, w.Stranded); diff != "" {
		t.Errorf("stranded (-want +got):\n%s", diff)
	}
	if len(w.Unrecovered) != 0 || w.Recovered() {
		t.Errorf("unrecovered %v, recovered %v: the cluster is repaired, worker stays down", w.Unrecovered, w.Recovered())
	}
	for _, d := range w.Down {
		var rebuilt string
		var redeployed int
		switch d.Node {
		case "api@production":
			rebuilt, redeployed = "cluster@production", 2
		case "worker@production":
			rebuilt = "cluster@production"
		}
		if d.Rebuilt != rebuilt || d.Redeployed != redeployed || d.Still != nil {
			t.Errorf("%s: rebuilt %q, redeployed in wave %d, still %v; want %q, %d, none", d.Node, d.Rebuilt, d.Redeployed, d.Still, rebuilt, redeployed)
		}
	}
}

// TestRebuildWithoutRebuilds: the same estate restored in place brings
// everything back with the cluster in wave 1.
func TestRebuildWithoutRebuilds(t *testing.T) {
	g := buildFiles(t, rebuildFiles, map[string][2]string{"cluster.toml": {"rebuilds = true", "rebuilds = false"}})
	w := simulateIDs(t, g, "cluster")
	if got := downIDs(w); got != "api:1 cluster:1 web:1 worker:1" || len(w.Waves) != 1 || len(w.Stranded) != 0 {
		t.Errorf("down %q, %d waves, stranded %v", got, len(w.Waves), w.Stranded)
	}
}

// TestRebuildStrandsWhatRunsOnIt: with ci on the cluster too, the rollback
// of api needs ci, which needs a redeploy it cannot get: api is stranded
// with the witness of its blocked procedure, and web stays down, blamed on
// api.
func TestRebuildStrandsWhatRunsOnIt(t *testing.T) {
	g := buildFiles(t, rebuildFiles, map[string][2]string{"ci.toml": {"kind = \"tool\"", "kind = \"tool\"\n[[dependency]]\non = \"cluster\""}})
	w := simulateIDs(t, g, "cluster")
	if got := downIDs(w); got != "api:0 ci:0 cluster:1 web:0 worker:0" || len(w.Waves) != 1 {
		t.Errorf("down %q, waves %v", got, w.Waves)
	}
	var got []string
	for _, st := range w.Stranded {
		got = append(got, strings.TrimSuffix(st.Node, "@production")+" "+st.Reason)
		for _, b := range st.Blocked {
			got = append(got, "  "+b.Procedure+": "+hopNames(b.Witness))
		}
	}
	want := []string{"api deadlock", "  rollback: api > ci", "ci no-recovery", "worker no-recovery"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stranded (-want +got):\n%s", diff)
	}
	for _, d := range w.Down {
		if d.Node == "web@production" && hopNames(d.Still) != "web > api" {
			t.Errorf("web still down because %q, want web > api", hopNames(d.Still))
		}
	}
}

// TestRebuildLaterRepairDeploys: a workload that failed itself is not
// asked for a redeploy when its repair comes after the rebuild (the repair
// deploys it on the new cluster), but is when it was repaired before.
func TestRebuildLaterRepairDeploys(t *testing.T) {
	g := buildFiles(t, rebuildFiles, nil)
	// Both fail; both repairs are usable at once: api is repaired in wave
	// 1 with the cluster, which deploys it on the new one.
	w := simulateIDs(t, g, "cluster", "api")
	if got := downIDs(w); got != "api:1 cluster:1 web:1 worker:0" || len(w.Waves) != 1 {
		t.Errorf("cluster and api fail: down %q, waves %v", got, w.Waves)
	}
	// With the console failed too, it is repaired in wave 1 with api, and
	// the cluster recreated in wave 2, after api's repair: api needs a
	// redeploy in wave 3, and web waits for it.
	g = buildFiles(t, rebuildFiles, map[string][2]string{"console.toml": {"kind = \"tool\"", "kind = \"tool\"\n[[recovery]]\nname = \"restart\"\nvia = [\"ops\"]"}})
	w = simulateIDs(t, g, "cluster", "api", "console")
	wantWaves := [][]Repair{
		{{Node: "api@production", Procedure: "rollback"}, {Node: "console@production", Procedure: "restart"}},
		{{Node: "cluster@production", Procedure: "recreate", Rebuilds: true}},
		{{Node: "api@production", Procedure: "rollback", Redeploy: true}},
	}
	if diff := cmp.Diff(wantWaves, w.Waves); diff != "" {
		t.Errorf("waves (-want +got):\n%s", diff)
	}
	if got := downIDs(w); got != "api:3 cluster:2 console:1 web:3 worker:0" {
		t.Errorf("cluster, api and console fail: down %q", got)
	}
}

func hopNames(hops []rules.Hop) string {
	var out []string
	for _, h := range hops {
		out = append(out, strings.TrimSuffix(h.Node, "@production"))
	}
	return strings.Join(out, " > ")
}

// TestRebuildEach: --each agrees with the simulation: the cluster comes
// back by its breakglass procedure, which rebuilds it, with one redeploy
// (api) and one node stranded (worker); nothing else rebuilds.
func TestRebuildEach(t *testing.T) {
	g := buildFiles(t, rebuildFiles, nil)
	for _, row := range EachFailure(g, rules.ComputeFacts(g)) {
		want := SinglePoint{Node: row.Node, Down: row.Down, Procedure: row.Procedure, Reason: row.Reason}
		if row.Node == "cluster@production" {
			want = SinglePoint{Node: row.Node, Down: 4, Procedure: "recreate", Rebuilds: true, Redeploys: 1, Stranded: 1}
		}
		if row != want {
			t.Errorf("got %+v, want %+v", row, want)
		}
	}
}

// TestRebuildPlan: a cold start is unchanged by rebuilds: everything
// starts from nothing, so api is deployed through its rollback after the
// cluster, as it would be anyway, and worker, which declares no procedure,
// starts by itself once the cluster is up, as every such node does.
func TestRebuildPlan(t *testing.T) {
	with := ColdStart(buildFiles(t, rebuildFiles, nil))
	without := ColdStart(buildFiles(t, rebuildFiles, map[string][2]string{"cluster.toml": {"rebuilds = true", "rebuilds = false"}}))
	if diff := cmp.Diff(without, with); diff != "" {
		t.Errorf("plan changed by rebuilds (-without +with):\n%s", diff)
	}
	if len(with.Waves) != 4 || len(with.Never) != 0 {
		t.Errorf("waves %v, never %v", with.Waves, with.Never)
	}
}

// TestRebuildComparisonCanFail keeps the oracle comparison honest about
// rebuilds: a redeploy shown as a repair, a lost stranded node, a wrong
// rebuilt node or redeploy wave must be caught.
func TestRebuildComparisonCanFail(t *testing.T) {
	g := buildFiles(t, rebuildFiles, nil)
	var ms []*manifest.Manifest
	for _, n := range g.Nodes {
		ms = append(ms, n.Manifest)
	}
	n := newNaive(ms)
	failed := []string{"cluster@production"}
	want := n.whatIf(failed)
	if msg := compareWhatIf(n, failed, want, simulateIDs(t, g, "cluster")); msg != "" {
		t.Fatalf("the true result differs: %s", msg)
	}
	for name, tamper := range map[string]func(*WhatIf){
		"redeploy as repair": func(w *WhatIf) { w.Waves[1][0].Redeploy = false },
		"no rebuild":         func(w *WhatIf) { w.Waves[0][0].Rebuilds = false },
		"lost stranded":      func(w *WhatIf) { w.Stranded = nil },
		"stranded reason":    func(w *WhatIf) { w.Stranded[0].Reason = ReasonDeadlock },
		"stranded wave":      func(w *WhatIf) { w.Stranded[0].Wave = 2 },
		"rebuilt":            func(w *WhatIf) { w.Down[3].Rebuilt = "" },
		"redeployed":         func(w *WhatIf) { w.Down[0].Redeployed = 1 },
	} {
		got := simulateIDs(t, g, "cluster")
		tamper(got)
		if compareWhatIf(n, failed, want, got) == "" {
			t.Errorf("%s: a tampered result passed", name)
		}
	}
}
