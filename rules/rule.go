package rules

import (
	"fmt"
	"time"

	"github.com/catch22/catch22/graph"
)

// Rule is one check of the catalog.
type Rule struct {
	ID          string
	Title       string   // one line, for listings
	Severity    Severity // default; configuration may change it
	Doc         string   // what it catches and why it matters, with the incident it comes from
	Remediation string   // how to fix a finding
	Params      []Param  // tunable parameters with their defaults
	Check       func(*Pass) error
	// UsesFacts says Check reads Pass.Facts. The other rules start while
	// the shared sweep runs, and see Facts nil.
	UsesFacts bool
}

// Param is a tunable number of a rule, set in configuration as
// [rules.ID] name = value.
type Param struct {
	Name    string
	Default float64
	Doc     string
}

// Pass is what a rule sees of one analysis: the graph, facts shared by all
// rules, its effective parameters, and a way to report.
type Pass struct {
	Graph *graph.Graph
	Facts *Facts
	Now   time.Time // today, for ages of drills
	// EnvRank ranks environments: lower is more important ("production" 0).
	EnvRank func(env string) int
	Params  map[string]float64 // every parameter of the rule, defaults filled in
	// Traffic is what check --observed read; nil without it.
	Traffic *Traffic
	Report  func(Finding) // Rule and Severity are filled in by the pass
}

// node returns the ID of node index u.
func (p *Pass) node(u int) string { return p.Graph.Nodes[u].ID }

// ProofHops turns a proof that a node goes down with another into witness
// hops: its path, labelled as hardHops does, and on its last hop one path
// per alternative of the failing group, each labelled with the group's kind
// and "any of". Hops are labelled with graph.GateLabel, which is the kind of
// the run-time entry wherever there is one, so that the start-phase hop a
// blocking proof may begin with (from a via node to what it needs to
// start) reads "kind, start".
func ProofHops(g *graph.Graph, proof *graph.Proof, first string) []Hop {
	hops := make([]Hop, len(proof.Path))
	for i, v := range proof.Path {
		hops[i] = Hop{Node: g.Nodes[v].ID, Label: first}
		if i > 0 {
			hops[i].Label = g.GateLabel(proof.Path[i-1], v)
		}
	}
	if proof.Group >= 0 && len(hops) > 0 {
		label := string(g.Groups[proof.Group].Kind) + ", any of"
		for _, a := range proof.Alts {
			hops[len(hops)-1].Alternatives = append(hops[len(hops)-1].Alternatives, ProofHops(g, a, label))
		}
	}
	return hops
}

// hardHops turns a hard path into witness hops, labelling each step with the
// kind of the dependency taken. The first node gets label first.
func (p *Pass) hardHops(path []int, first string) []Hop {
	hops := make([]Hop, len(path))
	for i, v := range path {
		hops[i] = Hop{Node: p.node(v)}
		if i == 0 {
			hops[i].Label = first
		} else {
			hops[i].Label = p.Graph.HardLabel(path[i-1], v)
		}
	}
	return hops
}

// display drops the default environment, as text output does.
func display(id string) string {
	const suffix = "@production"
	if len(id) > len(suffix) && id[len(id)-len(suffix):] == suffix {
		return id[:len(id)-len(suffix)]
	}
	return id
}

// chain draws a witness compactly for messages: "ci → access → workers-kv".
func chain(hops []Hop) string {
	s := ""
	for i, h := range hops {
		if i > 0 {
			s += " → "
		}
		s += display(h.Node)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
