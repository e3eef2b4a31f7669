package report_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/internal/testenv"
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
	dot := testenv.Need(t, testenv.Graphviz)
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
	testenv.Need(t, testenv.Graphviz)
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
		// The legend is the graph's label, which sfdp draws too (it
		// draws no clusters).
		for _, want := range []string{"workers-kv", "ci-rollback", "Legend", "recovery procedure (name)", "recovery-cycle"} {
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

// svgShape is one drawn element of a Graphviz SVG.
type svgShape struct {
	elem  string // polygon, polyline, path, ellipse, text
	group string // the class of the group it is in: node, edge, cluster; "" at the top
	id    int    // which group of that class (in document order); -1 at the top
	attrs map[string]string
	text  string
	box   [4]float64 // min x, min y, max x, max y
}

// svgPicture is a Graphviz SVG as shapes, with its height and width.
type svgPicture struct {
	shapes        []svgShape
	width, height float64
}

// picParseSVG reads the shapes of a Graphviz SVG and their extents: the
// coordinates of polygons and polylines, every point of a path (control
// points included, which is near enough), and a text's baseline less its
// size.
func picParseSVG(t *testing.T, svg []byte) svgPicture {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Entity = xml.HTMLEntity
	var pic svgPicture
	type frame struct {
		class string
		id    int
	}
	var stack []frame
	seen := map[string]int{}
	num := regexp.MustCompile(`-?\d+(?:\.\d+)?(?:e-?\d+)?`)
	var text *svgShape
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return pic
		}
		if err != nil {
			t.Fatalf("SVG: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Name.Local] = a.Value
			}
			top := frame{"", -1}
			if len(stack) > 0 {
				top = stack[len(stack)-1]
			}
			switch tok.Name.Local {
			case "svg":
				vb := strings.Fields(attrs["viewBox"])
				if len(vb) != 4 {
					t.Fatalf("SVG viewBox %q", attrs["viewBox"])
				}
				pic.width, _ = strconv.ParseFloat(vb[2], 64)
				pic.height, _ = strconv.ParseFloat(vb[3], 64)
			case "g":
				if c := attrs["class"]; c == "node" || c == "edge" || c == "cluster" {
					top = frame{c, seen[c]}
					seen[c]++
				}
				stack = append(stack, top)
			case "polygon", "polyline", "path", "ellipse", "text":
				s := svgShape{elem: tok.Name.Local, group: top.class, id: top.id, attrs: attrs}
				var xs, ys []float64
				switch s.elem {
				case "polygon", "polyline", "path":
					src := attrs["points"] + attrs["d"]
					ns := num.FindAllString(src, -1)
					for i := 0; i+1 < len(ns); i += 2 {
						x, _ := strconv.ParseFloat(ns[i], 64)
						y, _ := strconv.ParseFloat(ns[i+1], 64)
						xs, ys = append(xs, x), append(ys, y)
					}
				case "ellipse":
					cx, _ := strconv.ParseFloat(attrs["cx"], 64)
					cy, _ := strconv.ParseFloat(attrs["cy"], 64)
					rx, _ := strconv.ParseFloat(attrs["rx"], 64)
					ry, _ := strconv.ParseFloat(attrs["ry"], 64)
					xs, ys = []float64{cx - rx, cx + rx}, []float64{cy - ry, cy + ry}
				case "text":
					x, _ := strconv.ParseFloat(attrs["x"], 64)
					y, _ := strconv.ParseFloat(attrs["y"], 64)
					size, _ := strconv.ParseFloat(attrs["font-size"], 64)
					xs, ys = []float64{x}, []float64{y - size, y}
				}
				if len(ys) > 0 {
					s.box = [4]float64{slices.Min(xs), slices.Min(ys), slices.Max(xs), slices.Max(ys)}
					pic.shapes = append(pic.shapes, s)
					if s.elem == "text" {
						text = &pic.shapes[len(pic.shapes)-1]
					}
				}
			}
		case xml.CharData:
			if text != nil {
				text.text += string(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "g" {
				stack = stack[:len(stack)-1]
			}
			if tok.Name.Local == "text" {
				text = nil
			}
		}
	}
}

// legend returns the extent of the legend: a cluster labelled "Legend"
// (as catch22 once drew it), or else what Graphviz draws outside every
// node, edge and cluster besides the background: the graph's label.
func (p svgPicture) legend() (box [4]float64, ok bool) {
	var in []svgShape
	for _, s := range p.shapes {
		if s.group == "cluster" && s.elem == "text" && s.text == "Legend" {
			for _, c := range p.shapes {
				if c.group == "cluster" && c.id == s.id {
					in = append(in, c)
				}
			}
		}
	}
	if len(in) == 0 {
		for i, s := range p.shapes {
			if s.group == "" && i > 0 { // the first is the background
				in = append(in, s)
			}
		}
	}
	if len(in) == 0 {
		return box, false
	}
	box = in[0].box
	for _, s := range in[1:] {
		box = [4]float64{min(box[0], s.box[0]), min(box[1], s.box[1]), max(box[2], s.box[2]), max(box[3], s.box[3])}
	}
	return box, true
}

// look is how an edge or a legend line is stroked.
func (s svgShape) look() string {
	return fmt.Sprintf("stroke %s, width %s, dashes %q", s.attrs["stroke"], cmp.Or(s.attrs["stroke-width"], "1"), s.attrs["stroke-dasharray"])
}

// lines returns the looks of the picture's edges (the line of each edge
// group) and of the legend's line samples: edges inside the legend's box,
// or lines drawn outside every group.
func (p svgPicture) lines() (edges, samples map[string]bool) {
	box, _ := p.legend()
	within := func(b [4]float64) bool { return b[0] >= box[0] && b[2] <= box[2] && b[1] >= box[1] && b[3] <= box[3] }
	edges, samples = map[string]bool{}, map[string]bool{}
	done := map[int]bool{}
	for i, s := range p.shapes {
		switch {
		case s.group == "edge" && s.elem == "path" && !done[s.id]:
			done[s.id] = true
			if within(s.box) {
				samples[s.look()] = true
			} else {
				edges[s.look()] = true
			}
		case s.group == "" && s.elem == "polyline" && i > 0:
			samples[s.look()] = true
		}
	}
	return edges, samples
}

// picDrawSVG lays out a picture with dot.
func picDrawSVG(t *testing.T, dot string, c picCase) svgPicture {
	t.Helper()
	g, res := c.analyse(t)
	src := render(t, func(b *bytes.Buffer) error { return report.DOT(b, g, res, c.o) })
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = bytes.NewReader(src)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -Tsvg: %v\n%s", err, stderr.String())
	}
	return picParseSVG(t, stdout.Bytes())
}

