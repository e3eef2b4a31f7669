package report

import (
	"io"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// jsonResult is the `check --format json` document of SPEC §4. Field names
// and order are part of the contract.
type jsonResult struct {
	Version  int           `json:"version"`
	Summary  jsonSummary   `json:"summary"`
	Findings []jsonFinding `json:"findings"`
	// Suggestions is there only with check --suggest.
	Suggestions *[]jsonChange `json:"suggestions,omitempty"`
}

type jsonSummary struct {
	Nodes    int `json:"nodes"`
	Edges    int `json:"edges"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

type jsonFinding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Node     string   `json:"node"`
	Message  string   `json:"message"`
	Path     []string `json:"path"`
	// Alternatives: each alternative's proof when the path ends at a node
	// whose any_of group fails.
	Alternatives [][]string `json:"alternatives,omitempty"`
	File         string     `json:"file"`
	Line         int        `json:"line"`
	Fingerprint  string     `json:"fingerprint"`
	Waived       bool       `json:"waived,omitempty"`
}

// JSON writes the machine-readable result, indented, with every node as its
// full ID and an empty findings array rather than null.
func JSON(w io.Writer, r *analyzer.Result, _ Options) error {
	c := r.Counts()
	doc := jsonResult{
		Version:  1,
		Summary:  jsonSummary{Nodes: r.Nodes, Edges: r.Edges, Errors: c.Errors, Warnings: c.Warnings, Infos: c.Infos},
		Findings: []jsonFinding{}, // filled by encodeJSON
	}
	if r.Suggested {
		cs := jsonChanges(r.Suggestions)
		doc.Suggestions = &cs
	}
	findings, err := jsonFindingsOf("findings", r.Findings)
	if err != nil {
		return err
	}
	return encodeJSON(w, doc, findings)
}

// jsonFindingsOf is the findings array of check's JSON, for the empty array
// under key: diff's JSON lists its findings in the very same shape.
func jsonFindingsOf(key string, fs []rules.Finding) (jsonArray, error) {
	return marshalArray(key, fs, func(f *rules.Finding) jsonFinding {
		return jsonFinding{
			Rule: f.Rule, Severity: f.Severity.String(), Node: f.Node, Message: f.Message,
			Path: f.Path(), Alternatives: f.Alternatives(), File: f.File, Line: f.Line, Fingerprint: f.Fingerprint, Waived: f.Waived,
		}
	})
}
