package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emicklei/dot"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/parallel"
	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// PictureOptions choose what a graph picture (DOT, Mermaid) shows. The zero
// value draws every node, clustered by system.
type PictureOptions struct {
	// Cluster groups nodes by "system" ("" means system), "owner", "env",
	// or not at all ("none"). Nodes with an empty value stay outside every
	// group.
	Cluster string
	// Focus, when not empty, draws only the neighbourhood of these nodes
	// (full IDs, "name@env"): every node at most Depth edges away, following
	// edges of every type in both directions, and the edges between them.
	Focus []string
	// Depth bounds the neighbourhood of Focus; 0 draws the focus nodes
	// alone. It is ignored without Focus.
	Depth int
	// FindingsOnly draws only the nodes and edges of findings: the nodes
	// findings are about and the witness paths of the findings that are not
	// waived. With Focus, the neighbourhood further restricts them.
	FindingsOnly bool
	// Edges lists the classes of edges to draw (EdgeClasses): "deps" for
	// dependencies, hard and soft; "recovery" for the via nodes of recovery
	// procedures; "monitors" for monitored_by. Empty draws every class.
	// Every chosen node is drawn whatever edges it has left; a Focus
	// neighbourhood follows only these classes.
	Edges []string
	// Collapse "system" draws one box per system (CollapseModes) in place
	// of its nodes; nodes without a system stay nodes. The edges between
	// two boxes (or a box and a node) are bundled like parallel edges, and
	// edges inside a box are left out unless they are on an error's
	// witness. It does not combine with Cluster "owner" or "env". "" or
	// "none" draws every node.
	Collapse string
	// EnvOrder ranks environments as the analysis did, highest first; nil
	// means analyzer.DefaultEnvOrder. Nodes outside the first environment
	// are drawn as non-production, and edges towards a lower-ranked
	// environment as crossings.
	EnvOrder []string
	// Style, when set, may change how a node is drawn after catch22 has
	// styled it (e.g. what-if shading a down set). It is called once per
	// drawn node, in node order, with the full node ID; a system box of
	// Collapse is styled by catch22 alone.
	Style func(id string, s *NodeStyle)
	// Legend adds samples that explain what Style does, after catch22's
	// own; the DOT legend draws them.
	Legend []LegendSample
}

// LegendSample is one extra legend entry: a service drawn in Style, and
// what it means.
type LegendSample struct {
	Text  string
	Style NodeStyle
}

// ClusterModes lists the values of PictureOptions.Cluster, in help-text
// order.
func ClusterModes() []string { return []string{"system", "owner", "env", "none"} }

// EdgeClasses lists the values of PictureOptions.Edges, in help-text order.
func EdgeClasses() []string { return []string{"deps", "recovery", "monitors"} }

// CollapseModes lists the values of PictureOptions.Collapse, in help-text
// order.
func CollapseModes() []string { return []string{"none", "system"} }

// edgeClassOf is the PictureOptions.Edges class of an edge of type t.
func edgeClassOf(t graph.EdgeType) string {
	switch t {
	case graph.Via:
		return "recovery"
	case graph.Monitor:
		return "monitors"
	}
	return "deps"
}

// edgeFilter reads PictureOptions.Edges: which classes to draw, by
// EdgeClasses name.
func edgeFilter(classes []string) (map[string]bool, error) {
	on := map[string]bool{}
	for _, c := range classes {
		if !slices.Contains(EdgeClasses(), c) {
			return nil, fmt.Errorf("unknown edge class %q%s (want %s)", c, suggest.Hint(c, EdgeClasses()), strings.Join(EdgeClasses(), ", "))
		}
		on[c] = true
	}
	if len(on) == 0 {
		for _, c := range EdgeClasses() {
			on[c] = true
		}
	}
	return on, nil
}

// NodeStyle is how a picture draws one node, in terms both DOT and Mermaid
// can express. Colours are "#rrggbb".
type NodeStyle struct {
	Fill        string
	Stroke      string  // outline colour
	StrokeWidth float64 // outline width, in points
	Dashed      bool    // dashed outline
	Bold        bool    // the name in bold
	// Notes are extra small lines under the name and the kind, in
	// NoteColor; catch22 lists the rules of a node's error findings there.
	Notes     []string
	NoteColor string
}

// The visual language. Kinds get a shape (kindShapes, mermaidShapes) and a
// pale fill; everything else is a colour or a line style.
const (
	colorInk       = "#333333"
	colorSubtle    = "#555555"
	colorNonProd   = "#e0e0e0"
	colorGhost     = "#999999"
	colorError     = "#cc0000"
	colorRecovery  = "#1f5fbf"
	colorMonitor   = "#a0a0a0"
	colorCrossing  = "#e07000"
	colorClusterBG = "#bbbbbb"
	colorSystem    = "#eef1f6" // the fill of a collapsed system's box
	fontName       = "Helvetica"
)

var kindFill = map[manifest.Kind]string{
	manifest.KindService:   "#ffffff",
	manifest.KindTool:      "#e8f0fb",
	manifest.KindDatastore: "#fdf1dc",
	manifest.KindNetwork:   "#e6f4ea",
	manifest.KindExternal:  "#f1eaf8",
	manifest.KindHuman:     "#fdeaf1",
}

// kindShapes are the Graphviz shapes of the kinds; services are rounded
// boxes (see dotNode).
var kindShapes = map[manifest.Kind]string{
	manifest.KindService:   "box",
	manifest.KindTool:      "component",
	manifest.KindDatastore: "cylinder",
	manifest.KindNetwork:   "hexagon",
	manifest.KindExternal:  "cds",
	manifest.KindHuman:     "ellipse",
}

// picture is what a graph picture shows, whatever its format: the selected
// nodes and edges with their styles, computed once so DOT and Mermaid draw
// the same thing.
type picture struct {
	nodes    []picNode
	edges    []picEdge
	clusters []picCluster // sorted by label
	outside  []int        // nodes in no cluster, in node order
	note     string       // what was left out, "" when nothing
	empty    string       // the text of an empty picture
	legend   legend
}

type picNode struct {
	id      string
	kind    manifest.Kind // "" for an undeclared node
	sub     string        // kind and tier, or "undeclared"
	tooltip string
	base    NodeStyle // catch22's style
	style   NodeStyle // after PictureOptions.Style
	nonProd bool
	errored bool
	focus   bool
	// members is how many nodes a system box of PictureOptions.Collapse
	// stands for; 0 for a node. A box's id is the system's name and its
	// kind KindService, so that formats without boxes draw a plain node.
	members int
}

