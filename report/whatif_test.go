package report_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

// simCase is one input of the simulation reporters' golden tests.
type simCase struct {
	name string
	ms   []*manifest.Manifest
	fail []string
}

// wavesTOML is a set where one repair unblocks the next (db, then api
// through the deploy tool that needs db), and where a hard cycle
// (queue <-> worker) keeps its nodes down after the queue is repaired.
var wavesTOML = map[string]string{
	"db.toml":      "[service]\nname = \"db\"\n[[recovery]]\nname = \"restore\"\nvia = [\"console\"]\n",
	"console.toml": "[service]\nname = \"console\"\nkind = \"tool\"\n",
	"deploy.toml":  "[service]\nname = \"deploy\"\nkind = \"tool\"\n[[dependency]]\non = \"db\"\n",
	"api.toml":     "[service]\nname = \"api\"\n[[dependency]]\non = \"db\"\n[[recovery]]\nname = \"redeploy\"\nvia = [\"deploy\"]\n",
	"queue.toml":   "[service]\nname = \"queue\"\n[[dependency]]\non = \"worker\"\n[[recovery]]\nname = \"restart\"\nvia = [\"console\"]\n",
	"worker.toml":  "[service]\nname = \"worker\"\n[[dependency]]\non = \"queue\"\n",
}

// rebuildTOML is a cluster recreated empty through the breakglass console:
// api is redeployed through ci and web comes back with it; worker declares
// no procedure, and jobs is resubmitted through the scheduler, which runs
// on the cluster too and declares none.
var rebuildTOML = map[string]string{
	"cluster.toml":   "[service]\nname = \"cluster\"\nkind = \"network\"\n[[recovery]]\nname = \"recreate\"\nvia = [\"console\"]\nbreakglass = true\nrebuilds = true\n",
	"console.toml":   "[service]\nname = \"console\"\nkind = \"tool\"\n",
	"ci.toml":        "[service]\nname = \"ci\"\nkind = \"tool\"\n",
	"api.toml":       "[service]\nname = \"api\"\n[[dependency]]\non = \"cluster\"\n[[recovery]]\nname = \"rollback\"\nvia = [\"ci\"]\n",
	"web.toml":       "[service]\nname = \"web\"\n[[dependency]]\non = \"api\"\n",
	"worker.toml":    "[service]\nname = \"worker\"\n[[dependency]]\non = \"cluster\"\n",
	"jobs.toml":      "[service]\nname = \"jobs\"\n[[dependency]]\non = \"cluster\"\n[[recovery]]\nname = \"resubmit\"\nvia = [\"scheduler\"]\n",
	"scheduler.toml": "[service]\nname = \"scheduler\"\n[[dependency]]\non = \"cluster\"\n",
}

func parseAll(t *testing.T, files map[string]string) []*manifest.Manifest {
	t.Helper()
	var ms []*manifest.Manifest
	for name, text := range files {
		m, errs := manifest.Parse(name, []byte(text))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		ms = append(ms, m)
	}
	return ms
}

func simCases(t *testing.T) []simCase {
	return []simCase{
		{"cloudflare", picLoad(t, "../examples/cloudflare-2023"), []string{"workers-kv@production"}},
		{"fixed", picLoad(t, "../examples/cloudflare-2023-fixed"), []string{"workers-kv@production"}},
		{"waves", parseAll(t, wavesTOML), []string{"api@production", "db@production", "queue@production"}},
		{"lonely", parseAll(t, map[string]string{"lonely.toml": "[service]\nname = \"lonely\"\n"}), []string{"lonely@production"}},
		{"rebuild", parseAll(t, rebuildTOML), []string{"cluster@production"}},
	}
}

