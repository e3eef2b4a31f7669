package analyzer

import "github.com/catch22/catch22/rules"

// Diff is what changed between two analyses: the findings a change
// introduced, those it resolved, and those it left in place.
type Diff struct {
	Introduced []rules.Finding // in after, not in before
	Resolved   []rules.Finding // in before, not in after
	Unchanged  []rules.Finding // in both, as after has them
}

// Compare matches the findings of before and after by fingerprint. The
// fingerprint hashes what a finding is about and never where it is written,
// so a moved file or an edit elsewhere in a manifest leaves its findings
// unchanged. Waived findings are matched like the others.
//
// Introduced and Unchanged keep after's sorted order and positions, Resolved
// keeps before's, so equal inputs give equal diffs. A nil result counts as
// one without findings. Compare runs in time linear in the findings.
func Compare(before, after *Result) *Diff {
	// Fingerprints are unique within a result, but pair them by count anyway
	// so that a result built by hand with repeated fingerprints still pairs
	// one to one, first with first.
	unpaired := map[string]int{}
	for _, f := range findings(before) {
		unpaired[f.Fingerprint]++
	}
	paired := map[string]int{}
	d := &Diff{}
	for _, f := range findings(after) {
		if unpaired[f.Fingerprint] > 0 {
			unpaired[f.Fingerprint]--
			paired[f.Fingerprint]++
			d.Unchanged = append(d.Unchanged, f)
			continue
		}
		d.Introduced = append(d.Introduced, f)
	}
	for _, f := range findings(before) {
		if paired[f.Fingerprint] > 0 {
			paired[f.Fingerprint]--
			continue
		}
		d.Resolved = append(d.Resolved, f)
	}
	return d
}

func findings(r *Result) []rules.Finding {
	if r == nil {
		return nil
	}
	return r.Findings
}

// Fails reports whether the change introduced a finding that is not waived
// and is at least as severe as threshold. Resolved and unchanged findings
// never fail a diff: they were there before the change.
func (d *Diff) Fails(threshold rules.Severity) bool {
	for _, f := range d.Introduced {
		if !f.Waived && f.Severity <= threshold {
			return true
		}
	}
	return false
}
