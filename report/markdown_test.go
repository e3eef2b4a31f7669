package report_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

// githubCommentLimit is the most characters GitHub accepts in a comment
// body (and a pull-request description or check-run summary).
const githubCommentLimit = 65_536

var (
	mdItem    = regexp.MustCompile(`(?m)^- \*\*`)
	mdCutLine = regexp.MustCompile(`(?m)^… and (\d+) more findings? \(see the SARIF/JSON output\): (.+)\.$`)
)

// mdCheckComment checks what every comment must be: under GitHub's limit,
// its <details> balanced, and, when cut, ending with the line that counts
// what was left out. It returns the findings listed and the count the cut
// line gives (0 when not cut).
func mdCheckComment(t *testing.T, name string, out []byte) (listed, cut int) {
	t.Helper()
	if n := utf8.RuneCount(out); n >= githubCommentLimit {
		t.Errorf("%s: %d characters, GitHub accepts fewer than %d", name, n, githubCommentLimit)
	}
	if open, closed := bytes.Count(out, []byte("<details>")), bytes.Count(out, []byte("</details>")); open != closed {
		t.Errorf("%s: %d <details> and %d </details>", name, open, closed)
	}
	listed = len(mdItem.FindAll(out, -1))
	if m := mdCutLine.FindSubmatch(out); m != nil {
		cut, _ = strconv.Atoi(string(m[1]))
		if !bytes.HasSuffix(bytes.TrimRight(out, "\n"), m[0]) {
			t.Errorf("%s: the cut line is not the last line", name)
		}
	}
	return listed, cut
}

// TestMarkdownScale renders the 2,000-service estate as a comment: it stays
// under GitHub's limit, the summary table counts every finding, and the
// findings listed are the most severe ones, in order, followed by a line
// that counts the rest and says where they are.
func TestMarkdownScale(t *testing.T) {
	_, res := scaleEstate(t)
	out := render(t, func(b *bytes.Buffer) error { return report.Markdown(b, res, report.Options{}) })
	listed, cut := mdCheckComment(t, "estate", out)
	c := res.Counts()
	if table := fmt.Sprintf("| %d | %d | %d | 0 | %d | %d |\n", c.Errors, c.Warnings, c.Infos, res.Nodes, res.Edges); !bytes.Contains(out, []byte(table)) {
		t.Errorf("the summary table does not count every finding: want %q", table)
	}
	if cut == 0 || listed+cut != len(res.Findings) || listed < 100 {
		t.Fatalf("%d findings listed and %d counted as left out, of %d: want a cut comment that accounts for every finding", listed, cut, len(res.Findings))
	}
	// The findings listed are a prefix of the findings, most severe first.
	text := string(out)
	at := 0
	for i, f := range res.Findings[:listed] {
		item := fmt.Sprintf("- **%s** on `%s`\n", f.Rule, report.Display(f.Node))
		j := strings.Index(text[at:], item)
		if j < 0 {
			t.Fatalf("finding %d (%s on %s) is not listed after finding %d", i, f.Rule, f.Node, i-1)
		}
		at += j + len(item)
	}
	left := c.Warnings - (listed - c.Errors)
	if want := fmt.Sprintf("%d warnings, %d infos", left, c.Infos); !strings.Contains(text, want) {
		t.Errorf("the cut line does not count the rest per severity (%q):\n%s", want, mdCutLine.Find(out))
	}
	if !strings.Contains(text, fmt.Sprintf("### Errors (%d)", c.Errors)) || !strings.Contains(text, fmt.Sprintf("### Warnings (%d)", c.Warnings)) {
		t.Error("the headings do not count every finding of their severity")
	}
	// Each <details> summary counts the findings it holds.
	for _, part := range strings.Split(text, "<details><summary>")[1:] {
		summary, body, _ := strings.Cut(part, "</summary>")
		body, _, _ = strings.Cut(body, "</details>")
		n, _ := strconv.Atoi(strings.Fields(summary)[0])
		if got := len(mdItem.FindAllString(body, -1)); got != n {
			t.Errorf("<details> %q holds %d findings", summary, got)
		}
	}
}

