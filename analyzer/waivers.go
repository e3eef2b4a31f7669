package analyzer

import (
	"fmt"
	"path"
	"slices"

	"github.com/catch22/catch22/rules"
)

// applyWaivers marks the findings that a waiver in force accepts and
// returns the findings about the waivers themselves: every expired waiver
// (it no longer hides anything, so its findings count again) and every
// waiver in force that matched nothing, so that waivers cannot rot
// silently. The first matching waiver, in file order, is the one recorded.
func applyWaivers(fs []rules.Finding, ws []Waiver, cfg Config) []rules.Finding {
	used := make([]bool, len(ws))
	for i := range fs {
		f := &fs[i]
		for j, w := range ws {
			if w.Expired(cfg.Now) || w.Rule != f.Rule {
				continue
			}
			if ok, _ := path.Match(w.Node, f.Node); ok {
				f.Waived, f.WaivedFor = true, w.Reason
				used[j] = true
				break
			}
		}
	}
	var out []rules.Finding
	for j, w := range ws {
		switch {
		case w.Expired(cfg.Now):
			out = append(out, rules.Finding{
				Rule: rules.ExpiredWaiver.ID, Node: w.Node,
				Message: fmt.Sprintf("waiver for %s on %s expired on %s (%q): its findings count again", w.Rule, w.Node,
					w.Expires.Format("2006-01-02"), w.Reason),
				File: w.Pos.File, Line: w.Pos.Line, Col: w.Pos.Col,
			})
		case !used[j]:
			out = append(out, rules.Finding{
				Rule: rules.UnusedWaiver.ID, Node: w.Node,
				Message: fmt.Sprintf("waiver for %s on %s matches no finding: delete it or fix its pattern", w.Rule, w.Node),
				File:    w.Pos.File, Line: w.Pos.Line, Col: w.Pos.Col,
			})
		default:
			continue
		}
		out[len(out)-1].Witness = []rules.Hop{{Node: w.Node}}
		out[len(out)-1].Key = "waiver " + w.Rule + " " + w.Node
	}
	return out
}

// applyBaseline drops the findings whose fingerprint the baseline holds and
// returns a stale-baseline finding for every baseline entry that no longer
// occurs, in baseline order. One map lookup per finding and per entry keeps
// it linear in len(fs)+len(b.Entries); baselines of 500k entries exist.
func applyBaseline(fs []rules.Finding, b *Baseline) (kept, stale []rules.Finding) {
	occurs := make(map[string]bool, len(b.Entries)) // baseline fingerprint → some finding has it
	for _, e := range b.Entries {
		occurs[e.Fingerprint] = false
	}
	kept = make([]rules.Finding, 0, len(fs))
	for _, f := range fs {
		if _, known := occurs[f.Fingerprint]; known {
			occurs[f.Fingerprint] = true
			continue
		}
		kept = append(kept, f)
	}
	for _, e := range b.Entries {
		if occurs[e.Fingerprint] {
			continue
		}
		stale = append(stale, rules.Finding{
			Rule: rules.StaleBaseline.ID, Node: e.Node,
			Message: fmt.Sprintf("baseline entry %s on %s (%s) no longer occurs: refresh the baseline with check --format json --output %s",
				e.Rule, e.Node, e.Fingerprint, b.File),
			Witness: []rules.Hop{{Node: e.Node}},
			File:    b.File, Line: e.Line,
			Key: "baseline " + e.Fingerprint,
		})
	}
	return slices.Clip(kept), stale
}
