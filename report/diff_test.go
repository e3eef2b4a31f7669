package report_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

// diffInputs are the diffs every diff reporter is rendered from.
func diffInputs(t *testing.T) map[string]*analyzer.Diff {
	t.Helper()
	analyse := func(dir string) *analyzer.Result {
		ms, err := manifest.Load([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		res, err := analyzer.Run(ms, analyzer.DefaultConfig(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	broken, fixed := analyse("../examples/cloudflare-2023"), analyse("../examples/cloudflare-2023-fixed")
	return map[string]*analyzer.Diff{
		"empty":      {},
		"fix":        analyzer.Compare(broken, fixed),
		"regression": analyzer.Compare(fixed, broken),
		// Data that Markdown and JSON must escape, a waived finding, every
		// severity, and a witness of one node.
		"special": {
			Introduced: []rules.Finding{
				{Rule: "env-crossing", Severity: rules.Error, Node: "api@production", Message: "quotes \" and <tags> & | pipes | *stars* _under_ `ticks` [link](x) #1 @me\nsecond line",
					Witness: []rules.Hop{{Node: "api@production"}, {Node: "db@staging", Label: "data"}}, File: "dir `x`/a.toml", Line: 3, Col: 6, Fingerprint: "f1"},
				{Rule: "tier-inversion", Severity: rules.Warning, Node: "api@production", Message: "tier 0 api depends on tier 2 cache",
					Witness: []rules.Hop{{Node: "api@production"}, {Node: "cache@production", Label: "runtime"}}, File: "a.toml", Line: 9, Col: 1, Fingerprint: "f2",
					Waived: true, WaivedFor: "cache is <being> replaced | Q3"},
			},
			Resolved: []rules.Finding{
				{Rule: "missing-recovery", Severity: rules.Warning, Node: "db@staging", Message: "tier 1 datastore db@staging declares no recovery procedure",
					Witness: []rules.Hop{{Node: "db@staging"}}, File: "b.toml", Line: 1, Col: 1, Fingerprint: "f3"},
			},
			Unchanged: []rules.Finding{
				{Rule: "blast-radius", Severity: rules.Info, Node: "db@staging", Message: "3 of 4 other nodes (75%) go down with db@staging",
					Witness: []rules.Hop{{Node: "db@staging"}}, File: "b.toml", Line: 1, Col: 1, Fingerprint: "f4"},
			},
		},
	}
}

func TestDiffGolden(t *testing.T) {
	for name, d := range diffInputs(t) {
		for _, f := range report.DiffFormats() {
			t.Run(name+"."+f.Name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := f.Write(&buf, d, report.Options{}); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", "diff-"+name+"."+f.Name+".golden"), buf.Bytes())
			})
		}
	}
}

func TestLookupDiff(t *testing.T) {
	if got, want := report.DiffNames(), []string{"text", "json", "markdown"}; !cmp.Equal(got, want) {
		t.Errorf("DiffNames() = %v, want %v", got, want)
	}
	for _, name := range report.DiffNames() {
		if f, err := report.LookupDiff(name); err != nil || f.Name != name {
			t.Errorf("LookupDiff(%q) = %q, %v", name, f.Name, err)
		}
	}
	_, err := report.LookupDiff("sarif")
	if err == nil || err.Error() != `unknown format "sarif" (want text, json, markdown)` {
		t.Errorf("LookupDiff(sarif) error = %v", err)
	}
}

// A nil diff is rendered as an empty one by every format.
func TestDiffNil(t *testing.T) {
	for _, f := range report.DiffFormats() {
		var fromNil, fromEmpty bytes.Buffer
		if err := f.Write(&fromNil, nil, report.Options{}); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if err := f.Write(&fromEmpty, &analyzer.Diff{}, report.Options{}); err != nil {
			t.Fatal(err)
		}
		if fromNil.String() != fromEmpty.String() {
			t.Errorf("%s: nil diff renders %q, empty diff %q", f.Name, fromNil.String(), fromEmpty.String())
		}
	}
}

// TestDiffJSONContract decodes the diff JSON generically: the fixed keys,
// arrays never null, counts equal to the lists, and each finding exactly as
// `check --format json` writes it.
func TestDiffJSONContract(t *testing.T) {
	for name, d := range diffInputs(t) {
		var buf bytes.Buffer
		if err := report.DiffJSON(&buf, d, report.Options{}); err != nil {
			t.Fatal(err)
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if string(doc["version"]) != "1" {
			t.Errorf("%s: version %s, want 1", name, doc["version"])
		}
		var summary map[string]int
		if err := json.Unmarshal(doc["summary"], &summary); err != nil {
			t.Fatal(err)
		}
		for key, fs := range map[string][]rules.Finding{"introduced": d.Introduced, "resolved": d.Resolved, "unchanged": d.Unchanged} {
			var got []any
			if err := json.Unmarshal(doc[key], &got); err != nil || got == nil {
				t.Fatalf("%s: %s is %s, want an array", name, key, doc[key])
			}
			if n, ok := summary[key]; !ok || n != len(fs) {
				t.Errorf("%s: summary.%s = %d (present %v), want %d", name, key, n, ok, len(fs))
			}
			// The same findings as check's JSON findings.
			var check bytes.Buffer
			if err := report.JSON(&check, &analyzer.Result{Findings: fs}, report.Options{}); err != nil {
				t.Fatal(err)
			}
			var want struct{ Findings []any }
			if err := json.Unmarshal(check.Bytes(), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Findings, got); diff != "" {
				t.Errorf("%s: %s differs from check's findings (-check +diff):\n%s", name, key, diff)
			}
		}
	}
}

// Data from manifests cannot add markup to a pull-request comment.
func TestDiffMarkdownEscapes(t *testing.T) {
	var buf bytes.Buffer
	if err := report.DiffMarkdown(&buf, diffInputs(t)["special"], report.Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, raw := range []string{"<tags>", "<being>", "*stars*", "_under_", "[link](x)", "| pipes |", "\nsecond line"} {
		if strings.Contains(out, raw) {
			t.Errorf("markdown contains %q unescaped:\n%s", raw, out)
		}
	}
	for _, escaped := range []string{"&lt;tags&gt;", `\*stars\*`, `\[link\]`, `\| pipes \|`, "``dir `x`/a.toml:3:6``"} {
		if !strings.Contains(out, escaped) {
			t.Errorf("markdown lacks %q:\n%s", escaped, out)
		}
	}
}

func TestDiffTextColourOnlyWhenAsked(t *testing.T) {
	d := diffInputs(t)["regression"]
	var plain, colour bytes.Buffer
	if err := report.DiffText(&plain, d, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := report.DiffText(&colour, d, report.Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain diff text contains ANSI escapes")
	}
	if !strings.Contains(colour.String(), "\x1b[31m") {
		t.Error("coloured diff text has no red for introduced errors")
	}
}
