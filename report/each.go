package report

import (
	"bufio"
	"fmt"
	"io"

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

// jsonEach is the `what-if --each --format json` document.
type jsonEach struct {
	Version int            `json:"version"`
	Each    []jsonEachNode `json:"each"`
}

// jsonEachNode: down counts the node itself; procedure is the one usable,
// reason (deadlock or no-recovery) says why none is.
type jsonEachNode struct {
	Node        string `json:"node"`
	Down        int    `json:"down"`
	Recoverable bool   `json:"recoverable"`
	Procedure   string `json:"procedure,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// EachJSON writes the single-point-of-failure table for machines, every row,
// in rank order.
func EachJSON(w io.Writer, rows []analyzer.SinglePoint, _ Options) error {
	doc := jsonEach{Version: 1, Each: make([]jsonEachNode, len(rows))}
	for i, r := range rows {
		doc.Each[i] = jsonEachNode{Node: r.Node, Down: r.Down, Recoverable: r.Recoverable(), Procedure: r.Procedure, Reason: r.Reason}
	}
	return encodeJSON(w, doc)
}
