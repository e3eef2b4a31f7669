package report

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/safetext"
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
	Stranded    []jsonStranded    `json:"stranded"`
	Nodes       []jsonDownNode    `json:"nodes"`
	Suggestions []jsonChange      `json:"suggestions"`
}

// jsonRepair is one repair of a failed node, or with redeploy one
// redeploy of a node that ran on a rebuilt node; rebuilds marks a repair
// that recreated its node empty. Both are left out when false.
type jsonRepair struct {
	Node      string `json:"node"`
	Procedure string `json:"procedure"`
	Redeploy  bool   `json:"redeploy,omitempty"`
	Rebuilds  bool   `json:"rebuilds,omitempty"`
}

// jsonStranded is a node that ran on a node rebuilt in wave and needs a
// redeploy it never gets; reason and blocked as in jsonUnrecovered.
type jsonStranded struct {
	Node    string        `json:"node"`
	Rebuilt string        `json:"rebuilt"`
	Wave    int           `json:"wave"`
	Reason  string        `json:"reason"`
	Blocked []jsonBlocked `json:"blocked,omitempty"`
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
// why (unless the node is a root: a failed node never repaired, or a
// stranded one). rebuilt names the node whose rebuild last asked for its
// redeploy, redeployed the last wave it was redeployed in; both are left
// out when there is none.
type jsonDownNode struct {
	Node       string   `json:"node"`
	Failed     bool     `json:"failed"`
	Path       []string `json:"path"`
	Back       int      `json:"back"`
	Still      []string `json:"still,omitempty"`
	Rebuilt    string   `json:"rebuilt,omitempty"`
	Redeployed int      `json:"redeployed,omitempty"`
}

// jsonChange is one suggested change.
type jsonChange struct {
	Change    string   `json:"change"`
	Node      string   `json:"node"`
	On        string   `json:"on,omitempty"`
	AnyOf     []string `json:"any_of,omitempty"` // a group softened as a whole
	Procedure string   `json:"procedure,omitempty"`
	Text      string   `json:"text"`
	File      string   `json:"file,omitempty"`
	Line      int      `json:"line,omitempty"`
}

// WhatIfJSON writes a failure prediction for machines, with empty arrays
// rather than null.
func WhatIfJSON(w io.Writer, p *analyzer.WhatIf, _ Options) error {
	doc := jsonWhatIf{Version: 1, Failed: nonNil(p.Failed), Down: []string{}, Waves: [][]jsonRepair{},
		Unrecovered: []jsonUnrecovered{}, Stranded: []jsonStranded{}, Nodes: []jsonDownNode{}, Suggestions: jsonChanges(p.Suggestions)}
	for _, d := range p.Down {
		doc.Down = append(doc.Down, d.Node)
		doc.Nodes = append(doc.Nodes, jsonDownNode{Node: d.Node, Failed: d.Failed, Path: hopIDs(d.Why), Back: d.Back, Still: hopIDs(d.Still),
			Rebuilt: d.Rebuilt, Redeployed: d.Redeployed})
	}
	for _, wave := range p.Waves {
		var rs []jsonRepair
		for _, r := range wave {
			rs = append(rs, jsonRepair{Node: r.Node, Procedure: r.Procedure, Redeploy: r.Redeploy, Rebuilds: r.Rebuilds})
		}
		doc.Waves = append(doc.Waves, rs)
	}
	for _, u := range p.Unrecovered {
		doc.Unrecovered = append(doc.Unrecovered, jsonUnrecovered{Node: u.Node, Reason: u.Reason, Blocked: jsonBlockedAll(u.Blocked)})
	}
	for _, s := range p.Stranded {
		doc.Stranded = append(doc.Stranded, jsonStranded{Node: s.Node, Rebuilt: s.Rebuilt, Wave: s.Wave, Reason: s.Reason, Blocked: jsonBlockedAll(s.Blocked)})
	}
	return encodeJSON(w, doc)
}

func jsonBlockedAll(bs []analyzer.Blocked) []jsonBlocked {
	var out []jsonBlocked
	for _, b := range bs {
		out = append(out, jsonBlocked{Procedure: b.Procedure, Path: hopIDs(b.Witness)})
	}
	return out
}

func jsonChanges(cs []analyzer.Change) []jsonChange {
	out := []jsonChange{}
	for _, c := range cs {
		out = append(out, jsonChange{Change: c.Kind.String(), Node: c.Node, On: c.On, AnyOf: c.AnyOf, Procedure: c.Procedure,
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

// encodeJSON writes doc indented by two spaces, without HTML escaping, as
// every JSON output of catch22 does, then passes it through jsonSafe. The
// bytes are those of encoding/json's Encoder with SetIndent("", "  "); the
// indenting, most of the cost of a large document, runs on all cores (see
// indentJSON), and so does marshalling the large arrays, if any: doc holds
// them empty, and each of arrays fills one (see marshalArray). The whole
// document is in memory before it is written, as with the encoder.
func encodeJSON(w io.Writer, doc any, arrays ...jsonArray) error {
	compact, err := compactJSON(doc)
	if err != nil {
		return err
	}
	if compact, err = spliceArrays(compact, arrays); err != nil {
		return err
	}
	out := append(indentJSON(compact, indentSlice), '\n')
	_, err = w.Write(jsonSafe(out))
	return err
}

// jsonSafe rewrites, inside JSON strings, what encoding/json leaves raw but
// a terminal or CI log would act on: DEL, C1 and bidirectional controls
// (safetext.Escaped) become \u escapes, and the legacy workflow-command
// marker "##[" becomes "##\u005b". Both decode to the very same strings, so
// machines read exactly what they read before, fingerprints and names
// included, while `cat out.json` in a terminal or a CI log stays inert.
// C0 controls, U+2028 and U+2029 are escaped by the encoder already, and
// "::" can never start a line, as every string is quoted. Only string
// contents can hold these bytes ('#' and non-ASCII occur nowhere else in
// JSON), so the rewrite needs no parser. O(len(b)); b is returned as is
// when there is nothing to rewrite.
func jsonSafe(b []byte) []byte {
	var out []byte // nil until something is rewritten
	done := 0      // b[:done] is in out already
	rewrite := func(i, n int, with []byte) {
		if out == nil {
			out = make([]byte, 0, len(b)+64)
		}
		out = append(append(out, b[done:i]...), with...)
		done = i + n
	}
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == '#' && bytes.HasPrefix(b[i:], []byte("##[")):
			rewrite(i, 3, []byte(`##\u005b`))
			i += 3
		case c < 0x7f: // the encoder's own line breaks and indents included
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if safetext.Escaped(r) {
				rewrite(i, size, fmt.Appendf(nil, `\u%04x`, r))
			}
			i += size
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[done:]...)
}
