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

// Markdown size limits. GitHub refuses a comment (and a pull-request body or
// check-run summary) longer than 65,536 characters, so a comment from a large
// estate must be cut rather than lost: Markdown and DiffMarkdown write at most
// mdBudget characters (runes), which leaves room for a CI job to add a line
// or two around the comment. One finding is cut too, so that a huge message
// or witness cannot crowd out every other finding.
const (
	mdBudget     = 60_000 // what catch22 writes at most, in runes
	mdMaxMessage = 2_000  // runes of a message shown; the rest is cut
	mdMaxWitness = 1_000  // runes of a witness shown; the rest is cut
)

// Markdown writes a pull-request comment (GitHub Flavored Markdown): a heading
// that states the verdict, a summary table, then the findings grouped by
// severity, most severe first, each with its rule, node, message, witness and
// location. Waived findings get their own folded section. Node names, file
// names and messages are data: they are escaped so that nothing in a manifest
// can add markup, links or HTML to the comment, reach a terminal or CI log
// as a control character (see esc), or notify anyone: an @mention or #123
// reference in the data is neutralised (see mdNoPing).
//
// The comment stays under GitHub's size limit (mdBudget runes, see
// mdSections): the heading and the table, which count every finding, come
// first; then findings in order of severity while they fit; then one line
// that counts the findings left out and points to the SARIF and JSON
// outputs, which hold them all.
func Markdown(w io.Writer, r *analyzer.Result, _ Options) error {
	var head strings.Builder
	// A marker lets a CI job find and update its previous comment.
	fmt.Fprintln(&head, "<!-- catch22 -->")
	if len(r.Findings) == 0 {
		fmt.Fprintf(&head, "## catch22: no findings\n\nNo findings in %s and %s.\n", plural(r.Nodes, "node"), plural(r.Edges, "edge"))
		_, err := io.WriteString(w, head.String())
		return err
	}
	c := r.Counts()
	waived := len(r.Findings) - c.Errors - c.Warnings - c.Infos
	fmt.Fprintf(&head, "## catch22: %s, %s, %s\n\n", plural(c.Errors, "error"), plural(c.Warnings, "warning"), plural(c.Infos, "info"))
	fmt.Fprintln(&head, "| errors | warnings | infos | waived | nodes | edges |")
	fmt.Fprintln(&head, "|---:|---:|---:|---:|---:|---:|")
	fmt.Fprintf(&head, "| %d | %d | %d | %d | %d | %d |\n", c.Errors, c.Warnings, c.Infos, waived, r.Nodes, r.Edges)

	var secs []mdSection
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
		secs = append(secs, mdSection{
			heading: fmt.Sprintf("### %s%s (%d)", strings.ToUpper(name[:1]), name[1:]+"s", len(group)),
			more: func(n int) string {
				if n == 1 {
					return "1 more " + name
				}
				return fmt.Sprintf("%d more %ss", n, name)
			},
			count: func(n int) string { return plural(n, name) },
			fs:    group,
			item:  func(w io.Writer, f *rules.Finding) { mdFinding(w, f, false) },
		})
	}
	if waived > 0 {
		var group []*rules.Finding
		for i := range r.Findings {
			if f := &r.Findings[i]; f.Waived {
				group = append(group, f)
			}
		}
		secs = append(secs, mdSection{
			more:  func(n int) string { return plural(n, "waived finding") + " (not counted)" },
			count: func(n int) string { return fmt.Sprintf("%d waived", n) },
			fs:    group,
			item: func(w io.Writer, f *rules.Finding) {
				mdFinding(w, f, true)
				if f.WaivedFor != "" {
					fmt.Fprintf(w, "  - waived: %s\n", mdText(f.WaivedFor))
				}
			},
		})
	}
	return mdSections(w, head.String(), secs)
}

// mdSection is one list of findings in a comment.
type mdSection struct {
	// heading, e.g. "### Errors (12)", is written above the list, whose
	// first mdGroupShown findings are shown and the rest folded; without
	// one, the whole list is folded.
	heading string
	more    func(n int) string // the summary of n folded findings
	count   func(n int) string // n findings of the section, for the cut note
	fs      []*rules.Finding
	item    func(w io.Writer, f *rules.Finding) // writes one finding as a list item
}

