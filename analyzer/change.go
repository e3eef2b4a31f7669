package analyzer

import (
	"fmt"
	"strings"

	"github.com/catch22/catch22/manifest"
)

// ChangeKind is a kind of manifest change that breaks a cycle.
type ChangeKind int

// The change kinds, in order of preference: the smallest edit first.
const (
	// Soften makes a hard dependency soft: the dependent degrades instead
	// of failing with it.
	Soften ChangeKind = iota
	// DropProcedure removes a procedure that can never run while its node
	// is down, when another procedure can.
	DropProcedure
	// AddBreakglass gives a node a breakglass procedure whose via avoids
	// everything that goes down with it.
	AddBreakglass
)

var changeKindNames = [...]string{"soften", "drop-procedure", "add-breakglass"}

func (k ChangeKind) String() string { return changeKindNames[k] }

// Change is one concrete edit to the manifests.
type Change struct {
	Kind      ChangeKind
	Node      string           // the node whose manifest changes
	On        string           // Soften: the dependency made soft
	AnyOf     []string         // Soften of an any_of group, made soft as a whole: its declared alternatives (On is "")
	DepKind   manifest.DepKind // Soften: the dependency's kind, for the hint
	Start     bool             // Soften: the dependency is needed only to start
	Procedure string           // DropProcedure: the procedure dropped; else ""
	// Because names what makes the change necessary: for DropProcedure the
	// via node that goes down with Node, or the via node and what it needs
	// to start that goes down with Node; for AddBreakglass the via nodes
	// that block its procedures.
	Because []string
	// Down, for AddBreakglass, counts the other nodes that go down with
	// Node, which the new procedure's via must avoid too.
	Down int
	Pos  manifest.Pos // where to make the change

	// Indices into the graph the change was computed on; group is 1 + the
	// index of the any_of group a Soften makes soft, 0 for one dependency.
	from, to, proc, group int
}

// softenHints say how a dependent typically survives without a dependency
// of each kind.
var softenHints = map[manifest.DepKind]string{
	manifest.DepAuth:          "cache the keys or tokens it verifies with",
	manifest.DepData:          "serve from a cache or a replica",
	manifest.DepConfig:        "keep the last known good configuration",
	manifest.DepRuntime:       "degrade instead of failing",
	manifest.DepNetwork:       "give it a second path",
	manifest.DepObservability: "keep working without it",
	manifest.DepDeploy:        "keep running the current version without it",
}

// String says the change as an instruction.
func (c Change) String() string {
	switch c.Kind {
	case Soften:
		hint := softenHints[c.DepKind]
		if hint == "" {
			hint = softenHints[manifest.DepRuntime]
		}
		if c.Start {
			hint = "start from a cached copy instead"
		}
		on := display(c.On)
		if c.AnyOf != nil {
			alts := make([]string, len(c.AnyOf))
			for i, a := range c.AnyOf {
				alts[i] = display(a)
			}
			on = "any of (" + strings.Join(alts, ", ") + ")"
		}
		return fmt.Sprintf("make %s → %s soft (%s)", display(c.Node), on, hint)
	case DropProcedure:
		if len(c.Because) > 1 && c.Because[1] == c.Node {
			return fmt.Sprintf("drop procedure %s of %s: it needs %s, which needs %s to start",
				c.Procedure, display(c.Node), display(c.Because[0]), display(c.Node))
		}
		if len(c.Because) > 1 {
			return fmt.Sprintf("drop procedure %s of %s: it needs %s, which needs %s to start, and %s goes down with %s",
				c.Procedure, display(c.Node), display(c.Because[0]), display(c.Because[1]), display(c.Because[1]), display(c.Node))
		}
		return fmt.Sprintf("drop procedure %s of %s: it needs %s, which goes down with %s",
			c.Procedure, display(c.Node), display(c.Because[0]), display(c.Node))
	default:
		return fmt.Sprintf("add a breakglass procedure for %s whose via avoids every node that goes down with it (%s), and drill it",
			display(c.Node), listSome(c.Because, 3, c.Down))
	}
}

// listSome lists the first n names and counts the rest of total.
func listSome(ids []string, n, total int) string {
	names := make([]string, 0, n)
	for _, id := range ids[:min(n, len(ids))] {
		names = append(names, display(id))
	}
	s := strings.Join(names, ", ")
	if more := total - len(names); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}

// display drops the default environment, as text output does.
func display(id string) string {
	return strings.TrimSuffix(id, "@"+manifest.DefaultEnv)
}
