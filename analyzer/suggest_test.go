package analyzer

import (
	"slices"
	"testing"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
)

// cycleFindings lists the findings Suggest must remove.
func cycleFindings(res *Result) []string {
	var out []string
	for _, f := range res.Findings {
		if !f.Waived && slices.Contains(cycleRules, f.Rule) {
			out = append(out, f.Rule+" "+f.Node)
		}
	}
	return out
}

// TestSuggestRemovesEveryCycle is the proof the issue asks for: apply the
// suggestions to the manifests, as a person would, re-run every rule, and
// no recovery, partial recovery or dependency cycle is left.
func TestSuggestRemovesEveryCycle(t *testing.T) {
	sets, changes := 0, 0
	kinds := map[ChangeKind]int{}
	for seed, ms := range naiveLoadAll(t) {
		now := synth.Small(int64(seed)).Now
		g := graph.Build(ms)
		res, err := Analyze(g, DefaultConfig(now))
		if err != nil {
			t.Fatal(err)
		}
		before := cycleFindings(res)
		cs := SuggestFor(g, res)
		if len(before) == 0 {
			if len(cs) != 0 {
				t.Fatalf("seed %d: %d suggestions with no cycle finding", seed, len(cs))
			}
			continue
		}
		sets++
		changes += len(cs)
		for _, c := range cs {
			kinds[c.Kind]++
		}
		after, err := Run(applyChanges(ms, cs), DefaultConfig(now))
		if err != nil {
			t.Fatal(err)
		}
		if left := cycleFindings(after); len(left) > 0 {
			t.Fatalf("seed %d: after %v still %v (before: %v)", seed, cs, left, before)
		}
	}
	if sets < 200 || kinds[Soften] == 0 || kinds[DropProcedure] == 0 || kinds[AddBreakglass] == 0 {
		t.Fatalf("generator too tame: %d sets with cycles, changes by kind %v", sets, kinds)
	}
	t.Logf("%d sets with cycle findings, %d changes (%v)", sets, changes, kinds)
}

func TestSuggestCloudflare(t *testing.T) {
	ms := loadExample(t, "cloudflare-2023")
	g := graph.Build(ms)
	res, err := Analyze(g, DefaultConfig(exampleNow))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range SuggestFor(g, res) {
		got = append(got, c.String())
	}
	want := []string{
		"make access → workers-kv soft (cache the keys or tokens it verifies with)",
		"drop procedure dashboard-revert of workers-kv: it needs dashboard, which goes down with workers-kv",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("suggestions:\n%q\nwant\n%q", got, want)
	}
	if fixed, _ := Run(applyChanges(ms, SuggestFor(g, res)), DefaultConfig(exampleNow)); len(cycleFindings(fixed)) > 0 {
		t.Fatalf("cycle findings left: %v", cycleFindings(fixed))
	}
}

// TestSuggestBreaksTrapsThroughGroups: a, b and c each run on either of the
// other two, so no single dependency can be softened; dns runs on either
// resolver, each of which runs on dns, one of them only to start. Applied,
// the suggestions leave no dependency-cycle.
func TestSuggestBreaksTrapsThroughGroups(t *testing.T) {
	group := func(name, x, y string) string {
		return "[service]\nname = \"" + name + "\"\n[[dependency]]\nany_of = [\"" + x + "\", \"" + y + "\"]\nkind = \"network\""
	}
	ms := parseFiles(t, map[string]string{
		"a.toml":   group("a", "b", "c"),
		"b.toml":   group("b", "a", "c"),
		"c.toml":   group("c", "a", "b"),
		"dns.toml": group("dns", "resolver-a", "resolver-b"),
		"resolver-a.toml": `[service]
name = "resolver-a"
[[dependency]]
on = "dns"`,
		"resolver-b.toml": `[service]
name = "resolver-b"
[[dependency]]
on = "dns"
kind = "config"
phase = "start"`,
	})
	g := graph.Build(ms)
	res, err := Analyze(g, DefaultConfig(exampleNow))
	if err != nil {
		t.Fatal(err)
	}
	if before := cycleFindings(res); !slices.Equal(before, []string{"dependency-cycle a@production", "dependency-cycle dns@production"}) {
		t.Fatalf("before: %v", before)
	}
	var got []string
	cs := SuggestFor(g, res)
	for _, c := range cs {
		got = append(got, c.String())
	}
	want := []string{
		"make resolver-a → dns soft (degrade instead of failing)",
		"make a → any of (b, c) soft (give it a second path)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("suggestions:\n%q\nwant\n%q", got, want)
	}
	after, err := Run(applyChanges(ms, cs), DefaultConfig(exampleNow))
	if err != nil {
		t.Fatal(err)
	}
	if left := cycleFindings(after); len(left) > 0 {
		t.Fatalf("after %v still %v", got, left)
	}
}
