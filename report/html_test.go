package report_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"maps"
	"os"
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
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

var htmlNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// htmlNoGraphviz is the note the command shows when dot is missing.
const htmlNoGraphviz = "Graphviz is not installed: install it to see the picture, or run catch22 graph --format dot"

// htmlAnalyze builds the graph of manifests and analyzes it as `check`
// does by default.
func htmlAnalyze(t testing.TB, ms []*manifest.Manifest) (*graph.Graph, *analyzer.Result) {
	t.Helper()
	g := graph.Build(ms)
	res, err := analyzer.Analyze(g, analyzer.DefaultConfig(htmlNow))
	if err != nil {
		t.Fatal(err)
	}
	return g, res
}

// htmlExample loads and analyzes one directory of examples/.
func htmlExample(t testing.TB, dir string) (*graph.Graph, *analyzer.Result) {
	t.Helper()
	ms, err := manifest.Load([]string{filepath.Join("..", "examples", dir)})
	if err != nil {
		t.Fatal(err)
	}
	return htmlAnalyze(t, ms)
}

// htmlParse parses manifests given as file name → TOML.
func htmlParse(t testing.TB, files map[string]string) []*manifest.Manifest {
	t.Helper()
	var ms []*manifest.Manifest
	for _, name := range slices.Sorted(maps.Keys(files)) {
		m, errs := manifest.Parse(name, []byte(files[name]))
		if errs != nil {
			t.Fatalf("%s: %v", name, errs)
		}
		ms = append(ms, m)
	}
	return ms
}

// htmlPicture is real Graphviz output (dot -Tsvg, with its XML declaration,
// DOCTYPE and comments), used as the picture in golden files.
func htmlPicture(t testing.TB) []byte {
	t.Helper()
	svg, err := os.ReadFile(filepath.Join("testdata", "html-picture.svg"))
	if err != nil {
		t.Fatal(err)
	}
	return svg
}

