// Package validate turns a manifest set into a small live system on
// loopback, breaks what it is told to, watches what happens, and holds the
// observations beside analyzer's prediction (SPEC §7).
//
// Every declared node becomes an HTTP server on its own 127.0.0.1 port
// whose GET /health calls its dependencies the way the manifest says (hard:
// their failure fails it; soft: it only degrades); nodes with emulate = "kv"
// are served by the reference KV of package kv, and their dependents read
// real keys through the KV API. A team can put a real service in place of
// an emulated one (Options.Endpoints). A repair through a procedure that
// rebuilds its node wipes the emulated nodes that run on it, which answer
// down until the replay redeploys them.
//
// It knows the graph, the analyzer (for the prediction) and kv; nothing of
// output formats or the command line.
package validate
