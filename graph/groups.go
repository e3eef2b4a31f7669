package graph

import "github.com/catch22/catch22/manifest"

// Group is a dependency on redundant alternatives (any_of): it fails when
// Need of them are down. Undeclared alternatives count as up, as for any
// reference to an unknown node, so a group with fewer declared Members than
// Need never fails.
type Group struct {
	From    int
	Members []int // the declared alternatives, sorted
	Need    int   // alternatives down that fail it: len(any_of) − quorum + 1
	Quorum  int
	Hard    bool
	Start   bool
	Kind    manifest.DepKind
	Pos     manifest.Pos // the [[dependency]] header
}

// Propagates reports whether the group's failure takes its node down: a
// hard group needed at run time.
func (gr *Group) Propagates() bool { return gr.Hard && !gr.Start }

// CanFail reports whether enough declared alternatives exist to fail it.
func (gr *Group) CanFail() bool { return gr.Need <= len(gr.Members) }

// GroupsOf returns the hard groups u declares, of either phase, ascending.
func (g *Graph) GroupsOf(u int) []int { return g.groupsOut.row(u) }

// GroupsWith returns the hard groups that name v as an alternative,
// ascending.
func (g *Graph) GroupsWith(v int) []int { return g.groupsIn.row(v) }

// HasGates reports whether some run-time hard group can fail, so that down
// sets are no longer plain reachability.
func (g *Graph) HasGates() bool { return g.gates }