// TestSimulationGolden pins what-if, --each and plan in text and JSON.
func TestSimulationGolden(t *testing.T) {
	for _, c := range simCases(t) {
		g := graph.Build(c.ms)
		var failed []int
		for _, id := range c.fail {
			v, ok := g.Lookup(id)
			if !ok {
				t.Fatalf("%s: no node %s", c.name, id)
			}
			failed = append(failed, v)
		}
		w := analyzer.Simulate(g, failed)
		p := analyzer.ColdStart(g)
		each := analyzer.EachFailure(g, rules.ComputeFacts(g))
		for _, out := range []struct {
			suffix string
			write  func(*bytes.Buffer) error
		}{
			{"whatif.text", func(b *bytes.Buffer) error { return report.WhatIfText(b, w, report.Options{}) }},
			{"whatif.json", func(b *bytes.Buffer) error { return report.WhatIfJSON(b, w, report.Options{}) }},
			{"plan.text", func(b *bytes.Buffer) error { return report.PlanText(b, p, report.Options{}) }},
			{"plan.json", func(b *bytes.Buffer) error { return report.PlanJSON(b, p, report.Options{}) }},
			{"each.text", func(b *bytes.Buffer) error { return report.EachText(b, each, 0, report.Options{}) }},
			{"each.json", func(b *bytes.Buffer) error { return report.EachJSON(b, each, report.Options{}) }},
		} {
			t.Run(c.name+"."+out.suffix, func(t *testing.T) {
				var buf bytes.Buffer
				if err := out.write(&buf); err != nil {
					t.Fatal(err)
				}
				if filepath.Ext(out.suffix) == ".json" && !json.Valid(buf.Bytes()) {
					t.Fatalf("invalid JSON:\n%s", buf.String())
				}
				checkGolden(t, filepath.Join("testdata", "sim-"+c.name+"."+out.suffix+".golden"), buf.Bytes())
			})
		}
	}
}

// TestWhatIfJSONContract checks SPEC §4's what-if and plan shapes
// generically, so a renamed field fails even if the goldens were rewritten.
func TestWhatIfJSONContract(t *testing.T) {
	ms := picLoad(t, "../examples/cloudflare-2023")
	g := graph.Build(ms)
	kv, _ := g.Lookup("workers-kv@production")
	var buf bytes.Buffer
	if err := report.WhatIfJSON(&buf, analyzer.Simulate(g, []int{kv}), report.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version     int                 `json:"version"`
		Failed      []string            `json:"failed"`
		Down        []string            `json:"down"`
		Waves       [][]json.RawMessage `json:"waves"`
		Unrecovered []struct {
			Node, Reason string
		} `json:"unrecovered"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Failed) != 1 || len(doc.Down) != 14 || doc.Waves == nil || len(doc.Unrecovered) != 1 ||
		doc.Unrecovered[0].Reason != "deadlock" {
		t.Fatalf("what-if JSON: %+v", doc)
	}
	buf.Reset()
	if err := report.PlanJSON(&buf, analyzer.ColdStart(g), report.Options{}); err != nil {
		t.Fatal(err)
	}
	var plan struct {
		Version int        `json:"version"`
		Waves   [][]string `json:"waves"`
		Never   []struct {
			Node, Why string
		} `json:"never"`
	}
	if err := json.Unmarshal(buf.Bytes(), &plan); err != nil {
		t.Fatal(err)
	}
	if plan.Version != 1 || len(plan.Waves) != 1 || len(plan.Never) != 14 || plan.Never[0].Why == "" {
		t.Fatalf("plan JSON: %+v", plan)
	}
}

// TestWhatIfJSONRebuildContract checks the additive rebuild fields by
// name: the rebuild and the redeploy in waves, the stranded nodes, and
// what each down node says of its redeploy.
func TestWhatIfJSONRebuildContract(t *testing.T) {
	g := graph.Build(parseAll(t, rebuildTOML))
	cluster, _ := g.Lookup("cluster@production")
	var buf bytes.Buffer
	if err := report.WhatIfJSON(&buf, analyzer.Simulate(g, []int{cluster}), report.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Waves [][]struct {
			Node, Procedure    string
			Redeploy, Rebuilds bool
		} `json:"waves"`
		Stranded []struct {
			Node, Rebuilt, Reason string
			Wave                  int
		} `json:"stranded"`
		Nodes []struct {
			Node, Rebuilt string
			Back          int
			Redeployed    int
		} `json:"nodes"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Waves) != 2 || !doc.Waves[0][0].Rebuilds || doc.Waves[0][0].Redeploy || !doc.Waves[1][0].Redeploy || doc.Waves[1][0].Node != "api@production" {
		t.Errorf("waves %+v", doc.Waves)
	}
	if len(doc.Stranded) != 3 || doc.Stranded[2].Node != "worker@production" || doc.Stranded[2].Rebuilt != "cluster@production" ||
		doc.Stranded[2].Wave != 1 || doc.Stranded[2].Reason != "no-recovery" {
		t.Errorf("stranded %+v", doc.Stranded)
	}
	if n := doc.Nodes[0]; n.Node != "api@production" || n.Rebuilt != "cluster@production" || n.Redeployed != 2 || n.Back != 2 {
		t.Errorf("api %+v", n)
	}
}
