package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/analyzer"
)

// EachText writes the single-point-of-failure table: one row per node,
// most dangerous first, at most top rows (0: all). Names and procedures are
// escaped as Text escapes them.
func EachText(w io.Writer, rows []analyzer.SinglePoint, top int, o Options) error {
	bw := bufio.NewWriter(w)
	st := styler(o)
	shown := rows
	if top > 0 && top < len(rows) {
		shown = rows[:top]
	}
	width := len("node")
	for _, r := range shown {
		width = max(width, len(esc(Display(r.Node))))
	}
	fmt.Fprintf(bw, "%s\n", st(ansiBold, fmt.Sprintf("%4s  %-*s  %6s  %5s  %s", "rank", width, "node", "down", "share", "comes back")))
	others := len(rows) - 1
	for i, r := range shown {
		share := 0.0
		if others > 0 {
			share = float64(r.Down-1) / float64(others) * 100
		}
		back := "yes, by " + esc(r.Procedure)
		if r.Rebuilds {
			back += " (rebuilds it" + rebuildCounts(r) + ")"
		}
		switch r.Reason {
		case analyzer.ReasonDeadlock:
			back = st(ansiRed, "no: every procedure is blocked")
		case analyzer.ReasonNoRecovery:
			back = "no: no recovery declared"
		}
		fmt.Fprintf(bw, "%4d  %-*s  %6d  %4.0f%%  %s\n", i+1, width, esc(Display(r.Node)), r.Down, share, back)
	}
	if len(shown) < len(rows) {
		fmt.Fprintf(bw, "(%d more; --top 0 shows all)\n", len(rows)-len(shown))
	}
	stuck := 0
	for _, r := range rows {
		if !r.Recoverable() {
			stuck++
		}
	}
	fmt.Fprintf(bw, "%s failing alone: %d cannot come back\n", plural(len(rows), "node"), stuck)
	return bw.Flush()
}

// rebuildCounts says what a rebuild takes: the redeploys, and the nodes
// that cannot get theirs.
func rebuildCounts(r analyzer.SinglePoint) string {
	var parts []string
	if r.Redeploys > 0 {
		parts = append(parts, plural(r.Redeploys, "redeploy"))
	}
	if r.Stranded > 0 {
		parts = append(parts, fmt.Sprintf("%s cannot be redeployed", plural(r.Stranded, "node")))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, "; ")
}

// jsonEach is the `what-if --each --format json` document.
type jsonEach struct {
	Version int            `json:"version"`
	Each    []jsonEachNode `json:"each"`
}

// jsonEachNode: down counts the node itself; procedure is the one usable,
// reason (deadlock or no-recovery) says why none is. When the procedure
// rebuilds the node, rebuilds is true, redeploys counts the redeploys its
// recovery takes and stranded the nodes that cannot get theirs (each left
// out when false or 0).
type jsonEachNode struct {
	Node        string `json:"node"`
	Down        int    `json:"down"`
	Recoverable bool   `json:"recoverable"`
	Procedure   string `json:"procedure,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Rebuilds    bool   `json:"rebuilds,omitempty"`
	Redeploys   int    `json:"redeploys,omitempty"`
	Stranded    int    `json:"stranded,omitempty"`
}

// EachJSON writes the single-point-of-failure table for machines, every row,
// in rank order.
func EachJSON(w io.Writer, rows []analyzer.SinglePoint, _ Options) error {
	doc := jsonEach{Version: 1, Each: make([]jsonEachNode, len(rows))}
	for i, r := range rows {
		doc.Each[i] = jsonEachNode{Node: r.Node, Down: r.Down, Recoverable: r.Recoverable(), Procedure: r.Procedure, Reason: r.Reason,
			Rebuilds: r.Rebuilds, Redeploys: r.Redeploys, Stranded: r.Stranded}
	}
	return encodeJSON(w, doc)
}
