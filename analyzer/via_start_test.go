package analyzer

import (
	"strings"
	"testing"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/rules"
)

// viaStartEstate: the registry is redeployed through ci, and ci pulls its
// runner image from the registry when a job starts; db is restored through
// ci too. With manual, the registry can also be fixed by hand.
func viaStartEstate(t *testing.T, manual bool) *graph.Graph {
	t.Helper()
	registry := `[service]
name = "registry"
[[recovery]]
name = "redeploy"
via = ["ci"]`
	if manual {
		registry += `
[[recovery]]
name = "manual"
via = ["ops"]
breakglass = true`
	}
	return graph.Build(parseFiles(t, map[string]string{
		"registry.toml": registry,
		"ci.toml": `[service]
name = "ci"
kind = "tool"
[[dependency]]
on = "registry"
kind = "deploy"
phase = "start"`,
		"db.toml": `[service]
name = "db"
kind = "datastore"
[[recovery]]
name = "restore"
via = ["ci"]`,
		"ops.toml": `[service]
name = "ops"
kind = "human"`,
	}))
}

// hops draws a witness as text does, without @production.
func hops(w []rules.Hop) string {
	var b strings.Builder
	for i, h := range w {
		if i > 0 {
			b.WriteString(" -[" + h.Label + "]-> ")
		}
		b.WriteString(strings.TrimSuffix(h.Node, "@production"))
	}
	return b.String()
}

func wavesOf(w *WhatIf) string {
	var out []string
	for i, wave := range w.Waves {
		for _, r := range wave {
			out = append(out, strings.TrimSuffix(r.Node, "@production")+":"+r.Procedure+"@"+string(rune('0'+i+1)))
		}
	}
	return strings.Join(out, " ")
}

// TestViaStartBlocksInWhatIf: the registry failing takes nothing else down,
// ci keeps running, yet the redeploy through ci cannot run, since a ci job
// cannot start without the registry: a deadlock, proven through the
// start-phase hop.
func TestViaStartBlocksInWhatIf(t *testing.T) {
	g := viaStartEstate(t, false)
	w := simulateIDs(t, g, "registry")
	if got := downIDs(w); got != "registry:0" {
		t.Errorf("down %q, want only the registry, never back", got)
	}
	if len(w.Unrecovered) != 1 || w.Unrecovered[0].Reason != ReasonDeadlock || len(w.Unrecovered[0].Blocked) != 1 {
		t.Fatalf("unrecovered %+v, want the registry deadlocked", w.Unrecovered)
	}
	if got, want := hops(w.Unrecovered[0].Blocked[0].Witness), "registry -[recovery: redeploy]-> ci -[deploy, start]-> registry"; got != want {
		t.Errorf("witness %q, want %q", got, want)
	}
	// db's restore through ci waits for the registry as well.
	w = simulateIDs(t, g, "db", "registry")
	if got := downIDs(w); got != "db:0 registry:0" {
		t.Errorf("db and registry fail: down %q", got)
	}
	for _, u := range w.Unrecovered {
		if u.Node == "db@production" {
			if got, want := hops(u.Blocked[0].Witness), "db -[recovery: restore]-> ci -[deploy, start]-> registry"; got != want {
				t.Errorf("db witness %q, want %q", got, want)
			}
		}
	}
	// With a manual fix, the registry is repaired first, and db's restore
	// through ci can run only in the next wave, though ci never went down.
	w = simulateIDs(t, viaStartEstate(t, true), "db", "registry")
	if got, want := wavesOf(w), "registry:manual@1 db:restore@2"; got != want {
		t.Errorf("waves %q, want %q", got, want)
	}
}