// edgeClass is the line style of an edge.
type edgeClass int

const (
	hardEdge edgeClass = iota
	softEdge
	viaEdge
	monitorEdge
)

type picEdge struct {
	from, to int // indices into picture.nodes
	class    edgeClass
	label    string
	crossing string // "production → staging" when the edge goes down the env order
	witness  bool   // on the witness path of an error finding
	tooltip  string
	count    int // how many edges of the graph it stands for (see bundle)
}

type picCluster struct {
	label string
	nodes []int
}

// legend records which parts of the visual language a picture uses, so
// the legend explains those and no others.
type legend struct {
	kinds                          []bool // by index in manifest.Kinds
	ghost, nonProd, errored, focus bool
	systems                        bool    // a system box of Collapse
	classes                        [4]bool // any edge of the class
	crossing, witness              bool    // any edge so marked
	// looks are the line looks drawn, by class and variant (a crossing,
	// an error's witness): the DOT legend draws a sample of each.
	looks [3][4]bool
	extra []LegendSample // PictureOptions.Legend
}

// Variants of an edge's look, in legend order.
const (
	plainLook = iota
	crossingLook
	witnessLook
)

// variant is the look of e beyond its class: an error's witness is red
// whatever else it is.
func (e picEdge) variant() int {
	switch {
	case e.witness:
		return witnessLook
	case e.crossing != "":
		return crossingLook
	}
	return plainLook
}

// universe is every node a picture may draw: the declared nodes, in graph
// order, then the undeclared nodes that references name, sorted by ID.
type universe struct {
	g     *graph.Graph
	ids   []string
	ghost map[string]int
	// edges are the declared edges and the references to undeclared
	// nodes, To an index into ids; by From, then type, then position.
	edges []graph.Edge
	out   [][]int // edge indices by From
	in    [][]int // edge indices by To
}

