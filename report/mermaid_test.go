package report_test

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

// The statements report.Mermaid writes, each alone on its line. A label is
// a quoted string holding no quote and no markup but <br/>: everything
// else is an entity code.
var (
	mmLabel     = `"((?:[^"<>&#]|<br/>|#quot;|#\d+;)*)"`
	mmStatement = []*regexp.Regexp{
		regexp.MustCompile(`^flowchart LR$`),
		regexp.MustCompile(`^  %% [^\n]*$`),
		regexp.MustCompile(`^  subgraph (c\d+|legend)\[` + mmLabel + `\]$`),
		regexp.MustCompile(`^  end$`),
		regexp.MustCompile(`^ {2,4}(?:n|l)\d+(?:\(|\[\[|\[\(|\{\{|>|\(\[|\[)` + mmLabel + `(?:\)|\]\]|\)\]|\}\}|\]|\]\)|\])$`),
		regexp.MustCompile(`^  (?:empty|notice)\[` + mmLabel + `\]$`),
		regexp.MustCompile(`^  n\d+ (?:-->|-\.->|==>)(?:\|` + mmLabel + `\|)? n\d+$`),
		regexp.MustCompile(`^  classDef [a-z]+ [a-z-]+:[^ ,;]+(?: \d+)?(?:,[a-z-]+:[^ ,;]+(?: \d+)?)*$`),
		regexp.MustCompile(`^  class (?:[nl]\d+,)*[nl]\d+ [a-z]+$`),
		regexp.MustCompile(`^  style n\d+ [a-z-]+:[^;]+$`),
		regexp.MustCompile(`^  linkStyle (\d+(?:,\d+)*) [a-z-]+:[^ ;]+$`),
	}
	mmLink   = regexp.MustCompile(`^  n\d+ (?:-->|-\.->|==>)`)
	mmLabels = regexp.MustCompile(mmLabel)
	mmEntity = regexp.MustCompile(`#quot;|#\d+;|<br/>`)
)

// mermaidDecode undoes the label escaping as Mermaid does.
func mermaidDecode(s string) string {
	return mmEntity.ReplaceAllStringFunc(s, func(e string) string {
		switch e {
		case "#quot;":
			return `"`
		case "<br/>":
			return "\n"
		}
		n, _ := strconv.Atoi(e[1 : len(e)-1])
		return string(rune(n))
	})
}

// TestMermaidStatements checks every line of every picture against the
// statements Mermaid's flowchart grammar accepts as report.Mermaid uses
// them, and that linkStyle names existing links. (The golden files were
// also checked with Mermaid 11's own parser.)
func TestMermaidStatements(t *testing.T) {
	for _, c := range picCases(t) {
		g, res := c.analyse(t)
		mermaidCheck(t, c.name, render(t, func(b *bytes.Buffer) error { return report.Mermaid(b, g, res, c.o) }))
	}
}

// TestMermaidKeepsHostileText decodes the hostile picture's labels and
// finds the hostile text in them as it was written.
func TestMermaidKeepsHostileText(t *testing.T) {
	c := picCases(t)[slices.IndexFunc(picCases(t), func(c picCase) bool { return c.name == "hostile" })]
	g, res := c.analyse(t)
	out := render(t, func(b *bytes.Buffer) error { return report.Mermaid(b, g, res, c.o) })
	var labels []string
	for _, m := range mmLabels.FindAllStringSubmatch(string(out), -1) {
		labels = append(labels, mermaidDecode(m[1]))
	}
	for _, want := range []string{picHostileName + "\ntool", picHostileProcedure, picHostileSystem} {
		if !slices.Contains(labels, want) {
			t.Errorf("no label reads %q; labels: %q", want, labels)
		}
	}
}

// mermaidCheck checks every line of a picture against mmStatement, and that
// linkStyle names existing links.
func mermaidCheck(t *testing.T, name string, out []byte) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	links := 0
	for _, l := range lines {
		if mmLink.MatchString(l) {
			links++
		}
	}
	for i, l := range lines {
		ok := false
		for _, re := range mmStatement {
			if m := re.FindStringSubmatch(l); m != nil {
				ok = true
				if strings.HasPrefix(l, "  linkStyle ") {
					for _, n := range strings.Split(m[1], ",") {
						if k, _ := strconv.Atoi(n); k >= links {
							t.Errorf("%s:%d: linkStyle names link %d of %d", name, i+1, k, links)
						}
					}
				}
			}
		}
		if !ok || (i == 0) != (l == "flowchart LR") {
			t.Errorf("%s:%d: not a statement Mermaid reads as meant: %q", name, i+1, l)
		}
	}
}

