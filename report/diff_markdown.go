package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// DiffMarkdown writes a diff as a pull-request comment (GitHub Flavored
// Markdown): a heading with the counts, a table of the counts by severity,
// the introduced and resolved findings as Markdown lists them (severity
// named), and the unchanged ones folded in <details>. Long lists fold after
// mdGroupShown findings. Every value from a manifest is escaped, as in
// Markdown. Like Markdown, it stays under GitHub's comment size limit:
// introduced findings come first, then resolved, then unchanged, while they
// fit, and a last line counts what was left out.
func DiffMarkdown(w io.Writer, d *analyzer.Diff, _ Options) error {
	d = diffOrEmpty(d)
	var head strings.Builder
	// A marker of its own lets a CI job find and update its previous diff
	// comment without touching a `check` comment.
	fmt.Fprintln(&head, "<!-- catch22 diff -->")
	fmt.Fprintf(&head, "## catch22 diff: %s\n\n", diffSummary(d))
	fmt.Fprintln(&head, "| | errors | warnings | infos | waived |")
	fmt.Fprintln(&head, "|---|---:|---:|---:|---:|")
	for _, row := range []struct {
		name string
		fs   []rules.Finding
	}{{"introduced", d.Introduced}, {"resolved", d.Resolved}, {"unchanged", d.Unchanged}} {
		c := (&analyzer.Result{Findings: row.fs}).Counts()
		waived := len(row.fs) - c.Errors - c.Warnings - c.Infos
		fmt.Fprintf(&head, "| %s | %d | %d | %d | %d |\n", row.name, c.Errors, c.Warnings, c.Infos, waived)
	}

	var secs []mdSection
	for _, sec := range []struct {
		title string
		fs    []rules.Finding
	}{{"Introduced", d.Introduced}, {"Resolved", d.Resolved}, {"Unchanged", d.Unchanged}} {
		if len(sec.fs) == 0 {
			continue
		}
		fs := make([]*rules.Finding, len(sec.fs))
		for i := range sec.fs {
			fs[i] = &sec.fs[i]
		}
		word := strings.ToLower(sec.title)
		s := mdSection{
			heading: fmt.Sprintf("### %s (%d)", sec.title, len(fs)),
			more:    func(n int) string { return fmt.Sprintf("%d more", n) },
			count:   func(n int) string { return fmt.Sprintf("%d %s", n, word) },
			fs:      fs,
			item:    mdDiffFinding,
		}
		if sec.title == "Unchanged" {
			// Unchanged findings are context: folded whole.
			s.heading = ""
			s.more = func(n int) string { return plural(n, "finding") + " unchanged" }
		}
		secs = append(secs, s)
	}
	return mdSections(w, head.String(), secs)
}

// mdDiffFinding writes a finding as Markdown's list item with its severity,
// adding why it is waived: a diff mixes waived and counted findings in one
// list.
func mdDiffFinding(w io.Writer, f *rules.Finding) {
	mdFinding(w, f, true)
	switch {
	case f.Waived && f.WaivedFor != "":
		fmt.Fprintf(w, "  - waived: %s\n", mdText(f.WaivedFor))
	case f.Waived:
		fmt.Fprintln(w, "  - waived")
	}
}
