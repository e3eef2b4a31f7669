package report_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
)

// picCase is one input of the graph pictures' golden tests.
type picCase struct {
	name string
	ms   []*manifest.Manifest
	o    report.PictureOptions
}

// The founding incident analysed as the README does, on 2026-11-29.
var picNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func picLoad(t testing.TB, path string) []*manifest.Manifest {
	t.Helper()
	ms, err := manifest.Load([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// picCases are the pictures with golden files: the Cloudflare example
// in every cluster mode, focused, findings only and shaded by what-if;
// a set without findings; and the hostile set.
func picCases(t testing.TB) []picCase {
	cf := picLoad(t, "../examples/cloudflare-2023")
	// What what-if draws: the founding failure, and the fixed example
	// coming back in wave 1.
	whatIf := func(ms []*manifest.Manifest) func(string, *report.NodeStyle) {
		g := graph.Build(ms)
		kv, _ := g.Lookup("workers-kv@production")
		return report.WhatIfStyle(analyzer.Simulate(g, []int{kv}))
	}
	fixed := picLoad(t, "../examples/cloudflare-2023-fixed")
	clean, errs := manifest.Parse("clean.toml", []byte("[service]\nname = \"lonely\"\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return []picCase{
		{"cloudflare-system", cf, report.PictureOptions{}},
		{"cloudflare-owner", cf, report.PictureOptions{Cluster: "owner"}},
		{"cloudflare-env", cf, report.PictureOptions{Cluster: "env"}},
		{"cloudflare-none", cf, report.PictureOptions{Cluster: "none"}},
		{"cloudflare-focus", cf, report.PictureOptions{Focus: []string{"workers-kv@production"}, Depth: 1}},
		{"cloudflare-focus-depth2", cf, report.PictureOptions{Focus: []string{"ci@production", "kv-build@staging"}, Depth: 2, Cluster: "none"}},
		{"cloudflare-findings", cf, report.PictureOptions{FindingsOnly: true}},
		{"cloudflare-whatif", cf, report.PictureOptions{Style: whatIf(cf), Legend: report.WhatIfLegend()}},
		{"fixed-whatif", fixed, report.PictureOptions{Style: whatIf(fixed), Legend: report.WhatIfLegend()}},
		{"clean-findings", []*manifest.Manifest{clean}, report.PictureOptions{FindingsOnly: true}},
		{"hostile", picHostileManifests(t), report.PictureOptions{}},
		{"hostile-owner", picHostileManifests(t), report.PictureOptions{Cluster: "owner"}},
	}
}

func (c picCase) analyse(t testing.TB) (*graph.Graph, *analyzer.Result) {
	t.Helper()
	g := graph.Build(c.ms)
	res, err := analyzer.Analyze(g, analyzer.DefaultConfig(picNow))
	if err != nil {
		t.Fatal(err)
	}
	return g, res
}

// hostileText is what the hostile set writes in its free text: everything
// DOT, HTML-like labels, SVG and Mermaid could mistake for markup.
const (
	picHostileDesc      = "quotes \" backslash \\ \\N \\l <b>bold</b> & &amp; #quot; | pipe `tick` [x] {y} ; tail\\\"\nsecond line ünï ✓ 日本"
	picHostileNote      = "note with \"quotes\", <tags> & \\backslash\\\r\nand a CRLF ✓"
	picHostileSystem    = "sys \"<core>\" & ü\nline2"
	picHostileOwner     = "team \\ \"<&>\" ✓"
	picHostileProcedure = "roll\"back <&> \\N %0A #quot; &amp; \\G\\"
	picHostileName      = "we\"ird\\<name>&\nü✓" // not a valid manifest name: built by hand
)

// picHostileManifests is a set whose descriptions, notes, systems, owners and
// procedure names carry quotes, backslashes, markup, entities, line breaks
// and Unicode; one node, built by hand, has such a name. It has a recovery
// cycle through the hostile procedure, an undeclared reference, a crossing
// into staging and every kind.
func picHostileManifests(t testing.TB) []*manifest.Manifest {
	t.Helper()
	files := []struct{ name, text string }{
		{"api.toml", `
[service]
name = "api"
description = ` + picTOMLString(picHostileDesc) + `
owner = ` + picTOMLString(picHostileOwner) + `
system = ` + picTOMLString(picHostileSystem) + `
tier = 1
monitored_by = ["oncall"]

[[dependency]]
on = "db"
kind = "data"
note = ` + picTOMLString(picHostileNote) + `

[[dependency]]
on = "ghost-svc"
kind = "auth"
mode = "soft"
`},
		{"db.toml", `
[service]
name = "db"
kind = "datastore"
system = ` + picTOMLString(picHostileSystem) + `
owner = "ünï-team ✓"
tier = 0

[[dependency]]
on = "cache@staging"
kind = "network"

[[recovery]]
name = ` + picTOMLString(picHostileProcedure) + `
via = ["api"]
`},
		{"cache.toml", `
[service]
name = "cache"
env = "staging"
kind = "network"
description = "a \"staging\" <cache>"
`},
		{"oncall.toml", "[service]\nname = \"oncall\"\nkind = \"human\"\n"},
		{"vendor.toml", "[service]\nname = \"vendor\"\nkind = \"external\"\n\n[[dependency]]\non = \"db\"\nkind = \"config\"\nmode = \"soft\"\n"},
		{"ops.toml", "[service]\nname = \"ops\"\nkind = \"tool\"\nsystem = \"ops\"\n"},
	}
	var ms []*manifest.Manifest
	for _, f := range files {
		m, errs := manifest.Parse(f.name, []byte(f.text))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", f.name, errs)
		}
		ms = append(ms, m)
	}
	ms = append(ms, &manifest.Manifest{
		File: "hand-built.toml",
		Service: manifest.Service{Name: picHostileName, Env: manifest.DefaultEnv, Kind: manifest.KindTool,
			Description: picHostileDesc, Owner: picHostileOwner, System: "ops"},
		Dependencies: []manifest.Dependency{{On: manifest.Ref{Name: "api", Env: manifest.DefaultEnv}, Kind: manifest.DepAuth, Mode: manifest.Hard, Note: picHostileNote}},
	})
	return ms
}

// picTOMLString quotes s as a TOML basic string.
func picTOMLString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`)
	return `"` + r.Replace(s) + `"`
}

func TestPictureGolden(t *testing.T) {
	for _, c := range picCases(t) {
		g, res := c.analyse(t)
		for _, f := range []struct {
			ext   string
			write func(io.Writer, *graph.Graph, *analyzer.Result, report.PictureOptions) error
		}{{"dot", report.DOT}, {"mermaid", report.Mermaid}} {
			t.Run(c.name+"."+f.ext, func(t *testing.T) {
				got := render(t, func(b *bytes.Buffer) error { return f.write(b, g, res, c.o) })
				checkGolden(t, filepath.Join("testdata", "graph-"+c.name+"."+f.ext+".golden"), got)
			})
		}
	}
}

// TestPictureDeterministic renders each picture twice, and again from the
// manifests in shuffled orders, and wants the same bytes every time. The
// small synthetic sets add pictures in which every rule fires.
func TestPictureDeterministic(t *testing.T) {
	cases := picCases(t)
	for seed := range int64(5) {
		var ms []*manifest.Manifest
		for _, f := range synth.Generate(synth.Small(seed)) {
			m, errs := manifest.Parse(f.Name, f.Data)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			ms = append(ms, m)
		}
		cases = append(cases, picCase{name: "small", ms: ms, o: report.PictureOptions{Cluster: "env"}})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range cases {
		var first [2][]byte
		for try := range 4 {
			ms := slices.Clone(c.ms)
			if try > 1 {
				rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
			}
			g := graph.Build(ms)
			res, err := analyzer.Analyze(g, analyzer.DefaultConfig(picNow))
			if err != nil {
				t.Fatal(err)
			}
			got := [2][]byte{
				render(t, func(b *bytes.Buffer) error { return report.DOT(b, g, res, c.o) }),
				render(t, func(b *bytes.Buffer) error { return report.Mermaid(b, g, res, c.o) }),
			}
			if try == 0 {
				first = got
				continue
			}
			for i, format := range []string{"DOT", "Mermaid"} {
				if !bytes.Equal(first[i], got[i]) {
					t.Errorf("%s: %s output differs on rendering %d", c.name, format, try+1)
				}
			}
		}
	}
}

// TestGraphvizAcceptsEveryPicture lays out every golden picture with dot
// and fails on any message from Graphviz, warnings included. CI installs
// Graphviz, so only a developer without it skips this.
func TestGraphvizAcceptsEveryPicture(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz is not installed (apt-get install graphviz)")
	}
	for _, c := range picCases(t) {
		t.Run(c.name, func(t *testing.T) {
			g, res := c.analyse(t)
			src := render(t, func(b *bytes.Buffer) error { return report.DOT(b, g, res, c.o) })
			cmd := exec.Command(dot, "-Tsvg")
			cmd.Stdin = bytes.NewReader(src)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				t.Fatalf("dot -Tsvg: %v\n%s", err, stderr.String())
			}
			texts := picSVGTexts(t, stdout.Bytes())
			if !strings.HasPrefix(c.name, "hostile") {
				return
			}
			// The hostile text comes out as the same text, line by line,
			// and never as markup.
			for _, want := range []string{
				picHostileProcedure,           // the procedure's edge label
				"sys \"<core>\" & ü", "line2", // the system cluster's label, two lines
				"we\"ird\\<name>&", "ü✓", // the hand-built name, two lines
				"ghost-svc", "undeclared",
				// tooltips keep their line breaks as text
				picHostileDesc,
				"note with \"quotes\", <tags> & \\backslash\\\nand a CRLF ✓",
			} {
				if c.name == "hostile-owner" && strings.HasPrefix(want, "sys ") {
					continue
				}
				if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, want) }) {
					t.Errorf("SVG has no text %q", want)
				}
			}
			if bytes.Contains(stdout.Bytes(), []byte("<b>")) || bytes.Contains(stdout.Bytes(), []byte("<core>")) {
				t.Error("SVG contains hostile text as markup")
			}
		})
	}
}

// picSVGTexts parses an SVG, failing on malformed XML, and returns its text
// and the values of its title attributes (tooltips), as a reader sees them.
func picSVGTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	var texts []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return texts
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.CharData:
			texts = append(texts, string(tok))
		case xml.StartElement:
			for _, a := range tok.Attr {
				if a.Name.Local == "title" {
					texts = append(texts, a.Value)
				}
			}
		}
	}
}

func TestRenderSVG(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		t.Skip("graphviz is not installed (apt-get install graphviz)")
	}
	c := picCases(t)[0]
	g, res := c.analyse(t)
	src := render(t, func(b *bytes.Buffer) error { return report.DOT(b, g, res, c.o) })
	// Every way RenderSVG lays out: dot, dot bounded, sfdp.
	for _, nodes := range []int{len(g.Nodes), 50, report.SFDPThreshold + 1} {
		svg, err := report.RenderSVG(context.Background(), src, nodes)
		if err != nil {
			t.Fatal(err)
		}
		texts := picSVGTexts(t, svg)
		for _, want := range []string{"workers-kv", "ci-rollback", "Legend", "recovery-cycle"} {
			if want == "Legend" && nodes > report.SFDPThreshold {
				continue // sfdp draws no clusters, nor their labels
			}
			if !slices.Contains(texts, want) {
				t.Errorf("told %d nodes: SVG has no text %q", nodes, want)
			}
		}
	}
	if _, err := report.RenderSVG(context.Background(), []byte("digraph {"), 1); err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("bad DOT: error %v, want Graphviz's syntax error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := report.RenderSVG(ctx, src, len(g.Nodes)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}

func TestRenderSVGWithoutGraphviz(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := report.RenderSVG(context.Background(), []byte("digraph {}"), 1); !errors.Is(err, report.ErrNoGraphviz) {
		t.Errorf("error %v, want ErrNoGraphviz", err)
	}
}
