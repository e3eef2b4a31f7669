// Package analyzer runs the rule catalog over a compiled graph with the
// effective configuration and returns a Result: findings sorted into a
// deterministic order, each with a fingerprint stable across runs and file
// moves.
//
// It knows manifests, the graph and the rules, but nothing of output
// formats, files on disk or the command line.
package analyzer
