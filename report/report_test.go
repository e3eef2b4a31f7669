package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
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

var update = flag.Bool("update", false, "rewrite the golden files")

// results are the inputs every reporter is rendered from.
func results(t *testing.T) map[string]*analyzer.Result {
	t.Helper()
	ms, err := manifest.Load([]string{"../examples/cloudflare-2023"})
	if err != nil {
		t.Fatal(err)
	}
	cf, err := analyzer.Run(ms, analyzer.DefaultConfig(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*analyzer.Result{
		"empty":      {},
		"cloudflare": cf,
		"waived": {Nodes: 2, Edges: 1, Findings: []rules.Finding{
			{Rule: "env-crossing", Severity: rules.Error, Node: "api@production", Message: `quotes " and <tags> & "unicode" ✓`,
				Witness: []rules.Hop{{Node: "api@production"}, {Node: "db@staging", Label: "data"}}, File: "a.toml", Line: 3, Col: 6, Fingerprint: "f1", Waived: true, WaivedFor: "accepted until the migration"},
			{Rule: "missing-recovery", Severity: rules.Warning, Node: "db@staging", Message: "tier 1 datastore db@staging declares no recovery procedure",
				Witness: []rules.Hop{{Node: "db@staging"}}, File: "b.toml", Line: 1, Col: 1, Fingerprint: "f2"},
		}},
		"hostile": hostile(),
	}
}

// Node IDs of the hostile result: every character a format must escape.
const (
	hostileA = "a\"b\\c<d>&e%f:g,h@production"
	hostileB = "pipe|tick`star*under_score@staging"
	hostileC = "ünï-cødé ✓\nnewline@production"
	ghost    = "ghost<&>@production" // referenced, never declared
)

// hostile is a result whose node names, messages, labels and file names
// carry quotes, backslashes, markup, percent signs, colons, commas, line
// breaks, pipes, backticks and Unicode: every format must keep them data.
// Findings are in the analyzer's order.
func hostile() *analyzer.Result {
	long := strings.Repeat("a long message with <b>markup</b> & `code` | pipes; ", 8)
	return &analyzer.Result{
		Nodes: 3, Edges: 4,
		Declared: []analyzer.Declared{
			{ID: hostileA, Pos: manifest.Pos{File: "dir with space/ü%:,.toml", Line: 2, Col: 1}},
			{ID: hostileB, Pos: manifest.Pos{File: `win\b.toml`, Line: 1, Col: 1}},
			{ID: hostileC, Pos: manifest.Pos{File: "/abs/c.toml", Line: 1, Col: 1}},
		},
		Checked: []string{"recovery-cycle", "unknown-service", "blast-radius"},
		Findings: []rules.Finding{
			{Rule: "recovery-cycle", Severity: rules.Error, Node: hostileA,
				Message: "line one\nline two\r\n::error::injected %0A 100% <script>alert(1)</script> & \"q\" \\ *b* _i_ [l](u) # h | `c`",
				Witness: []rules.Hop{{Node: hostileA}, {Node: hostileB, Label: "recovery: roll,back:1"}, {Node: hostileA, Label: "auth\n::x"}},
				File:    "./dir with space/ü%:,.toml", Line: 0, Col: 0, Fingerprint: "fp1"},
			{Rule: "recovery-cycle", Severity: rules.Error, Node: hostileA, Message: "second finding on the same node",
				Witness: []rules.Hop{{Node: hostileA}, {Node: hostileC, Label: "recovery: r2"}, {Node: hostileA, Label: "data"}},
				File:    "./dir with space/ü%:,.toml", Line: 9, Col: 3, Fingerprint: "fp2"},
			{Rule: "unknown-service", Severity: rules.Error, Node: hostileB, Message: `no service "ghost<&>@production" (did you mean "a\"b…"?)`,
				Witness: []rules.Hop{{Node: hostileB}, {Node: ghost, Label: "runtime"}},
				File:    `win\b.toml`, Line: 7, Col: 6, Fingerprint: "fp3"},
			{Rule: "unknown-service", Severity: rules.Error, Node: hostileC, Message: "waived, with a | pipe",
				Witness: []rules.Hop{{Node: hostileC}, {Node: ghost, Label: "deploy"}}, File: "/abs/c.toml", Line: 5, Col: 2, Fingerprint: "fp7",
				Waived: true, WaivedFor: "migrating <soon> | *really*\nQ3"},
			{Rule: "expired-waiver", Severity: rules.Warning, Node: hostileC, Message: "- " + long,
				Witness: []rules.Hop{{Node: hostileC}}, File: "catch22.toml", Line: 4, Col: 1, Fingerprint: "fp4"},
			{Rule: "blast-radius", Severity: rules.Info, Node: hostileC, Message: "1. looks like a list; 3 of 2 other nodes ✓",
				Witness: []rules.Hop{{Node: hostileC}}, File: "/abs/c.toml", Line: 1, Col: 1, Fingerprint: "fp5"},
			{Rule: "undeclared-dependency", Severity: rules.Info, Node: hostileB, Message: "a rule the catalog does not list yet",
				Witness: []rules.Hop{{Node: hostileB}, {Node: hostileC, Label: "observed"}}, File: "traffic.log", Line: 12, Fingerprint: "fp6"},
		},
	}
}

func TestGolden(t *testing.T) {
	for name, res := range results(t) {
		for _, f := range report.Formats() {
			t.Run(name+"."+f.Name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := f.Write(&buf, res, report.Options{}); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", name+"."+f.Name+".golden"), buf.Bytes())
			})
		}
	}
}

// checkGolden compares got with the golden file, or rewrites the file with
// -update.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-golden +got):\n%s", golden, diff)
	}
}

// TestJSONContract decodes the JSON output generically and checks the
// fields and types SPEC §4 fixes, independent of the golden files.
func TestJSONContract(t *testing.T) {
	res := results(t)
	for name, want := range map[string]struct{ findings, errors int }{"empty": {0, 0}, "cloudflare": {4, 2}, "waived": {2, 0}} {
		var buf bytes.Buffer
		if err := report.JSON(&buf, res[name], report.Options{}); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Version  *int                         `json:"version"`
			Summary  map[string]int               `json:"summary"`
			Findings []map[string]json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Version == nil || *doc.Version != 1 || doc.Findings == nil || len(doc.Findings) != want.findings || doc.Summary["errors"] != want.errors {
			t.Errorf("%s: version %v, %d findings, summary %v; want version 1, %d findings, %d errors", name, doc.Version, len(doc.Findings), doc.Summary, want.findings, want.errors)
		}
		for _, k := range []string{"nodes", "edges", "errors", "warnings", "infos"} {
			if _, ok := doc.Summary[k]; !ok {
				t.Errorf("%s: summary lacks %q", name, k)
			}
		}
		for _, f := range doc.Findings {
			for _, k := range []string{"rule", "severity", "node", "message", "path", "file", "line", "fingerprint"} {
				if _, ok := f[k]; !ok {
					t.Errorf("%s: finding lacks %q", name, k)
				}
			}
			if !strings.Contains(string(f["node"]), "@") {
				t.Errorf("%s: node %s is not a full ID", name, f["node"])
			}
		}
	}
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	res := results(t)["cloudflare"]
	var plain, colour bytes.Buffer
	if err := report.Text(&plain, res, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := report.Text(&colour, res, report.Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain text output contains ANSI escapes")
	}
	if !strings.Contains(colour.String(), "\x1b[31m") {
		t.Error("coloured output has no red for errors")
	}
}
