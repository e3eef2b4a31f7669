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
