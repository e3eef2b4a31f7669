package report

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/synth"
	"github.com/catch22/catch22/manifest"
)

func cloudflarePicture(t *testing.T, o PictureOptions) *picture {
	t.Helper()
	ms, err := manifest.Load([]string{"../examples/cloudflare-2023"})
	if err != nil {
		t.Fatal(err)
	}
	g := graph.Build(ms)
	res, err := analyzer.Analyze(g, analyzer.DefaultConfig(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := buildPicture(g, res, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// names lists the drawn nodes, "@production" dropped.
func (p *picture) names() []string {
	var ns []string
	for _, n := range p.nodes {
		ns = append(ns, Display(n.id))
	}
	return ns
}

// edgesWhere lists the drawn edges that keep says to, as "from -label-> to".
func (p *picture) edgesWhere(keep func(picEdge) bool) []string {
	var es []string
	for _, e := range p.edges {
		if keep(e) {
			es = append(es, fmt.Sprintf("%s -%s-> %s", Display(p.nodes[e.from].id), e.label, Display(p.nodes[e.to].id)))
		}
	}
	slices.Sort(es)
	return es
}

// The founding incident: the recovery cycle's witness goes through the CI
// procedure, Access and back, and the env-crossing's witness is the edge to
// the staging build. Exactly those edges are red, and only workers-kv is
// outlined.
func TestPictureDrawsErrorWitnesses(t *testing.T) {
	p := cloudflarePicture(t, PictureOptions{})
	got := p.edgesWhere(func(e picEdge) bool { return e.witness })
	want := []string{
		"access -auth-> workers-kv",
		"ci -auth-> access",
		"workers-kv -ci-rollback-> ci",
		"workers-kv -runtime-> kv-build@staging",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("witness edges (-want +got):\n%s", diff)
	}
	var errored []string
	for _, n := range p.nodes {
		if n.errored {
			errored = append(errored, Display(n.id))
			if n.style.Stroke != colorError || n.style.StrokeWidth < 2 {
				t.Errorf("%s: stroke %s width %v, want a thick red outline", n.id, n.style.Stroke, n.style.StrokeWidth)
			}
		}
	}
	if diff := cmp.Diff([]string{"workers-kv"}, errored); diff != "" {
		t.Errorf("nodes outlined red (-want +got):\n%s", diff)
	}
	crossing := p.edgesWhere(func(e picEdge) bool { return e.crossing != "" })
	if diff := cmp.Diff([]string{"workers-kv -runtime-> kv-build@staging"}, crossing); diff != "" {
		t.Errorf("crossing edges (-want +got):\n%s", diff)
	}
	for _, n := range p.nodes {
		if n.nonProd != (n.id == "kv-build@staging") {
			t.Errorf("%s: nonProd = %v", n.id, n.nonProd)
		}
	}
	if len(p.nodes) != 19 || len(p.edges) != 21 {
		t.Errorf("%d nodes and %d edges, want all 19 and 21", len(p.nodes), len(p.edges))
	}
}

func TestPictureFocus(t *testing.T) {
	for _, tc := range []struct {
		focus []string
		depth int
		want  []string
	}{
		{[]string{"workers-kv@production"}, 0, []string{"workers-kv"}},
		// Both ways over every edge type: dependents, the staging build,
		// the recovery tooling and the monitor.
		{[]string{"workers-kv@production"}, 1, []string{"access", "ai-gateway", "alerting", "cache-purge", "ci-secrets", "ci", "dashboard",
			"feature-flags", "images", "kv-build@staging", "kv-deploy-api", "pages", "turnstile", "waiting-room", "workers-kv", "workers", "zero-trust-warp"}},
		{[]string{"challenge-pages@production"}, 2, []string{"challenge-pages", "dashboard", "turnstile", "workers-kv"}},
		{[]string{"kv-build@production", "alerting@production"}, 1, []string{"alerting", "kv-build", "workers-kv"}},
	} {
		p := cloudflarePicture(t, PictureOptions{Focus: tc.focus, Depth: tc.depth})
		if diff := cmp.Diff(tc.want, p.names()); diff != "" {
			t.Errorf("focus %v depth %d (-want +got):\n%s", tc.focus, tc.depth, diff)
		}
		for _, e := range p.edges {
			if e.from < 0 || e.to < 0 {
				t.Fatalf("focus %v: edge to an undrawn node", tc.focus)
			}
		}
		for _, n := range p.nodes {
			if n.focus != slices.Contains(tc.focus, n.id) || n.style.Bold != n.focus {
				t.Errorf("focus %v: %s focus=%v bold=%v", tc.focus, n.id, n.focus, n.style.Bold)
			}
		}
	}
}

func TestPictureFindingsOnly(t *testing.T) {
	p := cloudflarePicture(t, PictureOptions{FindingsOnly: true})
	if diff := cmp.Diff([]string{"access", "ci", "kv-build@staging", "workers-kv"}, p.names()); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	if len(p.edges) != 4 || p.note != "findings only: 4 of 19 nodes" {
		t.Errorf("%d edges, note %q; want the 4 witness edges and a note", len(p.edges), p.note)
	}
	// Focus narrows the findings down to a neighbourhood.
	p = cloudflarePicture(t, PictureOptions{FindingsOnly: true, Focus: []string{"kv-build@staging"}, Depth: 1})
	if diff := cmp.Diff([]string{"kv-build@staging", "workers-kv"}, p.names()); diff != "" {
		t.Errorf("with focus (-want +got):\n%s", diff)
	}
}

func TestPictureRejectsBadOptions(t *testing.T) {
	ms, err := manifest.Load([]string{"../examples/cloudflare-2023"})
	if err != nil {
		t.Fatal(err)
	}
	g := graph.Build(ms)
	for _, o := range []PictureOptions{
		{Cluster: "team"},
		{Focus: []string{"workers-kv"}}, // a full ID is required
		{Focus: []string{"workers-kv@production"}, Depth: -1},
	} {
		if _, err := buildPicture(g, nil, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// The Style hook sees every drawn node once, after catch22 styled it, and
// what it changes is drawn.
func TestPictureStyleHook(t *testing.T) {
	var seen []string
	p := cloudflarePicture(t, PictureOptions{Style: func(id string, s *NodeStyle) {
		seen = append(seen, id)
		if id == "access@production" {
			s.Fill = "#f4cccc"
			s.Notes = append(s.Notes, "down")
		}
	}})
	if len(seen) != 19 || !slices.IsSorted(seen) {
		t.Errorf("hook saw %v, want every node in order", seen)
	}
	var b strings.Builder
	b.WriteString(p.dot().String())
	if !strings.Contains(b.String(), `fillcolor="#f4cccc"`) || !strings.Contains(b.String(), ">down</FONT>") {
		t.Error("the hook's fill and note are not in the DOT output")
	}
	for _, n := range p.nodes {
		if n.id == "access@production" && (n.base.Fill == "#f4cccc" || len(n.base.Notes) != 0) {
			t.Error("the hook changed the base style")
		}
	}
}

func TestEscapers(t *testing.T) {
	// What Graphviz and Mermaid need to draw the input as it is; dot -Tsvg
	// checks the DOT side in TestGraphvizAcceptsEveryPicture.
	for _, tc := range []struct{ in, dot, html, mermaid string }{
		{`plain-name_1.x`, `"plain-name_1.x"`, `plain-name_1.x`, `plain-name_1.x`},
		{`a"b`, `"a\"b"`, `a&quot;b`, `a#quot;b`},
		{`back\slash \N \l`, `"back\\slash \\N \\l"`, `back\\slash \\N \\l`, `back#92;slash #92;N #92;l`},
		{`end\`, `"end\\"`, `end\\`, `end#92;`},
		{"<b>&amp;</b>", `"<b>&amp;amp;</b>"`, `&lt;b&gt;&amp;amp;&lt;/b&gt;`, `#60;b#62;#38;amp#59;#60;/b#62;`},
		{"line\r\nbreak\rx\ny", `"line\nbreak\nx\ny"`, `line<BR/>break<BR/>x<BR/>y`, `line<br/>break<br/>x<br/>y`},
		{"bell\x07 del\x7f nul\x00", "\"bell\u2407 del\u2421 nul\u2400\"", "bell\u2407 del\u2421 nul\u2400", "bell\u2407 del\u2421 nul\u2400"},
		{"bad \xff utf8", "\"bad \ufffd utf8\"", "bad \ufffd utf8", "bad \ufffd utf8"},
		{"ünï ✓ 日本", `"ünï ✓ 日本"`, `ünï ✓ 日本`, `ünï ✓ 日本`},
		{"# | ` ; [x] {y}", "\"# | ` ; [x] {y}\"", "# | ` ; [x] {y}", "#35; #124; #96; #59; #91;x#93; #123;y#125;"},
	} {
		if got := dotString(tc.in); got != tc.dot {
			t.Errorf("dotString(%q) = %s, want %s", tc.in, got, tc.dot)
		}
		// Tooltips lose two levels of backslashes in Graphviz.
		if got, want := dotTooltip(tc.in), strings.ReplaceAll(tc.dot, `\\`, `\\\\`); got != want {
			t.Errorf("dotTooltip(%q) = %s, want %s", tc.in, got, want)
		}
		if got := htmlText(tc.in); got != tc.html {
			t.Errorf("htmlText(%q) = %s, want %s", tc.in, got, tc.html)
		}
		if got := mermaidText(tc.in); got != tc.mermaid {
			t.Errorf("mermaidText(%q) = %s, want %s", tc.in, got, tc.mermaid)
		}
	}
}

// parsePicture builds the picture of manifests given as file name → TOML,
// analysed on the README's date.
func parsePicture(t *testing.T, files map[string]string, o PictureOptions) *picture {
	t.Helper()
	var ms []*manifest.Manifest
	for _, name := range slices.Sorted(maps.Keys(files)) {
		m, errs := manifest.Parse(name, []byte(files[name]))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		ms = append(ms, m)
	}
	g := graph.Build(ms)
	res, err := analyzer.Analyze(g, analyzer.DefaultConfig(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := buildPicture(g, res, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// --edges draws only the classes asked for, keeps every node, and a focus
// neighbourhood follows only those classes.
func TestPictureEdgeClasses(t *testing.T) {
	classes := func(p *picture) []edgeClass {
		var cs []edgeClass
		for _, e := range p.edges {
			if !slices.Contains(cs, e.class) {
				cs = append(cs, e.class)
			}
		}
		slices.Sort(cs)
		return cs
	}
	for _, tc := range []struct {
		edges []string
		want  []edgeClass
		n     int // edges drawn
	}{
		{nil, []edgeClass{hardEdge, softEdge, viaEdge, monitorEdge}, 21},
		{[]string{"deps"}, []edgeClass{hardEdge, softEdge}, 16},
		{[]string{"recovery"}, []edgeClass{viaEdge}, 4},
		{[]string{"monitors"}, []edgeClass{monitorEdge}, 1},
		{[]string{"recovery", "monitors"}, []edgeClass{viaEdge, monitorEdge}, 5},
	} {
		p := cloudflarePicture(t, PictureOptions{Edges: tc.edges})
		if diff := cmp.Diff(tc.want, classes(p)); diff != "" || len(p.edges) != tc.n || len(p.nodes) != 19 {
			t.Errorf("edges %v: %d nodes, %d edges of classes (-want +got):\n%s", tc.edges, len(p.nodes), len(p.edges), diff)
		}
		for c := range p.legend.classes {
			if p.legend.classes[c] != slices.Contains(tc.want, edgeClass(c)) {
				t.Errorf("edges %v: the legend explains class %d: %v", tc.edges, c, p.legend.classes[c])
			}
		}
	}
	// The tooling that recovers workers-kv, and nothing that merely
	// depends on it.
	p := cloudflarePicture(t, PictureOptions{Edges: []string{"recovery"}, Focus: []string{"workers-kv@production"}, Depth: 1})
	if diff := cmp.Diff([]string{"ci-secrets", "ci", "dashboard", "kv-deploy-api", "workers-kv"}, p.names()); diff != "" {
		t.Errorf("recovery neighbourhood of workers-kv (-want +got):\n%s", diff)
	}
	if want := "focus workers-kv, depth 1; recovery edges only: 5 of 19 nodes"; p.note != want {
		t.Errorf("note %q, want %q", p.note, want)
	}
	ms, err := manifest.Load([]string{"../examples/cloudflare-2023"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = buildPicture(graph.Build(ms), nil, PictureOptions{Edges: []string{"deps", "recovry"}})
	if err == nil || !strings.Contains(err.Error(), `unknown edge class "recovry" (did you mean "recovery"?)`) {
		t.Errorf("a misspelt class: error %v, want a did-you-mean", err)
	}
}

// Procedures of one node that go through the same tool are one edge with a
// count, not a fan of parallel edges; procedures of other nodes stay apart.
func TestPictureBundlesProcedures(t *testing.T) {
	files := map[string]string{
		"s.toml": `[service]
name = "s"
[[recovery]]
name = "rollback"
via = ["t"]
[[recovery]]
name = "redeploy"
via = ["t", "u"]
`,
		"r.toml": `[service]
name = "r"
[[recovery]]
name = "rollback"
via = ["t"]
[[recovery]]
name = "restore"
via = ["t"]
[[recovery]]
name = "rebuild"
via = ["t"]
[[recovery]]
name = "reimage"
via = ["u"]
`,
		"t.toml": "[service]\nname = \"t\"\nkind = \"tool\"\n",
		"u.toml": "[service]\nname = \"u\"\nkind = \"tool\"\n",
	}
	p := parsePicture(t, files, PictureOptions{})
	want := []string{"r -3 procedures-> t", "r -reimage-> u", "s -redeploy-> u", "s -rollback, redeploy-> t"}
	if diff := cmp.Diff(want, p.edgesWhere(func(picEdge) bool { return true })); diff != "" {
		t.Errorf("recovery edges (-want +got):\n%s", diff)
	}
	for _, e := range p.edges {
		if p.nodes[e.from].id == "r@production" && p.nodes[e.to].id == "t@production" {
			if e.count != 3 || !strings.HasPrefix(e.tooltip, "3 edges:\n") || strings.Count(e.tooltip, "is recovered through t") != 3 {
				t.Errorf("bundle r → t: count %d, tooltip %q", e.count, e.tooltip)
			}
		}
	}
	// The same procedure of two nodes, collapsed into one system, is one
	// edge "name ×N".
	files["s.toml"] = strings.Replace(files["s.toml"], "name = \"s\"\n", "name = \"s\"\nsystem = \"core\"\n", 1)
	files["r.toml"] = strings.Replace(files["r.toml"], "name = \"r\"\n", "name = \"r\"\nsystem = \"core\"\n", 1)
	p = parsePicture(t, files, PictureOptions{Collapse: "system", Cluster: "none"})
	want = []string{"core -5 procedures-> t", "core -reimage, redeploy-> u"}
	if diff := cmp.Diff(want, p.edgesWhere(func(picEdge) bool { return true })); diff != "" {
		t.Errorf("collapsed recovery edges (-want +got):\n%s", diff)
	}
	if got := bundleLabel([]picEdge{{label: "rollback"}, {label: "rollback"}, {label: "rollback"}}); got != "rollback ×3" {
		t.Errorf("one name thrice: %q", got)
	}
	if got := bundleLabel([]picEdge{{class: monitorEdge}, {class: monitorEdge}}); got != "×2" {
		t.Errorf("two monitors: %q", got)
	}
	if got := bundleLabel([]picEdge{{label: "data"}, {label: "runtime"}, {label: "data"}}); got != "data ×2, runtime" {
		t.Errorf("two kinds: %q", got)
	}
}

// --collapse system draws one box per system, bundles the edges between
// boxes with counts, and still draws the findings' witnesses in red.
func TestPictureCollapseSystem(t *testing.T) {
	p := cloudflarePicture(t, PictureOptions{Collapse: "system", Cluster: "none"})
	var boxes []string
	members := 0
	for _, n := range p.nodes {
		if n.members == 0 {
			t.Errorf("%s is drawn as a node: every node of the example has a system", n.id)
		}
		boxes = append(boxes, n.id)
		members += n.members
	}
	slices.Sort(boxes)
	want := []string{"application-performance", "application-security", "dashboard", "deployment", "developer-platform",
		"internal-tooling", "observability", "workers-kv", "zero-trust"}
	if diff := cmp.Diff(want, boxes); diff != "" || members != 19 || len(p.clusters) != 0 {
		t.Errorf("boxes (-want +got):\n%s\n%d members, %d clusters", diff, members, len(p.clusters))
	}
	// The recovery cycle, box to box, and the crossing into staging as a
	// loop on the workers-kv box, which holds both ends.
	witness := p.edgesWhere(func(e picEdge) bool { return e.witness })
	wantWitness := []string{
		"internal-tooling -auth-> zero-trust",
		"workers-kv -ci-rollback-> internal-tooling",
		"workers-kv -runtime-> workers-kv",
		"zero-trust -auth-> workers-kv",
	}
	if diff := cmp.Diff(wantWitness, witness); diff != "" {
		t.Errorf("witness edges (-want +got):\n%s", diff)
	}
	bundled := p.edgesWhere(func(e picEdge) bool { return e.count > 1 })
	if diff := cmp.Diff([]string{"developer-platform -runtime ×3, deploy-> workers-kv"}, bundled); diff != "" {
		t.Errorf("bundled edges (-want +got):\n%s", diff)
	}
	for _, n := range p.nodes {
		if n.errored != (n.id == "workers-kv") {
			t.Errorf("box %s errored = %v", n.id, n.errored)
		}
		if n.id == "workers-kv" && !slices.Contains(n.style.Notes, "recovery-cycle: workers-kv") {
			t.Errorf("the workers-kv box notes %q, want the recovery cycle", n.style.Notes)
		}
	}
	if want := "one box per system: 19 of 19 nodes, 19 of them in 9 system boxes"; p.note != want {
		t.Errorf("note %q, want %q", p.note, want)
	}
	src := p.dot().String()
	if strings.Count(src, `shape="box3d"`) != 9 {
		t.Errorf("DOT draws %d system boxes, want 9", strings.Count(src, `shape="box3d"`))
	}
	for _, bad := range []PictureOptions{{Collapse: "owner"}, {Collapse: "system", Cluster: "owner"}} {
		ms, err := manifest.Load([]string{"../examples/cloudflare-2023"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := buildPicture(graph.Build(ms), nil, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// At scale, collapsing keeps the picture to a box per system, and loses no
// edge: every edge of the full picture is in a bundle or inside a box, and
// every error witness between two systems is a red edge between their
// boxes.
func TestPictureCollapseAtScale(t *testing.T) {
	cfg := synth.Large(2000, 7)
	ms, err := synth.Manifests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := graph.Build(ms)
	res, err := analyzer.Analyze(g, analyzer.DefaultConfig(cfg.Now))
	if err != nil {
		t.Fatal(err)
	}
	full, err := buildPicture(g, res, PictureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := buildPicture(g, res, PictureOptions{Collapse: "system", Cluster: "none"})
	if err != nil {
		t.Fatal(err)
	}
	systemOf := func(id string) string {
		if v, ok := g.Lookup(id); ok && g.Nodes[v].Manifest.Service.System != "" {
			return g.Nodes[v].Manifest.Service.System
		}
		return id
	}
	systems := map[string]bool{}
	for _, n := range full.nodes {
		systems[systemOf(n.id)] = true
	}
	if len(p.nodes) != len(systems) || len(p.nodes) > 20 {
		t.Fatalf("%d boxes and nodes for %d systems and nodes without one", len(p.nodes), len(systems))
	}
	type pair struct{ from, to string }
	inside, counted, total := 0, 0, 0
	redBetween := map[pair]bool{}
	for _, e := range full.edges {
		total += e.count
		a, b := systemOf(full.nodes[e.from].id), systemOf(full.nodes[e.to].id)
		if a == b && !e.witness {
			inside += e.count
		}
		if e.witness {
			redBetween[pair{a, b}] = true
		}
	}
	for _, e := range p.edges {
		counted += e.count
		if e.witness {
			delete(redBetween, pair{p.nodes[e.from].id, p.nodes[e.to].id})
		}
	}
	if counted+inside != total || total != len(g.Edges)+len(g.Unknown) {
		t.Errorf("bundles count %d edges and %d are inside boxes, want the %d of the full picture, the %d of the graph", counted, inside, total, len(g.Edges)+len(g.Unknown))
	}
	if len(redBetween) > 0 {
		t.Errorf("witness hops with no red edge between their boxes: %v", redBetween)
	}
	var dot strings.Builder
	dot.WriteString(p.dot().String())
	if dot.Len() > 100_000 {
		t.Errorf("the collapsed DOT of 2,000 nodes is %d bytes, want a small picture", dot.Len())
	}
}

// Every line the picture draws has a sample in the legend, in the same
// look, and the legend has no sample of a look the picture does not draw.
func TestPictureLegendLooks(t *testing.T) {
	for _, o := range []PictureOptions{{}, {Collapse: "system", Cluster: "none"}, {FindingsOnly: true}} {
		p := cloudflarePicture(t, o)
		drawn := map[edgeLook]bool{}
		for _, e := range p.edges {
			drawn[lookOf(e.class, e.variant())] = true
		}
		legend := p.htmlLegend()
		sampled := map[edgeLook]bool{}
		for _, m := range regexp.MustCompile(`<TD SIDES="B" BORDER="(\d+)" COLOR="([^"]*)"(?: STYLE="(\w+)")?`).FindAllStringSubmatch(legend, -1) {
			w, _ := strconv.Atoi(m[1])
			sampled[edgeLook{color: m[2], width: w, style: cmpOr(m[3], "solid")}] = true
		}
		if diff := cmp.Diff(drawn, sampled, cmp.AllowUnexported(edgeLook{})); diff != "" {
			t.Errorf("%+v: line looks drawn (-) and in the legend (+):\n%s", o, diff)
		}
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
