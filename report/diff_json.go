package report

import (
	"io"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// jsonDiff is the `diff --format json` document. Its findings are exactly
// check's JSON findings (SPEC §4).
type jsonDiff struct {
	Version    int             `json:"version"`
	Summary    jsonDiffSummary `json:"summary"`
	Introduced []jsonFinding   `json:"introduced"`
	Resolved   []jsonFinding   `json:"resolved"`
	Unchanged  []jsonFinding   `json:"unchanged"`
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
		// Filled by encodeJSON.
		Introduced: []jsonFinding{}, Resolved: []jsonFinding{}, Unchanged: []jsonFinding{},
	}
	var lists [3]jsonArray
	for i, l := range []struct {
		key string
		fs  []rules.Finding
	}{{"introduced", d.Introduced}, {"resolved", d.Resolved}, {"unchanged", d.Unchanged}} {
		var err error
		if lists[i], err = jsonFindingsOf(l.key, l.fs); err != nil {
			return err
		}
	}
	return encodeJSON(w, doc, lists[:]...)
}
