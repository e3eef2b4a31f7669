package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/validate"
)

// ValidateText writes a live validation for people: per node the
// prediction beside the observation with ✓ or ✗, the procedures of the
// failed nodes that stayed down and of the nodes never redeployed, and a
// summary line. Names and procedures
// are escaped as Text escapes them.
func ValidateText(w io.Writer, r *validate.Result, o Options) error {
	bw := bufio.NewWriter(w)
	st := styler(o)
	fmt.Fprintf(bw, "%s %s fail%s, live on 127.0.0.1: %s emulated (%d by the reference KV)",
		st(ansiBold, "validate:"), esc(strings.Join(displayAll(r.Failed), ", ")), verbS(len(r.Failed)), plural(r.Emulated, "node"), r.KV)
	if r.Real > 0 {
		fmt.Fprintf(bw, ", %d real", r.Real)
	}
	fmt.Fprint(bw, "\n\n")
	rows := [][3]string{{"node", "predicted", "observed"}}
	marks := []string{""}
	for _, n := range r.Nodes {
		obs := outcomeText(n.Failed, n.Observed)
		if n.Degraded {
			obs += " (degraded)"
		}
		rows = append(rows, [3]string{esc(Display(n.Node)), outcomeText(n.Failed, n.Predicted), obs})
		marks = append(marks, mark(n.Match(), st))
	}
	var wid [3]int
	for _, row := range rows {
		for i, c := range row {
			wid[i] = max(wid[i], len(c))
		}
	}
	for i, row := range rows {
		line := fmt.Sprintf("  %-*s  %-*s  %-*s  %s", wid[0], row[0], wid[1], row[1], wid[2], row[2], marks[i])
		if i == 0 {
			line = st(ansiBold, strings.TrimRight(line, " "))
		}
		fmt.Fprintln(bw, line)
	}
	for _, section := range []struct {
		redeploy bool
		title    string
	}{{false, "PROCEDURES OF FAILED NODES NEVER REPAIRED"}, {true, "PROCEDURES OF NODES NEVER REDEPLOYED"}} {
		title := false
		for _, p := range r.Procedures {
			if p.Redeploy != section.redeploy {
				continue
			}
			if !title {
				fmt.Fprintf(bw, "\n%s\n\n", st(ansiBold, section.title))
				title = true
			}
			obs := "observed usable"
			if p.ObservedBlocked {
				obs = "observed blocked: " + esc(Display(p.ObservedDown)) + " down"
			}
			fmt.Fprintf(bw, "  %s %s: predicted blocked (%s); %s  %s\n", esc(Display(p.Node)), esc(p.Procedure),
				esc(strings.Join(displayAll(p.PredictedWitness), " → ")), obs, mark(p.Match(), st))
		}
	}
	fmt.Fprintf(bw, "\n%s\n", validateSummary(r))
	return bw.Flush()
}

// outcomeText says what happened to a node.
func outcomeText(failed bool, o validate.Outcome) string {
	var parts []string
	switch {
	case !o.Down:
		return "up"
	case failed && o.Repaired > 0:
		parts = append(parts, fmt.Sprintf("failed, repaired in wave %d by %s", o.Repaired, esc(o.Procedure)))
	case failed:
		parts = append(parts, "failed, never repaired")
	default:
		parts = append(parts, "down")
	}
	switch {
	case o.NeedsRedeploy:
		parts = append(parts, "needs a redeploy")
	case o.Redeployed > 0:
		parts = append(parts, fmt.Sprintf("redeployed in wave %d by %s", o.Redeployed, esc(o.RedeployedBy)))
	}
	if o.Back > 0 {
		parts = append(parts, fmt.Sprintf("back in wave %d", o.Back))
	} else {
		parts = append(parts, "stays down")
	}
	return strings.Join(parts, ", ")
}

func mark(ok bool, st func(string, string) string) string {
	if ok {
		return "✓"
	}
	return st(ansiRed, "✗")
}

// validateSummary is the last line: how many observations agree, and what
// the failure came to.
func validateSummary(r *validate.Result) string {
	total := len(r.Nodes) + len(r.Procedures)
	verdict := "recovery observed live"
	switch p := r.Prediction; {
	case p.Recovered():
	case len(p.Unrecovered) == 0 && len(p.Stranded) > 0:
		verdict = "missing redeploys observed live"
	default:
		verdict = "deadlock observed live"
	}
	if bad := r.Mismatches(); bad > 0 {
		return fmt.Sprintf("%d of %d observations differ from the prediction", bad, total)
	}
	return fmt.Sprintf("all %d observations match the prediction: %s", total, verdict)
}

// jsonValidate is the `validate --format json` document.
type jsonValidate struct {
	Version    int                   `json:"version"`
	Failed     []string              `json:"failed"`
	Match      bool                  `json:"match"`
	Mismatches int                   `json:"mismatches"`
	Nodes      []jsonValidateNode    `json:"nodes"`
	Procedures []jsonValidateProcess `json:"procedures"`
}

type jsonValidateNode struct {
	Node      string           `json:"node"`
	Failed    bool             `json:"failed"`
	Predicted validate.Outcome `json:"predicted"`
	Observed  validate.Outcome `json:"observed"`
	Degraded  bool             `json:"degraded,omitempty"`
	Match     bool             `json:"match"`
}

// jsonValidateProcess is one procedure of a failed node never repaired,
// or with redeploy of a node never redeployed.
type jsonValidateProcess struct {
	Node             string   `json:"node"`
	Procedure        string   `json:"procedure"`
	Redeploy         bool     `json:"redeploy,omitempty"`
	PredictedBlocked bool     `json:"predicted_blocked"`
	ObservedBlocked  bool     `json:"observed_blocked"`
	ObservedDown     string   `json:"observed_down,omitempty"`
	PredictedPath    []string `json:"predicted_path"`
	Match            bool     `json:"match"`
}

// ValidateJSON writes a live validation for machines.
func ValidateJSON(w io.Writer, r *validate.Result, _ Options) error {
	doc := jsonValidate{Version: 1, Failed: nonNil(r.Failed), Match: r.Mismatches() == 0, Mismatches: r.Mismatches(),
		Nodes: []jsonValidateNode{}, Procedures: []jsonValidateProcess{}}
	for _, n := range r.Nodes {
		doc.Nodes = append(doc.Nodes, jsonValidateNode{Node: n.Node, Failed: n.Failed, Predicted: n.Predicted, Observed: n.Observed, Degraded: n.Degraded, Match: n.Match()})
	}
	for _, p := range r.Procedures {
		doc.Procedures = append(doc.Procedures, jsonValidateProcess{Node: p.Node, Procedure: p.Procedure, Redeploy: p.Redeploy, PredictedBlocked: p.PredictedBlocked,
			ObservedBlocked: p.ObservedBlocked, ObservedDown: p.ObservedDown, PredictedPath: p.PredictedWitness, Match: p.Match()})
	}
	return encodeJSON(w, doc)
}
