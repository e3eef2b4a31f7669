package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// WhatIfText writes a failure prediction for people: what goes down and
// why, the recovery waves (repairs, and redeploys of what ran on a rebuilt
// node), the deadlock with the witness of every blocked procedure, the
// nodes that need a redeploy they cannot get, what to change, and a
// one-line verdict. Names, procedures and
// witnesses are escaped as Text escapes them.
func WhatIfText(w io.Writer, p *analyzer.WhatIf, o Options) error {
	bw := bufio.NewWriter(w)
	st := styler(o)
	fmt.Fprintf(bw, "%s %s\n\n", st(ansiBold, "what if"), esc(strings.Join(displayAll(p.Failed), ", "))+" fail"+verbS(len(p.Failed)))

	fmt.Fprintf(bw, "%s\n\n", st(ansiBold, fmt.Sprintf("DOWN (%d of %d nodes)", len(p.Down), p.Total)))
	width := 0
	for _, d := range p.Down {
		width = max(width, len(esc(Display(d.Node))))
	}
	for _, d := range p.Down {
		back := "stays down"
		if d.Back > 0 {
			back = fmt.Sprintf("back in wave %d", d.Back)
		}
		why := "failed"
		if !d.Failed {
			why = esc(Witness(d.Why))
		}
		fmt.Fprintf(bw, "  %-*s  %-14s  %s\n", width, esc(Display(d.Node)), back, why)
	}
	fmt.Fprintln(bw)

	if len(p.Waves) > 0 {
		fmt.Fprintf(bw, "%s\n\n", st(ansiBold, "RECOVERY"))
		for i, wave := range p.Waves {
			for j, r := range wave {
				label := ""
				if j == 0 {
					label = fmt.Sprintf("wave %d", i+1)
				}
				verb := "repaired"
				switch {
				case r.Redeploy:
					verb = "redeployed"
				case r.Rebuilds:
					verb = "rebuilt"
				}
				fmt.Fprintf(bw, "  %-8s %s %s by %s\n", label, esc(Display(r.Node)), verb, esc(r.Procedure))
			}
			if back := backIn(p, i+1); len(back) > 0 {
				fmt.Fprintf(bw, "  %-8s back up: %s\n", "", esc(strings.Join(back, ", ")))
			}
		}
		fmt.Fprintln(bw)
	}

	var deadlock, none []analyzer.Unrecovered
	for _, u := range p.Unrecovered {
		if u.Reason == analyzer.ReasonDeadlock {
			deadlock = append(deadlock, u)
		} else {
			none = append(none, u)
		}
	}
	if len(deadlock) > 0 {
		fmt.Fprintf(bw, "%s\n\n", st(ansiBold+ansiRed, "DEADLOCK"))
		for _, u := range deadlock {
			fmt.Fprintf(bw, "  %s cannot be recovered: every procedure is blocked\n", st(ansiBold, esc(Display(u.Node))))
			for _, b := range u.Blocked {
				fmt.Fprintf(bw, "    %s: %s\n", esc(b.Procedure), esc(Witness(b.Witness)))
			}
		}
		fmt.Fprintln(bw)
	}
	if len(none) > 0 {
		fmt.Fprintf(bw, "%s\n\n", st(ansiBold+ansiYellow, "NO RECOVERY DECLARED"))
		for _, u := range none {
			fmt.Fprintf(bw, "  %s declares no recovery procedure\n", esc(Display(u.Node)))
		}
		fmt.Fprintln(bw)
	}
	if len(p.Stranded) > 0 {
		fmt.Fprintf(bw, "%s\n\n", st(ansiBold+ansiYellow, "NEEDS A REDEPLOY"))
		for _, s := range p.Stranded {
			ran := fmt.Sprintf("%s ran on %s, rebuilt in wave %d", st(ansiBold, esc(Display(s.Node))), esc(Display(s.Rebuilt)), s.Wave)
			if s.Reason == analyzer.ReasonNoRecovery {
				fmt.Fprintf(bw, "  %s, and declares no procedure to redeploy it\n", ran)
				continue
			}
			fmt.Fprintf(bw, "  %s, and every procedure to redeploy it is blocked\n", ran)
			for _, b := range s.Blocked {
				fmt.Fprintf(bw, "    %s: %s\n", esc(b.Procedure), esc(Witness(b.Witness)))
			}
		}
		fmt.Fprintln(bw)
	}
	if still := stillDown(p); len(still) > 0 {
		fmt.Fprintf(bw, "%s\n\n", st(ansiBold, "STAYS DOWN"))
		for _, d := range still {
			fmt.Fprintf(bw, "  %s\n", esc(Witness(d.Still)))
		}
		fmt.Fprintln(bw)
	}
	writeSuggestions(bw, p.Suggestions, st, "TO BREAK THE CYCLES")
	fmt.Fprintln(bw, whatIfVerdict(p))
	return bw.Flush()
}

