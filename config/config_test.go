package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

func TestParseGood(t *testing.T) {
	src := `fail_on = "warning"

[environments]
order = ["production", "qa", "staging"]

[rules.blast-radius]
severity = "warning"
threshold = 0.5
min_dependents = 10

[rules.tier-inversion]
enabled = false

[[waiver]]
rule = "recovery-cycle"
node = "workers-kv"
reason = "rollback via breakglass is drilled; cycle tracked in INC-42"
expires = 2027-01-31

[[waiver]]
rule = "env-crossing"
node = "*@staging"
reason = "staging may use anything"
`
	c, err := Parse("catch22.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	warning := rules.Warning
	off := false
	want := &Config{
		File:     "catch22.toml",
		FailOn:   "warning",
		EnvOrder: []string{"production", "qa", "staging"},
		Rules: map[string]analyzer.RuleConfig{
			"blast-radius":   {Severity: &warning, Params: map[string]float64{"threshold": 0.5, "min_dependents": 10}},
			"tier-inversion": {Enabled: &off},
		},
		Waivers: []analyzer.Waiver{
			{Rule: "recovery-cycle", Node: "workers-kv@production", Reason: "rollback via breakglass is drilled; cycle tracked in INC-42",
				Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), Pos: pos(14, 1)},
			{Rule: "env-crossing", Node: "*@staging", Reason: "staging may use anything", Pos: pos(20, 1)},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	src := `fail_on = "warnign"
colour = true

[environments]
order = ["production", "Staging", "production"]

[rules.blast-radius]
threshold = 1.5
min_dependent = 3

[rules.recovery-cycles]
enabled = false

[rules.env-crossing]
severity = "fatal"
enabled = "yes"

[[waiver]]
rule = "recovery-cycl"
node = "a[b"
reason = " "
expires = "soon"

[[waiver]]
node = "x"
`
	_, err := Parse("c.toml", []byte(src))
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`c.toml:1:11: fail_on: want one of error|warning|info|none, got "warnign" (did you mean "warning"?)`,
		`c.toml:2:1: unknown key "colour"`,
		`c.toml:5:24: order: want distinct environment names matching [a-z0-9][a-z0-9._-]*, got "Staging"`,
		`c.toml:5:35: order: want distinct environment names matching [a-z0-9][a-z0-9._-]*, got "production" twice`,
		`c.toml:8:13: threshold: want a number from 0 to 1, got 1.5`,
		`c.toml:9:1: unknown key "min_dependent" in [rules.blast-radius] (did you mean "min_dependents"?)`,
		`c.toml:11:8: unknown rule "recovery-cycles" in [rules] (did you mean "recovery-cycle"?)`,
		`c.toml:15:12: severity: want one of error|warning|info, got "fatal"`,
		`c.toml:16:11: enabled: want a boolean, got string`,
		`c.toml:19:8: rule: no rule "recovery-cycl" (did you mean "recovery-cycle"?)`,
		`c.toml:20:8: node: want a node ID or a glob pattern such as "kv-*" or "*@staging", got "a[b"`,
		`c.toml:21:10: reason: want why the finding is accepted, got an empty string`,
		`c.toml:22:11: expires: want a date (YYYY-MM-DD), got "soon"`,
		`c.toml:24:1: missing required key "reason" in [[waiver]]`,
		`c.toml:24:1: missing required key "rule" in [[waiver]]`,
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("svc", 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string) {
		if err := os.WriteFile(name, []byte("fail_on = \"info\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(explicit string, paths []string, want string) {
		t.Helper()
		got, err := Find(explicit, paths)
		if err != nil || got != want {
			t.Errorf("Find(%q, %q) = %q, %v; want %q", explicit, paths, got, err, want)
		}
	}
	check("", []string{"svc"}, "")
	write(filepath.Join("svc", File))
	check("", []string{"svc"}, filepath.Join("svc", File))
	check("", []string{"svc", "other"}, "") // only for exactly one directory
	write(File)
	check("", []string{"svc"}, File) // ./catch22.toml comes first
	check("svc/catch22.toml", nil, "svc/catch22.toml")
	if _, err := Find("missing.toml", nil); err == nil || !strings.Contains(err.Error(), "missing.toml: configuration file: no such file or directory") {
		t.Errorf("Find of a missing explicit file: %v", err)
	}
}

func TestParseBaseline(t *testing.T) {
	src := `{
  "version": 1,
  "summary": {"nodes": 2, "edges": 1, "errors": 1, "warnings": 0, "infos": 0},
  "findings": [
    {
      "rule": "env-crossing",
      "node": "api@production",
      "fingerprint": "aaa"
    },
    {
      "rule": "unknown-service",
      "node": "api@production",
      "fingerprint": "bbb"
    }
  ]
}
`
	b, err := ParseBaseline("base.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &analyzer.Baseline{File: "base.json", Entries: []analyzer.BaselineEntry{
		{Fingerprint: "aaa", Rule: "env-crossing", Node: "api@production", Line: 8},
		{Fingerprint: "bbb", Rule: "unknown-service", Node: "api@production", Line: 13},
	}}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"version": 1, "findings": [}`, `{"version": 2, "findings": []}`, `[]`, `{"version": 1, "findings": [{"rule": "x"}]}`} {
		if _, err := ParseBaseline("b.json", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "b.json:") {
			t.Errorf("ParseBaseline(%s) = %v, want a positioned error", bad, err)
		}
	}
}

func pos(line, col int) manifest.Pos { return manifest.Pos{File: "catch22.toml", Line: line, Col: col} }

// [defaults] holds what a _defaults.toml holds and applies to every
// manifest loaded with it, positioned in catch22.toml.
func TestParseDefaults(t *testing.T) {
	src := `fail_on = "warning"

[defaults.service]
owner = "sre"

[[defaults.dependency]]
on = "dns@production"

[[defaults.template]]
name = "rollback"
via = ["ci"]
`
	c, err := Parse("catch22.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.FailOn != "warning" || c.Defaults == nil || c.Defaults.File() != "catch22.toml" {
		t.Fatalf("FailOn %q, Defaults %v", c.FailOn, c.Defaults)
	}
	ms, err := manifest.Options{Defaults: c.Defaults}.LoadFiles([]manifest.File{{Name: "svc/a.toml", Data: []byte(`[service]
name = "a"
env = "staging"

[[recovery]]
use = "rollback"
`)}})
	if err != nil {
		t.Fatal(err)
	}
	m := ms[0]
	want := []string{"owner sre", "dns@production catch22.toml:7:6", "rollback ci@staging catch22.toml:11:8"}
	got := []string{"owner " + m.Service.Owner,
		m.Dependencies[0].On.ID() + " " + m.Dependencies[0].On.Pos.String(),
		m.Recoveries[0].Name + " " + m.Recoveries[0].Via[0].ID() + " " + m.Recoveries[0].Via[0].Pos.String()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// Problems in [defaults] come with the others, sorted.
	_, err = Parse("c.toml", []byte("fail_on = \"never\"\n[defaults.service]\nownr = \"x\"\n[defaults.dependency]\non = \"a\"\n"))
	wantErrs := []string{
		`c.toml:1:11: fail_on: want one of error|warning|info|none, got "never"`,
		`c.toml:3:1: unknown key "ownr" in [defaults.service] (did you mean "owner"?)`,
		`c.toml:4:1: dependency: want an array of tables ([[defaults.dependency]]), got table`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(wantErrs, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c, err := Parse("c.toml", []byte("fail_on = \"info\"\n")); err != nil || c.Defaults != nil {
		t.Errorf("without [defaults]: Defaults %v, %v; want nil", c.Defaults, err)
	}
}
