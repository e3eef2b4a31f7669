package rules

import (
	"slices"
	"strings"
)

// The rules below are about catch22's own configuration, not the
// architecture. They have no Check: the analyzer raises them while it
// applies waivers (catch22.toml) and baselines (--baseline). They are listed,
// explained and exported to SARIF like every other rule.

// ExpiredWaiver reports a waiver past its date: it no longer hides its
// finding.
var ExpiredWaiver = &Rule{
	ID:       "expired-waiver",
	Title:    "a waiver in catch22.toml has expired",
	Severity: Warning,
	Doc: `Fires once per [[waiver]] whose expires date is before today (--now). An
expired waiver stops hiding the findings it matched, so they count again, and
the waiver itself is reported so that the team decides: fix the finding, or
renew the waiver with a new date and a reason that still holds.

Why it matters: accepted risks are accepted for a while, not for ever. A
waiver without an end date is how a known recovery cycle survives until the
outage that proves it.`,
	Remediation: `Fix the findings the waiver hid, or move expires to a new date and update
the reason.`,
}

// UnusedWaiver reports a waiver that matches no finding.
var UnusedWaiver = &Rule{
	ID:       "unused-waiver",
	Title:    "a waiver in catch22.toml matches no finding",
	Severity: Info,
	Doc: `Fires once per [[waiver]] that is not expired and matched no finding in this
run: the problem it excused was fixed, the node was renamed, or the pattern is
wrong. Waivers that match nothing rot silently and later hide something
nobody meant to accept.`,
	Remediation: `Delete the waiver, or correct its rule and node pattern.`,
}

// StaleBaseline reports baseline entries that no longer occur.
var StaleBaseline = &Rule{
	ID:       "stale-baseline",
	Title:    "a baseline entry no longer occurs",
	Severity: Info,
	Doc: `Fires once per finding recorded in the --baseline file whose fingerprint no
longer occurs: it was fixed (or its node renamed). The baseline still hides
that fingerprint, so it should be refreshed to keep it from hiding a future
regression.`,
	Remediation: `Regenerate the baseline: catch22 check PATH... --format json --output BASELINE.`,
}

// Meta lists the configuration rules, sorted by ID.
func Meta() []*Rule { return []*Rule{ExpiredWaiver, StaleBaseline, UnusedWaiver} }

// All lists the catalog and the configuration rules together, sorted by ID:
// what `catch22 rules`, `catch22 explain` and SARIF rules[] show.
func All() []*Rule {
	all := append(Catalog(), Meta()...)
	slices.SortFunc(all, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
}
