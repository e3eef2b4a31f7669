package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/observed"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
	"github.com/catch22/catch22/validate"
)

// hostileFile is the name of a manifest file that tries to start a
// workflow command on a line of its own.
const hostileFile = "ci\n::error file=y::pwned2.toml"

// hostileTOML is a manifest set whose free text tries every trick on the
// device that shows the output: line breaks followed by workflow commands,
// the legacy "##[" form, ANSI colour, C1 CSI, bidi overrides and
// isolates, line separators, and @mentions and #references. kv's two
// procedures are blocked through ci, so they reach recovery-cycle, what-if
// and plan; web's procedure is usable, so it reaches the recovery waves.
var hostileTOML = map[string]string{
	"kv.toml": `[service]
name = "kv"
owner = "@org/team"
description = "\u001b[31mred\u202e gnp.exe \u009b31m"
tier = 0

[[dependency]]
on = "ci"
note = "note \u001b]0;title\u0007 \u2066isolate\u2069 \u2028sep"

[[recovery]]
name = "roll\n::error file=x::pwned"
via = ["ci"]

[[recovery]]
name = "@org/team ##[error]legacy #12 \u202eevil\r\u0085"
via = ["ci"]
`,
	hostileFile: `[service]
name = "ci"
owner = "@octocat"
tier = 1

[[dependency]]
on = "kv"
`,
	"web.toml": `[service]
name = "web"

[[dependency]]
on = "kv"
mode = "soft"

[[recovery]]
name = "  ::warning::by @org/team\t\u202efix"
via = ["console"]
`,
	"console.toml": "[service]\nname = \"console\"\nkind = \"tool\"\n",
}

