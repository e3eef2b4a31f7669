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
				Witness: []rules.Hop{{Node: "api@production"}, {Node: "db@staging", Label: "data"}}, File: "a.toml", Line: 3, Col: 6, Fingerprint: "f1", Waived: true},
			{Rule: "missing-recovery", Severity: rules.Warning, Node: "db@staging", Message: "tier 1 datastore db@staging declares no recovery procedure",
				Witness: []rules.Hop{{Node: "db@staging"}}, File: "b.toml", Line: 1, Col: 1, Fingerprint: "f2"},
		}},
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
				golden := filepath.Join("testdata", name+"."+f.Name+".golden")
				if *update {
					if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./report -update)", err)
				}
				if diff := cmp.Diff(string(want), buf.String()); diff != "" {
					t.Errorf("%s differs (-golden +got):\n%s", golden, diff)
				}
			})
		}
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