func htmlRender(t testing.TB, g *graph.Graph, res *analyzer.Result, o report.HTMLOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.HTML(&buf, g, res, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// Hostile values: each must reach the page as text, never as markup.
const (
	hostileName  = "a\"b\\c<script>alert(3)</script>&ünï ✓\nz"
	hostileDesc  = "quotes \" and 'single' <script>alert(1)</script> & ampersand\nsecond line ünï ✓"
	hostileOwner = "o<b>wner</b> & co"
	hostileProc  = "roll\"back <script>alert(2)</script> & ✓"
)

// htmlHostile is a graph parsed from manifests whose free-text fields are
// hostile, then renamed to a node name the manifest syntax would refuse, so
// that names, messages, witnesses and descriptions all carry markup.
func htmlHostile(t testing.TB) (*graph.Graph, *analyzer.Result) {
	t.Helper()
	ms := htmlParse(t, map[string]string{
		"alpha.toml": `[service]
name = "alpha"
description = "quotes \" and 'single' <script>alert(1)</script> & ampersand\nsecond line ünï ✓"
owner = "o<b>wner</b> & co"
system = "sys\\tem \"quoted\" </td></tr></table>"
tier = 0
kind = "datastore"

[[dependency]]
on = "beta@staging"
kind = "auth"
note = "<script>alert('note')</script>"

[[recovery]]
name = "roll\"back <script>alert(2)</script> & ✓"
via = ["beta@staging"]
runbook = "javascript:alert(4)"
`,
		"beta.toml": `[service]
name = "beta"
env = "staging"
description = "</style><script>alert(5)</script>"

[[dependency]]
on = "alpha@production"
note = "-->&lt;"
`,
	})
	rename := func(r *manifest.Ref) {
		if r.Name == "alpha" {
			r.Name = hostileName
		}
	}
	for _, m := range ms {
		if m.Service.Name == "alpha" {
			m.Service.Name = hostileName
		}
		for i := range m.Dependencies {
			rename(&m.Dependencies[i].On)
		}
		for i := range m.Recoveries {
			for j := range m.Recoveries[i].Via {
				rename(&m.Recoveries[i].Via[j])
			}
		}
	}
	return htmlAnalyze(t, ms)
}

func TestHTMLGolden(t *testing.T) {
	cfG, cfRes := htmlExample(t, "cloudflare-2023")
	fixG, fixRes := htmlExample(t, "cloudflare-2023-fixed")
	hG, hRes := htmlHostile(t)
	for _, c := range []struct {
		name string
		g    *graph.Graph
		res  *analyzer.Result
		o    report.HTMLOptions
	}{
		{"cloudflare", cfG, cfRes, report.HTMLOptions{Title: "Workers KV, 30 October 2023", SVG: htmlPicture(t), Now: htmlNow, Version: "1.2.3"}},
		{"fixed-nographviz", fixG, fixRes, report.HTMLOptions{SVGNote: htmlNoGraphviz, Now: htmlNow, Version: "1.2.3"}},
		{"hostile", hG, hRes, report.HTMLOptions{Title: "<script>alert(6)</script>", SVGNote: htmlNoGraphviz, Now: htmlNow}},
		{"empty", graph.Build(nil), &analyzer.Result{}, report.HTMLOptions{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := htmlRender(t, c.g, c.res, c.o)
			checkGolden(t, filepath.Join("testdata", "html-"+c.name+".golden"), []byte(got))
			htmlCheckSelfContained(t, got)
			htmlCheckCSP(t, got)
		})
	}
}

// TestHTMLContent checks, independently of the golden files, what a
// reviewer must find on the page of the founding incident.
func TestHTMLContent(t *testing.T) {
	g, res := htmlExample(t, "cloudflare-2023")
	page := htmlRender(t, g, res, report.HTMLOptions{SVG: htmlPicture(t), Now: htmlNow, Version: "1.2.3"})
	kv, _ := g.Lookup("workers-kv@production")
	for _, want := range []string{
		// The headline names the unrecoverable service and links to its row.
		`<strong>1 service cannot be recovered:</strong> <a href="#svc-` + strconv.Itoa(kv) + `">workers-kv</a>`,
		`<dt>services</dt><dd>19</dd>`, `<dt>edges</dt><dd>21</dd>`, `<dt>errors</dt><dd>2</dd>`, `<dt>infos</dt><dd>2</dd>`,
		// The picture is inlined without its prolog.
		"<figure class=\"graph\" id=\"picture\">\n<svg width=",
		// Findings with witness and location.
		`<span class="rule">recovery-cycle</span>`,
		`<span class="node">workers-kv</span><span class="edge"> -[recovery: ci-rollback]-&gt; </span><span class="node">ci</span>`,
		"examples/cloudflare-2023/workers-kv.toml:",
		// The table row of workers-kv: cyclic, and 13 of 18 others go down with it.
		`<tr id="svc-` + strconv.Itoa(kv) + `" class="row-cyclic">`,
		`<span class="status status-cyclic">cyclic</span>`,
		`<td class="num">13 <span class="pct">(72%)</span>`,
		"Generated by catch22 1.2.3 on 2026-11-29.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<?xml", "<!DOCTYPE svg", "svg11.dtd"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q from the SVG prolog", bad)
		}
	}
	// Without the script, nothing but the empty control bar is hidden.
	if n := len(regexp.MustCompile(`<[a-z][^>]*\shidden[\s>=]`).FindAllString(page, -1)); n != 1 || !strings.Contains(page, `<nav id="filters" class="controls" aria-label="Filter the report" hidden></nav>`) {
		t.Errorf("page hides %d elements before its script runs, want only the control bar", n)
	}
	if strings.Contains(page, `class="note"`) {
		t.Error("page shows the no-picture note although an SVG was given")
	}

	fg, fres := htmlExample(t, "cloudflare-2023-fixed")
	fixed := htmlRender(t, fg, fres, report.HTMLOptions{SVGNote: htmlNoGraphviz})
	for _, want := range []string{
		`<p class="note">` + htmlNoGraphviz + `</p>`,
		`<div class="verdict verdict-ok" id="verdict">`,
		`<span class="status status-recoverable">recoverable</span>`,
		"Generated by catch22.",
	} {
		if !strings.Contains(fixed, want) {
			t.Errorf("fixed page lacks %q", want)
		}
	}
	if strings.Contains(fixed, "<svg") || strings.Contains(fixed, "cannot be recovered") {
		t.Error("fixed page without SVG shows a picture or a recovery cycle")
	}
}

// TestHTMLPartial shows a service whose normal procedure is blocked and
// whose breakglass one is not.
func TestHTMLPartial(t *testing.T) {
	g, res := htmlAnalyze(t, htmlParse(t, map[string]string{
		"s.toml": "[service]\nname = \"s\"\n[[recovery]]\nname = \"deploy\"\nvia = [\"t\"]\n[[recovery]]\nname = \"glass\"\nvia = [\"u\"]\nbreakglass = true\ntested = 2026-11-01\n",
		"t.toml": "[service]\nname = \"t\"\n[[dependency]]\non = \"s\"\n",
		"u.toml": "[service]\nname = \"u\"\n",
	}))
	page := htmlRender(t, g, res, report.HTMLOptions{})
	for _, want := range []string{
		`<span class="status status-breakglass">only via breakglass</span> <span class="status status-partial">1 of 2 procedures blocked</span>`,
		`<li class="blocked"><span class="mark">✗</span> <span class="proc">deploy</span> <span class="why">blocked: <code><span class="node">t</span><span class="edge"> -[runtime]-&gt; </span><span class="node">s</span></code></span></li>`,
		`<li class="usable"><span class="mark">✓</span> <span class="proc">glass</span> <span class="bg">breakglass</span> <span class="why">via u</span></li>`,
		"Recovery status of 3 services: 1 recoverable only via breakglass (partially blocked), 2 with no recovery declared.",
		`<span class="rule">partial-recovery-cycle</span>`,
		`<div class="verdict verdict-ok" id="verdict">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestHTMLStatusCountsAddUp: the headline counts every service once, by
// its recovery status, so the counts add up to the services and to the
// rows of the table, and partially blocked services are said within their
// status. (It once added "1 partially blocked" on top: 4 for 3 services.)
func TestHTMLStatusCountsAddUp(t *testing.T) {
	const svc = "[service]\nname = %q\n"
	proc := func(name, via string, breakglass bool) string {
		return fmt.Sprintf("[[recovery]]\nname = %q\nvia = [%q]\nbreakglass = %v\ntested = 2026-11-01\n", name, via, breakglass)
	}
	dep := func(on string) string { return fmt.Sprintf("[[dependency]]\non = %q\n", on) }
	// Two recoverable services (a partially blocked), one only via
	// breakglass (partially blocked), one cyclic, four with none.
	partial := map[string]string{
		"a.toml":    fmt.Sprintf(svc, "a") + proc("deploy", "ta", false) + proc("manual", "free", false),
		"b.toml":    fmt.Sprintf(svc, "b") + proc("deploy", "free", false),
		"c.toml":    fmt.Sprintf(svc, "c") + proc("deploy", "tc", false) + proc("glass", "free", true),
		"d.toml":    fmt.Sprintf(svc, "d") + proc("deploy", "td", false),
		"ta.toml":   fmt.Sprintf(svc, "ta") + dep("a"),
		"tc.toml":   fmt.Sprintf(svc, "tc") + dep("c"),
		"td.toml":   fmt.Sprintf(svc, "td") + dep("d"),
		"free.toml": fmt.Sprintf(svc, "free"),
	}
	type input struct {
		name string
		g    *graph.Graph
		res  *analyzer.Result
		want string
	}
	g, res := htmlAnalyze(t, htmlParse(t, partial))
	inputs := []input{{"partial", g, res, "Recovery status of 8 services: 1 cyclic, 1 recoverable only via breakglass (partially blocked), " +
		"2 recoverable (1 of them partially blocked), 4 with no recovery declared."}}
	for _, dir := range []string{"cloudflare-2023", "cloudflare-2023-fixed"} {
		g, res := htmlExample(t, dir)
		inputs = append(inputs, input{name: dir, g: g, res: res})
	}
	for seed := range int64(30) {
		var ms []*manifest.Manifest
		for _, f := range synth.Generate(synth.Small(seed)) {
			m, errs := manifest.Parse(f.Name, f.Data)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			ms = append(ms, m)
		}
		g, res := htmlAnalyze(t, ms)
		inputs = append(inputs, input{name: fmt.Sprintf("synth-%d", seed), g: g, res: res})
	}
	summary := regexp.MustCompile(`Recovery status of (\d+) services?: ([^<]*)\.</p>`)
	count := regexp.MustCompile(`(?:^|, )(\d+) [^,(]*(?:\(([^)]*)\))?`)
	sawPartial := 0
	for _, in := range inputs {
		page := htmlRender(t, in.g, in.res, report.HTMLOptions{})
		m := summary.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("%s: no status summary", in.name)
			continue
		}
		if in.want != "" && !strings.Contains(page, in.want) {
			t.Errorf("%s: summary %q, want %q", in.name, m[0], in.want)
		}
		services, _ := strconv.Atoi(m[1])
		sum := 0
		for _, c := range count.FindAllStringSubmatch(m[2], -1) {
			n, _ := strconv.Atoi(c[1])
			sum += n
			if c[2] != "" {
				sawPartial++
			}
		}
		rows := strings.Count(page, `<tr id="svc-`)
		if sum != services || services != len(in.g.Nodes) || rows != services {
			t.Errorf("%s: %q counts %d services, says %d, the graph has %d and the table %d rows", in.name, m[0], sum, services, len(in.g.Nodes), rows)
		}
	}
	if sawPartial < 3 {
		t.Errorf("only %d summaries with partially blocked services: the test does not try the case", sawPartial)
	}
}

// TestHTMLPictureNote: a picture that leaves something out says so under
// it, and says that the rest of the page does not.
func TestHTMLPictureNote(t *testing.T) {
	g, res := htmlExample(t, "cloudflare-2023")
	o := report.PictureOptions{Focus: []string{"workers-kv@production"}, Depth: 1, Edges: []string{"recovery"}}
	note, err := report.PictureNote(g, res, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := "focus workers-kv, depth 1; recovery edges only: 5 of 19 nodes"; note != want {
		t.Errorf("note %q, want %q", note, want)
	}
	page := htmlRender(t, g, res, report.HTMLOptions{SVG: htmlPicture(t), PictureNote: note})
	if want := "<figcaption>Picture: " + note + ". The findings and the table below cover every service.</figcaption>"; !strings.Contains(page, want) {
		t.Errorf("page lacks %q", want)
	}
	if n := strings.Count(page, `<tr id="svc-`); n != 19 {
		t.Errorf("the table has %d rows, want every service", n)
	}
	if whole, _ := report.PictureNote(g, res, report.PictureOptions{}); whole != "" || strings.Contains(htmlRender(t, g, res, report.HTMLOptions{SVG: htmlPicture(t)}), "<figcaption") {
		t.Errorf("the whole picture has a note %q or a caption", whole)
	}
}

// TestHTMLEscaping renders hostile names, descriptions, procedure names and
// findings: nothing from the data may become markup.
func TestHTMLEscaping(t *testing.T) {
	g, res := htmlHostile(t)
	page := htmlRender(t, g, res, report.HTMLOptions{Title: "<script>alert(6)</script>", SVGNote: "<img src=x onerror=alert(7)>"})
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("page has %d <script tags, want only its own", n)
	}
	for _, bad := range []string{"<b>wner", "</td></tr></table>\"", "<img", "</style><script>", "alert(3)</script>&ü", hostileName, hostileDesc} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains raw %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;",                                  // description
		"quotes &#34; and &#39;single&#39;",                                      // quotes in text
		"&amp; ampersand\nsecond line ünï ✓",                                     // newline and Unicode kept as text
		"o&lt;b&gt;wner&lt;/b&gt; &amp; co",                                      // owner
		"roll&#34;back &lt;script&gt;alert(2)&lt;/script&gt; &amp; ✓",            // procedure name
		`a&#34;b\c&lt;script&gt;alert(3)&lt;/script&gt;&amp;ünï ✓` + "\nz",       // node name
		"&lt;/style&gt;&lt;script&gt;alert(5)&lt;/script&gt;",                    // description closing the style element
		"<title>&lt;script&gt;alert(6)&lt;/script&gt;</title>",                   // title
		`<p class="note">&lt;img src=x onerror=alert(7)&gt;</p>`,                 // note
		`<span class="status status-cyclic">cyclic</span>`,                       // the graph is still analyzed
		`<span class="rule">recovery-cycle</span> <span class="on">on</span> <a`, // and its findings linked
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	htmlCheckSelfContained(t, page)

	// The findings-only hostile result of the other reporters, on a graph
	// that does not hold its nodes: no links, same escaping.
	page = htmlRender(t, graph.Build(nil), hostile(), report.HTMLOptions{})
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("findings page has %d <script tags, want only its own", n)
	}
	for _, want := range []string{
		"line one\nline two\r\n::error::injected %0A 100% &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;q&#34; \\",
		"waived: migrating &lt;soon&gt; | *really*\nQ3",
		`<span class="edge"> -[auth` + "\n" + `::x]-&gt; </span>`,
		`<span class="waived-badge">waived</span>`,
		"<h3>Errors (3, 1 waived)</h3>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("findings page lacks %q", want)
		}
	}
	if strings.Contains(page, `href="#svc`) {
		t.Error("findings page links to service rows that do not exist")
	}
}