func newUniverse(g *graph.Graph) *universe {
	u := &universe{g: g, ghost: map[string]int{}}
	u.ids = make([]string, len(g.Nodes), len(g.Nodes)+len(g.Unknown))
	for i, n := range g.Nodes {
		u.ids[i] = n.ID
	}
	var ghosts []string
	for _, r := range g.Unknown {
		if _, ok := u.ghost[r.Ref.ID()]; !ok {
			u.ghost[r.Ref.ID()] = 0
			ghosts = append(ghosts, r.Ref.ID())
		}
	}
	slices.Sort(ghosts)
	for i, id := range ghosts {
		u.ghost[id] = len(g.Nodes) + i
	}
	u.ids = append(u.ids, ghosts...)
	u.edges = make([]graph.Edge, 0, len(g.Edges)+len(g.Unknown))
	u.edges = append(u.edges, g.Edges...)
	for _, r := range g.Unknown {
		e := r.Edge
		e.To = u.ghost[r.Ref.ID()]
		u.edges = append(u.edges, e)
	}
	// Both lists are in declaration order per node: merging them by node,
	// entry type and position keeps it.
	slices.SortStableFunc(u.edges, func(a, b graph.Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.Type, b.Type),
			cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	u.out = make([][]int, len(u.ids))
	u.in = make([][]int, len(u.ids))
	for i, e := range u.edges {
		u.out[e.From] = append(u.out[e.From], i)
		u.in[e.To] = append(u.in[e.To], i)
	}
	return u
}

func (u *universe) index(id string) (int, bool) {
	if i, ok := u.g.Lookup(id); ok {
		return i, true
	}
	i, ok := u.ghost[id]
	return i, ok
}

// procedure is the name of a via edge's recovery procedure.
func (u *universe) procedure(e graph.Edge) string {
	return u.g.Nodes[e.From].Manifest.Recoveries[e.Procedure].Name
}

// matches reports whether e is the edge a witness hop labelled label
// takes: "recovery: P" is a via edge of procedure P, "monitored-by" a
// monitor edge, anything else a dependency of that kind (", soft" when
// soft).
func (u *universe) matches(e graph.Edge, label string) bool {
	if p, ok := strings.CutPrefix(label, "recovery: "); ok {
		return e.Type == graph.Via && u.procedure(e) == p
	}
	if label == "monitored-by" {
		return e.Type == graph.Monitor
	}
	kind, start := strings.CutSuffix(label, ", start")
	kind, soft := strings.CutSuffix(kind, ", soft")
	return e.Type == graph.Dependency && string(e.Kind) == kind && e.Hard != soft && e.Start == start
}

// witnessEdges returns the edges a finding's witness walks. A hop whose
// label matches no edge between its nodes marks every edge between them:
// the witness still says they are connected.
func (u *universe) witnessEdges(f *rules.Finding, mark func(edge int)) {
	for i := 1; i < len(f.Witness); i++ {
		a, okA := u.index(f.Witness[i-1].Node)
		b, okB := u.index(f.Witness[i].Node)
		if !okA || !okB {
			continue
		}
		var between []int
		found := false
		for _, ei := range u.out[a] {
			if u.edges[ei].To != b {
				continue
			}
			between = append(between, ei)
			if u.matches(u.edges[ei], f.Witness[i].Label) {
				mark(ei)
				found = true
			}
		}
		if !found {
			for _, ei := range between {
				mark(ei)
			}
		}
	}
}

// envOf is the environment of a node ID.
func envOf(id string) string {
	if i := strings.LastIndexByte(id, '@'); i >= 0 {
		return id[i+1:]
	}
	return ""
}

// buildPicture selects and styles what to draw. It runs in time linear in
// the graph and the findings' witnesses, plus sorting the clusters.
func buildPicture(g *graph.Graph, res *analyzer.Result, o PictureOptions) (*picture, error) {
	mode := cmp.Or(o.Cluster, "system")
	if !slices.Contains(ClusterModes(), mode) {
		return nil, fmt.Errorf("unknown cluster mode %q (want %s)", o.Cluster, strings.Join(ClusterModes(), ", "))
	}
	if o.Depth < 0 {
		return nil, fmt.Errorf("negative focus depth %d", o.Depth)
	}
	collapse := cmp.Or(o.Collapse, "none")
	if !slices.Contains(CollapseModes(), collapse) {
		return nil, fmt.Errorf("unknown collapse mode %q%s (want %s)", o.Collapse, suggest.Hint(o.Collapse, CollapseModes()), strings.Join(CollapseModes(), ", "))
	}
	if collapse == "system" && mode != "system" && mode != "none" {
		return nil, fmt.Errorf("cluster mode %q does not combine with collapse %q: a system box has no single %s", mode, collapse, mode)
	}
	classes, err := edgeFilter(o.Edges)
	if err != nil {
		return nil, err
	}
	u := newUniverse(g)
	m := u.markFindings(res)
	keep, keepEdge, focus, err := u.choose(o, m, classes)
	if err != nil {
		return nil, err
	}
	p := &picture{}
	order := o.EnvOrder
	if order == nil {
		order = analyzer.DefaultEnvOrder
	}
	rank := analyzer.EnvRanker(order)
	at := p.addNodes(u, keep, focus, m, rank, o.Style)
	p.addEdges(u, keepEdge, at, m, rank)
	if collapse == "system" {
		p.collapse(u, m)
	} else {
		p.group(u, mode)
	}
	p.bundle()
	p.legend = p.uses(o.Legend)
	p.describe(u, o, classes)
	return p, nil
}

// marks are what the findings say about the universe's nodes and edges.
type marks struct {
	errorRules [][]string // by node: the rules of its error findings
	lines      [][]string // by node: "severity: rule" of every finding, for tooltips
	witness    []bool     // by edge: on the witness of an error finding
	onFinding  []bool     // by node: a finding is about it or its witness passes it
	onWitness  []bool     // by edge: the witness of some finding takes it
}

// markFindings reads res, which may be nil. Waived findings only appear in
// tooltips.
func (u *universe) markFindings(res *analyzer.Result) marks {
	n := len(u.ids)
	m := marks{errorRules: make([][]string, n), lines: make([][]string, n), onFinding: make([]bool, n),
		witness: make([]bool, len(u.edges)), onWitness: make([]bool, len(u.edges))}
	if res == nil {
		return m
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		v, ok := u.index(f.Node)
		if ok {
			line := f.Severity.String() + ": " + f.Rule
			if f.Waived {
				line += " (waived)"
			}
			m.lines[v] = append(m.lines[v], line)
		}
		if f.Waived {
			continue
		}
		if ok {
			m.onFinding[v] = true
			if f.Severity == rules.Error && !slices.Contains(m.errorRules[v], f.Rule) {
				m.errorRules[v] = append(m.errorRules[v], f.Rule)
			}
		}
		for _, h := range f.Witness {
			if w, ok := u.index(h.Node); ok {
				m.onFinding[w] = true
			}
		}
		u.witnessEdges(f, func(e int) {
			m.onWitness[e] = true
			if f.Severity == rules.Error {
				m.witness[e] = true
			}
		})
	}
	return m
}

// choose decides which nodes and edges to draw: everything, or what
// findings touch, narrowed to the focus neighbourhood (breadth-first over
// edges of the drawn classes, both ways, up to o.Depth). An edge is drawn
// when its class is and both its ends are.
func (u *universe) choose(o PictureOptions, m marks, classes map[string]bool) (keep, keepEdge, focus []bool, err error) {
	n := len(u.ids)
	keep = make([]bool, n)
	for i := range keep {
		keep[i] = !o.FindingsOnly || m.onFinding[i]
	}
	focus = make([]bool, n)
	if len(o.Focus) > 0 {
		dist := make([]int, n)
		for i := range dist {
			dist[i] = -1
		}
		var queue []int
		for _, id := range o.Focus {
			v, ok := u.g.Lookup(id)
			if !ok {
				return nil, nil, nil, fmt.Errorf("focus: no node %q", id)
			}
			if !focus[v] {
				focus[v], dist[v] = true, 0
				queue = append(queue, v)
			}
		}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			if dist[v] == o.Depth {
				continue
			}
			visit := func(w int) {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					queue = append(queue, w)
				}
			}
			for _, ei := range u.out[v] {
				if classes[edgeClassOf(u.edges[ei].Type)] {
					visit(u.edges[ei].To)
				}
			}
			for _, ei := range u.in[v] {
				if classes[edgeClassOf(u.edges[ei].Type)] {
					visit(u.edges[ei].From)
				}
			}
		}
		for i := range keep {
			keep[i] = keep[i] && dist[i] >= 0
		}
	}
	keepEdge = make([]bool, len(u.edges))
	for i, e := range u.edges {
		keepEdge[i] = keep[e.From] && keep[e.To] && classes[edgeClassOf(e.Type)] && (!o.FindingsOnly || m.onWitness[i])
	}
	return keep, keepEdge, focus, nil
}

// addNodes styles the kept nodes, in universe order, and returns where
// each universe node went (-1: not drawn).
func (p *picture) addNodes(u *universe, keep, focus []bool, m marks, rank func(string) int, hook func(string, *NodeStyle)) []int {
	at := make([]int, len(u.ids))
	for v, id := range u.ids {
		if !keep[v] {
			at[v] = -1
			continue
		}
		at[v] = len(p.nodes)
		pn := picNode{id: id, nonProd: rank(envOf(id)) > 0, errored: len(m.errorRules[v]) > 0, focus: focus[v]}
		var lines []string
		if v < len(u.g.Nodes) {
			s := u.g.Nodes[v].Manifest.Service
			pn.kind, pn.sub = s.Kind, string(s.Kind)
			if s.HasTier {
				pn.sub += " · tier " + strconv.Itoa(s.Tier)
			}
			lines = append(lines, id)
			if s.Description != "" {
				lines = append(lines, s.Description)
			}
			var who []string
			if s.Owner != "" {
				who = append(who, "owner: "+s.Owner)
			}
			if s.System != "" {
				who = append(who, "system: "+s.System)
			}
			if len(who) > 0 {
				lines = append(lines, strings.Join(who, ", "))
			}
		} else {
			pn.sub = "undeclared"
			lines = append(lines, id+" (referenced, never declared)")
		}
		pn.tooltip = strings.Join(append(lines, m.lines[v]...), "\n")
		pn.base = nodeStyle(pn, m.errorRules[v])
		pn.style = pn.base
		pn.style.Notes = slices.Clone(pn.base.Notes)
		if hook != nil {
			hook(id, &pn.style)
		}
		p.nodes = append(p.nodes, pn)
	}
	return at
}

