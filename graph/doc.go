// Package graph compiles validated manifests into the typed dependency graph
// and answers the questions the rules ask of it: down sets, strongly
// connected sets of hard edges, and shortest witness paths.
//
// Nodes are indexed in byte-wise order of their IDs ("name@env"), so every
// iteration over nodes, edges or adjacency lists is deterministic and the
// smallest ID of any set is its smallest index. Hard dependency edges are
// also held in compact sorted adjacency arrays that implement gonum's
// graph.Directed, so gonum's algorithms run on them without map overhead.
//
// The package knows manifests but nothing of rules, configuration or output.
package graph
