package report

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// Markdown folding thresholds: a pull-request comment should show the worst
// findings at a glance and keep the rest one click away.
const (
	mdGroupShown   = 10  // findings listed per severity before the rest are folded
	mdLongMessage  = 280 // runes; a longer message is folded behind its start
	mdSummaryRunes = 120 // runes of a folded message shown in its summary
)

// Markdown writes a pull-request comment (GitHub Flavored Markdown): a heading
// that states the verdict, a summary table, then the findings grouped by
// severity, most severe first, each with its rule, node, message, witness and
// location. Waived findings get their own folded section. Node names, file
// names and messages are data: they are escaped so that nothing in a manifest
// can add markup, links or HTML to the comment, reach a terminal or CI log
// as a control character (see esc), or notify anyone: an @mention or #123
// reference in the data is neutralised (see mdNoPing).
func Markdown(w io.Writer, r *analyzer.Result, _ Options) error {
	bw := bufio.NewWriter(w)
	// A marker lets a CI job find and update its previous comment.
	fmt.Fprintln(bw, "<!-- catch22 -->")
	if len(r.Findings) == 0 {
		fmt.Fprintf(bw, "## catch22: no findings\n\nNo findings in %s and %s.\n", plural(r.Nodes, "node"), plural(r.Edges, "edge"))
		return bw.Flush()
	}
	c := r.Counts()
	waived := len(r.Findings) - c.Errors - c.Warnings - c.Infos
	fmt.Fprintf(bw, "## catch22: %s, %s, %s\n\n", plural(c.Errors, "error"), plural(c.Warnings, "warning"), plural(c.Infos, "info"))
	fmt.Fprintln(bw, "| errors | warnings | infos | waived | nodes | edges |")
	fmt.Fprintln(bw, "|---:|---:|---:|---:|---:|---:|")
	fmt.Fprintf(bw, "| %d | %d | %d | %d | %d | %d |\n", c.Errors, c.Warnings, c.Infos, waived, r.Nodes, r.Edges)

	for _, sev := range rules.Severities {
		var group []*rules.Finding
		for i := range r.Findings {
			if f := &r.Findings[i]; f.Severity == sev && !f.Waived {
				group = append(group, f)
			}
		}
		if len(group) == 0 {
			continue
		}
		name := sev.String()
		fmt.Fprintf(bw, "\n### %s%s (%d)\n\n", strings.ToUpper(name[:1]), name[1:]+"s", len(group))
		shown := min(len(group), mdGroupShown)
		for _, f := range group[:shown] {
			mdFinding(bw, f, false)
		}
		if rest := group[shown:]; len(rest) > 0 {
			noun := name
			if len(rest) > 1 {
				noun += "s"
			}
			fmt.Fprintf(bw, "\n<details><summary>%d more %s</summary>\n\n", len(rest), noun)
			for _, f := range rest {
				mdFinding(bw, f, false)
			}
			fmt.Fprintln(bw, "\n</details>")
		}
	}

	if waived > 0 {
		fmt.Fprintf(bw, "\n<details><summary>%s (not counted)</summary>\n\n", plural(waived, "waived finding"))
		for i := range r.Findings {
			if f := &r.Findings[i]; f.Waived {
				mdFinding(bw, f, true)
				if f.WaivedFor != "" {
					fmt.Fprintf(bw, "  - waived: %s\n", mdText(f.WaivedFor))
				}
			}
		}
		fmt.Fprintln(bw, "\n</details>")
	}
	return bw.Flush()
}

// mdFinding writes one finding as a list item with nested items for its
// message, witness and location. A long message is folded in <details>,
// whose summary is raw HTML and so is HTML-escaped rather than
// Markdown-escaped; mentions are neutralised there too.
func mdFinding(w io.Writer, f *rules.Finding, withSeverity bool) {
	sev := ""
	if withSeverity {
		sev = " (" + f.Severity.String() + ")"
	}
	fmt.Fprintf(w, "- **%s**%s on %s\n", mdText(f.Rule), sev, mdCode(Display(f.Node)))
	msg := strings.TrimSpace(esc(f.Message))
	if utf8.RuneCountInString(msg) > mdLongMessage {
		fmt.Fprintf(w, "  - <details><summary>%s</summary>\n\n    %s\n\n    </details>\n\n",
			mdNoPing(html.EscapeString(cutRunes(msg, mdSummaryRunes))), mdText(msg))
	} else {
		fmt.Fprintf(w, "  - %s\n", mdText(msg))
	}
	if len(f.Witness) > 1 {
		fmt.Fprintf(w, "  - witness: %s\n", mdCode(Witness(f.Witness)))
	}
	fmt.Fprintf(w, "  - at %s\n", mdCode(location(f)))
}

// mdText escapes data for Markdown text: control characters and line
// breaks first become visible escapes (esc), so a value stays inside its
// list item or table cell; then every character that could open emphasis,
// code, a link, a table cell, a heading, math or HTML is escaped, and a
// leading list or block-quote marker too; last, mentions and issue
// references are neutralised (mdNoPing).
func mdText(s string) string {
	s = esc(s)
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '|', '~', '#', '$', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '-', '+', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '.', ')':
			// "1." or "1)" at the start of a line opens an ordered list.
			if i > 0 && isDigits(s[:i]) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return mdNoPing(b.String())
}

// mdNoPing neutralises what GitHub would turn into a notification or a
// cross-reference in text (not in code spans, where it is literal): an @
// that starts a word and is followed by a letter or digit (@user,
// @org/team), and a # followed by a digit (#123, owner/repo#123). A
// zero-width space, written as the entity &#8203; since s is Markdown or
// HTML source, goes right after the @ or #: GitHub's mention and reference
// filters no longer match, and the text reads the same. Renovate breaks
// mentions in the release notes it posts the same way. "user@example.com"
// is left alone: an @ after a word character is no mention.
func mdNoPing(s string) string {
	if !strings.ContainsAny(s, "@#") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if i+1 == len(s) {
			break
		}
		next := s[i+1]
		switch {
		case s[i] == '@' && (i == 0 || !isWordByte(s[i-1])) && isAlnum(next),
			s[i] == '#' && next >= '0' && next <= '9':
			b.WriteString("&#8203;")
		}
	}
	return b.String()
}

// isWordByte is \w of GitHub's mention pattern: an ASCII letter, digit or
// underscore.
func isWordByte(c byte) bool { return c == '_' || isAlnum(c) }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mdCode wraps data in a code span whose fence is one backtick longer than
// the longest run inside it, padded with spaces when the content starts or
// ends with a backtick or a space (CommonMark strips one space each side).
// Control characters become visible escapes first (esc), so the span stays
// on one line.
func mdCode(s string) string {
	s = esc(s)
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s == "" || strings.ContainsAny(s[:1], "` ") || strings.ContainsAny(s[len(s)-1:], "` ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// cutRunes keeps the first n runes of s, marking a cut with an ellipsis.
func cutRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return strings.TrimRight(s[:j], " ") + "…"
		}
		i++
	}
	return s
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