// The pieces mdSections writes around the findings.
const (
	mdDetailsClose = "\n</details>\n"
	mdCutPointer   = " (see the SARIF/JSON output)"
)

func mdDetailsOpen(summary string) string {
	return "\n<details><summary>" + summary + "</summary>\n\n"
}

// mdSections writes head, then the sections in order, within mdBudget runes:
// findings are taken in order, each rendered and measured with what it
// opens (its section's heading or <details>), until one would not leave
// room for the closing tags and the cut note; that one and all after it are
// left out, and the note counts them per section. Each <details> summary
// counts the findings it holds. Only the findings shown are rendered.
func mdSections(w io.Writer, head string, secs []mdSection) error {
	// Room for the longest note that could be needed: every finding of
	// every section left out.
	counts := make([]int, len(secs))
	total := 0
	for i, s := range secs {
		counts[i] = len(s.fs)
		total += len(s.fs)
	}
	reserve := utf8.RuneCountInString(mdCutNote(secs, counts, total))

	used := utf8.RuneCountInString(head)
	shown := make([][]string, len(secs))
	var b strings.Builder
plan:
	for i, s := range secs {
		for j, f := range s.fs {
			b.Reset()
			s.item(&b, f)
			cost := utf8.RuneCountInString(b.String())
			// What the finding opens: its section, or the <details> of
			// the rest. A summary is measured with the section's total:
			// what it counts can only be fewer, in no more digits.
			switch {
			case j == 0 && s.heading != "":
				cost += utf8.RuneCountInString("\n" + s.heading + "\n\n")
			case j == 0:
				cost += utf8.RuneCountInString(mdDetailsOpen(s.more(len(s.fs))) + mdDetailsClose)
			case j == mdGroupShown && s.heading != "":
				cost += utf8.RuneCountInString(mdDetailsOpen(s.more(len(s.fs)-mdGroupShown)) + mdDetailsClose)
			}
			if used+cost+reserve > mdBudget {
				break plan
			}
			used += cost
			shown[i] = append(shown[i], b.String())
		}
	}
	left := 0
	for i, s := range secs {
		counts[i] = len(s.fs) - len(shown[i])
		left += counts[i]
	}

	bw := bufio.NewWriter(w)
	bw.WriteString(head)
	for i, s := range secs {
		blocks := shown[i]
		if len(blocks) == 0 {
			continue
		}
		folded := blocks
		if s.heading != "" {
			bw.WriteString("\n" + s.heading + "\n\n")
			n := min(len(blocks), mdGroupShown)
			for _, block := range blocks[:n] {
				bw.WriteString(block)
			}
			folded = blocks[n:]
		}
		if len(folded) > 0 {
			bw.WriteString(mdDetailsOpen(s.more(len(folded))))
			for _, block := range folded {
				bw.WriteString(block)
			}
			bw.WriteString(mdDetailsClose)
		}
	}
	if left > 0 {
		bw.WriteString(mdCutNote(secs, counts, left))
	}
	return bw.Flush()
}

// mdCutNote is the line that ends a cut comment: how many findings were
// left out, where they all are, and how many of each section, e.g.
// "… and 731 more findings (see the SARIF/JSON output): 700 warnings, 31
// infos." counts holds the findings left out per section.
func mdCutNote(secs []mdSection, counts []int, left int) string {
	noun := "findings"
	if left == 1 {
		noun = "finding"
	}
	var parts []string
	for i, s := range secs {
		if counts[i] > 0 {
			parts = append(parts, s.count(counts[i]))
		}
	}
	return fmt.Sprintf("\n… and %d more %s%s: %s.\n", left, noun, mdCutPointer, strings.Join(parts, ", "))
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
	msg := cutRunes(strings.TrimSpace(esc(f.Message)), mdMaxMessage)
	if utf8.RuneCountInString(msg) > mdLongMessage {
		fmt.Fprintf(w, "  - <details><summary>%s</summary>\n\n    %s\n\n    </details>\n\n",
			mdNoPing(html.EscapeString(cutRunes(msg, mdSummaryRunes))), mdText(msg))
	} else {
		fmt.Fprintf(w, "  - %s\n", mdText(msg))
	}
	if rules.HopCount(f.Witness) > 1 {
		fmt.Fprintf(w, "  - witness: %s\n", mdCode(cutRunes(Witness(f.Witness), mdMaxWitness)))
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
