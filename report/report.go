package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/rules"
)

// Options tune a reporter for where its output goes.
type Options struct {
	Color   bool   // ANSI colour, for a terminal only
	Version string // catch22's version, for formats that name their tool
	// FailOn is check's --fail-on threshold: a finding at least this
	// severe, and not waived, fails the run. Formats that tell a failure
	// from a pass (JUnit) follow it, so that a report and the exit status
	// agree. The zero value is rules.Error, check's default.
	FailOn rules.Severity
	// FailNever is --fail-on none: no finding fails the run.
	FailNever bool
}

// fails reports whether f fails the run under o's threshold, as
// analyzer.Result.Fails decides for the exit status.
func (o Options) fails(f *rules.Finding) bool {
	return !o.FailNever && !f.Waived && f.Severity <= o.FailOn
}

// Format is one output format of `catch22 check`.
type Format struct {
	Name  string
	Write func(w io.Writer, r *analyzer.Result, o Options) error
}

// Formats lists the formats of `check --format`, in help-text order.
func Formats() []Format {
	return []Format{
		{Name: "text", Write: Text},
		{Name: "json", Write: JSON},
		{Name: "sarif", Write: SARIF},
		{Name: "junit", Write: JUnit},
		{Name: "markdown", Write: Markdown},
		{Name: "github", Write: GitHub},
	}
}

// Names lists the format names, for help text and errors.
func Names() []string {
	var ns []string
	for _, f := range Formats() {
		ns = append(ns, f.Name)
	}
	return ns
}

// Lookup finds a format by name.
func Lookup(name string) (Format, error) {
	for _, f := range Formats() {
		if f.Name == name {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(Names(), ", "))
}

// esc makes a value that catch22 did not write itself (a node name,
// message, witness, procedure name, waiver reason or file name) safe to
// print in a line of human-readable output: control, bidirectional and
// line-separator characters become visible escapes and workflow-command
// markers are broken (see internal/safetext). Text formats apply it to each
// value as a whole where they print it; Markdown, GitHub, JUnit and SARIF
// apply it before their own escaping. It does not allocate for clean text.
func esc(s string) string { return safetext.Escape(s) }

// Display drops the default environment from a node ID, as text output may.
func Display(id string) string {
	return strings.TrimSuffix(id, "@production")
}

// RepoPath spells a manifest path as CI services expect a path inside the
// checkout: forward slashes and no leading "./". It does not resolve "..".
func RepoPath(file string) string {
	p := strings.ReplaceAll(file, `\`, "/")
	for strings.HasPrefix(p, "./") {
		p = strings.TrimLeft(p[2:], "/")
	}
	return p
}