// TestHTMLDeterministic renders the same input, compiled from manifests in
// another order, several times: the bytes must not change.
func TestHTMLDeterministic(t *testing.T) {
	ms, err := manifest.Load([]string{"../examples/cloudflare-2023"})
	if err != nil {
		t.Fatal(err)
	}
	o := report.HTMLOptions{SVG: htmlPicture(t), Now: htmlNow, Version: "1.2.3"}
	g, res := htmlAnalyze(t, ms)
	want := htmlRender(t, g, res, o)
	for i := range 5 {
		rev := slices.Clone(ms)
		slices.Reverse(rev)
		if i%2 == 0 {
			rev = ms
		}
		g, res := htmlAnalyze(t, rev)
		if got := htmlRender(t, g, res, o); got != want {
			t.Fatalf("render %d differs from the first", i)
		}
	}
}

func TestHTMLRejectsNonSVG(t *testing.T) {
	g, res := htmlExample(t, "cloudflare-2023-fixed")
	for _, svg := range []string{"<html><body>not a picture", "<?xml version=\"1.0\"", "<!DOCTYPE svg [ <!ENTITY x \">\"> "} {
		if err := report.HTML(&bytes.Buffer{}, g, res, report.HTMLOptions{SVG: []byte(svg)}); err == nil {
			t.Errorf("HTML accepted %q as a picture", svg)
		}
	}
	// A DOCTYPE with an internal subset holding '>' is skipped as a whole.
	svg := "\ufeff<?xml version=\"1.0\"?>\n<!DOCTYPE svg [ <!ENTITY x \">\"> ]>\n<!-- c -->\n<svg viewBox=\"0 0 1 1\"></svg>\n"
	page := htmlRender(t, g, res, report.HTMLOptions{SVG: []byte(svg)})
	if !strings.Contains(page, "<figure class=\"graph\" id=\"picture\">\n<svg viewBox=\"0 0 1 1\"></svg>\n</figure>") {
		t.Error("the SVG is not inlined right after its prolog is dropped")
	}
}

