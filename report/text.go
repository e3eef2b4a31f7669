package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// ANSI styles; used only when Options.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
)

var severityColor = map[rules.Severity]string{rules.Error: ansiRed, rules.Warning: ansiYellow, rules.Info: ansiBlue}

// Text writes findings for people: grouped by severity, each with its
// message, its witness drawn edge by edge and the file:line:col to fix, then
// a one-line summary. Node IDs drop "@production". Every value from the
// input is escaped (see esc), so that a name can neither break its line,
// reach the terminal as a control sequence nor start a CI command.
func Text(w io.Writer, r *analyzer.Result, o Options) error {
	bw := bufio.NewWriter(w)
	style := styler(o)
	section := func(title, color string, group []*rules.Finding) {
		if len(group) == 0 {
			return
		}
		fmt.Fprintf(bw, "%s\n\n", style(ansiBold+color, title))
		for _, f := range group {
			fmt.Fprintf(bw, "  %s  %s\n", style(ansiBold+severityColor[f.Severity], esc(f.Rule)), style(ansiBold, esc(Display(f.Node))))
			fmt.Fprintf(bw, "    %s\n", esc(f.Message))
			if rules.HopCount(f.Witness) > 1 {
				fmt.Fprintf(bw, "    %s\n", esc(Witness(f.Witness)))
			}
			if f.Waived {
				fmt.Fprintf(bw, "    waived: %s\n", esc(f.WaivedFor))
			}
			fmt.Fprintf(bw, "    %s\n\n", style(ansiDim, esc(location(f))))
		}
	}
	var waived []*rules.Finding
	for _, sev := range rules.Severities {
		var group []*rules.Finding
		for i := range r.Findings {
			switch f := &r.Findings[i]; {
			case f.Severity != sev:
			case f.Waived:
				waived = append(waived, f)
			default:
				group = append(group, f)
			}
		}
		section(strings.ToUpper(plural(len(group), sev.String())), severityColor[sev], group)
	}
	section(fmt.Sprintf("WAIVED (%d, not counted)", len(waived)), ansiDim, waived)
	if r.Suggested {
		if len(r.Suggestions) == 0 {
			fmt.Fprintf(bw, "%s\n\n  no recovery or dependency cycle to break\n\n", style(ansiBold, "SUGGESTED CHANGES"))
		}
		writeSuggestions(bw, r.Suggestions, style, "SUGGESTED CHANGES")
	}
	fmt.Fprintln(bw, summaryLine(r))
	return bw.Flush()
}

// Witness draws a path as `a -[auth]-> b -[recovery: rollback]-> c`; a
// node whose any_of group fails is followed by every alternative's path:
// `a -[network, any of]-> (dns-a -> x | dns-b -> x)`.
func Witness(hops []rules.Hop) string {
	var b strings.Builder
	for i, h := range hops {
		if i > 0 {
			if h.Label == "" {
				b.WriteString(" -> ")
			} else {
				fmt.Fprintf(&b, " -[%s]-> ", h.Label)
			}
		}
		b.WriteString(Display(h.Node))
		if len(h.Alternatives) > 0 {
			alts := make([]string, len(h.Alternatives))
			for k, a := range h.Alternatives {
				alts[k] = Witness(a)
			}
			fmt.Fprintf(&b, " -[%s]-> (%s)", h.Alternatives[0][0].Label, strings.Join(alts, " | "))
		}
	}
	return b.String()
}

func location(f *rules.Finding) string {
	if f.Col > 0 {
		return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Col)
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// summaryLine is the last line of text output, e.g.
// "3 errors, 1 warning, 0 infos in 14 nodes and 31 edges (2 waived)".
func summaryLine(r *analyzer.Result) string {
	c := r.Counts()
	s := fmt.Sprintf("%s, %s, %s in %s and %s", plural(c.Errors, "error"), plural(c.Warnings, "warning"), plural(c.Infos, "info"),
		plural(r.Nodes, "node"), plural(r.Edges, "edge"))
	if waived := len(r.Findings) - c.Errors - c.Warnings - c.Infos; waived > 0 {
		s += fmt.Sprintf(" (%d waived)", waived)
	}
	return s
}

// plural spells a count with its noun: "1 error", "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
