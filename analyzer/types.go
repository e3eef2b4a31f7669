package analyzer

import (
	"slices"
	"strings"
	"time"

	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/observed"

	"github.com/catch22/catch22/rules"
)

// Result is what one analysis found. Findings are sorted by severity, rule,
// node, file, line, column and key.
type Result struct {
	Nodes    int
	Edges    int
	Findings []rules.Finding
	// Declared lists every declared node, sorted by ID, with the position of
	// its [service] table: reporters point witness steps at it.
	Declared []Declared
	// Checked lists the IDs of the rules that ran, in catalog order.
	Checked []string
	// Facts are the reachability answers the rules used, kept so that
	// reports (recovery status, blast radius) need not sweep the graph again.
	Facts *rules.Facts
	// Suggestions, when Suggested, are changes that remove every cycle
	// finding not waived (SuggestFor); only check --suggest asks for them.
	Suggested   bool
	Suggestions []Change
}

// Declared is one declared node and where it is declared.
type Declared struct {
	ID  string
	Pos manifest.Pos
}

// Where returns where node id is declared, if it is.
func (r *Result) Where(id string) (manifest.Pos, bool) {
	i, ok := slices.BinarySearchFunc(r.Declared, id, func(d Declared, id string) int { return strings.Compare(d.ID, id) })
	if !ok {
		return manifest.Pos{}, false
	}
	return r.Declared[i].Pos, true
}

// Config is the effective configuration of one run.
type Config struct {
	Now      time.Time // "today" for stale-breakglass and waiver expiry; UTC midnight
	EnvOrder []string  // environments, highest rank first
	Rules    map[string]RuleConfig
	Waivers  []Waiver
	Baseline *Baseline // nil: no baseline
	// Observed is the traffic of check --observed, nil without it; names
	// map to node IDs through Aliases, else NAME@production (a name with
	// "@" is an ID already).
	Observed []observed.Call
	Aliases  map[string]string
}

// Waiver accepts the findings of one rule on the nodes a pattern matches,
// for a reason and until a date.
type Waiver struct {
	Rule    string
	Node    string    // a path.Match pattern over full node IDs ("name@env")
	Reason  string    // why the risk is accepted; never empty
	Expires time.Time // the last day it applies; zero: never expires
	Pos     manifest.Pos
}

// Expired reports whether the waiver no longer applies on day now.
func (w Waiver) Expired(now time.Time) bool { return !w.Expires.IsZero() && now.After(w.Expires) }

// Baseline is an earlier result whose findings are accepted as they are.
type Baseline struct {
	File    string
	Entries []BaselineEntry
}

// BaselineEntry is one finding recorded in a baseline file.
type BaselineEntry struct {
	Fingerprint string
	Rule, Node  string
	Line        int // where the entry is written in the baseline file
}

// RuleConfig overrides one rule's defaults.
type RuleConfig struct {
	Enabled  *bool
	Severity *rules.Severity
	Params   map[string]float64
}

// Counts are the numbers of findings per severity, waived ones excluded.
type Counts struct{ Errors, Warnings, Infos int }

// Counts tallies the findings that are not waived.
func (r *Result) Counts() Counts {
	var c Counts
	for _, f := range r.Findings {
		if f.Waived {
			continue
		}
		switch f.Severity {
		case rules.Error:
			c.Errors++
		case rules.Warning:
			c.Warnings++
		default:
			c.Infos++
		}
	}
	return c
}

// Fails reports whether any finding that is not waived is at least as
// severe as threshold.
func (r *Result) Fails(threshold rules.Severity) bool {
	for _, f := range r.Findings {
		if !f.Waived && f.Severity <= threshold {
			return true
		}
	}
	return false
}