// htmlCheckSelfContained fails when the page could fetch anything: every
// reference in an attribute is to a fragment of the page, no CSS url() or
// @import leaves it, no element loads a resource, and no absolute URL
// remains except the XML namespace names of the SVG.
func htmlCheckSelfContained(t *testing.T, page string) {
	t.Helper()
	// Data is escaped, so '<' opens only tags of the page and the SVG.
	tags := regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	attrs := regexp.MustCompile(`(?i)[\s"'](href|src|xlink:href|action|formaction|srcset|poster|background|data|ping|manifest|codebase|cite|longdesc)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	for _, tag := range tags.FindAllString(page, -1) {
		for _, m := range attrs.FindAllStringSubmatch(tag, -1) {
			if v := strings.Trim(m[2], `"'`); !strings.HasPrefix(v, "#") {
				t.Errorf("attribute %s=%s points outside the page", m[1], m[2])
			}
		}
	}
	for _, m := range regexp.MustCompile(`(?i)url\(\s*['"]?([^)'"]*)`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("CSS url(%s) points outside the page", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`(?i)<(link|img|image|iframe|frame|object|embed|use|audio|video|source|track|base|input type="?image)\b|@import`).FindAllString(page, -1) {
		t.Errorf("page contains %s, which loads a resource", m)
	}
	rest := regexp.MustCompile(`xmlns(:\w+)?="http://www\.w3\.org/[^"]*"`).ReplaceAllString(page, "")
	if m := regexp.MustCompile(`(?i)\b(https?|wss?|ftp):`).FindString(rest); m != "" {
		t.Errorf("page contains an absolute %s URL", m)
	}
}

