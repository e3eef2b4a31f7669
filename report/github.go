package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// GitHub writes GitHub Actions workflow commands, so that a plain `catch22
// check --format github` step annotates the manifests in the pull request
// without uploading anything: one ::error, ::warning or ::notice line per
// finding that is not waived, then one ::notice:: summary line. Nothing else
// is printed, because every line of a step's output is parsed for commands.
//
// Every value from a manifest is first made printable (esc: control and
// bidirectional characters become visible escapes such as \n, so a line
// break in a name shows as \n in the annotation rather than breaking it),
// then escaped as the Actions toolkit (@actions/core) escapes it, so that
// a node name or message can neither break its line nor start a command of
// its own. The file property is escaped alike: a file whose name holds a
// control character gets an annotation that GitHub cannot place on it,
// rather than one that puts raw control characters in the log. GitHub shows at most 10
// annotations of each kind per step; the summary line tells the full count.
func GitHub(w io.Writer, r *analyzer.Result, _ Options) error {
	bw := bufio.NewWriter(w)
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Waived {
			continue
		}
		var props []string
		if f.File != "" {
			props = append(props, "file="+ghProperty(RepoPath(f.File)))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
				if f.Col > 0 {
					props = append(props, fmt.Sprintf("col=%d", f.Col))
				}
			}
		}
		props = append(props, "title="+ghProperty(f.Rule+" "+Display(f.Node)))
		msg := f.Message
		if rules.HopCount(f.Witness) > 1 {
			msg += " — " + Witness(f.Witness)
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", ghCommand(f.Severity), strings.Join(props, ","), ghData(msg))
	}
	fmt.Fprintf(bw, "::notice::%s\n", ghData("catch22: "+summaryLine(r)))
	return bw.Flush()
}

// ghCommand is the one mapping from severity to workflow command.
func ghCommand(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "notice"
}

// ghData escapes a command's message: esc, then as escapeData in
// @actions/core (after esc no CR or LF is left; the toolkit's rule stays
// as the format's own guarantee).
var ghDataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

func ghData(s string) string { return ghDataEscaper.Replace(esc(s)) }

// ghProperty escapes a command property value: esc, then as escapeProperty
// in @actions/core: ":" and "," would otherwise end the value.
var ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func ghProperty(s string) string { return ghPropertyEscaper.Replace(esc(s)) }