// addEdges labels and classes the kept edges, in universe order.
func (p *picture) addEdges(u *universe, keepEdge []bool, at []int, m marks, rank func(string) int) {
	// Edges are styled on all cores (a large estate has hundreds of
	// thousands, each with its tooltip), each into its own place.
	first := len(p.edges)
	place := make([]int, len(u.edges)) // where edge i goes, when kept
	n := first
	for i, keep := range keepEdge {
		place[i] = n
		if keep {
			n++
		}
	}
	p.edges = slices.Grow(p.edges, n-first)[:n]
	parallel.For(len(u.edges), 4096, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if keepEdge[i] {
				p.edges[place[i]] = u.picEdge(i, at, m, rank)
			}
		}
	})
}

// picEdge styles edge i of u: its class, label and tooltip, drawn between
// the picture's nodes at[e.From] and at[e.To].
func (u *universe) picEdge(i int, at []int, m marks, rank func(string) int) picEdge {
	e := u.edges[i]
	pe := picEdge{from: at[e.From], to: at[e.To], witness: m.witness[i], count: 1}
	from, to := u.ids[e.From], u.ids[e.To]
	switch e.Type {
	case graph.Dependency:
		pe.class, pe.label = hardEdge, string(e.Kind)
		mode := "hard"
		if !e.Hard {
			pe.class, mode = softEdge, "soft"
		}
		if e.Start {
			// Needed only to start: it takes nothing down, so it is
			// drawn like a soft edge, and says so.
			pe.class, pe.label, mode = softEdge, pe.label+" (start)", mode+", to start"
		}
		if e.Group > 0 {
			// One alternative of any_of: it takes its node down only
			// with enough others, so it is drawn like a soft edge
			// unless every alternative is needed.
			gr := &u.g.Groups[e.Group-1]
			alts := gr.Need + gr.Quorum - 1
			pe.label += fmt.Sprintf(" (any %d of %d)", gr.Quorum, alts)
			mode += fmt.Sprintf(", one of %d alternatives, %d needed", alts, gr.Quorum)
			if gr.Need > 1 {
				pe.class = softEdge
			}
		}
		pe.tooltip = fmt.Sprintf("%s depends on %s (%s, %s)", Display(from), Display(to), e.Kind, mode)
		if note := noteOf(u.g.Nodes[e.From].Manifest, e.Pos, to); note != "" {
			pe.tooltip += "\n" + note
		}
	case graph.Via:
		pe.class, pe.label = viaEdge, u.procedure(e)
		pe.tooltip = fmt.Sprintf("%s is recovered through %s (procedure %s)", Display(from), Display(to), pe.label)
	case graph.Monitor:
		pe.class = monitorEdge
		pe.tooltip = fmt.Sprintf("%s is monitored by %s", Display(from), Display(to))
	}
	if fe, te := envOf(from), envOf(to); rank(fe) < rank(te) {
		pe.crossing = fe + " → " + te
		pe.tooltip += "\ncrosses from " + fe + " to " + te
	}
	return pe
}

// group puts the drawn nodes into clusters by mode, sorted by label; nodes
// with an empty value, and undeclared nodes, stay outside.
func (p *picture) group(u *universe, mode string) {
	byLabel := map[string]int{}
	for i, pn := range p.nodes {
		label := ""
		if v, ok := u.g.Lookup(pn.id); ok {
			s := u.g.Nodes[v].Manifest.Service
			switch mode {
			case "system":
				label = s.System
			case "owner":
				label = s.Owner
			case "env":
				label = s.Env
			}
		}
		if label == "" {
			p.outside = append(p.outside, i)
			continue
		}
		c, ok := byLabel[label]
		if !ok {
			c = len(p.clusters)
			byLabel[label] = c
			p.clusters = append(p.clusters, picCluster{label: label})
		}
		p.clusters[c].nodes = append(p.clusters[c].nodes, i)
	}
	slices.SortFunc(p.clusters, func(a, b picCluster) int { return strings.Compare(a.label, b.label) })
}

// collapse replaces the nodes of each system by one box, placed where the
// first of them was, and points the edges at the boxes. Edges inside a box
// are left out unless an error's witness takes them: they stay as a loop
// on the box, so that a cycle within a system is still drawn. Nodes without
// a system, and undeclared nodes, stay as they are. It runs in time linear
// in the picture.
func (p *picture) collapse(u *universe, m marks) {
	type box struct {
		names, findings []string
		rules           []string            // error rules, in order of first appearance
		who             map[string][]string // by rule: the members it is about
		nonProd, focus  bool
	}
	var nodes []picNode
	boxes := map[int]*box{} // by index into nodes
	bySystem := map[string]int{}
	where := make([]int, len(p.nodes))
	for i, pn := range p.nodes {
		v, declared := u.g.Lookup(pn.id)
		system := ""
		if declared {
			system = u.g.Nodes[v].Manifest.Service.System
		}
		if system == "" {
			where[i] = len(nodes)
			nodes = append(nodes, pn)
			continue
		}
		at, ok := bySystem[system]
		if !ok {
			at = len(nodes)
			bySystem[system] = at
			nodes = append(nodes, picNode{id: system, kind: manifest.KindService})
			boxes[at] = &box{who: map[string][]string{}, nonProd: true}
		}
		where[i] = at
		b, name := boxes[at], Display(pn.id)
		b.names = append(b.names, name)
		b.nonProd = b.nonProd && pn.nonProd
		b.focus = b.focus || pn.focus
		for _, r := range m.errorRules[v] {
			if len(b.who[r]) == 0 {
				b.rules = append(b.rules, r)
			}
			b.who[r] = append(b.who[r], name)
		}
		for _, l := range m.lines[v] {
			b.findings = append(b.findings, name+": "+l)
		}
	}
	for at, b := range boxes {
		pn := &nodes[at]
		pn.members = len(b.names)
		// A small system names its nodes; a large one counts them.
		pn.sub = "system · " + plural(pn.members, "node")
		if pn.members <= 3 {
			pn.sub = "system · " + strings.Join(b.names, ", ")
		}
		pn.nonProd, pn.focus, pn.errored = b.nonProd, b.focus, len(b.rules) > 0
		pn.base = NodeStyle{Fill: colorSystem, Stroke: colorInk, StrokeWidth: 1, NoteColor: colorError, Bold: b.focus}
		if b.nonProd {
			pn.base.Fill, pn.base.Dashed = colorNonProd, true
		}
		if pn.errored {
			pn.base.Stroke, pn.base.StrokeWidth = colorError, 3
			for _, r := range b.rules {
				pn.base.Notes = append(pn.base.Notes, r+": "+capped(b.who[r], 2, ", "))
			}
		}
		pn.style = pn.base
		pn.style.Notes = slices.Clone(pn.base.Notes)
		lines := []string{"system " + pn.id + ": " + plural(pn.members, "node")}
		lines = append(lines, capped(b.names, 20, "\n"))
		if len(b.findings) > 0 {
			lines = append(lines, capped(b.findings, 20, "\n"))
		}
		pn.tooltip = strings.Join(lines, "\n")
	}
	edges := p.edges[:0]
	for _, e := range p.edges {
		e.from, e.to = where[e.from], where[e.to]
		if e.from == e.to && nodes[e.from].members > 0 && !e.witness {
			continue
		}
		edges = append(edges, e)
	}
	p.nodes, p.edges, p.clusters, p.outside = nodes, edges, nil, nil
	for i := range nodes {
		p.outside = append(p.outside, i)
	}
}

