package importer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/catch22/catch22/manifest"
)

// Action is what an import does to one file.
type Action string

const (
	Created   Action = "created"
	Updated   Action = "updated"
	Unchanged Action = "unchanged"
	Moved     Action = "moved"   // the service's path changed (system, name or env)
	Stale     Action = "stale"   // its source is gone; kept without --prune
	Removed   Action = "removed" // its source is gone; removed with --prune
)

// Change is what an import does to one file. Path is relative to the
// output directory, slash-separated.
type Change struct {
	Action  Action
	Path    string
	From    string   // the previous path of a moved file
	Details []string // what changed and what was kept, for updated and moved files
}

// String is the line printed for the change, e.g.
// "updated payments/payments-api.toml: +dependency ledger, kept 1 recovery procedure".
func (c Change) String() string {
	s := string(c.Action) + " " + c.Path
	if c.Action == Moved {
		s = string(c.Action) + " " + c.From + " → " + c.Path
	}
	if len(c.Details) > 0 {
		s += ": " + strings.Join(c.Details, ", ")
	}
	return s
}

// Result is what an import did (or, with DryRun, would do).
type Result struct {
	Changes  []Change           // sorted by path
	Warnings manifest.ErrorList // positioned, "warning: " in the message; sorted
	Services int                // manifests generated
	Read     int                // input objects read, of the kinds the importer reads
	ReadNoun string             // what they are, singular: "entity", "Kubernetes object"
	Skipped  map[string]int     // kind → documents skipped (User, Ingress…)
	DryRun   bool
}

// Summary is the last line printed: counts of services, objects read,
// actions and skipped kinds.
func (r *Result) Summary() string {
	counts := map[Action]int{}
	for _, c := range r.Changes {
		counts[c.Action]++
	}
	var parts []string
	for _, a := range []Action{Created, Updated, Moved, Unchanged, Stale, Removed} {
		if counts[a] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[a], a))
		}
	}
	s := fmt.Sprintf("%s from %s", Plural(r.Services, "service"), Plural(r.Read, r.ReadNoun))
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	if len(r.Skipped) > 0 {
		kinds := make([]string, 0, len(r.Skipped))
		for k := range r.Skipped {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for i, k := range kinds {
			kinds[i] = fmt.Sprintf("%d %s", r.Skipped[k], k)
		}
		s += "; skipped " + strings.Join(kinds, ", ")
	}
	if r.DryRun {
		s += " (dry run: nothing written)"
	}
	return s
}

// Plural spells n nouns: "1 entity", "2 entities", "3 services".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
