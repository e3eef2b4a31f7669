// Package rules holds the catalog of checks catch22 runs over a compiled
// graph. A rule is a value: an ID, a default severity, its documentation and
// a Check function that reports findings through a Pass. Rules never print,
// exit or read files, and an error from Check means the rule itself broke,
// never that findings exist.
//
// The package knows the graph but nothing of configuration files, waivers
// or output formats.
package rules
