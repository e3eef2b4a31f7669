package report

import (
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/rules"
)

// RecoveryStatus says whether a service can be repaired with the procedures
// it declares while it is down.
type RecoveryStatus int

const (
	// NoRecovery: the service declares no [[recovery]] procedure.
	NoRecovery RecoveryStatus = iota
	// Cyclic: every procedure is blocked (the recovery-cycle condition).
	Cyclic
	// BreakglassOnly: some procedure is unblocked, and every unblocked one
	// is a breakglass procedure.
	BreakglassOnly
	// Recoverable: some procedure that is not breakglass is unblocked.
	Recoverable
)

func (s RecoveryStatus) String() string {
	switch s {
	case NoRecovery:
		return "none declared"
	case Cyclic:
		return "cyclic"
	case BreakglassOnly:
		return "only via breakglass"
	case Recoverable:
		return "recoverable"
	}
	return "unknown"
}

// ServiceRecovery is the recovery status of one service, with the state of
// each of its procedures in declaration order.
type ServiceRecovery struct {
	Status     RecoveryStatus
	Procedures []ProcedureRecovery
	Blocked    int // how many procedures are blocked
}

// Partial reports whether some procedures are blocked and others are not
// (the partial-recovery-cycle condition).
func (s ServiceRecovery) Partial() bool { return s.Blocked > 0 && s.Blocked < len(s.Procedures) }

// ProcedureRecovery is one [[recovery]] procedure of a service.
type ProcedureRecovery struct {
	Name       string
	Via        []string // full IDs as written, undeclared ones included
	Breakglass bool
	Blocked    bool
	// Witness proves a blocked procedure: the shortest
	// S -[recovery: name]-> v -> … -> S over one of its via nodes v (the
	// first declared among equals), whose first hop after v may be one v
	// needs to start; nil when not blocked.
	Witness []rules.Hop
}

// RecoveryOf computes the recovery status of node u from the shared facts
// (SPEC §2): a procedure is blocked when one of its via nodes, or a node a
// via node needs, hard, to start, is in down({u}). Via entries naming undeclared nodes are no edges, so they count
// as up, as in the rules. It runs in O(edges of u + witness lengths).
func RecoveryOf(g *graph.Graph, f *rules.Facts, u int) ServiceRecovery {
	m := g.Nodes[u].Manifest
	sr := ServiceRecovery{Procedures: make([]ProcedureRecovery, len(m.Recoveries))}
	for i, r := range m.Recoveries {
		p := &sr.Procedures[i]
		p.Name, p.Breakglass = r.Name, r.Breakglass
		for _, v := range r.Via {
			p.Via = append(p.Via, v.ID())
		}
	}
	first, end := g.Out(u)
	for i := first; i < end; i++ {
		e := &g.Edges[i]
		proof := f.Blocking[i]
		if e.Type != graph.Via || proof == nil {
			continue
		}
		p := &sr.Procedures[e.Procedure]
		w := append([]rules.Hop{{Node: g.Nodes[u].ID}}, rules.ProofHops(g, proof, "recovery: "+p.Name)...)
		if p.Blocked && rules.HopCount(p.Witness) <= rules.HopCount(w) {
			continue
		}
		p.Blocked = true
		p.Witness = w
	}
	usable, usableNormal := false, false
	for _, p := range sr.Procedures {
		if p.Blocked {
			sr.Blocked++
			continue
		}
		usable = true
		usableNormal = usableNormal || !p.Breakglass
	}
	switch {
	case len(sr.Procedures) == 0:
		sr.Status = NoRecovery
	case !usable:
		sr.Status = Cyclic
	case usableNormal:
		sr.Status = Recoverable
	default:
		sr.Status = BreakglassOnly
	}
	return sr
}

// blockingHops turns the hard path v → … → u that blocks a procedure of u