// capped joins at most n of items with sep, then says how many more there
// are.
func capped(items []string, n int, sep string) string {
	if len(items) <= n {
		return strings.Join(items, sep)
	}
	return strings.Join(items[:n], sep) + sep + fmt.Sprintf("… and %d more", len(items)-n)
}

// bundle draws the edges that join the same two drawn nodes, in the same
// class and the same look (a crossing, an error's witness), as one edge in
// the place of the first: the procedures of one node that go through the
// same tool, and with Collapse the edges between two boxes. Its label
// counts them (bundleLabel) and its tooltip lists them. It runs in time
// linear in the edges.
func (p *picture) bundle() {
	type key struct {
		from, to int
		class    edgeClass
		crossing string
		witness  bool
	}
	first := map[key]int{}
	var out []picEdge
	var members [][]picEdge
	for _, e := range p.edges {
		k := key{e.from, e.to, e.class, e.crossing, e.witness}
		if i, ok := first[k]; ok {
			members[i] = append(members[i], e)
			continue
		}
		first[k] = len(out)
		out = append(out, e)
		members = append(members, []picEdge{e})
	}
	for i, es := range members {
		if len(es) == 1 {
			continue
		}
		tips := make([]string, len(es))
		for j, e := range es {
			tips[j] = e.tooltip
		}
		out[i].count = len(es)
		out[i].label = bundleLabel(es)
		out[i].tooltip = plural(len(es), "edge") + ":\n" + capped(tips, 10, "\n")
	}
	p.edges = out
}

// bundleLabel labels the edges es drawn as one: each distinct label, in
// order of first appearance, followed by "×N" when N of them carry it
// ("rollback ×3", "runtime ×2, data"; "×3" for unlabelled monitors); more
// than two distinct labels become a count ("5 procedures").
func bundleLabel(es []picEdge) string {
	var labels []string
	counts := map[string]int{}
	for _, e := range es {
		if counts[e.label] == 0 {
			labels = append(labels, e.label)
		}
		counts[e.label]++
	}
	if len(labels) > 2 {
		noun := map[edgeClass]string{hardEdge: "dependency", softEdge: "dependency", viaEdge: "procedure", monitorEdge: "monitor"}[es[0].class]
		if noun == "dependency" {
			return fmt.Sprintf("%d dependencies", len(es))
		}
		return plural(len(es), noun)
	}
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = l
		if c := counts[l]; c > 1 {
			parts[i] = strings.TrimPrefix(l+" ×"+strconv.Itoa(c), " ")
		}
	}
	return strings.Join(parts, ", ")
}

// uses finds which parts of the visual language the picture draws.
func (p *picture) uses(extra []LegendSample) legend {
	lg := legend{kinds: make([]bool, len(manifest.Kinds)), extra: extra}
	for _, pn := range p.nodes {
		switch {
		case pn.members > 0:
			lg.systems = true
		case pn.kind == "":
			lg.ghost = true
		default:
			lg.kinds[slices.Index(manifest.Kinds, pn.kind)] = true
		}
		lg.nonProd = lg.nonProd || pn.nonProd && pn.kind != ""
		lg.errored = lg.errored || pn.errored
		lg.focus = lg.focus || pn.focus
	}
	for _, e := range p.edges {
		lg.classes[e.class] = true
		lg.crossing = lg.crossing || e.crossing != ""
		lg.witness = lg.witness || e.witness
		lg.looks[e.variant()][e.class] = true
	}
	return lg
}

// describe notes what the options left out, and what an empty picture
// says.
func (p *picture) describe(u *universe, o PictureOptions, classes map[string]bool) {
	var parts []string
	if o.FindingsOnly {
		parts = append(parts, "findings only")
	}
	if len(o.Focus) > 0 {
		names := make([]string, len(o.Focus))
		for i, id := range o.Focus {
			names[i] = Display(id)
		}
		parts = append(parts, fmt.Sprintf("focus %s, depth %d", strings.Join(names, ", "), o.Depth))
	}
	if len(classes) < len(EdgeClasses()) {
		var on []string
		for _, c := range EdgeClasses() {
			if classes[c] {
				on = append(on, c)
			}
		}
		parts = append(parts, strings.Join(on, " and ")+" edges only")
	}
	collapsed := o.Collapse == "system"
	if collapsed {
		parts = append(parts, "one box per system")
	}
	if len(parts) > 0 {
		drawn, boxes, inBoxes := 0, 0, 0
		for _, n := range p.nodes {
			switch {
			case n.members > 0:
				boxes++
				inBoxes += n.members
			case n.kind != "":
				drawn++
			}
		}
		p.note = fmt.Sprintf("%s: %d of %d nodes", strings.Join(parts, "; "), drawn+inBoxes, len(u.g.Nodes))
		if collapsed {
			p.note += fmt.Sprintf(", %d of them in %d system %s", inBoxes, boxes, map[bool]string{true: "box", false: "boxes"}[boxes == 1])
		}
	}
	if len(p.nodes) == 0 {
		p.empty = "nothing to draw"
		if o.FindingsOnly {
			p.empty = "no findings to draw"
		}
	}
}

