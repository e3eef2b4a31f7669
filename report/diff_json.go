package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// jsonDiff is the `diff --format json` document. Its findings are exactly
// check's JSON findings (SPEC §4).
type jsonDiff struct {
	Version    int             `json:"version"`
	Summary    jsonDiffSummary `json:"summary"`
	Introduced json.RawMessage `json:"introduced"`
	Resolved   json.RawMessage `json:"resolved"`
	Unchanged  json.RawMessage `json:"unchanged"`
}

// jsonDiffSummary counts the findings of each list, waived ones included
// (each says "waived": true).
type jsonDiffSummary struct {
	Introduced int `json:"introduced"`
	Resolved   int `json:"resolved"`
	Unchanged  int `json:"unchanged"`
}

// DiffJSON writes a diff for machines: the three lists of findings, each
// finding in the shape `check --format json` gives it, and an empty array
// rather than null for an empty list.
func DiffJSON(w io.Writer, d *analyzer.Diff, o Options) error {
	d = diffOrEmpty(d)
	doc := jsonDiff{
		Version: 1,
		Summary: jsonDiffSummary{Introduced: len(d.Introduced), Resolved: len(d.Resolved), Unchanged: len(d.Unchanged)},
	}
	var err error
	if doc.Introduced, err = jsonFindings(d.Introduced, o); err != nil {
		return err
	}
	if doc.Resolved, err = jsonFindings(d.Resolved, o); err != nil {
		return err
	}
	if doc.Unchanged, err = jsonFindings(d.Unchanged, o); err != nil {
		return err
	}
	return encodeJSON(w, doc)
}

// jsonFindings renders findings through JSON itself and keeps its findings
// array, so that a diff's findings cannot drift from check's when fields
// are added there. The encoder re-indents the array to its new depth.
func jsonFindings(fs []rules.Finding, o Options) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := JSON(&buf, &analyzer.Result{Findings: fs}, o); err != nil {
		return nil, err
	}
	var doc struct {
		Findings json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return nil, fmt.Errorf("re-read json findings: %w", err)
	}
	return doc.Findings, nil
}
