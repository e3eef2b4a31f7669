package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/rules"
)

// JUnit writes the result as JUnit XML, the test-report format Jenkins,
// GitLab, Azure DevOps and most CI dashboards read. The document is valid
// against the junit-10.xsd schema that Jenkins' xUnit plugin checks reports
// with (testdata/junit-10.xsd). A dashboard then shows what the exit status
// means: a finding fails a test exactly when it fails the run.
//
// Shape:
//
//   - one <testsuite name="catch22.RULE"> per rule, sorted by ID: every rule
//     of the catalog, and every other rule with findings (a configuration
//     rule such as expired-waiver);
//   - one <testcase classname="catch22.RULE"> per finding, in the result's
//     order, named by its node (its location when it is about no node) and,
//     for a rule that reports one finding per entry, the entry ("a@production
//     (dependency b@staging)"), so that a test keeps its name from run to
//     run; file and line point at the manifest entry;
//   - a finding that fails the run under Options.FailOn (--fail-on) is a
//     <failure type="SEVERITY"> whose text has the message, witness and
//     file:line:col; a finding below the threshold passes, with the same
//     text in <system-out>; a waived finding is <skipped message="waived">;
//   - a rule that ran and found nothing is one passing testcase named
//     "no findings"; a rule of the catalog that did not run (disabled in the
//     configuration) is one testcase named "not run", <skipped>: it
//     checked nothing, so it must not count as a pass.
//
// The document holds one testcase per finding plus one per quiet rule, not
// one per rule and node: 2,000 services are not 24,000 tests. It is
// streamed, in time linear in the findings plus the catalog.
func JUnit(w io.Writer, r *analyzer.Result, o Options) error {
	suites := junitSuites(r, o)
	var total junitCounts
	for i := range suites {
		total.add(suites[i].counts)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(xml.Header)
	// junit-10.xsd has no skipped attribute on <testsuites>: skips are
	// counted per suite.
	fmt.Fprintf(bw, `<testsuites name="catch22" tests="%d" failures="%d" errors="0">`+"\n", total.tests, total.failures)
	for i := range suites {
		s := &suites[i]
		class := xmlEscape("catch22." + s.rule)
		fmt.Fprintf(bw, `  <testsuite name="%s" tests="%d" failures="%d" errors="0" skipped="%d">`+"\n", class, s.counts.tests, s.counts.failures, s.counts.skipped)
		switch {
		case !s.ran:
			fmt.Fprintf(bw, `    <testcase classname="%s" name="not run">`+"\n", class)
			bw.WriteString(`      <skipped message="not run: the rule is disabled in the configuration"/>` + "\n")
			bw.WriteString("    </testcase>\n")
		case len(s.findings) == 0:
			fmt.Fprintf(bw, `    <testcase classname="%s" name="no findings"/>`+"\n", class)
		}
		for j, f := range s.findings {
			fmt.Fprintf(bw, `    <testcase classname="%s" name="%s"`, class, xmlEscape(s.names[j]))
			if f.File != "" {
				fmt.Fprintf(bw, ` file="%s"`, xmlEscape(RepoPath(f.File)))
			}
			if f.Line > 0 {
				fmt.Fprintf(bw, ` line="%d"`, f.Line)
			}
			bw.WriteString(">\n")
			junitOutcome(bw, f, o)
			bw.WriteString("    </testcase>\n")
		}
		bw.WriteString("  </testsuite>\n")
	}
	bw.WriteString("</testsuites>\n")
	return bw.Flush()
}

// junitSuite is one rule's suite before it is written.
type junitSuite struct {
	rule     string
	ran      bool // the rule ran, or it has findings; else it is skipped
	findings []*rules.Finding
	names    []string // testcase names, by finding
	counts   junitCounts
}

type junitCounts struct{ tests, failures, skipped int }

func (c *junitCounts) add(d junitCounts) {
	c.tests += d.tests
	c.failures += d.failures
	c.skipped += d.skipped
}

// junitSuites groups the findings by rule, names their testcases and counts
// each suite's tests, failures and skips. Rules are sorted by ID: the
// catalog's, the configuration rules with findings, and any other rule
// with findings or in Result.Checked.
func junitSuites(r *analyzer.Result, o Options) []junitSuite {
	index := map[string]*junitSuite{}
	var suites []*junitSuite
	suite := func(id string) *junitSuite {
		s := index[id]
		if s == nil {
			s = &junitSuite{rule: id}
			index[id] = s
			suites = append(suites, s)
		}
		return s
	}
	for _, rl := range rules.Catalog() {
		suite(rl.ID)
	}
	for _, id := range r.Checked {
		suite(id).ran = true
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		s := suite(f.Rule)
		s.ran = true // a rule that reported something ran
		s.findings = append(s.findings, f)
	}
	slices.SortFunc(suites, func(a, b *junitSuite) int { return strings.Compare(a.rule, b.rule) })

	out := make([]junitSuite, len(suites))
	for i, s := range suites {
		s.names = junitCaseNames(s.findings)
		switch {
		case !s.ran:
			s.counts = junitCounts{tests: 1, skipped: 1}
		case len(s.findings) == 0:
			s.counts = junitCounts{tests: 1}
		default:
			s.counts.tests = len(s.findings)
			for _, f := range s.findings {
				switch {
				case f.Waived:
					s.counts.skipped++
				case o.fails(f):
					s.counts.failures++
				}
			}
		}
		out[i] = *s
	}
	return out
}

// junitCaseNames names the testcases of one rule's findings: the node (or,
// for a finding about no node, its location), then the entry that tells
// apart findings of one rule on one node (Finding.Key), so that names do
// not depend on how many findings a node has; a name that still repeats
// gets its ordinal, " (2)", in finding order.
func junitCaseNames(fs []*rules.Finding) []string {
	names := make([]string, len(fs))
	seen := make(map[string]int, len(fs))
	for i, f := range fs {
		name := f.Node
		if name == "" {
			name = location(f)
		}
		if f.Key != "" {
			name += " (" + f.Key + ")"
		}
		seen[name]++
		if n := seen[name]; n > 1 {
			name += " (" + strconv.Itoa(n) + ")"
		}
		names[i] = name
	}
	return names
}

// junitOutcome writes the body of a finding's testcase.
func junitOutcome(bw *bufio.Writer, f *rules.Finding, o Options) {
	switch {
	case f.Waived:
		bw.WriteString(`      <skipped message="waived">`)
		bw.WriteString(xmlText(junitDetails(f, "")))
		bw.WriteString("</skipped>\n")
	case o.fails(f):
		// The type is the severity, as a dashboard groups failures by it.
		fmt.Fprintf(bw, `      <failure message="%s" type="%s">`, xmlEscape(esc(f.Message)), f.Severity)
		bw.WriteString(xmlText(junitDetails(f, "")))
		bw.WriteString("</failure>\n")
	default:
		why := "below --fail-on " + o.FailOn.String()
		if o.FailNever {
			why = "--fail-on none"
		}
		bw.WriteString("      <system-out>")
		bw.WriteString(xmlText(junitDetails(f, why)))
		bw.WriteString("</system-out>\n")
	}
}

// junitDetails spells a finding as text output does: severity, message,
// witness and location, each value escaped as Text escapes it (the XML
// encoding alone would hand a dashboard the raw characters back), so that
// only the separators break lines. note, when set, says why the finding
// passes.
func junitDetails(f *rules.Finding, note string) string {
	var b strings.Builder
	b.WriteString(f.Severity.String())
	switch {
	case f.Waived:
		b.WriteString(" (waived")
		if f.WaivedFor != "" {
			b.WriteString(": ")
			b.WriteString(esc(f.WaivedFor))
		}
		b.WriteString(")")
	case note != "":
		b.WriteString(" (" + note + ")")
	}
	b.WriteString(": ")
	b.WriteString(esc(f.Message))
	if rules.HopCount(f.Witness) > 1 {
		b.WriteString("\nwitness: ")
		b.WriteString(esc(Witness(f.Witness)))
	}
	b.WriteString("\nat ")
	b.WriteString(esc(location(f)))
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
