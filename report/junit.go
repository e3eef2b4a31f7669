package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/rules"
)

// JUnit writes the result as JUnit XML, the test-report format Jenkins,
// GitLab, Azure DevOps and most CI dashboards read, so that every (rule,
// node) pair shows up as a test that passed or failed.
//
// Shape:
//
//   - one <testsuite name="catch22.RULE"> per rule that ran (Result.Checked,
//     in catalog order), then one per other rule that has findings, such as
//     a configuration rule (sorted by ID);
//   - in a rule that ran, one <testcase classname="catch22.RULE" name="NODE">
//     per declared node, sorted by ID, so a pass is visible as a pass; a
//     node with findings that is not declared is added in its sorted place.
//     A suite of a rule that did not run over the graph lists only the nodes
//     it has findings on (a finding without a node is named file:line:col);
//   - all findings of one rule on one node share their testcase: a test is a
//     check of one node, and splitting it would make test names depend on
//     finding order. The <failure> lists every one, with witness and
//     file:line:col;
//   - errors and warnings fail. Info findings never fail a build: they are
//     written to the testcase's <system-out>. A testcase whose only findings
//     are waived is <skipped message="waived">; waived findings next to a
//     failure are listed in <system-out>.
//
// The document is streamed: totals are counted first, then each testcase is
// written as it is reached, in O(rules × nodes + findings) time and with
// memory for the findings index only. Node names are escaped once, not once
// per rule.
func JUnit(w io.Writer, r *analyzer.Result, _ Options) error {
	suites := junitSuites(r)
	var total junitCounts
	for i := range suites {
		total.add(suites[i].counts)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(xml.Header)
	fmt.Fprintf(bw, `<testsuites name="catch22" tests="%d" failures="%d" errors="0" skipped="%d">`+"\n", total.tests, total.failures, total.skipped)

	// Escaped declared node IDs, shared by every suite.
	declared := make([]string, len(r.Declared))
	for i, d := range r.Declared {
		declared[i] = xmlEscape(d.ID)
	}
	for i := range suites {
		s := &suites[i]
		class := xmlEscape("catch22." + s.rule)
		fmt.Fprintf(bw, `  <testsuite name="%s" tests="%d" failures="%d" errors="0" skipped="%d">`+"\n", class, s.counts.tests, s.counts.failures, s.counts.skipped)
		writeCase := func(escapedName string, fs []*rules.Finding) {
			bw.WriteString(`    <testcase classname="`)
			bw.WriteString(class)
			bw.WriteString(`" name="`)
			bw.WriteString(escapedName)
			if len(fs) == 0 {
				bw.WriteString("\"/>\n")
				return
			}
			bw.WriteString("\">\n")
			junitOutcome(bw, fs)
			bw.WriteString("    </testcase>\n")
		}
		if !s.allNodes {
			for _, name := range s.names {
				writeCase(xmlEscape(name), s.byNode[name])
			}
		} else {
			// Merge the declared nodes with the undeclared ones that have
			// findings; both are sorted.
			extra := s.names
			for j, id := range r.Declared {
				for len(extra) > 0 && extra[0] < id.ID {
					writeCase(xmlEscape(extra[0]), s.byNode[extra[0]])
					extra = extra[1:]
				}
				writeCase(declared[j], s.byNode[id.ID])
			}
			for _, name := range extra {
				writeCase(xmlEscape(name), s.byNode[name])
			}
		}
		bw.WriteString("  </testsuite>\n")
	}
	bw.WriteString("</testsuites>\n")
	return bw.Flush()
}

// junitSuite is one rule's suite before it is written.
type junitSuite struct {
	rule     string
	allNodes bool // a rule that ran over the graph: every declared node is a test
	// byNode holds the rule's findings per testcase name; names lists the
	// testcases that are not declared nodes, sorted.
	byNode map[string][]*rules.Finding
	names  []string
	counts junitCounts
}

type junitCounts struct{ tests, failures, skipped int }

func (c *junitCounts) add(d junitCounts) {
	c.tests += d.tests
	c.failures += d.failures
	c.skipped += d.skipped
}

// junitSuites indexes the findings by rule and testcase and counts each
// suite's tests, failures and skips.
func junitSuites(r *analyzer.Result) []junitSuite {
	index := map[string]*junitSuite{}
	var suites []*junitSuite
	for _, id := range r.Checked {
		if index[id] == nil {
			s := &junitSuite{rule: id, allNodes: true, byNode: map[string][]*rules.Finding{}}
			index[id] = s
			suites = append(suites, s)
		}
	}
	var others []*junitSuite
	for i := range r.Findings {
		f := &r.Findings[i]
		s := index[f.Rule]
		if s == nil {
			s = &junitSuite{rule: f.Rule, byNode: map[string][]*rules.Finding{}}
			index[f.Rule] = s
			others = append(others, s)
		}
		name := junitCaseName(f)
		s.byNode[name] = append(s.byNode[name], f)
	}
	slices.SortFunc(others, func(a, b *junitSuite) int { return strings.Compare(a.rule, b.rule) })
	suites = append(suites, others...)

	out := make([]junitSuite, len(suites))
	for i, s := range suites {
		for name, fs := range s.byNode {
			if _, declared := r.Where(name); !s.allNodes || !declared {
				s.names = append(s.names, name)
			}
			switch junitVerdict(fs) {
			case junitFail:
				s.counts.failures++
			case junitSkip:
				s.counts.skipped++
			}
		}
		slices.Sort(s.names)
		s.counts.tests = len(s.names)
		if s.allNodes {
			s.counts.tests += len(r.Declared)
		}
		out[i] = *s
	}
	return out
}

// junitCaseName names a finding's testcase: its node, or for a finding about
// no node (a configuration finding), its location.
func junitCaseName(f *rules.Finding) string {
	if f.Node != "" {
		return f.Node
	}
	return location(f)
}

type junitVerdictKind int

const (
	junitPass junitVerdictKind = iota
	junitFail
	junitSkip
)

// junitVerdict decides a testcase from its findings: any error or warning
// that is not waived fails it; otherwise any waived finding skips it; info
// findings alone pass.
func junitVerdict(fs []*rules.Finding) junitVerdictKind {
	v := junitPass
	for _, f := range fs {
		switch {
		case !f.Waived && f.Severity != rules.Info:
			return junitFail
		case f.Waived:
			v = junitSkip
		}
	}
	return v
}

// junitOutcome writes the body of a testcase that has findings.
func junitOutcome(bw *bufio.Writer, fs []*rules.Finding) {
	var failing, rest []*rules.Finding
	for _, f := range fs {
		if !f.Waived && f.Severity != rules.Info {
			failing = append(failing, f)
		} else {
			rest = append(rest, f)
		}
	}
	switch junitVerdict(fs) {
	case junitFail:
		// The message is the first (most severe) finding's; the type is its
		// severity. The text lists them all.
		msg := esc(failing[0].Message)
		if len(failing) > 1 {
			msg = fmt.Sprintf("%s (and %d more)", msg, len(failing)-1)
		}
		fmt.Fprintf(bw, `      <failure message="%s" type="%s">`, xmlEscape(msg), failing[0].Severity)
		bw.WriteString(xmlText(junitDetails(failing)))
		bw.WriteString("</failure>\n")
	case junitSkip:
		bw.WriteString(`      <skipped message="waived">`)
		bw.WriteString(xmlText(junitDetails(rest)))
		bw.WriteString("</skipped>\n")
		return
	}
	if len(rest) > 0 {
		bw.WriteString("      <system-out>")
		bw.WriteString(xmlText(junitDetails(rest)))
		bw.WriteString("</system-out>\n")
	}
}

// junitDetails spells findings as text output does: severity, message,
// witness and location, one block per finding, each value escaped as Text
// escapes it (the XML encoding alone would hand a dashboard the raw
// characters back), so that only the separators break lines.
func junitDetails(fs []*rules.Finding) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(f.Severity.String())
		if f.Waived {
			b.WriteString(" (waived")
			if f.WaivedFor != "" {
				b.WriteString(": ")
				b.WriteString(esc(f.WaivedFor))
			}
			b.WriteString(")")
		}
		b.WriteString(": ")
		b.WriteString(esc(f.Message))
		if len(f.Witness) > 1 {
			b.WriteString("\nwitness: ")
			b.WriteString(esc(Witness(f.Witness)))
		}
		b.WriteString("\nat ")
		b.WriteString(esc(location(f)))
	}
	return b.String()
}

