package validate

import (
	"net/http"
	"sync"
	"time"
)

// Fault is what is done to a node on purpose.
type Fault struct {
	Mode    FaultMode
	Latency time.Duration // FaultLatency
}

// FaultMode is how a failed node misbehaves.
type FaultMode string

const (
	FaultNone    FaultMode = ""
	FaultDown    FaultMode = "down"    // the connection closes without an answer
	FaultError   FaultMode = "error"   // it answers 503
	FaultLatency FaultMode = "latency" // it answers, late
)

// dependency is one call a node makes from its health check.
type dependency struct {
	id    string
	hard  bool
	start bool   // needed only to start: called while the node is down
	group int    // 1 + the graph's index of its any_of group; 0 for a single target
	need  int    // with group: alternatives down that fail the group
	url   string // the dependency's /health, or for a KV node the key this node reads
}

// node is one emulated node: a health check that calls its dependencies,
// and a latch. A node that found a hard dependency down is crashed, and
// comes back only once a later check finds them all up, those it needs to
// start included (it calls those only while crashed); on a call that
// comes back round a cycle it answers its latch, so nodes of a cycle that
// went down stay down together, as the prediction says. A node wiped by
// the rebuild of a node it ran on is down, whatever its dependencies,
// until it is redeployed.
type node struct {
	id      string
	deps    []dependency
	client  *http.Client
	timeout time.Duration
	store   *kvNode // for emulate = "kv": the reference KV behind it

	mu      sync.Mutex
	fault   Fault
	crashed bool
	wiped   bool // what ran here was lost in a rebuild: down until redeployed
	round   string
	last    *answer // the answer of round
}

func (n *node) setFault(f Fault) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.fault = f
	if f.Mode != FaultNone {
		n.crashed = true
	}
	if n.store != nil {
		n.store.setFault(f)
	}
}

// wipe takes away what ran on the node: a node it ran on was rebuilt.
func (n *node) wipe() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.wiped, n.crashed = true, true
}

// redeploy puts the node back on what it runs on. It is still crashed: it
// comes back once a check finds its dependencies up.
func (n *node) redeploy() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.wiped = false
}

// health answers GET /health.
func (n *node) health(w http.ResponseWriter, r *http.Request) {
	a, ok := n.check(r)
	if !ok {
		dropConnection(w)
		return
	}
	a.write(w)
}

// check evaluates the node for one call; ok is false when the node is
// down hard (the connection must close without an answer).
func (n *node) check(r *http.Request) (answer, bool) {
	n.mu.Lock()
	f, crashed, wiped := n.fault, n.crashed, n.wiped
	n.mu.Unlock()
	if f.Mode == FaultLatency && n.store == nil {
		select {
		case <-time.After(f.Latency):
		case <-r.Context().Done():
			return answer{}, false
		}
	}
	switch {
	case f.Mode == FaultDown && n.store == nil:
		return answer{}, false
	case f.Mode == FaultError && n.store == nil:
		return answer{Node: n.id, Status: Down, Because: "fault: error"}, true
	case wiped:
		return answer{Node: n.id, Status: Down, Because: "needs a redeploy"}, true
	case onTrace(r, n.id):
		if crashed {
			return answer{Node: n.id, Status: Down, Because: "cycle"}, true
		}
		return answer{Node: n.id, Status: Up}, true
	}
	round := r.Header.Get(headerProbe)
	n.mu.Lock()
	if round != "" && round == n.round && n.last != nil {
		a := *n.last
		n.mu.Unlock()
		return a, true
	}
	n.mu.Unlock()

	a := answer{Node: n.id, Status: Up}
	if n.store != nil {
		if err := n.store.canary(r.Context(), n.client, n.timeout); err != nil {
			a = answer{Node: n.id, Status: Down, Because: "reference KV: " + err.Error()}
		}
	}
	altsDown := map[int]int{} // per group: alternatives found down
	for _, d := range n.deps {
		if a.Status == Down {
			break
		}
		if d.start && !crashed {
			continue
		}
		if n.call(r, d) {
			continue
		}
		if d.group > 0 {
			// A group fails only with Need alternatives down; one down
			// alternative alone degrades the node.
			if altsDown[d.group]++; altsDown[d.group] < d.need {
				d.hard = false
			}
		}
		switch {
		case d.hard:
			a = answer{Node: n.id, Status: Down, Because: d.id}
		case a.Status == Up:
			a = answer{Node: n.id, Status: Degraded, Because: d.id}
		}
	}
	n.mu.Lock()
	n.crashed = a.Status == Down
	n.round, n.last = round, &a
	n.mu.Unlock()
	return a, true
}

// call makes one dependency call on behalf of r and reports whether it
// answered up in time.
func (n *node) call(r *http.Request, d dependency) bool {
	return healthCall(r.Context(), n.client, n.timeout, d.url, r.Header.Get(headerProbe), extend(r, n.id)).IsUp()
}

// dropConnection closes the connection without an answer: what a dead
// process looks like to its callers.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection
}
