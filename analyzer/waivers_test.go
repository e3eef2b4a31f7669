package analyzer

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// waiverFixture has an env-crossing on api and on web and an unknown
// reference from web.
func waiverFixture(t *testing.T) []*manifest.Manifest {
	t.Helper()
	var ms []*manifest.Manifest
	for i, src := range []string{
		"[service]\nname = \"api\"\n[[dependency]]\non = \"db@staging\"\n",
		"[service]\nname = \"web\"\n[[dependency]]\non = \"db@staging\"\n[[dependency]]\non = \"ghost\"\n",
		"[service]\nname = \"db\"\nenv = \"staging\"\n",
	} {
		m, errs := manifest.Parse([]string{"api.toml", "web.toml", "db.toml"}[i], []byte(src))
		if errs != nil {
			t.Fatal(errs)
		}
		ms = append(ms, m)
	}
	return ms
}

type outcome struct {
	Rule, Node string
	Waived     bool
}

func outcomes(res *Result) []outcome {
	var out []outcome
	for _, f := range res.Findings {
		out = append(out, outcome{f.Rule, f.Node, f.Waived})
	}
	return out
}

func TestWaivers(t *testing.T) {
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	cfg := DefaultConfig(now)
	cfg.Waivers = []Waiver{
		{Rule: "env-crossing", Node: "a*@production", Reason: "migrating", Expires: now, Pos: manifest.Pos{File: "c.toml", Line: 1}},              // in force on its last day
		{Rule: "env-crossing", Node: "web@production", Reason: "old", Expires: now.AddDate(0, 0, -1), Pos: manifest.Pos{File: "c.toml", Line: 6}}, // expired
		{Rule: "tier-inversion", Node: "*@*", Reason: "none yet", Pos: manifest.Pos{File: "c.toml", Line: 11}},                                    // matches nothing
	}
	res, err := Run(waiverFixture(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []outcome{
		{"env-crossing", "api@production", true},
		{"env-crossing", "web@production", false},
		{"unknown-service", "web@production", false},
		{"expired-waiver", "web@production", false},
		{"unused-waiver", "*@*", false},
	}
	if diff := cmp.Diff(want, outcomes(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c := res.Counts(); c != (Counts{Errors: 2, Warnings: 1, Infos: 1}) {
		t.Errorf("counts %+v: the waived finding must not count", c)
	}
	if res.Findings[0].WaivedFor != "migrating" {
		t.Errorf("waived finding records reason %q", res.Findings[0].WaivedFor)
	}
	for _, f := range res.Findings[3:] {
		if f.File != "c.toml" || f.Fingerprint == "" {
			t.Errorf("configuration finding %+v must point at the waiver and carry a fingerprint", f)
		}
	}
}

func TestBaseline(t *testing.T) {
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	first, err := Run(waiverFixture(t), DefaultConfig(now))
	if err != nil {
		t.Fatal(err)
	}
	b := &Baseline{File: "base.json"}
	for _, f := range first.Findings {
		if f.Node == "web@production" {
			b.Entries = append(b.Entries, BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Node: f.Node, Line: 3})
		}
	}
	b.Entries = append(b.Entries, BaselineEntry{Fingerprint: "gone", Rule: "dependency-cycle", Node: "old@production", Line: 9})
	cfg := DefaultConfig(now)
	cfg.Baseline = b
	res, err := Run(waiverFixture(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []outcome{
		{"env-crossing", "api@production", false},
		{"stale-baseline", "old@production", false},
	}
	if diff := cmp.Diff(want, outcomes(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s := res.Findings[1]; s.File != "base.json" || s.Line != 9 || s.Severity != rules.Info {
		t.Errorf("stale entry reported as %+v", s)
	}
}

func TestConfigRuleSeverityAndDisable(t *testing.T) {
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	cfg := DefaultConfig(now)
	cfg.Waivers = []Waiver{{Rule: "tier-inversion", Node: "*@*", Reason: "r"}}
	errSev, off := rules.Error, false
	cfg.Rules = map[string]RuleConfig{"unused-waiver": {Severity: &errSev}, "unknown-service": {Enabled: &off}}
	res, err := Run(waiverFixture(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []outcome{
		{"env-crossing", "api@production", false},
		{"env-crossing", "web@production", false},
		{"unused-waiver", "*@*", false},
	}
	if diff := cmp.Diff(want, outcomes(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if res.Findings[2].Severity != rules.Error {
		t.Errorf("unused-waiver severity %s, configured error", res.Findings[2].Severity)
	}
}

// BenchmarkBaseline times an analysis with a baseline of 40k and 500k
// fingerprints over 10k services: every real finding is in the baseline,
// and the rest of the entries are stale, so both the hiding and the
// stale-entry report are exercised. Reading the baseline file is timed by
// config's BenchmarkParseBaseline.
//
//	go test ./analyzer -run '^$' -bench Baseline -benchtime 3x
func BenchmarkBaseline(b *testing.B) {
	ms, err := synth.Manifests(synth.Large(10_000, 1))
	if err != nil {
		b.Fatal(err)
	}
	g := graph.Build(ms)
	now := synth.DefaultNow()
	first, err := Analyze(g, DefaultConfig(now))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{40_000, 500_000} {
		b.Run(fmt.Sprintf("fingerprints=%d", n), func(b *testing.B) {
			base := &Baseline{File: "base.json", Entries: make([]BaselineEntry, 0, n)}
			for _, f := range first.Findings {
				base.Entries = append(base.Entries, BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Node: f.Node, Line: 1 + len(base.Entries)})
			}
			for i := len(base.Entries); i < n; i++ {
				base.Entries = append(base.Entries, BaselineEntry{Fingerprint: fmt.Sprintf("%032x", i), Rule: "env-crossing", Node: fmt.Sprintf("gone-%d@production", i), Line: 1 + i})
			}
			cfg := DefaultConfig(now)
			cfg.Baseline = base
			b.ResetTimer()
			for range b.N {
				res, err := Analyze(g, cfg)
				if err != nil {
					b.Fatal(err)
				}
				if want := n - len(first.Findings); len(res.Findings) != want {
					b.Fatalf("%d findings, want only the %d stale entries", len(res.Findings), want)
				}
			}
		})
	}
}
