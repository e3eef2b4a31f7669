package validate

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
)

// Options say what to break and what to emulate.
type Options struct {
	// Faults are the nodes to fail (graph indices) and how; --fail is
	// FaultDown. A latency shorter than Timeout slows a node without
	// failing it.
	Faults map[int]Fault
	// Endpoints put a real service on loopback in place of an emulated
	// node: the URL of its health check, 2xx meaning up.
	Endpoints map[int]string
	// Addrs pin an emulated node's listen address, so that a real service
	// can be configured to call it.
	Addrs map[int]string
	// Timeout bounds every health call and KV read; 0 means DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout bounds one call when Options.Timeout is 0.
const DefaultTimeout = 500 * time.Millisecond

// Failed lists the nodes the prediction fails: every fault but a latency
// shorter than the timeout.
func (o *Options) Failed() []int {
	var out []int
	for v, f := range o.Faults {
		if f.Mode != FaultLatency || f.Latency >= o.timeout() {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

func (o *Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// Run predicts the failure with analyzer.Simulate, then replays it live:
// it starts the emulation, injects the faults, probes every node until the
// answers settle, and recovers wave by wave as the live answers allow
// (each failed node is repaired, and each node wiped by a rebuild
// redeployed, by the first procedure whose via nodes, and what they need
// to start, all answer up), probing again after each wave. Everything it
// started is stopped before it returns, also when ctx is cancelled.
func Run(ctx context.Context, g *graph.Graph, o Options) (*Result, error) {
	for v := range o.Faults {
		if _, real := o.Endpoints[v]; real {
			return nil, fmt.Errorf("%s is a real service (--endpoint): catch22 cannot fail it", g.Nodes[v].ID)
		}
	}
	o.Timeout = o.timeout()
	failed := o.Failed()
	prediction := analyzer.Simulate(g, failed)
	for _, d := range prediction.Down {
		v, _ := g.Lookup(d.Node)
		if _, real := o.Endpoints[v]; real && d.Rebuilt != "" {
			return nil, fmt.Errorf("%s is a real service (--endpoint) that runs on %s, which is rebuilt: catch22 cannot redeploy it", d.Node, d.Rebuilt)
		}
	}
	s, err := start(ctx, g, &o)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	l := &live{s: s, order: probeOrder(g), repaired: map[int]int{}, used: map[int]string{},
		wiped: map[int]int{}, redeployed: map[int]int{}, redeployedBy: map[int]string{}, deployed: map[int]int{}}
	if err := l.settle(ctx); err != nil { // everything up before the failure
		return nil, err
	}
	for v, f := range o.Faults {
		s.nodes[v].setFault(f)
	}
	if err := l.replay(ctx, failed); err != nil {
		return nil, err
	}
	return compare(g, o, prediction, l), nil
}

// live is what the replay observed.
type live struct {
	s        *system
	order    []int // probe order: dependencies before dependents
	round    int
	status   []Status // the last settled answers, by graph index
	after    []Status // the answers right after the failure
	back     []int    // the wave a node answered up again, 0 when it did not
	repaired map[int]int
	used     map[int]string
	blocked  map[int][]ProcedureObservation // per failed node never repaired, and per node never redeployed
	waves    int

	wiped        map[int]int    // nodes waiting for a redeploy → the wave of the rebuild that wiped them
	redeployed   map[int]int    // node → the last wave it was redeployed in
	redeployedBy map[int]string // node → the procedure of that redeploy
	deployed     map[int]int    // node → the last wave it was repaired or redeployed in
}

// replay observes the failure and the recovery.
func (l *live) replay(ctx context.Context, failed []int) error {
	if err := l.settle(ctx); err != nil {
		return err
	}
	l.after = slices.Clone(l.status)
	l.back = make([]int, len(l.status))
	g := l.s.g
	for wave := 1; ; wave++ {
		// A failed node not yet repaired, or a node wiped by a rebuild,
		// is brought back by its first procedure whose via nodes answer
		// up; all of one wave together.
		type act struct {
			v, proc  int
			redeploy bool
		}
		var acts []act
		for v := range g.Nodes {
			_, done := l.repaired[v]
			_, wiped := l.wiped[v]
			if repair := slices.Contains(failed, v) && !done; !repair && !wiped {
				continue
			}
			if p, ok := l.usable(v); ok {
				acts = append(acts, act{v: v, proc: p, redeploy: wiped})
			}
		}
		if len(acts) == 0 {
			break
		}
		l.waves = wave
		for _, a := range acts {
			name := g.Nodes[a.v].Manifest.Recoveries[a.proc].Name
			if a.redeploy {
				delete(l.wiped, a.v)
				l.redeployed[a.v], l.redeployedBy[a.v] = wave, name
				l.s.nodes[a.v].redeploy()
			} else {
				l.repaired[a.v], l.used[a.v] = wave, name
				l.s.nodes[a.v].setFault(Fault{})
			}
			l.deployed[a.v] = wave
		}
		// A repair that rebuilds its node recreates it empty: what ran on
		// it is lost, unless it was deployed in this very wave or is a
		// failed node still to be repaired (its repair deploys it).
		for _, a := range acts {
			if a.redeploy || !g.Rebuilds(a.v, a.proc) {
				continue
			}
			for _, d := range g.Tenants(a.v) {
				_, done := l.repaired[d]
				if l.deployed[d] == wave || slices.Contains(failed, d) && !done || l.s.nodes[d] == nil {
					continue
				}
				l.wiped[d] = wave
				l.s.nodes[d].wipe()
			}
		}
		if err := l.settle(ctx); err != nil {
			return err
		}
		for v, st := range l.status {
			if !l.after[v].IsUp() && st.IsUp() && l.back[v] == 0 {
				l.back[v] = wave
			}
		}
	}
	l.blocked = map[int][]ProcedureObservation{}
	for _, f := range failed {
		if _, done := l.repaired[f]; !done {
			l.blocked[f] = l.procedures(f)
		}
	}
	for v := range l.wiped {
		l.blocked[v] = l.procedures(v)
	}
	return nil
}

// usable returns the index of the first procedure of v whose via nodes all
// answer up.
func (l *live) usable(v int) (int, bool) {
	for i, p := range l.procedures(v) {
		if p.Usable {
			return i, true
		}
	}
	return -1, false
}

// ProcedureObservation is one procedure probed live: usable when every via
// node answered up, and every node a via node needs, hard, to start (using
// a tool starts it, and a running tool that could not start again is no
// help); else Down names the first of them that did not.
type ProcedureObservation struct {
	Procedure string
	Usable    bool
	Down      string
}

func (l *live) procedures(f int) []ProcedureObservation {
	g := l.s.g
	m := g.Nodes[f].Manifest
	out := make([]ProcedureObservation, len(m.Recoveries))
	for p, r := range m.Recoveries {
		out[p] = ProcedureObservation{Procedure: r.Name, Usable: true}
	}
	first, end := g.Out(f)
	for _, e := range g.Edges[first:end] {
		if e.Type != graph.Via || !out[e.Procedure].Usable {
			continue
		}
		for _, w := range append([]int{e.To}, g.StartSuccessors(e.To)...) {
			if !l.status[w].IsUp() {
				out[e.Procedure].Usable, out[e.Procedure].Down = false, g.Nodes[w].ID
				break
			}
		}
	}
	return out
}

// settle probes every node, dependencies first, until a whole round
// answers as the one before (a round can only learn of a change that
// travels one cycle further, so it takes at most as many rounds as nodes).
func (l *live) settle(ctx context.Context) error {
	var prev []Status
	for range len(l.order) + 2 {
		cur := make([]Status, len(l.order))
		l.round++
		for _, v := range l.order {
			if err := ctx.Err(); err != nil {
				return err
			}
			cur[v] = l.probe(ctx, v)
		}
		l.status = cur
		if slices.Equal(prev, cur) {
			return nil
		}
		prev = cur
	}
	return nil
}

// probe asks a node's health check what it is, as its dependents would.
func (l *live) probe(ctx context.Context, v int) Status {
	return healthCall(ctx, l.s.client, l.s.timeout, l.s.health[v], "r"+strconv.Itoa(l.round), "")
}

// probeOrder lists the nodes so that dependencies (hard or soft) come
// before their dependents: the strongly connected sets of dependency edges
// in the order Tarjan's algorithm emits them, sinks first, members sorted.
func probeOrder(g *graph.Graph) []int {
	dg := simple.NewDirectedGraph()
	for v := range g.Nodes {
		dg.AddNode(simple.Node(v))
	}
	for _, e := range g.Edges {
		if e.Type == graph.Dependency && e.From != e.To {
			dg.SetEdge(simple.Edge{F: simple.Node(e.From), T: simple.Node(e.To)})
		}
	}
	var out []int
	for _, scc := range topo.TarjanSCC(dg) {
		var ms []int
		for _, n := range scc {
			ms = append(ms, int(n.ID()))
		}
		slices.Sort(ms)
		out = append(out, ms...)
	}
	return out
}