// xmlEscape escapes s for both attribute values and character data.
// xml.EscapeText also encodes quotes and line breaks (so they survive in
// attributes) and replaces characters XML cannot carry, such as NUL or ESC,
// with U+FFFD. What XML can carry but a terminal or CI log would act on
// (DEL, C1 and bidirectional controls, safetext.Escaped, and the workflow
// marker "##[") is written as a character reference, which reads back as
// the same text: testcase names stay the node IDs, exactly, while the
// bytes of the file stay inert.
func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	out := b.String()
	if !strings.Contains(out, "##[") && !strings.ContainsFunc(out, func(r rune) bool { return r >= 0x7f && safetext.Escaped(r) }) {
		return out
	}
	b.Reset()
	for i, r := range out {
		switch {
		case r == '[' && strings.HasSuffix(out[:i], "##"):
			b.WriteString("&#x5B;")
		case r >= 0x7f && safetext.Escaped(r):
			fmt.Fprintf(&b, "&#x%X;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlText escapes s for character data, where a line feed may stay literal
// (only attribute values normalize it to a space), so the text reads as
// lines in the file too. Carriage returns stay encoded: XML parsers turn a
// literal one into a line feed.
func xmlText(s string) string {
	return strings.ReplaceAll(xmlEscape(s), "&#xA;", "\n")
}
