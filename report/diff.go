package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/analyzer"
)

// DiffFormat is one output format of `catch22 diff`.
type DiffFormat struct {
	Name  string
	Write func(w io.Writer, d *analyzer.Diff, o Options) error
}

// DiffFormats lists the formats of `diff --format`, in help-text order.
func DiffFormats() []DiffFormat {
	return []DiffFormat{
		{Name: "text", Write: DiffText},
		{Name: "json", Write: DiffJSON},
		{Name: "markdown", Write: DiffMarkdown},
	}
}

// DiffNames lists the diff format names, for help text and errors.
func DiffNames() []string {
	var ns []string
	for _, f := range DiffFormats() {
		ns = append(ns, f.Name)
	}
	return ns
}

// LookupDiff finds a diff format by name.
func LookupDiff(name string) (DiffFormat, error) {
	for _, f := range DiffFormats() {
		if f.Name == name {
			return f, nil
		}
	}
	return DiffFormat{}, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(DiffNames(), ", "))
}

// diffOrEmpty lets every diff reporter accept a nil diff as an empty one.
func diffOrEmpty(d *analyzer.Diff) *analyzer.Diff {
	if d == nil {
		return &analyzer.Diff{}
	}
	return d
}

// diffSummary is the one-line count of a diff, e.g.
// "2 introduced, 1 resolved, 17 unchanged". Counts are of the findings
// listed, waived ones included: a diff counts changes, and whether they fail
// is Diff.Fails's question.
func diffSummary(d *analyzer.Diff) string {
	return fmt.Sprintf("%d introduced, %d resolved, %d unchanged", len(d.Introduced), len(d.Resolved), len(d.Unchanged))
}
