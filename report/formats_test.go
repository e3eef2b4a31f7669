package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

func render(t testing.TB, write func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sarifOf(t testing.TB, r *analyzer.Result) []byte {
	return render(t, func(b *bytes.Buffer) error { return report.SARIF(b, r, report.Options{Version: "1.2.3"}) })
}

// manyFindings is a result of n synthetic findings, most severe first.
func manyFindings(n int, sev rules.Severity) *analyzer.Result {
	r := &analyzer.Result{Nodes: n, Edges: n}
	for i := range n {
		r.Findings = append(r.Findings, rules.Finding{
			Rule: "blast-radius", Severity: sev, Node: fmt.Sprintf("n%06d@production", i),
			Message: fmt.Sprintf("finding %d", i), Witness: []rules.Hop{{Node: fmt.Sprintf("n%06d@production", i)}},
			File: fmt.Sprintf("m/n%06d.toml", i), Line: 1, Col: 1, Fingerprint: fmt.Sprintf("fp%d", i),
		})
	}
	return r
}

// TestFormatsOrder pins the order of --format's help text (SPEC §4).
func TestFormatsOrder(t *testing.T) {
	want := []string{"text", "json", "sarif", "junit", "markdown", "github"}
	if got := report.Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
}

// TestDeterministic renders every result in every format several times: map
// iteration inside a reporter must not show in its output.
func TestDeterministic(t *testing.T) {
	for name, res := range results(t) {
		for _, f := range report.Formats() {
			first := render(t, func(b *bytes.Buffer) error { return f.Write(b, res, report.Options{}) })
			for range 5 {
				if again := render(t, func(b *bytes.Buffer) error { return f.Write(b, res, report.Options{}) }); !bytes.Equal(first, again) {
					t.Fatalf("%s.%s: two renderings differ", name, f.Name)
				}
			}
		}
	}
}

// TestSARIFSchema validates SARIF output against the OASIS SARIF 2.1.0
// schema, loaded from testdata (no network), with format assertions on so
// that URIs must be valid URI references.
func TestSARIFSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.UseLoader(jsonschema.FileLoader{}) // files only: a $ref to the web fails instead of fetching
	schema, err := c.Compile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	inputs := results(t)
	inputs["truncated"] = manyFindings(25001, rules.Warning)
	for name, res := range inputs {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(sarifOf(t, res)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: SARIF output is not valid SARIF 2.1.0: %v", name, err)
		}
	}
	// The schema must be able to say no.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"fatal"}]}]}`))
	if schema.Validate(bad) == nil {
		t.Error("the schema accepts a result with level \"fatal\"")
	}
}

// sarifDoc is the part of a SARIF log GitHub code scanning reads.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID, Name             string
					ShortDescription     struct{ Text string }
					FullDescription      struct{ Text string }
					Help                 struct{ Text, Markdown string }
					DefaultConfiguration struct{ Level string }
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        *bool
			ToolExecutionNotifications []struct{ Message struct{ Text string } }
		}
		Properties map[string]any
		Results    []struct {
			RuleID    string
			RuleIndex *int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct{ URI, URIBaseID string }
					Region           struct{ StartLine, StartColumn int }
				}
			}
			PartialFingerprints map[string]string
			CodeFlows           []struct {
				ThreadFlows []struct {
					Locations []struct {
						Location struct {
							PhysicalLocation struct {
								ArtifactLocation struct{ URI string }
								Region           struct{ StartLine int }
							}
							Message struct{ Text string }
						}
					}
				}
			}
			Suppressions []struct{ Kind, Justification string }
		}
	}
}

func decodeSARIF(t testing.TB, b []byte) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	return doc
}

