package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
)

// mermaidShapes open and close a node of each kind; undeclared nodes are
// plain rectangles.
var mermaidShapes = map[manifest.Kind][2]string{
	manifest.KindService:   {"(", ")"},
	manifest.KindTool:      {"[[", "]]"},
	manifest.KindDatastore: {"[(", ")]"},
	manifest.KindNetwork:   {"{{", "}}"},
	manifest.KindExternal:  {">", "]"},
	manifest.KindHuman:     {"([", "])"},
	"":                     {"[", "]"},
}

// Mermaid writes the graph as a Mermaid flowchart (`flowchart LR`) that
// GitHub renders inside a ```mermaid block, which the caller writes. It
// draws what DOT draws, as far as Mermaid can: shapes by kind, classes for
// kinds, non-production, undeclared, focus and error nodes, dashed soft
// and recovery links, and linkStyle for recovery (blue), monitor (grey),
// crossing (orange) and error witness (red, thick) links. Nodes are named
// n0, n1… in node order, with the real name in a quoted label. Output is
// byte-identical for the same input.
func Mermaid(w io.Writer, g *graph.Graph, res *analyzer.Result, o PictureOptions) error {
	p, err := buildPicture(g, res, o)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("flowchart LR\n")
	if p.note != "" {
		fmt.Fprintf(bw, "  %%%% %s\n", strings.ReplaceAll(mermaidText(p.note), "<br/>", " "))
	}
	if p.empty != "" {
		fmt.Fprintf(bw, "  empty[\"%s\"]\n", mermaidText(p.empty))
		return bw.Flush()
	}
	p.mermaidNodes(bw)
	linkStyles := p.mermaidLinks(bw)
	legend := p.mermaidLegend(bw)
	p.mermaidClasses(bw, legend)
	for _, ls := range linkStyles {
		fmt.Fprintf(bw, "  linkStyle %s\n", ls)
	}
	return bw.Flush()
}

// mermaidNodes writes the clusters and their nodes, then the nodes outside
// clusters.
func (p *picture) mermaidNodes(bw *bufio.Writer) {
	node := func(indent string, i int) {
		pn := p.nodes[i]
		label := mermaidText(Display(pn.id)) + "<br/>" + mermaidText(pn.sub)
		for _, n := range pn.style.Notes {
			label += "<br/>" + mermaidText(n)
		}
		sh := mermaidShapes[pn.kind]
		fmt.Fprintf(bw, "%sn%d%s\"%s\"%s\n", indent, i, sh[0], label, sh[1])
	}
	for ci, c := range p.clusters {
		fmt.Fprintf(bw, "  subgraph c%d[\"%s\"]\n", ci, mermaidText(c.label))
		for _, i := range c.nodes {
			node("    ", i)
		}
		bw.WriteString("  end\n")
	}
	for _, i := range p.outside {
		node("  ", i)
	}
}

// mermaidLinks writes the links and returns the linkStyle statements (after
// the keyword) that colour them. Mermaid numbers links in the order they
// are written; each link is in one group, the first that applies of:
// error witness, crossing, recovery, monitor.
func (p *picture) mermaidLinks(bw *bufio.Writer) []string {
	var witness, crossing, recovery, monitor []string
	for li, e := range p.edges {
		arrow := "-->"
		switch {
		case e.class == softEdge || e.class == viaEdge:
			arrow = "-.->"
		case e.witness:
			arrow = "==>"
		}
		label := mermaidText(e.label)
		if e.crossing != "" {
			label = strings.TrimPrefix(label+"<br/>"+mermaidText(e.crossing), "<br/>")
		}
		if label != "" {
			arrow += "|\"" + label + "\"|"
		}
		fmt.Fprintf(bw, "  n%d %s n%d\n", e.from, arrow, e.to)
		idx := strconv.Itoa(li)
		switch {
		case e.witness:
			witness = append(witness, idx)
		case e.crossing != "":
			crossing = append(crossing, idx)
		case e.class == viaEdge:
			recovery = append(recovery, idx)
		case e.class == monitorEdge:
			monitor = append(monitor, idx)
		}
	}
	var styles []string
	for _, g := range []struct {
		links []string
		css   string
	}{
		{recovery, "stroke:" + colorRecovery + ",stroke-width:1.5px,color:" + colorRecovery},
		{monitor, "stroke:" + colorMonitor + ",stroke-width:1px,color:" + colorMonitor},
		{crossing, "stroke:" + colorCrossing + ",stroke-width:2px,color:" + colorCrossing},
		{witness, "stroke:" + colorError + ",stroke-width:3px,color:" + colorError},
	} {
		if len(g.links) > 0 {
			styles = append(styles, strings.Join(g.links, ",")+" "+g.css)
		}
	}
	return styles
}

// mermaidClass is a classDef: where two classes of a node set the same
// property, the later in mermaidClassDefs wins.
type mermaidClass struct{ name, css string }

func mermaidClassDefs() []mermaidClass {
	var cs []mermaidClass
	for _, k := range manifest.Kinds {
		cs = append(cs, mermaidClass{string(k), "fill:" + kindFill[k] + ",stroke:" + colorInk})
	}
	return append(cs,
		mermaidClass{"undeclared", "fill:#ffffff,stroke:" + colorGhost + ",stroke-dasharray:5 3,color:" + colorSubtle},
		mermaidClass{"nonprod", "fill:" + colorNonProd + ",stroke-dasharray:5 3"},
		mermaidClass{"focus", "font-weight:bold"},
		mermaidClass{"errored", "stroke:" + colorError + ",stroke-width:3px"},
	)
}

