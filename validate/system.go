package validate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/catch22/catch22/graph"
)

// system is the live emulation of a graph: one server per node, one
// reference KV per KV node, and the addresses of real services standing in.
type system struct {
	g       *graph.Graph
	client  *http.Client
	timeout time.Duration
	nodes   []*node  // by graph index; nil for a real service
	health  []string // by graph index: the URL of its health check
	servers []*http.Server
	kvs     []*kvNode
	stopKV  context.CancelFunc // stops the reference KVs
}

// start brings the emulation up: listeners first (so every address is
// known), then the reference KVs seeded with what their dependents read,
// then the node servers. On error, what was started is stopped.
func start(ctx context.Context, g *graph.Graph, o *Options) (s *system, err error) {
	s = &system{g: g, timeout: o.Timeout, nodes: make([]*node, len(g.Nodes)), health: make([]string, len(g.Nodes)),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}}
	var kvCtx context.Context
	kvCtx, s.stopKV = context.WithCancel(context.WithoutCancel(ctx))
	defer func() {
		if err != nil {
			s.stop()
			s = nil
		}
	}()
	listeners := make([]net.Listener, len(g.Nodes))
	for v := range g.Nodes {
		if u, ok := o.Endpoints[v]; ok {
			s.health[v] = u
			continue
		}
		addr := "127.0.0.1:0"
		if a, ok := o.Addrs[v]; ok {
			addr = a
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range listeners {
				if l != nil {
					l.Close()
				}
			}
			return s, fmt.Errorf("%s: %w", g.Nodes[v].ID, err)
		}
		listeners[v] = ln
		s.health[v] = "http://" + ln.Addr().String() + "/health"
	}
	var envs []string
	for _, n := range g.Nodes {
		envs = append(envs, n.Manifest.Service.Env)
	}
	slices.Sort(envs)
	envs = slices.Compact(envs)
	for v, n := range g.Nodes {
		s.nodes[v] = &node{id: n.ID, client: s.client, timeout: s.timeout}
		if listeners[v] == nil {
			s.nodes[v] = nil
			continue
		}
		if n.Manifest.Service.Emulate == "kv" {
			k, err := startKV(kvCtx, s.client, n.Manifest.Service.Env, envs)
			if k != nil {
				s.kvs = append(s.kvs, k)
			}
			if err != nil {
				return s, fmt.Errorf("%s: reference KV: %w", n.ID, err)
			}
			s.nodes[v].store = k
		}
	}
	for v := range g.Nodes {
		if err := s.wire(ctx, v); err != nil {
			return s, err
		}
	}
	for v, ln := range listeners {
		if ln == nil {
			continue
		}
		var h http.Handler
		if n := s.nodes[v]; n.store != nil {
			h = n.front()
		} else {
			mux := http.NewServeMux()
			mux.HandleFunc("GET /health", n.health)
			h = mux
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		s.servers = append(s.servers, srv)
		go srv.Serve(ln)
	}
	return s, nil
}

// wire lists the calls node v's health check makes: one per dependency
// target, in declaration order, hard when any entry on it is hard, and one
// per alternative of each any_of group. A
// dependency on a KV node is a read of v's own key, seeded now, in the
// namespace of that KV node's environment.
func (s *system) wire(ctx context.Context, v int) error {
	n := s.nodes[v]
	if n == nil {
		return nil
	}
	first, end := s.g.Out(v)
	for _, e := range s.g.Edges[first:end] {
		if e.Type != graph.Dependency {
			continue
		}
		// Entries on one target merge per phase: a start-phase entry is
		// called only while the node is down. An alternative of any_of is
		// its group's own call.
		if i := slices.IndexFunc(n.deps, func(d dependency) bool {
			return d.id == s.g.Nodes[e.To].ID && d.start == e.Start && d.group == e.Group
		}); i >= 0 && e.Group == 0 {
			n.deps[i].hard = n.deps[i].hard || e.Hard
			continue
		}
		d := dependency{id: s.g.Nodes[e.To].ID, hard: e.Hard, start: e.Start, group: e.Group, url: s.health[e.To]}
		if e.Group > 0 {
			d.need = s.g.Groups[e.Group-1].Need
		}
		if t := s.nodes[e.To]; t != nil && t.store != nil {
			if err := t.store.put(ctx, s.client, n.id); err != nil {
				return fmt.Errorf("%s: seed %s: %w", t.id, n.id, err)
			}
			d.url = t.store.valueURL(baseOf(s.health[e.To]), n.id)
		}
		n.deps = append(n.deps, d)
	}
	return nil
}

// baseOf strips "/health" from a node's health URL.
func baseOf(health string) string { return health[:len(health)-len("/health")] }

// stop shuts every server down and waits for the reference KVs to close.
func (s *system) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			srv.Close()
		}
		srv.Close()
	}
	s.stopKV()
	for _, k := range s.kvs {
		<-k.done
	}
	s.client.CloseIdleConnections()
}
