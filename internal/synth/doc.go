// Package synth generates synthetic manifest sets, as TOML text, for tests and
// benchmarks.
//
// Generation is a pure function of a Config: the same Config yields
// byte-identical files on every run, platform and Go release (the package uses
// its own random number generator rather than math/rand, whose streams are not
// promised to stay stable). Every file it writes is a valid manifest per
// SPEC §1; it never writes catch22.toml.
//
// Two presets cover the two uses. Small makes tiny, dense, tangled sets in which
// every rule of SPEC §3 fires often, for property tests against an oracle.
// Large makes a layered microservice estate (network, datastores, platform,
// tools, leaf services; about four dependencies per service) for benchmarks.
//
// synth owns text generation only. It must not import manifest, graph, rules
// or analyzer: its output is checked against them, so it must not share their
// code or their bugs.
package synth