// mermaidClasses writes the classDefs in use, the class of every node and
// legend sample ({node, class} pairs), and a style statement for each node
// whose PictureOptions.Style hook changed its look.
func (p *picture) mermaidClasses(bw *bufio.Writer, legend [][2]string) {
	members := map[string][]string{}
	var overrides []string
	for i, pn := range p.nodes {
		id := "n" + strconv.Itoa(i)
		kind := string(pn.kind)
		if pn.kind == "" {
			kind = "undeclared"
		}
		members[kind] = append(members[kind], id)
		if pn.nonProd && pn.kind != "" {
			members["nonprod"] = append(members["nonprod"], id)
		}
		if pn.focus {
			members["focus"] = append(members["focus"], id)
		}
		if pn.errored {
			members["errored"] = append(members["errored"], id)
		}
		if css := styleOverride(pn.base, pn.style); css != "" {
			overrides = append(overrides, "  style "+id+" "+css+"\n")
		}
	}
	for _, l := range legend {
		members[l[1]] = append(members[l[1]], l[0])
	}
	defs := mermaidClassDefs()
	for _, c := range defs {
		if len(members[c.name]) > 0 {
			fmt.Fprintf(bw, "  classDef %s %s\n", c.name, c.css)
		}
	}
	for _, c := range defs {
		if m := members[c.name]; len(m) > 0 {
			fmt.Fprintf(bw, "  class %s %s\n", strings.Join(m, ","), c.name)
		}
	}
	for _, s := range overrides {
		bw.WriteString(s)
	}
}

// mermaidLegend writes a Legend subgraph: a sample of each kind and node
// status the picture uses, and one note on the line styles it uses. It has
// no links, so it does not shift the linkStyle indices. It returns the
// samples' classes, as {node, class} pairs.
func (p *picture) mermaidLegend(bw *bufio.Writer) (classes [][2]string) {
	bw.WriteString("  subgraph legend[\"Legend\"]\n")
	seq := 0
	sample := func(kind manifest.Kind, text, class string) {
		sh := mermaidShapes[kind]
		id := "l" + strconv.Itoa(seq)
		seq++
		fmt.Fprintf(bw, "    %s%s\"%s\"%s\n", id, sh[0], text, sh[1])
		classes = append(classes, [2]string{id, class})
	}
	for i, k := range manifest.Kinds {
		if p.legend.kinds[i] {
			sample(k, string(k), string(k))
		}
	}
	if p.legend.nonProd {
		sample(manifest.KindService, "not production", "nonprod")
	}
	if p.legend.ghost {
		sample("", "undeclared", "undeclared")
	}
	if p.legend.errored {
		sample(manifest.KindService, "error finding", "errored")
	}
	if p.legend.focus {
		sample(manifest.KindService, "focus", "focus")
	}
	var lines []string
	for _, l := range []struct {
		class edgeClass
		text  string
	}{{hardEdge, "solid: hard dependency (kind)"}, {softEdge, "dashed: soft dependency (kind)"},
		{viaEdge, "dashed blue: recovery procedure (name)"}, {monitorEdge, "grey: monitored by"}} {
		if p.legend.classes[l.class] {
			lines = append(lines, l.text)
		}
	}
	if p.legend.crossing {
		lines = append(lines, "orange: to a lower environment")
	}
	if p.legend.witness {
		lines = append(lines, "thick red: witness of an error")
	}
	if len(lines) > 0 {
		fmt.Fprintf(bw, "    l%d[\"%s\"]\n", seq, strings.Join(lines, "<br/>"))
	}
	bw.WriteString("  end\n")
	return classes
}

// styleOverride is the Mermaid style for what PictureOptions.Style changed
// in a node's classes' look, "" when nothing. Notes are in the label.
func styleOverride(base, s NodeStyle) string {
	var css []string
	if s.Fill != base.Fill && s.Fill != "" {
		css = append(css, "fill:"+cssColor(s.Fill))
	}
	if s.Stroke != base.Stroke && s.Stroke != "" {
		css = append(css, "stroke:"+cssColor(s.Stroke))
	}
	if s.StrokeWidth != base.StrokeWidth {
		css = append(css, "stroke-width:"+formatWidth(s.StrokeWidth)+"px")
	}
	if s.Dashed != base.Dashed {
		css = append(css, map[bool]string{true: "stroke-dasharray:5 3", false: "stroke-dasharray:0"}[s.Dashed])
	}
	if s.Bold != base.Bold {
		css = append(css, map[bool]string{true: "font-weight:bold", false: "font-weight:normal"}[s.Bold])
	}
	return strings.Join(css, ",")
}

// cssColor keeps a colour from a Style hook to the characters a colour
// needs, so that it cannot end the style statement.
func cssColor(c string) string {
	return strings.Map(func(r rune) rune {
		if r == '#' || r == '(' || r == ')' || r == '.' || r == '%' || r == ' ' ||
			'0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return r
		}
		return -1
	}, c)
}

// mermaidText escapes s for a quoted Mermaid label: quotes, '#', markup
// characters, pipes and backticks become entity codes (#quot;, #35;…),
// line breaks <br/>, and other control characters their visible pictures.
func mermaidText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	text(s, func(r rune) {
		switch r {
		case '\n':
			b.WriteString("<br/>")
		case '"':
			b.WriteString("#quot;")
		case '#', '&', '<', '>', '|', '`', '\\', '{', '}', '[', ']', ';':
			b.WriteString("#" + strconv.Itoa(int(r)) + ";")
		default:
			b.WriteRune(r)
		}
	})
	return b.String()
}