// TestViaStartEach: what-if --each agrees: the registry alone cannot come
// back, and db alone can.
func TestViaStartEach(t *testing.T) {
	g := viaStartEstate(t, false)
	got := map[string]string{}
	for _, row := range EachFailure(g, rules.ComputeFacts(g)) {
		got[strings.TrimSuffix(row.Node, "@production")] = row.Reason + row.Procedure
	}
	if got["registry"] != ReasonDeadlock || got["db"] != "restore" {
		t.Errorf("each: %v, want the registry deadlocked and db restored", got)
	}
}

// TestViaStartInPlan: from nothing, ci waits for the registry, whose only
// way up is through ci: both never come up, nor does db. Softening ci's
// start-phase dependency releases all three, since it frees the redeploy
// from needing the registry too.
func TestViaStartInPlan(t *testing.T) {
	p := ColdStart(viaStartEstate(t, false))
	var never []string
	for _, s := range p.Never {
		never = append(never, strings.TrimSuffix(s.Node, "@production"))
	}
	if got := strings.Join(never, " "); got != "ci db registry" {
		t.Fatalf("never %q", got)
	}
	if got, want := hops(p.Never[0].Witness), "ci -[deploy, start]-> registry -[recovery: redeploy]-> ci"; got != want {
		t.Errorf("ci witness %q, want %q", got, want)
	}
	if p.Release == nil || p.Release.Nodes != 3 || p.Release.Change.String() != "make ci → registry soft (start from a cached copy instead)" {
		t.Errorf("release %+v, want ci → registry softened, releasing 3", p.Release)
	}
	// With the manual fix, the registry comes up by hand, then ci, then db.
	p = ColdStart(viaStartEstate(t, true))
	var waves []string
	for _, wave := range p.Waves {
		var ups []string
		for _, u := range wave {
			ups = append(ups, strings.TrimSuffix(u.Node, "@production"))
		}
		waves = append(waves, strings.Join(ups, ","))
	}
	if got, want := strings.Join(waves, " | "), "ops | registry | ci | db"; got != want || len(p.Never) > 0 {
		t.Errorf("waves %q (never %v), want %q", got, p.Never, want)
	}
}

// TestViaStartSuggestions: the change proposed for the registry's
// recovery cycle is the start-phase dependency that closes it.
func TestViaStartSuggestions(t *testing.T) {
	g := viaStartEstate(t, false)
	res, err := Analyze(g, DefaultConfig(exampleNow))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range SuggestFor(g, res) {
		got = append(got, c.String())
	}
	if want := "make ci → registry soft (start from a cached copy instead)"; len(got) != 1 || got[0] != want {
		t.Errorf("suggestions %q, want %q", got, want)
	}
}

// TestDropProcedureSaysWhyTheViaCannotStart: a procedure dropped because
// its via node cannot start says so, rather than claiming the via node
// goes down.
func TestDropProcedureSaysWhyTheViaCannotStart(t *testing.T) {
	for _, tc := range []struct {
		because []string
		want    string
	}{
		{[]string{"ci@production"}, "drop procedure redeploy of registry: it needs ci, which goes down with registry"},
		{[]string{"ci@production", "registry@production"}, "drop procedure redeploy of registry: it needs ci, which needs registry to start"},
		{[]string{"ci@production", "vault@production"}, "drop procedure redeploy of registry: it needs ci, which needs vault to start, and vault goes down with registry"},
	} {
		c := Change{Kind: DropProcedure, Node: "registry@production", Procedure: "redeploy", Because: tc.because}
		if got := c.String(); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.because, got, tc.want)
		}
	}
	// The model names the start dependency when it proposes the drop.
	g := viaStartEstate(t, true)
	registry, _ := g.Lookup("registry@production")
	m := newModel(g, []int{registry}, nil)
	var drops []string
	for _, c := range m.candidates(false) {
		if c.Kind == DropProcedure {
			drops = append(drops, c.String())
		}
	}
	if want := "drop procedure redeploy of registry: it needs ci, which needs registry to start"; len(drops) != 1 || drops[0] != want {
		t.Errorf("drop candidates %q, want %q", drops, want)
	}
}