// whatIfVerdict is the last line of the text output.
func whatIfVerdict(p *analyzer.WhatIf) string {
	if p.Recovered() {
		return fmt.Sprintf("recovers: %s down, all back after %s", plural(len(p.Down), "node"), plural(len(p.Waves), "wave"))
	}
	stays := 0
	for _, d := range p.Down {
		if d.Back == 0 {
			stays++
		}
	}
	what := "does not recover" // every failed node repaired, but a cycle or a missing redeploy keeps dependents down
	for _, u := range p.Unrecovered {
		if u.Reason == analyzer.ReasonDeadlock {
			what = "deadlock"
			break
		}
		what = "no recovery declared"
	}
	redeploy := ""
	switch n := len(p.Stranded); {
	case n == 1:
		redeploy = ", 1 node needs a redeploy it cannot get"
	case n > 1:
		redeploy = fmt.Sprintf(", %d nodes need a redeploy they cannot get", n)
	}
	return fmt.Sprintf("%s: %d of %d failed nodes cannot be recovered%s; %d of %s stay down",
		what, len(p.Unrecovered), len(p.Failed), redeploy, stays, plural(len(p.Down), "down node"))
}

// backIn lists the nodes that come back in a wave.
func backIn(p *analyzer.WhatIf, wave int) []string {
	var out []string
	for _, d := range p.Down {
		if d.Back == wave {
			out = append(out, Display(d.Node))
		}
	}
	return out
}

// stillDown lists the down nodes that stay down for a reason the DOWN
// table does not already show: something other than the failed node their
// path leads to (another failed node nobody repaired, or a cycle).
func stillDown(p *analyzer.WhatIf) []analyzer.DownNode {
	var out []analyzer.DownNode
	for _, d := range p.Down {
		if d.Back == 0 && d.Still != nil && !sameWitness(d.Still, d.Why) {
			out = append(out, d)
		}
	}
	return out
}

// writeSuggestions writes a titled list of changes with where to make them.
func writeSuggestions(bw *bufio.Writer, cs []analyzer.Change, st func(string, string) string, title string) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintf(bw, "%s\n\n", st(ansiBold, title))
	for _, c := range cs {
		fmt.Fprintf(bw, "  %s\n", esc(c.String()))
		if c.Pos.File != "" {
			fmt.Fprintf(bw, "    %s\n", st(ansiDim, esc(fmt.Sprintf("%s:%d:%d", c.Pos.File, c.Pos.Line, c.Pos.Col))))
		}
	}
	fmt.Fprintf(bw, "\n  %s\n\n", st(ansiDim, "(a greedy choice: small, not guaranteed minimal)"))
}

// styler returns a function that wraps text in an ANSI style when colour
// is on.
func styler(o Options) func(code, s string) string {
	return func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + ansiReset
	}
}

func displayAll(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = Display(id)
	}
	return out
}

func verbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

// sameWitness compares two witnesses, alternatives included.
func sameWitness(a, b []rules.Hop) bool {
	return slices.EqualFunc(a, b, func(x, y rules.Hop) bool {
		return x.Node == y.Node && x.Label == y.Label && slices.EqualFunc(x.Alternatives, y.Alternatives, sameWitness)
	})
}
