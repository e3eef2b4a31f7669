// Package cli is catch22's command line: it parses arguments with
// urfave/cli/v2, wires manifest loading, analysis and reporting together, and
// maps typed errors to exit codes in one place. main only calls Run.
package cli