// noteOf returns the note of m's dependency entry on target written at pos.
func noteOf(m *manifest.Manifest, pos manifest.Pos, target string) string {
	at := func(r *manifest.Ref) bool { return r.Pos == pos && r.ID() == target } // ID only where the place matches
	for i := range m.Dependencies {
		d := &m.Dependencies[i]
		if d.AnyOf == nil && at(&d.On) {
			return d.Note
		}
		for j := range d.AnyOf {
			if at(&d.AnyOf[j]) {
				return d.Note
			}
		}
	}
	return ""
}

// nodeStyle is the one place that decides how a node looks; PictureOptions.
// Style may change the result. errorRules are the rules of the node's
// error findings.
func nodeStyle(n picNode, errorRules []string) NodeStyle {
	s := NodeStyle{Fill: kindFill[n.kind], Stroke: colorInk, StrokeWidth: 1, NoteColor: colorError}
	if n.kind == "" {
		s.Fill, s.Stroke, s.Dashed = "#ffffff", colorGhost, true
	}
	if n.nonProd {
		s.Fill, s.Dashed = colorNonProd, true
	}
	if n.errored {
		s.Stroke, s.StrokeWidth = colorError, 3
		s.Notes = errorRules
	}
	s.Bold = n.focus
	return s
}

// DOT writes the graph as Graphviz DOT source, with the findings of res
// drawn on it (res may be nil) and a legend of what the picture uses.
// Recovery edges are written from the tool to the node it recovers, with
// dir=back: they are drawn from the node, but rank the tool before it.
// Output is byte-identical for the same input. It runs in time linear in
// the picture, plus sorting.
func DOT(w io.Writer, g *graph.Graph, res *analyzer.Result, o PictureOptions) error {
	pic, err := BuildPicture(g, res, o)
	if err != nil {
		return err
	}
	return pic.WriteDOT(w)
}

// Picture is a picture built once, for a caller that wants its DOT source
// and its size and note too: building it walks the whole graph, which in a
// large estate costs as much as analysing it.
type Picture struct{ p *picture }

// BuildPicture builds the picture that DOT would write.
func BuildPicture(g *graph.Graph, res *analyzer.Result, o PictureOptions) (*Picture, error) {
	p, err := buildPicture(g, res, o)
	if err != nil {
		return nil, err
	}
	return &Picture{p}, nil
}

// WriteDOT writes the picture as DOT writes it.
func (pic *Picture) WriteDOT(w io.Writer) error {
	bw := bufio.NewWriter(w)
	pic.p.dot().Write(bw)
	return bw.Flush()
}

// Nodes is the number of nodes the picture draws (a system box counts as
// one): what RenderSVG wants to know to choose a layout engine.
func (pic *Picture) Nodes() int { return len(pic.p.nodes) }

// Edges is the number of edges the picture draws.
func (pic *Picture) Edges() int { return len(pic.p.edges) }

// Note is what the picture says it left out, as its legend does ("focus
// workers-kv, depth 1: 17 of 19 nodes"), or "" when it draws everything.
func (pic *Picture) Note() string { return pic.p.note }

// PictureNote is the Note of the picture with these options.
func PictureNote(g *graph.Graph, res *analyzer.Result, o PictureOptions) (string, error) {
	pic, err := BuildPicture(g, res, o)
	if err != nil {
		return "", err
	}
	return pic.Note(), nil
}

// dot builds the DOT graph. emicklei/dot writes nodes, edges and subgraphs
// sorted by their keys and names nodes n<creation sequence>, so keys here
// are zero-padded indices created in order, and every free text value is a
// Literal quoted by dotString or an HTML label escaped by htmlText.
func (p *picture) dot() *dot.Graph {
	root := dot.NewGraph(dot.Directed)
	root.ID("catch22")
	// newrank: with clusters, the default ranking fails ("trouble in
	// init_rank") or warns on synthetic estates from 40 nodes up; newrank
	// never did.
	root.Attrs("rankdir", "LR", "newrank", "true", "fontname", fontName, "fontsize", "11", "nodesep", "0.3", "ranksep", "0.6")
	if p.empty != "" {
		if p.note != "" {
			root.Attrs("label", dot.Literal(dotString(p.note)), "labelloc", "t", "labeljust", "l")
		}
		root.Node("empty").Attrs("shape", "plaintext", "fontname", fontName, "fontsize", "11",
			"fontcolor", colorSubtle, "label", dot.Literal(dotString(p.empty)))
		return root
	}
	// The note and the legend are the graph's label, under the picture:
	// Graphviz lays the label out apart, so it never moves a node.
	root.Attrs("label", dot.HTML(p.htmlLegend()), "labelloc", "b", "labeljust", "l")
	home := make([]*dot.Graph, len(p.nodes))
	for i := range home {
		home[i] = root
	}
	for ci, c := range p.clusters {
		sub := root.Subgraph(fmt.Sprintf("c%06d", ci), dot.ClusterOption{})
		sub.Attrs("label", dot.Literal(dotString(c.label)), "style", "rounded", "color", colorClusterBG,
			"fontcolor", colorSubtle, "fontname", fontName, "fontsize", "11", "labeljust", "l")
		for _, i := range c.nodes {
			home[i] = sub
		}
	}
	nodes := make([]dot.Node, len(p.nodes))
	for i, pn := range p.nodes {
		nodes[i] = home[i].Node(fmt.Sprintf("%07d", i))
		dotNode(nodes[i], pn.kind, pn.style)
		if pn.members > 0 {
			nodes[i].Attr("shape", "box3d")
		}
		nodes[i].Attrs("label", dot.HTML(htmlLabel(Display(pn.id), pn.sub, pn.style)),
			"tooltip", dot.Literal(dotTooltip(pn.tooltip)))
	}
	for _, e := range p.edges {
		var de dot.Edge
		if e.class == viaEdge {
			// A recovery edge is written from the tool to the node it
			// recovers and drawn backwards, so that the tools rank before
			// the node like its dependencies do: dependencies flow left
			// to right and a recovery cycle shows as a loop against them.
			// (constraint=false would do the same, but Graphviz 2.43 then
			// fails on many estates: lost edges, failed spline routing.)
			de = root.Edge(nodes[e.to], nodes[e.from]).Attr("dir", "back")
		} else {
			de = root.Edge(nodes[e.from], nodes[e.to])
		}
		label := e.label
		if e.crossing != "" {
			label = strings.TrimPrefix(label+"\n"+e.crossing, "\n")
		}
		dotEdge(de, e.class, e.variant(), label)
		de.Attr("tooltip", dot.Literal(dotTooltip(e.tooltip)))
	}
	return root
}