// The legend is a strip under the picture: on the founding incident it
// took a fifth of the height (a cluster of samples over six lines of line
// samples); now it must take less than an eighth, and a tenth of the area.
func TestLegendIsCompact(t *testing.T) {
	dot := testenv.Need(t, testenv.Graphviz)
	for _, c := range picCases(t) {
		if c.name != "cloudflare-system" && c.name != "cloudflare-whatif" && c.name != "hostile" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			pic := picDrawSVG(t, dot, c)
			box, ok := pic.legend()
			if !ok {
				t.Fatal("the picture has no legend")
			}
			tall, area := (box[3]-box[1])/pic.height, (box[2]-box[0])*(box[3]-box[1])/(pic.width*pic.height)
			t.Logf("legend %.0f×%.0f of %.0f×%.0f: %.1f%% of the height, %.1f%% of the area", box[2]-box[0], box[3]-box[1], pic.width, pic.height, 100*tall, 100*area)
			if c.name == "cloudflare-system" && (tall > 0.125 || area > 0.1) {
				t.Errorf("the legend takes %.0f%% of the height and %.0f%% of the area, want a strip", 100*tall, 100*area)
			}
			if box[2]-box[0] > pic.width {
				t.Errorf("the legend is %.0f wide, wider than the picture (%.0f)", box[2]-box[0], pic.width)
			}
		})
	}
}

// Every edge is drawn as the legend says: the stroke colour, width and dash
// pattern of each edge is that of one of the legend's line samples, and
// every sample is the look of some edge. (The recovery edge on the
// founding cycle's witness was red and dotted, which no sample showed.)
func TestLegendDrawsEdgesAsTheyAre(t *testing.T) {
	dot := testenv.Need(t, testenv.Graphviz)
	cases := picCases(t)
	cases = append(cases, picCase{"cloudflare-collapsed", cases[0].ms, report.PictureOptions{Collapse: "system", Cluster: "none"}})
	for _, c := range cases {
		if c.name == "clean-findings" {
			continue // nothing drawn, no legend
		}
		t.Run(c.name, func(t *testing.T) {
			pic := picDrawSVG(t, dot, c)
			edges, samples := pic.lines()
			if len(edges) == 0 || len(samples) == 0 {
				t.Fatalf("%d edge looks and %d legend samples", len(edges), len(samples))
			}
			for l := range edges {
				if !samples[l] {
					t.Errorf("an edge is drawn with %s, which no legend sample shows (samples: %v)", l, slices.Sorted(maps.Keys(samples)))
				}
			}
			for l := range samples {
				if !edges[l] {
					t.Errorf("the legend shows %s, which no edge is drawn with", l)
				}
			}
		})
	}
	// The recovery sample is the one captioned so.
	pic := picDrawSVG(t, dot, cases[0])
	var caption, line *svgShape
	for i, s := range pic.shapes {
		switch {
		case s.group == "" && s.elem == "text" && s.text == "recovery procedure (name)":
			caption = &pic.shapes[i]
		case s.group == "" && s.elem == "polyline" && s.attrs["stroke"] == "#1f5fbf":
			line = &pic.shapes[i]
		}
	}
	if caption == nil || line == nil {
		t.Fatal("no recovery sample in the legend")
	}
	if line.box[2] > caption.box[0] || caption.box[0]-line.box[2] > 12 || line.box[1] < caption.box[1] || line.box[3] > caption.box[3]+2 {
		t.Errorf("the recovery line %v is not just before its caption %v", line.box, caption.box)
	}
	for _, s := range pic.shapes {
		if s.group == "edge" && s.elem == "path" && s.attrs["stroke"] == "#1f5fbf" && s.look() != line.look() {
			t.Errorf("a recovery edge is drawn with %s, its legend sample with %s", s.look(), line.look())
		}
	}
}