// TestMarkdownHugeFinding: one finding with a huge message and witness
// neither breaks the limit nor crowds out the findings after it.
func TestMarkdownHugeFinding(t *testing.T) {
	res := manyFindings(20, rules.Warning)
	res.Findings[0].Message = strings.Repeat("a very long message ", 10_000)
	for i := range 5_000 {
		res.Findings[0].Witness = append(res.Findings[0].Witness, rules.Hop{Node: fmt.Sprintf("hop-%04d@production", i), Label: "runtime"})
	}
	out := render(t, func(b *bytes.Buffer) error { return report.Markdown(b, res, report.Options{}) })
	if listed, cut := mdCheckComment(t, "huge", out); listed != 20 || cut != 0 {
		t.Errorf("%d findings listed, %d cut; want all 20: one finding is cut, not the comment", listed, cut)
	}
	if n := strings.Count(string(out), "a very long message"); n > 110 || !strings.Contains(string(out), "a very long message…") {
		t.Errorf("the huge message is not cut with an ellipsis (%d repeats shown)", n)
	}
	if n := strings.Count(string(out), "hop-"); n > 100 || !strings.Contains(string(out), "…`") {
		t.Errorf("the huge witness is not cut with an ellipsis (%d hops shown)", n)
	}
}

// TestMarkdownCutWaived: waived findings come last and are cut first, and
// a comment that fits is not cut.
func TestMarkdownCutWaived(t *testing.T) {
	res := manyFindings(3000, rules.Warning)
	for i := 5; i < len(res.Findings); i++ {
		res.Findings[i].Waived, res.Findings[i].WaivedFor = true, "accepted"
	}
	out := render(t, func(b *bytes.Buffer) error { return report.Markdown(b, res, report.Options{}) })
	listed, cut := mdCheckComment(t, "waived", out)
	if listed < 6 || listed+cut != 3000 || !strings.Contains(string(out), fmt.Sprintf("more findings (see the SARIF/JSON output): %d waived.", cut)) {
		t.Errorf("%d listed, %d cut: want the 5 warnings and as many waived findings as fit", listed, cut)
	}
	small := render(t, func(b *bytes.Buffer) error {
		return report.Markdown(b, manyFindings(40, rules.Error), report.Options{})
	})
	if listed, cut := mdCheckComment(t, "small", small); listed != 40 || cut != 0 {
		t.Errorf("40 findings that fit: %d listed, %d cut", listed, cut)
	}
}

// TestDiffMarkdownScale: a diff of the estate against nothing, against
// itself and the reverse stays under the limit; introduced findings come
// before resolved ones, which come before unchanged ones.
func TestDiffMarkdownScale(t *testing.T) {
	_, res := scaleEstate(t)
	half := &analyzer.Result{Findings: res.Findings[:len(res.Findings)/2]}
	for name, tc := range map[string]struct {
		d     *analyzer.Diff
		words string // the sections the cut line must name
	}{
		"introduced": {analyzer.Compare(nil, res), "introduced"},
		"resolved":   {analyzer.Compare(res, nil), "resolved"},
		"unchanged":  {analyzer.Compare(res, res), "unchanged"},
		"mixed":      {analyzer.Compare(half, res), "unchanged"},
	} {
		out := render(t, func(b *bytes.Buffer) error { return report.DiffMarkdown(b, tc.d, report.Options{}) })
		listed, cut := mdCheckComment(t, name, out)
		total := len(tc.d.Introduced) + len(tc.d.Resolved) + len(tc.d.Unchanged)
		if cut == 0 || listed+cut != total || !strings.Contains(string(mdCutLine.Find(out)), tc.words) {
			t.Errorf("%s: %d listed, %d cut of %d; cut line %q", name, listed, cut, total, mdCutLine.Find(out))
		}
		if name == "mixed" && (!strings.Contains(string(out), fmt.Sprintf("### Introduced (%d)", len(tc.d.Introduced))) || strings.Contains(string(out), "### Unchanged")) {
			t.Errorf("mixed: introduced findings must be listed first, unchanged ones folded")
		}
	}
}