// dotNode draws a node of kind ("" for undeclared) in style s.
func dotNode(n dot.Node, kind manifest.Kind, s NodeStyle) {
	shape, styles := kindShapes[kind], []string{"filled"}
	if kind == "" {
		shape = "box"
	}
	if kind == manifest.KindService {
		styles = append(styles, "rounded")
	}
	if s.Dashed {
		styles = append(styles, "dashed")
	}
	n.Attrs("shape", shape, "style", strings.Join(styles, ","), "fillcolor", cmp.Or(s.Fill, "#ffffff"),
		"color", cmp.Or(s.Stroke, colorInk), "penwidth", formatWidth(s.StrokeWidth),
		"fontname", fontName, "fontsize", "11", "margin", "0.12,0.04")
}

// edgeLook is how a line is drawn. lookOf is its one definition, for the
// edges and for the legend's samples alike, so that they cannot differ.
type edgeLook struct {
	color string
	width int    // in points: whole, as the legend's table cells draw lines
	style string // "solid", "dashed" or "dotted"
}

// lookOf is the look of an edge of class in variant (plainLook,
// crossingLook, witnessLook): the class gives the line style, the variant
// may change the colour and width.
func lookOf(class edgeClass, variant int) edgeLook {
	l := edgeLook{color: colorInk, width: 1, style: "solid"}
	switch class {
	case softEdge:
		l.style = "dashed"
	case viaEdge:
		l.color, l.width, l.style = colorRecovery, 2, "dotted"
	case monitorEdge:
		l.color = colorMonitor
	}
	switch variant {
	case crossingLook:
		l.color, l.width = colorCrossing, max(l.width, 2)
	case witnessLook:
		l.color, l.width = colorError, 3
	}
	return l
}

// dotEdge draws an edge of class and variant with its label.
func dotEdge(e dot.Edge, class edgeClass, variant int, label string) {
	l := lookOf(class, variant)
	if l.style != "solid" {
		e.Attr("style", l.style)
	}
	if class == monitorEdge {
		e.Attr("arrowsize", "0.5")
	}
	e.Attrs("color", l.color, "fontcolor", l.color, "penwidth", strconv.Itoa(l.width), "fontname", fontName, "fontsize", "9")
	if label != "" {
		e.Attr("label", dot.Literal(dotString(label)))
	}
}

// legendWidth is the width, in points, the legend tries to stay within:
// about the width of a picture of a dozen nodes.
const legendWidth = 600

// htmlLegend is the graph's label: the note, if any, over a box with a
// sample of each node style and line look the picture uses, and nothing it
// does not use. The samples stand in one grid, in columns of a few rows
// (as few as keep the grid within legendWidth), node samples first, then
// lines with their captions: a strip a few lines high under the picture.
// Node samples are table cells with the node's fill and outline (its shape
// is also written in every node's label, as its kind); line samples are
// cell borders drawn with the edges' own lookOf.
func (p *picture) htmlLegend() string {
	lg := p.legend
	var nodes []legendItem
	sample := func(text string, bold, rounded bool, s NodeStyle) {
		var styles []string
		if rounded {
			styles = append(styles, "rounded")
		}
		if s.Dashed {
			styles = append(styles, "dashed")
		}
		style := ""
		if len(styles) > 0 {
			style = ` STYLE="` + strings.Join(styles, ",") + `"`
		}
		t := htmlText(text)
		if bold {
			t = "<B>" + t + "</B>"
		}
		border := max(1, int(s.StrokeWidth+0.5))
		nodes = append(nodes, legendItem{
			cells: []string{fmt.Sprintf(`<TD BORDER="%d"%s BGCOLOR="%s" COLOR="%s" CELLPADDING="3"><FONT POINT-SIZE="9">%s</FONT></TD>`,
				border, style, htmlText(cmp.Or(s.Fill, "#ffffff")), htmlText(cmp.Or(s.Stroke, colorInk)), t)},
			width: textWidth(text) + 6 + 2*float64(border),
		})
	}
	plain := NodeStyle{Fill: "#ffffff", Stroke: colorInk, StrokeWidth: 1}
	for i, k := range manifest.Kinds {
		if lg.kinds[i] {
			s := plain
			s.Fill = kindFill[k]
			sample(string(k), false, k == manifest.KindService, s)
		}
	}
	if lg.systems {
		sample("system (one box)", false, false, NodeStyle{Fill: colorSystem, Stroke: colorInk, StrokeWidth: 1})
	}
	if lg.nonProd {
		sample("not production", false, true, NodeStyle{Fill: colorNonProd, Stroke: colorInk, StrokeWidth: 1, Dashed: true})
	}
	if lg.ghost {
		sample("undeclared", false, false, NodeStyle{Fill: "#ffffff", Stroke: colorGhost, StrokeWidth: 1, Dashed: true})
	}
	if lg.errored {
		sample("error finding", false, true, NodeStyle{Fill: "#ffffff", Stroke: colorError, StrokeWidth: 3})
	}
	if lg.focus {
		sample("focus", true, true, plain)
	}
	for _, x := range lg.extra {
		sample(x.Text, x.Style.Bold, true, x.Style)
	}

	// Lines: each class drawn plainly, with what its label says, then the
	// classes drawn as crossings and as witnesses.
	classText := [...]string{hardEdge: "hard dependency", softEdge: "soft dependency", viaEdge: "recovery procedure", monitorEdge: "monitored by"}
	labelText := [...]string{hardEdge: " (kind)", softEdge: " (kind)", viaEdge: " (name)", monitorEdge: ""}
	variantText := [...]string{plainLook: "", crossingLook: ", to a lower environment", witnessLook: ", on an error's witness"}
	var lines []legendItem
	for variant := range variantText {
		for class := range classText {
			if !lg.looks[variant][class] {
				continue
			}
			caption := classText[class] + variantText[variant]
			if variant == plainLook {
				caption += labelText[class]
			}
			lines = append(lines, legendLine(lookOf(edgeClass(class), variant), caption))
		}
	}

	rows := min(legendShape(nodes, lines), max(len(nodes), len(lines)))
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">`)
	if p.note != "" {
		fmt.Fprintf(&b, `<TR><TD ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="2"><FONT POINT-SIZE="11" COLOR="%s">%s</FONT></TD></TR>`, colorSubtle, htmlText(p.note))
	}
	fmt.Fprintf(&b, `<TR><TD ALIGN="LEFT"><TABLE BORDER="1" STYLE="rounded" COLOR="%s" CELLBORDER="0" CELLSPACING="4" CELLPADDING="0">`, colorClusterBG)
	cols := legendColumns(len(nodes), rows) + 2*legendColumns(len(lines), rows)
	fmt.Fprintf(&b, `<TR><TD ALIGN="LEFT" COLSPAN="%d"><FONT POINT-SIZE="9" COLOR="%s"><B>Legend</B></FONT></TD></TR>`, cols, colorSubtle)
	for r := range rows {
		b.WriteString("<TR>")
		for _, items := range [][]legendItem{nodes, lines} {
			for c := range legendColumns(len(items), rows) {
				if i := c*rows + r; i < len(items) {
					b.WriteString(strings.Join(items[i].cells, ""))
				} else {
					b.WriteString(strings.Repeat("<TD></TD>", len(items[0].cells)))
				}
			}
		}
		b.WriteString("</TR>")
	}
	b.WriteString(`</TABLE></TD></TR></TABLE>`)
	return b.String()
}

