// Package manifest owns the catch22 manifest format: the TOML schema of a
// service file, loading files and directories, and input errors positioned
// as file:line:col.
//
// Everything a user can get wrong in a manifest is reported here, all at
// once, so that later stages receive only valid, defaulted data. The package
// knows nothing of graphs, rules or reports: references to other services are
// checked for shape only, never resolved (an unknown service is a finding of
// the rules, not an input error).
package manifest
