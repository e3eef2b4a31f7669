package report

import (
	"encoding/json"
	"io"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// jsonWhatIf is the `what-if --format json` document of SPEC §4; fields
// after unrecovered are additions.
type jsonWhatIf struct {
	Version     int               `json:"version"`
	Failed      []string          `json:"failed"`
	Down        []string          `json:"down"`
	Waves       [][]jsonRepair    `json:"waves"`
	Unrecovered []jsonUnrecovered `json:"unrecovered"`
	Nodes       []jsonDownNode    `json:"nodes"`
	Suggestions []jsonChange      `json:"suggestions"`
}

type jsonRepair struct {
	Node      string `json:"node"`
	Procedure string `json:"procedure"`
}

type jsonUnrecovered struct {
	Node    string        `json:"node"`
	Reason  string        `json:"reason"`
	Blocked []jsonBlocked `json:"blocked,omitempty"`
}

type jsonBlocked struct {
	Procedure string   `json:"procedure"`
	Path      []string `json:"path"`
}

// jsonDownNode explains one down node: path leads to a failed node; back
// is the wave it is up again, 0 when it stays down, and then still proves
// why.
type jsonDownNode struct {
	Node   string   `json:"node"`
	Failed bool     `json:"failed"`
	Path   []string `json:"path"`
	Back   int      `json:"back"`
	Still  []string `json:"still,omitempty"`
}

// jsonChange is one suggested change.
type jsonChange struct {
	Change    string `json:"change"`
	Node      string `json:"node"`
	On        string `json:"on,omitempty"`
	Procedure string `json:"procedure,omitempty"`
	Text      string `json:"text"`
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
}

// WhatIfJSON writes a failure prediction for machines, with empty arrays
// rather than null.
func WhatIfJSON(w io.Writer, p *analyzer.WhatIf, _ Options) error {
	doc := jsonWhatIf{Version: 1, Failed: nonNil(p.Failed), Down: []string{}, Waves: [][]jsonRepair{},
		Unrecovered: []jsonUnrecovered{}, Nodes: []jsonDownNode{}, Suggestions: jsonChanges(p.Suggestions)}
	for _, d := range p.Down {
		doc.Down = append(doc.Down, d.Node)
		doc.Nodes = append(doc.Nodes, jsonDownNode{Node: d.Node, Failed: d.Failed, Path: hopIDs(d.Why), Back: d.Back, Still: hopIDs(d.Still)})
	}
	for _, wave := range p.Waves {
		var rs []jsonRepair
		for _, r := range wave {
			rs = append(rs, jsonRepair{Node: r.Node, Procedure: r.Procedure})
		}
		doc.Waves = append(doc.Waves, rs)
	}
	for _, u := range p.Unrecovered {
		ju := jsonUnrecovered{Node: u.Node, Reason: u.Reason}
		for _, b := range u.Blocked {
			ju.Blocked = append(ju.Blocked, jsonBlocked{Procedure: b.Procedure, Path: hopIDs(b.Witness)})
		}
		doc.Unrecovered = append(doc.Unrecovered, ju)
	}
	return encodeJSON(w, doc)
}

func jsonChanges(cs []analyzer.Change) []jsonChange {
	out := []jsonChange{}
	for _, c := range cs {
		out = append(out, jsonChange{Change: c.Kind.String(), Node: c.Node, On: c.On, Procedure: c.Procedure,
			Text: c.String(), File: c.Pos.File, Line: c.Pos.Line})
	}
	return out
}

func hopIDs(hops []rules.Hop) []string {
	if hops == nil {
		return nil
	}
	out := make([]string, len(hops))
	for i, h := range hops {
		out[i] = h.Node
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// encodeJSON writes doc indented, without HTML escaping, as every JSON
// output of catch22 does.
func encodeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