// hostileRun loads hostileTOML from disk (the newline in a file name
// included) and analyses it with a waiver, a baseline and observed traffic
// that carry hostile text of their own.
func hostileRun(t *testing.T) (*graph.Graph, *analyzer.Result) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range hostileTOML {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Skipf("this file system refuses the name %q: %v", name, err)
		}
	}
	ms, err := manifest.Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	g := graph.Build(ms)
	cfg := analyzer.DefaultConfig(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
	cfg.Waivers = []analyzer.Waiver{
		{Rule: "missing-recovery", Node: "ci@production", Reason: "@org/team said so\n::error::waived \u001b[0m", Pos: manifest.Pos{File: "catch22.toml", Line: 3}},
		{Rule: "tier-inversion", Node: "x\n::error::unused*", Reason: "r", Pos: manifest.Pos{File: "catch22.toml", Line: 9}},
	}
	cfg.Baseline = &analyzer.Baseline{File: "base\n::error::b.json", Entries: []analyzer.BaselineEntry{
		{Fingerprint: "0000", Rule: "env-crossing\u001b[2J", Node: "gone\n::error::stale@production", Line: 3},
	}}
	cfg.Observed = []observed.Call{{Client: "kv", Server: "ghost\n::warning::x\u202e@production", Count: 2}}
	res, err := analyzer.Analyze(g, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g, res
}

// TestHostileText renders the hostile set in every format that people or
// CI runners read and checks what the escaping promises, line by line.
func TestHostileText(t *testing.T) {
	g, res := hostileRun(t)
	for _, rule := range []string{"recovery-cycle", "unused-waiver", "stale-baseline", "undeclared-dependency"} {
		if !slices.ContainsFunc(res.Findings, func(f rules.Finding) bool { return f.Rule == rule }) {
			t.Fatalf("the hostile set has no %s finding, so it tests less than it claims", rule)
		}
	}
	kv, _ := g.Lookup("kv@production")
	web, _ := g.Lookup("web@production")
	whatIf := analyzer.Simulate(g, []int{kv, web})
	plan := analyzer.ColdStart(g)
	each := analyzer.EachFailure(g, res.Facts)
	diff := analyzer.Compare(&analyzer.Result{}, res)
	val := &validate.Result{
		Failed: []string{"kv@production"}, Prediction: whatIf,
		Nodes: []validate.NodeResult{{Node: "kv@production", Failed: true,
			Predicted: validate.Outcome{Down: true, Back: 1, Repaired: 1, Procedure: whatIf.Unrecovered[0].Blocked[0].Procedure},
			Observed:  validate.Outcome{Down: true}}},
		Procedures: []validate.ProcedureResult{{Node: "kv@production", Procedure: "roll\n::error::v", PredictedBlocked: true,
			ObservedDown: "ci\n::error::down@production", PredictedWitness: []string{"kv@production", "x\u202e@production"}}},
	}

	outputs := map[string][]byte{}
	for _, f := range report.Formats() {
		outputs["check."+f.Name] = render(t, func(b *bytes.Buffer) error { return f.Write(b, res, report.Options{}) })
	}
	for _, f := range report.DiffFormats() {
		outputs["diff."+f.Name] = render(t, func(b *bytes.Buffer) error { return f.Write(b, diff, report.Options{}) })
	}
	outputs["check.text+colour"] = render(t, func(b *bytes.Buffer) error { return report.Text(b, res, report.Options{Color: true}) })
	outputs["what-if.text"] = render(t, func(b *bytes.Buffer) error { return report.WhatIfText(b, whatIf, report.Options{}) })
	outputs["what-if.json"] = render(t, func(b *bytes.Buffer) error { return report.WhatIfJSON(b, whatIf, report.Options{}) })
	outputs["plan.text"] = render(t, func(b *bytes.Buffer) error { return report.PlanText(b, plan, report.Options{}) })
	outputs["plan.json"] = render(t, func(b *bytes.Buffer) error { return report.PlanJSON(b, plan, report.Options{}) })
	outputs["each.text"] = render(t, func(b *bytes.Buffer) error { return report.EachText(b, each, 0, report.Options{}) })
	outputs["validate.text"] = render(t, func(b *bytes.Buffer) error { return report.ValidateText(b, val, report.Options{}) })
	outputs["validate.json"] = render(t, func(b *bytes.Buffer) error { return report.ValidateJSON(b, val, report.Options{}) })

	unwaived := 0
	for _, f := range res.Findings {
		if !f.Waived {
			unwaived++
		}
	}
	command := regexp.MustCompile(`^::(error|warning|notice)( [^:]*)?::`)
	for name, out := range outputs {
		commands := 0
		for i, line := range strings.Split(string(out), "\n") {
			// The runner trims leading white space before it looks for "::".
			if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
				if name != "check.github" || !command.MatchString(line) {
					t.Errorf("%s line %d starts a workflow command: %q", name, i+1, line)
				}
				commands++
			}
			if strings.Contains(line, "##[") {
				t.Errorf("%s line %d holds a legacy workflow command: %q", name, i+1, line)
			}
			for _, r := range line {
				if safetext.Escaped(r) && !(r == '\x1b' && name == "check.text+colour") {
					t.Errorf("%s line %d holds a raw %U: %q", name, i+1, r, line)
				}
			}
		}
		if want := unwaived + 1; name == "check.github" && commands != want {
			t.Errorf("check.github: %d commands, want one per finding not waived and the summary: %d", commands, want)
		}
	}
	// Colour output carries only catch22's own SGR sequences.
	if sgr := regexp.MustCompile("\x1b\\[[0-9;]*m"); strings.Contains(sgr.ReplaceAllString(string(outputs["check.text+colour"]), ""), "\x1b") {
		t.Error("coloured text holds an ESC that is not catch22's own colour")
	}

	// The escapes are visible where the characters were.
	text := string(outputs["check.text"])
	for _, want := range []string{`roll\n::error file=x::pwned`, `@org/team ##\[error]legacy #12 \u202eevil\r\u0085`,
		`ci\n::error file=y::pwned2.toml:`, `gone\n::error::stale`, `ghost\n::warning::x\u202e`, `waived: @org/team said so\n::error::waived \x1b[0m`} {
		if !strings.Contains(text, want) {
			t.Errorf("check text lacks %q:\n%s", want, text)
		}
	}
	if w := string(outputs["what-if.text"]); !strings.Contains(w, `repaired by   \::warning::by @org/team\t\u202efix`) {
		t.Errorf("what-if text does not show web's procedure escaped:\n%s", w)
	}

	// Markdown pings nobody: outside code spans, every @ that would start a
	// mention and every #digit reference is broken by a zero-width space.
	for _, name := range []string{"check.markdown", "diff.markdown"} {
		md := regexp.MustCompile("(`+)[^`]*?(`+)").ReplaceAllString(string(outputs[name]), "")
		if m := regexp.MustCompile(`(^|[^A-Za-z0-9_])@[A-Za-z0-9]|(^|[^&])#[0-9]`).FindString(md); m != "" {
			t.Errorf("%s mentions or references %q:\n%s", name, m, outputs[name])
		}
		if !strings.Contains(md, "@&#8203;org/team") || !strings.Contains(md, "#&#8203;12") {
			t.Errorf("%s does not show the neutralised mention and reference:\n%s", name, outputs[name])
		}
	}

	// Machine formats keep the exact values: JSON and XML escapes read back
	// as the original text.
	var doc struct {
		Findings []struct{ Node, Message string }
	}
	if err := json.Unmarshal(outputs["check.json"], &doc); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(doc.Findings, func(f struct{ Node, Message string }) bool {
		return f.Node == "gone\n::error::stale@production"
	}) || !slices.ContainsFunc(doc.Findings, func(f struct{ Node, Message string }) bool {
		return strings.Contains(f.Message, "@org/team ##[error]legacy #12 \u202eevil\r\u0085")
	}) {
		t.Errorf("JSON does not read back the exact hostile values:\n%s", outputs["check.json"])
	}
	var junit junitDoc
	if err := xml.Unmarshal(outputs["check.junit"], &junit); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, s := range junit.Suites {
		for _, c := range s.Cases {
			names[c.Name] = true
		}
	}
	if !names["ghost\n::warning::x\u202e@production"] && !names["kv@production"] {
		t.Errorf("JUnit testcase names are not the exact node IDs: %v", names)
	}
}