// TestSARIFGitHubFields checks, result by result, what GitHub code scanning
// needs to accept, place and track an alert.
func TestSARIFGitHubFields(t *testing.T) {
	for name, res := range results(t) {
		raw := sarifOf(t, res)
		if !bytes.Contains(raw, []byte(`"results": [`)) {
			t.Errorf("%s: results is not an array", name)
		}
		doc := decodeSARIF(t, raw)
		run := doc.Runs[0]
		d := run.Tool.Driver
		if doc.Version != "2.1.0" || doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" {
			t.Errorf("%s: version %q, $schema %q", name, doc.Version, doc.Schema)
		}
		if d.Name != "catch22" || d.Version != "1.2.3" || d.InformationURI == "" {
			t.Errorf("%s: driver name %q, version %q, informationUri %q", name, d.Name, d.Version, d.InformationURI)
		}
		if len(d.Rules) < len(rules.All()) {
			t.Errorf("%s: %d rules in driver, want every one of rules.All()", name, len(d.Rules))
		}
		for i, rl := range rules.All() {
			got := d.Rules[i]
			if got.ID != rl.ID || got.ShortDescription.Text != rl.Title || got.FullDescription.Text == "" ||
				!strings.Contains(got.Help.Text, strings.Fields(rl.Remediation)[0]) || got.Help.Markdown == "" {
				t.Errorf("%s: rules[%d] = %+v, want %s with title, description and help with remediation", name, i, got, rl.ID)
			}
			if strings.ContainsAny(got.Name, "-_ ") || got.Name == "" || got.Name[0] < 'A' || got.Name[0] > 'Z' {
				t.Errorf("%s: rule name %q is not CamelCase", name, got.Name)
			}
		}
		if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful == nil || !*run.Invocations[0].ExecutionSuccessful {
			t.Errorf("%s: want one successful invocation", name)
		}
		if len(run.Results) != len(res.Findings) {
			t.Fatalf("%s: %d results for %d findings", name, len(run.Results), len(res.Findings))
		}
		for i, r := range run.Results {
			f := res.Findings[i]
			where := fmt.Sprintf("%s: result %d (%s)", name, i, f.Rule)
			if r.RuleID != f.Rule || r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(d.Rules) || d.Rules[*r.RuleIndex].ID != r.RuleID {
				t.Errorf("%s: ruleId %q, ruleIndex %v do not point at the rule", where, r.RuleID, r.RuleIndex)
			}
			if want := map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "note"}[f.Severity]; r.Level != want {
				t.Errorf("%s: level %q, want %q", where, r.Level, want)
			}
			if r.Message.Text == "" {
				t.Errorf("%s: empty message", where)
			}
			if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation == nil {
				t.Fatalf("%s: want one physical location", where)
			}
			pl := r.Locations[0].PhysicalLocation
			u, err := url.Parse(pl.ArtifactLocation.URI)
			if err != nil {
				t.Errorf("%s: uri %q: %v", where, pl.ArtifactLocation.URI, err)
			} else if !u.IsAbs() {
				if pl.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "./") {
					t.Errorf("%s: relative uri %q with uriBaseId %q", where, pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID)
				}
				if want := strings.TrimPrefix(strings.ReplaceAll(f.File, `\`, "/"), "./"); u.Path != want {
					t.Errorf("%s: uri %q decodes to %q, want %q", where, pl.ArtifactLocation.URI, u.Path, want)
				}
			} else if u.Scheme != "file" || pl.ArtifactLocation.URIBaseID != "" || u.Path != f.File {
				t.Errorf("%s: absolute uri %q (base %q) for %q", where, pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID, f.File)
			}
			if pl.Region.StartLine != max(f.Line, 1) || pl.Region.StartColumn != f.Col {
				t.Errorf("%s: region %+v, want line %d col %d", where, pl.Region, max(f.Line, 1), f.Col)
			}
			if r.PartialFingerprints["catch22/v1"] != f.Fingerprint {
				t.Errorf("%s: partialFingerprints %v, want catch22/v1 %q", where, r.PartialFingerprints, f.Fingerprint)
			}
			if f.Waived != (len(r.Suppressions) == 1 && r.Suppressions[0].Kind == "external" &&
				strings.HasPrefix(r.Suppressions[0].Justification, "waived in catch22.toml") && strings.Contains(r.Suppressions[0].Justification, safetext.Escape(f.WaivedFor))) {
				t.Errorf("%s: waived %v, suppressions %+v", where, f.Waived, r.Suppressions)
			}
			if len(f.Witness) < 2 {
				continue
			}
			if len(r.CodeFlows) != 1 || len(r.CodeFlows[0].ThreadFlows) != 1 {
				t.Fatalf("%s: want the witness as one code flow", where)
			}
			steps := r.CodeFlows[0].ThreadFlows[0].Locations
			if len(steps) != len(f.Witness) {
				t.Fatalf("%s: %d steps for %d hops", where, len(steps), len(f.Witness))
			}
			for j, h := range f.Witness {
				step := steps[j].Location
				// Messages are for people: values are escaped as text output escapes them.
				if !strings.Contains(step.Message.Text, safetext.Escape(report.Display(h.Node))) || j > 0 && !strings.Contains(step.Message.Text, safetext.Escape("-["+h.Label+"]->")) {
					t.Errorf("%s: step %d message %q does not name %s and its edge %q", where, j, step.Message.Text, h.Node, h.Label)
				}
				wantFile, wantLine := f.File, max(f.Line, 1)
				if pos, ok := res.Where(h.Node); ok {
					wantFile, wantLine = pos.File, pos.Line
				}
				if u, _ := url.Parse(step.PhysicalLocation.ArtifactLocation.URI); u == nil ||
					!strings.HasSuffix(strings.ReplaceAll(wantFile, `\`, "/"), u.Path) || step.PhysicalLocation.Region.StartLine != wantLine {
					t.Errorf("%s: step %d at %s:%d, want %s:%d", where, j, step.PhysicalLocation.ArtifactLocation.URI, step.PhysicalLocation.Region.StartLine, wantFile, wantLine)
				}
			}
		}
	}
}

// TestSARIFTruncation: GitHub rejects runs of more than 25,000 results, so
// the most severe 25,000 are kept and the cut is reported.
func TestSARIFTruncation(t *testing.T) {
	res := manyFindings(25001, rules.Warning)
	res.Findings[0].Severity = rules.Error // the most severe first, as the analyzer sorts
	doc := decodeSARIF(t, sarifOf(t, res))
	run := doc.Runs[0]
	if len(run.Results) != 25000 {
		t.Fatalf("%d results, want 25000", len(run.Results))
	}
	if run.Results[0].Level != "error" || run.Results[24999].Message.Text != "finding 24999" {
		t.Errorf("the kept results are not the first 25000: %q … %q", run.Results[0].Level, run.Results[24999].Message.Text)
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful == nil || !*inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 ||
		inv.ToolExecutionNotifications[0].Message.Text != "results truncated to 25000 of 25001" {
		t.Errorf("invocation %+v does not report the truncation", inv)
	}
	if run.Properties["truncated"] != true || run.Properties["totalResults"] != float64(25001) {
		t.Errorf("run properties %v do not report the truncation", run.Properties)
	}

	// At the limit nothing is cut and nothing is said.
	doc = decodeSARIF(t, sarifOf(t, manyFindings(25000, rules.Warning)))
	if run := doc.Runs[0]; len(run.Results) != 25000 || run.Properties != nil || len(run.Invocations[0].ToolExecutionNotifications) != 0 {
		t.Errorf("25000 findings: %d results, properties %v, %d notifications", len(run.Results), run.Properties, len(run.Invocations[0].ToolExecutionNotifications))
	}
}

// TestSARIFPerResultLimits: a witness longer than the 1,000 thread-flow
// locations GitHub keeps is cut, and so is an oversized message.
func TestSARIFPerResultLimits(t *testing.T) {
	f := rules.Finding{Rule: "dependency-cycle", Severity: rules.Error, Node: "n0@production",
		Message: strings.Repeat("é", 10000), File: "x.toml", Line: 1, Fingerprint: "fp"}
	for i := range 1500 {
		f.Witness = append(f.Witness, rules.Hop{Node: fmt.Sprintf("n%d@production", i), Label: "runtime"})
	}
	doc := decodeSARIF(t, sarifOf(t, &analyzer.Result{Findings: []rules.Finding{f}}))
	r := doc.Runs[0].Results[0]
	if n := len(r.CodeFlows[0].ThreadFlows[0].Locations); n != 1000 {
		t.Errorf("%d thread flow locations, want 1000", n)
	}
	if n := len(r.Message.Text); n > 4096 || n < 4000 || !strings.HasSuffix(r.Message.Text, "(truncated)") {
		t.Errorf("message of %d bytes, want ≤ 4096 and marked as truncated", n)
	}
	if !json.Valid([]byte(`"` + r.Message.Text + `"`)) {
		t.Error("message was cut inside a rune")
	}
}

// TestSARIFURIs checks how file names become artifact URIs.
func TestSARIFURIs(t *testing.T) {
	for file, want := range map[string][2]string{
		"a/b.toml":                   {"a/b.toml", "%SRCROOT%"},
		"./a/b.toml":                 {"a/b.toml", "%SRCROOT%"},
		`.\svc\a b.toml`:             {"svc/a%20b.toml", "%SRCROOT%"},
		"x:y/ü#?%.toml":              {"x%3Ay/%C3%BC%23%3F%25.toml", "%SRCROOT%"},
		"../examples/cf/a.toml":      {"../examples/cf/a.toml", "%SRCROOT%"},
		"/home/ci/repo/a.toml":       {"file:///home/ci/repo/a.toml", ""},
		`C:\Users\ci\repo\a.toml`:    {"file:///C:/Users/ci/repo/a.toml", ""},
		"deep/./dir/[brackets].toml": {"deep/./dir/%5Bbrackets%5D.toml", "%SRCROOT%"},
	} {
		res := &analyzer.Result{Findings: []rules.Finding{{Rule: "blast-radius", Severity: rules.Info, Node: "a@production", Message: "m", File: file, Line: 2}}}
		loc := decodeSARIF(t, sarifOf(t, res)).Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URI != want[0] || loc.URIBaseID != want[1] {
			t.Errorf("%q: uri %q base %q, want %q base %q", file, loc.URI, loc.URIBaseID, want[0], want[1])
		}
	}
}

// TestGitHubEscaping checks workflow commands line by line: control
// characters become visible escapes (\n), then the escaping of
// @actions/core applies: data escapes %, property values also ":" and ",".
func TestGitHubEscaping(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    rules.Finding
		want string
	}{
		{"plain error", rules.Finding{Rule: "recovery-cycle", Severity: rules.Error, Node: "kv@production", Message: "blocked", File: "kv.toml", Line: 3, Col: 7,
			Witness: []rules.Hop{{Node: "kv@production"}, {Node: "ci@staging", Label: "recovery: rb"}}},
			"::error file=kv.toml,line=3,col=7,title=recovery-cycle kv::blocked — kv -[recovery: rb]-> ci@staging"},
		{"warning, no column, one hop", rules.Finding{Rule: "blind-spot", Severity: rules.Warning, Node: "a@staging", Message: "m", File: "a.toml", Line: 2,
			Witness: []rules.Hop{{Node: "a@staging"}}},
			"::warning file=a.toml,line=2,title=blind-spot a@staging::m"},
		{"info is a notice, no line", rules.Finding{Rule: "blast-radius", Severity: rules.Info, Node: "a@production", Message: "m", File: "a.toml"},
			"::notice file=a.toml,title=blast-radius a::m"},
		{"no file", rules.Finding{Rule: "stale-baseline", Severity: rules.Info, Node: "a@production", Message: "m", Line: 4},
			"::notice title=stale-baseline a::m"},
		{"data escaping", rules.Finding{Rule: "r", Severity: rules.Error, Node: "n@production", Message: "100% a\r\nb\n::error::x, y: z", File: "f", Line: 1},
			"::error file=f,line=1,title=r n::100%25 a\\r\\nb\\n::error::x, y: z"},
		{"controls and bidi", rules.Finding{Rule: "r", Severity: rules.Error, Node: "n\u202e@production", Message: "\x1b[31mred ##[error]x", File: "f\x1b", Line: 1},
			"::error file=f\\x1b,line=1,title=r n\\u202e::\\x1b[31mred ##\\[error]x"},
		{"property escaping", rules.Finding{Rule: "r", Severity: rules.Error, Node: "a,b:c%d\ne@production", Message: "m", File: "dir:x,y/%z\r.toml", Line: 1, Col: 1},
			"::error file=dir%3Ax%2Cy/%25z\\r.toml,line=1,col=1,title=r a%2Cb%3Ac%25d\\ne::m"},
		{"witness labels are data", rules.Finding{Rule: "r", Severity: rules.Warning, Node: "a@production", Message: "m", File: "f", Line: 1,
			Witness: []rules.Hop{{Node: "a@production"}, {Node: "b%@production", Label: "x\ny"}}},
			"::warning file=f,line=1,title=r a::m — a -[x\\ny]-> b%25"},
		{"waived prints nothing", rules.Finding{Rule: "r", Severity: rules.Error, Node: "a@production", Message: "m", File: "f", Line: 1, Waived: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := &analyzer.Result{Nodes: 1, Findings: []rules.Finding{tc.f}}
			lines := strings.Split(strings.TrimSuffix(string(render(t, func(b *bytes.Buffer) error { return report.GitHub(b, res, report.Options{}) })), "\n"), "\n")
			want := []string{tc.want}
			if tc.want == "" {
				want = nil
			}
			if got := lines[:len(lines)-1]; !slices.Equal(got, want) || !strings.HasPrefix(lines[len(lines)-1], "::notice::catch22: ") {
				t.Errorf("got\n%s\nwant\n%s\n+ summary", strings.Join(lines, "\n"), tc.want)
			}
		})
	}
}

// TestGitHubSummary: the last line counts findings as the text summary does.
func TestGitHubSummary(t *testing.T) {
	out := string(render(t, func(b *bytes.Buffer) error { return report.GitHub(b, results(t)["waived"], report.Options{}) }))
	if want := "::notice::catch22: 0 errors, 1 warning, 0 infos in 2 nodes and 1 edge (1 waived)\n"; !strings.HasSuffix(out, want) || strings.Count(out, "\n") != 2 {
		t.Errorf("output\n%s\nwant one annotation and the summary %q", out, want)
	}
}

// TestMarkdownEscaping: names and messages are data, never markup.
func TestMarkdownEscaping(t *testing.T) {
	out := string(render(t, func(b *bytes.Buffer) error { return report.Markdown(b, hostile(), report.Options{}) }))
	// (Inside code spans "<" and "&" are literal text and need no escape.)
	for _, bad := range []string{"<script>", "<b>", "[l](u)", "*b*", "_i_", "\nline two", "\n::error", "& \"q\""} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown output contains raw %q", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;", `\*b\*`, `\_i\_`, `\[l\](u)`, `\|`, "&amp;"} {
		if !strings.Contains(out, good) {
			t.Errorf("markdown output lacks escaped %q", good)
		}
	}
	// Every code span is closed on its own line, with a fence longer than
	// the backticks it holds.
	if !strings.Contains(out, "``pipe|tick`star*under_score@staging``") {
		t.Error("a node name with a backtick is not in a longer fence")
	}
	if !strings.Contains(out, "<details><summary>1 waived finding (not counted)</summary>") {
		t.Error("waived findings are not folded in their own section")
	}
}

// TestMarkdownFolding: beyond ten findings a group folds the rest, and an
// empty result says so in one line.
func TestMarkdownFolding(t *testing.T) {
	out := string(render(t, func(b *bytes.Buffer) error {
		return report.Markdown(b, manyFindings(12, rules.Warning), report.Options{})
	}))
	before, after, ok := strings.Cut(out, "<details><summary>2 more warnings</summary>")
	if !ok || strings.Count(before, "\n- **") != 10 || strings.Count(after, "\n- **") != 2 || !strings.Contains(out, "### Warnings (12)") {
		t.Errorf("12 warnings: want 10 shown and 2 folded:\n%s", out)
	}
	empty := string(render(t, func(b *bytes.Buffer) error { return report.Markdown(b, &analyzer.Result{}, report.Options{}) }))
	if !strings.Contains(empty, "No findings") || strings.Count(empty, "\n") > 4 {
		t.Errorf("empty result:\n%s", empty)
	}
}

// TestSARIFSchemaCopy: the schema in testdata is the public OASIS one the
// test claims to validate against.
func TestSARIFSchemaCopy(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"id": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"`)) {
		t.Error("testdata/sarif-schema-2.1.0.json is not the OASIS SARIF 2.1.0 schema")
	}
}
