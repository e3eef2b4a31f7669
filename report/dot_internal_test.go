package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
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
