package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/catch22/catch22/rules"
)

// TestCatalog checks what every consumer of the catalog relies on: sorted
// unique IDs, documentation and remediation, a Check function, a default
// severity, a firing and a near-miss fixture.
func TestCatalog(t *testing.T) {
	c := rules.Catalog()
	if len(c) != 12 {
		t.Fatalf("catalog has %d rules, SPEC §3 names 12 (ten in its table, two for observed traffic)", len(c))
	}
	id := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	var ids []string
	for _, r := range c {
		ids = append(ids, r.ID)
		if !id.MatchString(r.ID) {
			t.Errorf("rule ID %q is not kebab-case", r.ID)
		}
		if r.Title == "" || len(r.Doc) < 200 || r.Remediation == "" || r.Check == nil {
			t.Errorf("%s: title, doc (≥200 chars), remediation and Check are required", r.ID)
		}
		if !regexp.MustCompile(`https://`).MatchString(r.Doc) && r.ID != "unknown-service" {
			t.Errorf("%s: doc cites no public incident", r.ID)
		}
		for _, kind := range []string{"fires", "near-miss"} {
			if st, err := os.Stat(filepath.Join("testdata", r.ID, kind)); err != nil || !st.IsDir() {
				t.Errorf("%s: no %s fixture", r.ID, kind)
			}
		}
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("catalog IDs must be sorted and unique: %v", ids)
	}
	var all []string
	for _, r := range rules.All() {
		all = append(all, r.ID)
		if r.Title == "" || len(r.Doc) < 200 || r.Remediation == "" {
			t.Errorf("%s: title, doc (≥200 chars) and remediation are required", r.ID)
		}
	}
	if len(all) != 15 || !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != len(all) {
		t.Errorf("All() must hold the 12 rules and 3 configuration rules, sorted and unique: %v", all)
	}
	want := map[string]rules.Severity{
		"recovery-cycle": rules.Error, "partial-recovery-cycle": rules.Warning, "dependency-cycle": rules.Error,
		"env-crossing": rules.Error, "unknown-service": rules.Error, "tier-inversion": rules.Warning,
		"blind-spot": rules.Warning, "missing-recovery": rules.Warning, "stale-breakglass": rules.Warning,
		"blast-radius":   rules.Info,
		"expired-waiver": rules.Warning, "unused-waiver": rules.Info, "stale-baseline": rules.Info,
		"undeclared-dependency": rules.Warning, "unobserved-dependency": rules.Info,
	}
	for _, r := range rules.All() {
		if sev, ok := want[r.ID]; !ok || sev != r.Severity {
			t.Errorf("%s: severity %s, SPEC §3 says %s", r.ID, r.Severity, sev)
		}
	}
}