// jsLength is the length of s as JavaScript, and so Mermaid, counts it.
func jsLength(s string) int { return len(utf16.Encode([]rune(s))) }

// TestMermaidScale draws the 2,000-service estate: the whole picture is far
// over Mermaid's maxTextSize, which Mermaid would refuse to draw, so the
// picture falls back to the findings, says so in a comment and in a note
// the reader sees, and reports it for a warning.
func TestMermaidScale(t *testing.T) {
	g, res := scaleEstate(t)
	out := render(t, func(b *bytes.Buffer) error { return report.Mermaid(b, g, res, report.PictureOptions{}) })
	if n := jsLength(string(out)); n > report.MermaidMaxText {
		t.Fatalf("the picture has %d characters; Mermaid draws at most %d", n, report.MermaidMaxText)
	}
	mermaidCheck(t, "estate", out)
	var b bytes.Buffer
	fit, err := report.MermaidFitted(&b, g, res, report.PictureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var warned, drawn bytes.Buffer
	if err := report.MermaidWarning(&warned)(&drawn, g, res, report.PictureOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), out) || !bytes.Equal(drawn.Bytes(), out) {
		t.Error("Mermaid, MermaidFitted and MermaidWarning draw different pictures")
	}
	if warned.String() != "warning: "+fit.Warning()+"\n" {
		t.Errorf("MermaidWarning warns %q", warned.String())
	}
	full := render(t, func(b *bytes.Buffer) error { return report.DOT(b, g, res, report.PictureOptions{}) })
	if !fit.FindingsOnly || fit.TooLarge || fit.Size <= report.MermaidMaxText || !strings.Contains(fit.Warning(), "only the nodes and edges of findings") {
		t.Errorf("fit %+v (%q), want the findings only (the DOT source has %d bytes)", fit, fit.Warning(), len(full))
	}
	if !strings.Contains(string(out), "\n  notice[\"The whole picture has "+strconv.Itoa(fit.Size)+" characters") ||
		!strings.Contains(string(out), "\n  %% The whole picture has ") {
		t.Errorf("the picture does not say it was cut:\n%.600s", out)
	}
	// Every node on a witness of a finding is drawn.
	labels := map[string]bool{}
	for _, m := range mmLabels.FindAllStringSubmatch(string(out), -1) {
		name, _, _ := strings.Cut(mermaidDecode(m[1]), "\n")
		labels[name] = true
	}
	for _, f := range res.Findings {
		for _, h := range f.Witness {
			if !labels[report.Display(h.Node)] {
				t.Fatalf("%s on %s: witness node %s is not drawn", f.Rule, f.Node, h.Node)
			}
		}
	}
}

// TestMermaidTooLarge: when even the findings are over the limit (here a
// finding on every node of the estate), the picture is one note that says
// so and what to do, not a diagram Mermaid would refuse; so too when the
// findings alone were asked for.
func TestMermaidTooLarge(t *testing.T) {
	g, est := scaleEstate(t)
	res := &analyzer.Result{Findings: slices.Clone(est.Findings)}
	for _, n := range g.Nodes {
		res.Findings = append(res.Findings, rules.Finding{Rule: "blast-radius", Severity: rules.Info, Node: n.ID, Witness: []rules.Hop{{Node: n.ID}}})
	}
	for name, o := range map[string]report.PictureOptions{
		"whole":         {},
		"findings only": {FindingsOnly: true},
	} {
		var b bytes.Buffer
		fit, err := report.MermaidFitted(&b, g, res, o)
		if err != nil {
			t.Fatal(err)
		}
		out := b.String()
		mermaidCheck(t, name, b.Bytes())
		if !fit.TooLarge || fit.FindingsOnly || fit.Size <= report.MermaidMaxText || !strings.Contains(fit.Warning(), "--focus NODE") ||
			strings.Count(out, "\n") != 3 || !strings.Contains(out, "\n  empty[\"The whole picture has "+strconv.Itoa(fit.Size)+" characters") {
			t.Errorf("%s: fit %+v, want a note:\n%.600s", name, fit, out)
		}
	}
}
