package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// DiffText writes a diff for people: the findings a change introduced, then
// those it resolved, each drawn as Text draws a finding with its severity in
// front, then a one-line count. Unchanged findings are counted, not listed.
// Empty sections are left out. Values from the input are escaped as Text
// escapes them.
func DiffText(w io.Writer, d *analyzer.Diff, o Options) error {
	d = diffOrEmpty(d)
	bw := bufio.NewWriter(w)
	style := func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + ansiReset
	}
	section := func(title, color string, fs []rules.Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(bw, "%s\n\n", style(ansiBold+color, fmt.Sprintf("%s (%d)", title, len(fs))))
		for i := range fs {
			f := &fs[i]
			sc := severityColor[f.Severity]
			fmt.Fprintf(bw, "  %s  %s  %s\n", style(sc, f.Severity.String()), style(ansiBold+sc, esc(f.Rule)), style(ansiBold, esc(Display(f.Node))))
			fmt.Fprintf(bw, "    %s\n", esc(f.Message))
			if rules.HopCount(f.Witness) > 1 {
				fmt.Fprintf(bw, "    %s\n", esc(Witness(f.Witness)))
			}
			if f.Waived {
				fmt.Fprintf(bw, "    %s\n", style(ansiDim, strings.TrimSuffix("waived: "+esc(f.WaivedFor), ": ")))
			}
			fmt.Fprintf(bw, "    %s\n\n", style(ansiDim, esc(location(f))))
		}
	}
	section("INTRODUCED", ansiRed, d.Introduced)
	section("RESOLVED", "", d.Resolved)
	fmt.Fprintln(bw, diffSummary(d))
	return bw.Flush()
}
