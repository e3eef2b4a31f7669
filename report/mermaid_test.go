package report_test

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/catch22/catch22/report"
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
		regexp.MustCompile(`^  empty\[` + mmLabel + `\]$`),
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
		out := render(t, func(b *bytes.Buffer) error { return report.Mermaid(b, g, res, c.o) })
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
								t.Errorf("%s:%d: linkStyle names link %d of %d", c.name, i+1, k, links)
							}
						}
					}
				}
			}
			if !ok || (i == 0) != (l == "flowchart LR") {
				t.Errorf("%s:%d: not a statement Mermaid reads as meant: %q", c.name, i+1, l)
			}
		}
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
