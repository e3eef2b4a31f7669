package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/catch22/catch22/analyzer"
)

// PlanText writes a cold-start plan for people: the bring-up waves, what
// never comes up with the cycle that holds it, the single change that
// releases the most, and the changes that break every cycle. Names,
// procedures and witnesses are escaped as Text escapes them.
func PlanText(w io.Writer, p *analyzer.Plan, o Options) error {
	bw := bufio.NewWriter(w)
	st := styler(o)
	fmt.Fprintf(bw, "%s\n\n", st(ansiBold, fmt.Sprintf("COLD START (%s)", plural(p.Total, "node"))))
	if len(p.Waves) == 0 {
		fmt.Fprintf(bw, "  nothing can come up\n\n")
	}
	for i, wave := range p.Waves {
		names := make([]string, len(wave))
		for j, u := range wave {
			names[j] = Display(u.Node)
			if u.Procedure != "" {
				names[j] += " (" + u.Procedure + ")"
			}
		}
		fmt.Fprintf(bw, "  wave %d  %s\n", i+1, esc(strings.Join(names, ", ")))
	}
	if len(p.Waves) > 0 {
		fmt.Fprintln(bw)
	}
	if len(p.Never) > 0 {
		fmt.Fprintf(bw, "%s\n\n", st(ansiBold+ansiRed, fmt.Sprintf("NEVER COMES UP (%d)", len(p.Never))))
		for _, s := range p.Never {
			fmt.Fprintf(bw, "  %s\n", esc(Witness(s.Witness)))
		}
		fmt.Fprintln(bw)
	}
	if r := p.Release; r != nil {
		fmt.Fprintf(bw, "%s\n\n  %s\n", st(ansiBold, "ONE CHANGE THAT RELEASES THE MOST"), esc(r.Change.String()))
		fmt.Fprintf(bw, "    brings up %d of the %d nodes that never come up\n", r.Nodes, len(p.Never))
		if r.Change.Pos.File != "" {
			fmt.Fprintf(bw, "    %s\n", st(ansiDim, esc(fmt.Sprintf("%s:%d:%d", r.Change.Pos.File, r.Change.Pos.Line, r.Change.Pos.Col))))
		}
		fmt.Fprintln(bw)
	}
	writeSuggestions(bw, p.Suggestions, st, "TO BREAK THE CYCLES")
	up := p.Total - len(p.Never)
	if len(p.Never) == 0 {
		fmt.Fprintf(bw, "all %s up after %s\n", plural(p.Total, "node"), plural(len(p.Waves), "wave"))
	} else {
		fmt.Fprintf(bw, "%d of %s up after %s; %d never come up\n", up, plural(p.Total, "node"), plural(len(p.Waves), "wave"), len(p.Never))
	}
	return bw.Flush()
}

// jsonPlan is the `plan --format json` document of SPEC §4; fields after
// never are additions.
type jsonPlan struct {
	Version     int          `json:"version"`
	Waves       [][]string   `json:"waves"`
	Never       []jsonNever  `json:"never"`
	Procedures  []jsonRepair `json:"procedures"`
	Release     *jsonRelease `json:"release"`
	Suggestions []jsonChange `json:"suggestions"`
}

// jsonNever is one node that never comes up: why in words, path as IDs.
type jsonNever struct {
	Node string   `json:"node"`
	Why  string   `json:"why"`
	Path []string `json:"path"`
}

type jsonRelease struct {
	jsonChange
	Releases int `json:"releases"`
}

// PlanJSON writes a cold-start plan for machines. procedures names, for
// each node that came up with a procedure, the one whose via was up.
func PlanJSON(w io.Writer, p *analyzer.Plan, _ Options) error {
	doc := jsonPlan{Version: 1, Waves: [][]string{}, Never: []jsonNever{}, Procedures: []jsonRepair{},
		Suggestions: jsonChanges(p.Suggestions)}
	for _, wave := range p.Waves {
		ids := make([]string, len(wave))
		for i, u := range wave {
			ids[i] = u.Node
			if u.Procedure != "" {
				doc.Procedures = append(doc.Procedures, jsonRepair{Node: u.Node, Procedure: u.Procedure})
			}
		}
		doc.Waves = append(doc.Waves, ids)
	}
	for _, s := range p.Never {
		doc.Never = append(doc.Never, jsonNever{Node: s.Node, Why: Witness(s.Witness), Path: hopIDs(s.Witness)})
	}
	if r := p.Release; r != nil {
		doc.Release = &jsonRelease{jsonChange: jsonChanges([]analyzer.Change{r.Change})[0], Releases: r.Nodes}
	}
	return encodeJSON(w, doc)
}
