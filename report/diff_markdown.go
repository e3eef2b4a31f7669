package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// DiffMarkdown writes a diff as a pull-request comment (GitHub Flavored
// Markdown): a heading with the counts, a table of the counts by severity,
// the introduced and resolved findings as Markdown lists them (severity
// named), and the unchanged ones folded in <details>. Long lists fold after
// mdGroupShown findings. Every value from a manifest is escaped, as in
// Markdown.
func DiffMarkdown(w io.Writer, d *analyzer.Diff, _ Options) error {
	d = diffOrEmpty(d)
	bw := bufio.NewWriter(w)
	// A marker of its own lets a CI job find and update its previous diff
	// comment without touching a `check` comment.
	fmt.Fprintln(bw, "<!-- catch22 diff -->")
	fmt.Fprintf(bw, "## catch22 diff: %s\n\n", diffSummary(d))
	fmt.Fprintln(bw, "| | errors | warnings | infos | waived |")
	fmt.Fprintln(bw, "|---|---:|---:|---:|---:|")
	for _, row := range []struct {
		name string
		fs   []rules.Finding
	}{{"introduced", d.Introduced}, {"resolved", d.Resolved}, {"unchanged", d.Unchanged}} {
		c := (&analyzer.Result{Findings: row.fs}).Counts()
		waived := len(row.fs) - c.Errors - c.Warnings - c.Infos
		fmt.Fprintf(bw, "| %s | %d | %d | %d | %d |\n", row.name, c.Errors, c.Warnings, c.Infos, waived)
	}

	for _, sec := range []struct {
		title string
		fs    []rules.Finding
	}{{"Introduced", d.Introduced}, {"Resolved", d.Resolved}} {
		if len(sec.fs) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n### %s (%d)\n\n", sec.title, len(sec.fs))
		shown := min(len(sec.fs), mdGroupShown)
		for i := range sec.fs[:shown] {
			mdDiffFinding(bw, &sec.fs[i])
		}
		if rest := sec.fs[shown:]; len(rest) > 0 {
			fmt.Fprintf(bw, "\n<details><summary>%d more</summary>\n\n", len(rest))
			for i := range rest {
				mdDiffFinding(bw, &rest[i])
			}
			fmt.Fprintln(bw, "\n</details>")
		}
	}

	if len(d.Unchanged) > 0 {
		fmt.Fprintf(bw, "\n<details><summary>%s unchanged</summary>\n\n", plural(len(d.Unchanged), "finding"))
		for i := range d.Unchanged {
			mdDiffFinding(bw, &d.Unchanged[i])
		}
		fmt.Fprintln(bw, "\n</details>")
	}
	return bw.Flush()
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