// htmlCheckCSP checks that the page's policy allows exactly its own script.
func htmlCheckCSP(t *testing.T, page string) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page has no script")
	}
	sum := sha256.Sum256([]byte(m[1]))
	want := `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-` + base64.StdEncoding.EncodeToString(sum[:]) + `';`
	if !strings.Contains(page, want) {
		t.Errorf("page lacks the policy %q", want)
	}
	if i, j := strings.Index(page, "Content-Security-Policy"), strings.Index(page, "<style>"); i < 0 || i > j {
		t.Error("the policy does not come before the first style")
	}
}

// TestRecoveryOf checks the status computation on small graphs, then
// against the recovery rules on both examples.
func TestRecoveryOf(t *testing.T) {
	const s = "[service]\nname = \"s\"\n"
	svc := func(name string, deps ...string) string {
		out := "[service]\nname = \"" + name + "\"\n"
		for _, d := range deps {
			mode := "hard"
			if strings.HasPrefix(d, "~") {
				d, mode = d[1:], "soft"
			}
			out += "[[dependency]]\non = \"" + d + "\"\nmode = \"" + mode + "\"\n"
		}
		return out
	}
	proc := func(name string, breakglass bool, via ...string) string {
		q := make([]string, len(via))
		for i, v := range via {
			q[i] = `"` + v + `"`
		}
		bg := "false"
		if breakglass {
			bg = "true"
		}
		return "[[recovery]]\nname = \"" + name + "\"\nvia = [" + strings.Join(q, ", ") + "]\nbreakglass = " + bg + "\n"
	}
	for _, c := range []struct {
		name    string
		files   map[string]string
		status  report.RecoveryStatus
		partial bool
		blocked []bool
		witness string // of the first blocked procedure
	}{
		{"no procedure", map[string]string{"s": s}, report.NoRecovery, false, nil, ""},
		{"tool depends on s", map[string]string{"s": s + proc("p", false, "t"), "t": svc("t", "s")},
			report.Cyclic, false, []bool{true}, "s -[recovery: p]-> t -[runtime]-> s"},
		{"via s itself", map[string]string{"s": s + proc("p", false, "s")}, report.Cyclic, false, []bool{true}, "s -[recovery: p]-> s"},
		{"transitive", map[string]string{"s": s + proc("p", false, "t"), "t": svc("t", "x"), "x": svc("x", "s")},
			report.Cyclic, false, []bool{true}, "s -[recovery: p]-> t -[runtime]-> x -[runtime]-> s"},
		{"shortest witness over the via nodes", map[string]string{"s": s + proc("p", false, "t", "u"), "t": svc("t", "x"), "x": svc("x", "s"), "u": svc("u", "s")},
			report.Cyclic, false, []bool{true}, "s -[recovery: p]-> u -[runtime]-> s"},
		{"soft dependency does not block", map[string]string{"s": s + proc("p", false, "t"), "t": svc("t", "~s")},
			report.Recoverable, false, []bool{false}, ""},
		{"undeclared via counts as up", map[string]string{"s": s + proc("p", false, "ghost")}, report.Recoverable, false, []bool{false}, ""},
		{"s depending on the tool does not block", map[string]string{"s": svc("s", "t") + proc("p", false, "t"), "t": svc("t")},
			report.Recoverable, false, []bool{false}, ""},
		{"breakglass is all that is left", map[string]string{"s": s + proc("p", false, "t") + proc("bg", true, "u"), "t": svc("t", "s"), "u": svc("u")},
			report.BreakglassOnly, true, []bool{true, false}, "s -[recovery: p]-> t -[runtime]-> s"},
		{"only breakglass declared", map[string]string{"s": s + proc("bg", true, "u"), "u": svc("u")},
			report.BreakglassOnly, false, []bool{false}, ""},
		{"one normal procedure left", map[string]string{"s": s + proc("p", false, "t") + proc("q", false, "u") + proc("bg", true, "t"), "t": svc("t", "s"), "u": svc("u")},
			report.Recoverable, true, []bool{true, false, true}, "s -[recovery: p]-> t -[runtime]-> s"},
		{"breakglass blocked too", map[string]string{"s": s + proc("p", false, "t") + proc("bg", true, "t"), "t": svc("t", "s")},
			report.Cyclic, false, []bool{true, true}, "s -[recovery: p]-> t -[runtime]-> s"},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range c.files {
				files[k+".toml"] = v
			}
			g := graph.Build(htmlParse(t, files))
			u, ok := g.Lookup("s@production")
			if !ok {
				t.Fatal("no node s")
			}
			got := report.RecoveryOf(g, rules.ComputeFacts(g), u)
			var blocked []bool
			witness := ""
			for _, p := range got.Procedures {
				blocked = append(blocked, p.Blocked)
				if p.Blocked != (p.Witness != nil) {
					t.Errorf("procedure %s: blocked %v with witness %v", p.Name, p.Blocked, p.Witness)
				}
				if p.Blocked && witness == "" {
					witness = report.Witness(p.Witness)
				}
			}
			if got.Status != c.status || got.Partial() != c.partial || !slices.Equal(blocked, c.blocked) || witness != c.witness {
				t.Errorf("got %v, partial %v, blocked %v, witness %q; want %v, partial %v, blocked %v, witness %q",
					got.Status, got.Partial(), blocked, witness, c.status, c.partial, c.blocked, c.witness)
			}
		})
	}

	t.Run("examples", func(t *testing.T) {
		for dir, want := range map[string]report.RecoveryStatus{"cloudflare-2023": report.Cyclic, "cloudflare-2023-fixed": report.Recoverable} {
			g, res := htmlExample(t, dir)
			facts := rules.ComputeFacts(g)
			u, _ := g.Lookup("workers-kv@production")
			if got := report.RecoveryOf(g, facts, u); got.Status != want || got.Partial() {
				t.Errorf("%s: workers-kv is %v (partial %v), want %v", dir, got.Status, got.Partial(), want)
			}
			// The statuses agree with the rules on every node.
			fired := map[string]bool{}
			for _, f := range res.Findings {
				fired[f.Rule+" "+f.Node] = true
			}
			for v, n := range g.Nodes {
				got := report.RecoveryOf(g, facts, v)
				if (got.Status == report.Cyclic) != fired["recovery-cycle "+n.ID] || got.Partial() != fired["partial-recovery-cycle "+n.ID] {
					t.Errorf("%s: %s is %v (partial %v), which the recovery rules contradict", dir, n.ID, got.Status, got.Partial())
				}
			}
		}
		g, _ := htmlExample(t, "cloudflare-2023")
		u, _ := g.Lookup("workers-kv@production")
		got := report.RecoveryOf(g, rules.ComputeFacts(g), u)
		var ws []string
		for _, p := range got.Procedures {
			ws = append(ws, report.Witness(p.Witness))
		}
		want := []string{
			"workers-kv -[recovery: ci-rollback]-> ci -[auth]-> access -[auth]-> workers-kv",
			"workers-kv -[recovery: dashboard-revert]-> dashboard -[config]-> feature-flags -[config]-> workers-kv",
		}
		if !slices.Equal(ws, want) {
			t.Errorf("witnesses %q, want %q", ws, want)
		}
	})
}

func TestRecoveryStatusString(t *testing.T) {
	want := map[report.RecoveryStatus]string{report.NoRecovery: "none declared", report.Cyclic: "cyclic", report.BreakglassOnly: "only via breakglass", report.Recoverable: "recoverable"}
	for s, w := range want {
		if s.String() != w {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), w)
		}
	}
}
