package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

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

// MermaidMaxText is Mermaid's default maxTextSize, which GitHub's mermaid
// blocks keep: Mermaid draws no diagram whose source is longer, in
// JavaScript string length (UTF-16 code units), and shows "Maximum text size
// in diagram exceeded" instead.
const MermaidMaxText = 50_000

// MermaidFit says what Mermaid left out of a picture so that Mermaid draws
// it at all (see MermaidFitted).
type MermaidFit struct {
	// Size is the length of the picture as asked, as Mermaid measures it.
	Size int
	// FindingsOnly: the picture as asked was over MermaidMaxText, so only
	// the findings' nodes and edges are drawn, as with
	// PictureOptions.FindingsOnly.
	FindingsOnly bool
	// TooLarge: that was over the limit too (or was what was asked), so a
	// note that says so stands in for the diagram.
	TooLarge bool
}

// Warning is one line for the user on what was left out, "" when the
// picture is drawn as asked.
func (f MermaidFit) Warning() string {
	switch {
	case f.TooLarge:
		return fmt.Sprintf("the picture has %d characters, more than Mermaid draws (maxTextSize %d), even with the findings only: wrote a note instead of a diagram; draw part of it with --focus NODE --depth N, or all of it with --format svg", f.Size, MermaidMaxText)
	case f.FindingsOnly:
		return fmt.Sprintf("the picture has %d characters, more than Mermaid draws (maxTextSize %d): drew only the nodes and edges of findings; draw the rest with --focus NODE --depth N, or all of it with --format svg", f.Size, MermaidMaxText)
	}
	return ""
}

// Mermaid writes the graph as a Mermaid flowchart (`flowchart LR`) that
// GitHub renders inside a ```mermaid block, which the caller writes. It
// draws what DOT draws, as far as Mermaid can: shapes by kind, classes for
// kinds, non-production, undeclared, focus and error nodes, dashed soft
// and recovery links, and linkStyle for recovery (blue), monitor (grey),
// crossing (orange) and error witness (red, thick) links. Nodes are named
// n0, n1… in node order, with the real name in a quoted label. Output is
// byte-identical for the same input. A picture too large for Mermaid is cut
// as MermaidFitted says.
func Mermaid(w io.Writer, g *graph.Graph, res *analyzer.Result, o PictureOptions) error {
	_, err := MermaidFitted(w, g, res, o)
	return err
}

// MermaidWarning is Mermaid for a command line: the writer it returns draws
// as Mermaid does and, when the picture had to be cut, writes one line
// "warning: …" (MermaidFit.Warning) to warn, which is standard error.
func MermaidWarning(warn io.Writer) func(io.Writer, *graph.Graph, *analyzer.Result, PictureOptions) error {
	return func(w io.Writer, g *graph.Graph, res *analyzer.Result, o PictureOptions) error {
		fit, err := MermaidFitted(w, g, res, o)
		if msg := fit.Warning(); msg != "" && err == nil {
			_, err = fmt.Fprintf(warn, "warning: %s\n", msg)
		}
		return err
	}
}

// MermaidFitted writes the picture as Mermaid does, and says what it left
// out. A picture over MermaidMaxText is not drawn by Mermaid at all, so it
// falls back to the findings: only the nodes and edges of findings are
// drawn (within the focus, if any), and a comment and a note in the
// diagram say why. When even that is over the limit, the output is a
// diagram of one note that gives the sizes and what to do instead.
// It renders the picture at most twice; time is linear in the picture.
func MermaidFitted(w io.Writer, g *graph.Graph, res *analyzer.Result, o PictureOptions) (MermaidFit, error) {
	p, err := buildPicture(g, res, o)
	if err != nil {
		return MermaidFit{}, err
	}
	var full bytes.Buffer
	p.mermaid(&full, "")
	fit := MermaidFit{Size: jsLen(full.Bytes())}
	if fit.Size <= MermaidMaxText {
		_, err := w.Write(full.Bytes())
		return fit, err
	}
	size := fmt.Sprintf("The whole picture has %d characters, more than Mermaid draws (maxTextSize %d).", fit.Size, MermaidMaxText)
	if !o.FindingsOnly {
		fo := o
		fo.FindingsOnly = true
		p, err := buildPicture(g, res, fo)
		if err != nil {
			return fit, err
		}
		var b bytes.Buffer
		p.mermaid(&b, size+"\nOnly the nodes and edges of findings are drawn: use catch22 graph --focus NODE --depth N for the rest, or --format svg for all of it.")
		if jsLen(b.Bytes()) <= MermaidMaxText {
			fit.FindingsOnly = true
			_, err := w.Write(b.Bytes())
			return fit, err
		}
	}
	fit.TooLarge = true
	note := size + "\nEven the nodes and edges of findings alone are too many: draw part of it with catch22 graph --focus NODE --depth N, or all of it with --format svg."
	_, err = fmt.Fprintf(w, "flowchart LR\n  %%%% %s\n  empty[\"%s\"]\n", mermaidComment(note), mermaidText(note))
	return fit, err
}

// mermaid writes the picture; notice, when set, is written as a comment
// and as a note in the diagram, above everything else.
func (p *picture) mermaid(w io.Writer, notice string) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	bw.WriteString("flowchart LR\n")
	if p.note != "" {
		fmt.Fprintf(bw, "  %%%% %s\n", mermaidComment(p.note))
	}
	if notice != "" {
		fmt.Fprintf(bw, "  %%%% %s\n", mermaidComment(notice))
		fmt.Fprintf(bw, "  notice[\"%s\"]\n", mermaidText(notice))
	}
	if p.empty != "" {
		fmt.Fprintf(bw, "  empty[\"%s\"]\n", mermaidText(p.empty))
		return
	}
	p.mermaidNodes(bw)
	linkStyles := p.mermaidLinks(bw)
	legend := p.mermaidLegend(bw)
	p.mermaidClasses(bw, legend)
	for _, ls := range linkStyles {
		fmt.Fprintf(bw, "  linkStyle %s\n", ls)
	}
}

// mermaidComment escapes s for a %% comment, which ends at the line's end.
func mermaidComment(s string) string {
	return strings.ReplaceAll(mermaidText(s), "<br/>", " ")
}

// jsLen is the length of UTF-8 text b as JavaScript counts a string: in
// UTF-16 code units, two for a character outside the Basic Multilingual
// Plane.
func jsLen(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
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