// legendItem is one sample of the legend: its table cells (a node sample,
// or a line and its caption) and their estimated width.
type legendItem struct {
	cells []string
	width float64
}

// legendLine is a line sample and its caption. The line is the bottom
// border of a cell over an empty cell of the same height, so that it runs
// through the middle of the row.
func legendLine(l edgeLook, caption string) legendItem {
	style := ""
	if l.style != "solid" {
		style = ` STYLE="` + l.style + `"`
	}
	return legendItem{
		cells: []string{
			fmt.Sprintf(`<TD><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD SIDES="B" BORDER="%d" COLOR="%s"%s WIDTH="28" HEIGHT="6"></TD></TR><TR><TD HEIGHT="6"></TD></TR></TABLE></TD>`,
				l.width, l.color, style),
			fmt.Sprintf(`<TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="%s">%s</FONT></TD>`, colorSubtle, htmlText(caption)),
		},
		width: 28 + 4 + textWidth(caption),
	}
}

// legendShape returns how many rows the legend's grid has: the fewest,
// from 2 up to 5, whose columns fit in legendWidth by estimate, or else
// the fewest that make it narrowest.
func legendShape(nodes, lines []legendItem) int {
	best, bestWidth := 2, math.Inf(1)
	for rows := 2; rows <= 5; rows++ {
		width := 0.0
		for _, items := range [][]legendItem{nodes, lines} {
			for c := range legendColumns(len(items), rows) {
				widest := 0.0
				for _, it := range items[c*rows : min(len(items), (c+1)*rows)] {
					widest = max(widest, it.width)
				}
				width += widest + 8
			}
		}
		if width <= legendWidth {
			return rows
		}
		if width < bestWidth {
			best, bestWidth = rows, width
		}
	}
	return best
}

// legendColumns is how many columns n samples take in rows rows.
func legendColumns(n, rows int) int { return (n + rows - 1) / rows }

// textWidth estimates the width in points of s in 9-point Helvetica: about
// half the size per character, which is enough to shape the legend.
func textWidth(s string) float64 { return 5 * float64(utf8.RuneCountInString(s)) }

// htmlLabel is a node's label: its name, then its kind and tier and any
// notes in smaller type.
func htmlLabel(name, sub string, s NodeStyle) string {
	var b strings.Builder
	if s.Bold {
		b.WriteString("<B>" + htmlText(name) + "</B>")
	} else {
		b.WriteString(htmlText(name))
	}
	fmt.Fprintf(&b, `<BR/><FONT POINT-SIZE="9" COLOR="%s">%s</FONT>`, colorSubtle, htmlText(sub))
	for _, n := range s.Notes {
		fmt.Fprintf(&b, `<BR/><FONT POINT-SIZE="9" COLOR="%s">%s</FONT>`, htmlText(cmp.Or(s.NoteColor, colorError)), htmlText(n))
	}
	return b.String()
}

func formatWidth(w float64) string {
	if w <= 0 {
		w = 1
	}
	return strconv.FormatFloat(w, 'f', -1, 64)
}

// dotString quotes s as a DOT string for a plain label, so that Graphviz
// draws exactly s: a backslash cannot start an escape such as \N or \l,
// '&' cannot start an entity (Graphviz decodes them in labels), a line
// break is drawn as one, other control characters as their visible
// pictures (U+2400…) and invalid UTF-8 as U+FFFD, so Graphviz never warns
// about the input.
func dotString(s string) string { return dotQuote(s, `\\`) }

// dotTooltip quotes s as a DOT string for a tooltip. Graphviz 2.43 removes
// one level of backslash escapes from a tooltip twice (and expands \N in
// between), so a backslash is written as four.
func dotTooltip(s string) string { return dotQuote(s, `\\\\`) }

func dotQuote(s, backslash string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	text(s, func(r rune) {
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(backslash)
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	})
	b.WriteByte('"')
	return b.String()
}

// htmlText escapes s for the text of a Graphviz HTML-like label. Graphviz
// expands \N and its kin there too, so a backslash is written as two.
func htmlText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	text(s, func(r rune) {
		switch r {
		case '\n':
			b.WriteString("<BR/>")
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	})
	return b.String()
}

// text walks s as drawable text: "\r\n" and "\r" become '\n', other control
// characters their Unicode control pictures, invalid UTF-8 U+FFFD.
func text(s string, emit func(rune)) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			emit('\n')
		case r == '\n':
			emit('\n')
		case r < 0x20:
			emit(0x2400 + r)
		case r == 0x7f:
			emit(0x2421)
		case r == 0x2028, r == 0x2029: // line and paragraph separators
			emit('\n')
		case r >= 0x80 && r < 0xa0: // C1 controls have no pictures
			emit(utf8.RuneError)
		default:
			emit(r) // RuneError for invalid UTF-8 included
		}
	}
}
