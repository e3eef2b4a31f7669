package rules

import "slices"

// Catalog is every rule, sorted by ID. `catch22 rules`, `catch22 explain`,
// SARIF rules[] and the README's rule table all come from it.
func Catalog() []*Rule {
	c := []*Rule{
		BlastRadius, BlindSpot, DependencyCycle, EnvCrossing, MissingRecovery,
		PartialRecoveryCycle, RecoveryCycle, StaleBreakglass, TierInversion, UndeclaredDependency,
		UnknownService, UnobservedDependency,
	}
	slices.SortFunc(c, func(a, b *Rule) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return c
}

// Lookup finds a rule of the catalog or a configuration rule by ID.
func Lookup(id string) (*Rule, bool) {
	for _, r := range All() {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}
