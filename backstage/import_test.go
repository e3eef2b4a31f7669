package backstage_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/backstage"
	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/internal/importtest"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
)

// now is the date the example's check output is computed at.
var now = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

const example = "../examples/backstage"

// TestExample imports the bundled Backstage catalog and compares the
// generated manifests, the import's report and the findings of `check` on
// the result with testdata/example.txtar.
func TestExample(t *testing.T) {
	out := t.TempDir()
	res, err := backstage.Import([]string{example}, importer.Options{Out: out})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	files := readTree(t, out)
	ms, err := manifest.LoadFiles(files)
	if err != nil {
		t.Fatalf("the generated manifests do not load: %v", err)
	}
	r, err := analyzer.Run(ms, analyzer.DefaultConfig(now))
	if err != nil {
		t.Fatal(err)
	}
	var check bytes.Buffer
	if err := report.Text(&check, r, report.Options{}); err != nil {
		t.Fatal(err)
	}

	got := &txtar.Archive{Comment: []byte("The import of ../examples/backstage and `catch22 check` on its output\n(--now 2026-11-29). Regenerate with: go test ./backstage -update\n")}
	got.Files = append(got.Files, txtar.File{Name: "import.stdout", Data: []byte(reportText(res))})
	got.Files = append(got.Files, txtar.File{Name: "check.txt", Data: check.Bytes()})
	for _, f := range files {
		got.Files = append(got.Files, txtar.File{Name: f.Name, Data: f.Data})
	}
	golden(t, "testdata/example.txtar", txtar.Format(got))

	// The findings the example exists to show.
	for _, want := range []string{"recovery-cycle  config-store", "stale-breakglass  k8s-prod", "blind-spot  metrics-db"} {
		if !strings.Contains(check.String(), want) {
			t.Errorf("check output lacks %q", want)
		}
	}
}

// TestReimportUnchanged checks that importing twice changes nothing and
// that two imports into different directories write identical bytes.
func TestReimportUnchanged(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b, a} {
		if _, err := backstage.Import([]string{example}, importer.Options{Out: dir}); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(readTree(t, a), readTree(t, b)); diff != "" {
		t.Errorf("imports differ (-a +b):\n%s", diff)
	}
	res, err := backstage.Import([]string{example}, importer.Options{Out: a})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		if c.Action != importer.Unchanged {
			t.Errorf("third import: %s, want unchanged", c)
		}
	}
	if len(res.Changes) != 30 {
		t.Errorf("third import reported %d files, want 30", len(res.Changes))
	}
}

// TestMerge is the re-import story: import, edit a generated file by hand
// (a recovery procedure with comments, a note on a catalog dependency, a
// dependency the catalog does not know), change the catalog (a new
// dependency), import again.
func TestMerge(t *testing.T) {
	cat := copyTree(t, example)
	out := t.TempDir()
	if _, err := backstage.Import([]string{cat}, importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	ledger := filepath.Join(out, "payments", "ledger.toml")
	handRecovery := `# Restores the ledger from the nightly export when CI is down too.
# Drilled with the payments on-call.
[[recovery]]
name = "restore-from-export"
via = ["oncall", "ledger-db"] # both must be up
breakglass = true
tested = 2026-11-20
`
	handDependency := `[[dependency]]
on = "dns"
kind = "network"
note = "resolves the ledger-db endpoint"
`
	edit(t, ledger, func(s string) string {
		s = strings.Replace(s, "on = \"ledger-db\"\nkind = \"runtime\"\nmode = \"hard\"\n",
			"on = \"ledger-db\"\nkind = \"runtime\"\nmode = \"hard\"\nnote = \"every posting is a write\"\n", 1)
		return s + "\n" + handRecovery + "\n" + handDependency
	})
	// The catalog now says the ledger publishes to payment-events.
	edit(t, filepath.Join(cat, "payments", "catalog-info.yaml"), func(s string) string {
		return strings.Replace(s, "  dependsOn: [resource:ledger-db]\n", "  dependsOn: [resource:ledger-db, resource:payment-events]\n", 1)
	})

	res, err := backstage.Import([]string{cat}, importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, c := range res.Changes {
		if c.Action != importer.Unchanged {
			changed = append(changed, c.String())
		}
	}
	want := []string{"updated payments/ledger.toml: +dependency payment-events, kept 1 recovery procedure, 1 hand-written dependency, 1 dependency note"}
	if diff := cmp.Diff(want, changed); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}

	data, err := os.ReadFile(ledger)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, part := range []string{handRecovery, handDependency,
		"[[dependency]] # from catalog: spec.dependsOn\non = \"ledger-db\"\nkind = \"runtime\"\nmode = \"hard\"\nnote = \"every posting is a write\"\n",
		"[[dependency]] # from catalog: spec.dependsOn\non = \"payment-events\"\n",
	} {
		if !strings.Contains(text, part) {
			t.Errorf("ledger.toml lacks\n%s\nin\n%s", part, text)
		}
	}
	m, errs := manifest.Parse(ledger, data)
	if errs != nil {
		t.Fatalf("merged manifest does not parse: %v", errs)
	}
	var recs, deps []string
	for _, r := range m.Recoveries {
		recs = append(recs, r.Name)
	}
	for _, d := range m.Dependencies {
		deps = append(deps, d.On.Name)
	}
	if diff := cmp.Diff([]string{"rollback", "restore-from-export"}, recs); diff != "" {
		t.Errorf("recoveries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ledger-db", "payment-events", "dns"}, deps); diff != "" {
		t.Errorf("dependencies (-want +got):\n%s", diff)
	}

	// Merging reached a fixed point: a third import changes nothing.
	res, err = backstage.Import([]string{cat}, importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		if c.Action != importer.Unchanged {
			t.Errorf("third import: %s", c)
		}
	}

	// The catalog drops the dependency again: it goes, the hand-written
	// parts stay.
	edit(t, filepath.Join(cat, "payments", "catalog-info.yaml"), func(s string) string {
		return strings.Replace(s, "[resource:ledger-db, resource:payment-events]", "[resource:ledger-db]", 1)
	})
	res, err = backstage.Import([]string{cat}, importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if got := changes(res); !slices.Contains(got, "updated payments/ledger.toml: -dependency payment-events, kept 1 recovery procedure, 1 hand-written dependency, 1 dependency note") {
		t.Errorf("changes: %q", got)
	}
}

// TestCatalogOwnsService checks that hand edits to catalog-owned parts are
// reverted, and reported.
func TestCatalogOwnsService(t *testing.T) {
	out := t.TempDir()
	if _, err := backstage.Import([]string{example}, importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(out, "payments", "ledger.toml"), func(s string) string {
		s = strings.Replace(s, "tier = 1", "tier = 3", 1)
		return strings.Replace(s, "mode = \"hard\"", "mode = \"soft\"", 1)
	})
	res, err := backstage.Import([]string{example}, importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	want := "updated payments/ledger.toml: tier 3 → 1, dependency ledger-db: mode soft → hard"
	if got := changes(res); !slices.Contains(got, want) {
		t.Errorf("changes: %q, want %q", got, want)
	}
}

// TestMoveStalePrune follows a service that changes system and one that
// leaves the catalog.
func TestMoveStalePrune(t *testing.T) {
	cat := copyTree(t, example)
	out := t.TempDir()
	if _, err := backstage.Import([]string{cat}, importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(out, "payments", "psp.toml"), func(s string) string {
		return s + "\n[[recovery]]\nname = \"switch-provider\"\nvia = [\"oncall\"]\n"
	})
	edit(t, filepath.Join(cat, "payments", "catalog-info.yaml"), func(s string) string {
		// psp moves to the platform system; payment-events leaves.
		s = strings.Replace(s, "  type: saas\n  owner: payments-team\n  system: payments\n", "  type: saas\n  owner: payments-team\n  system: platform\n", 1)
		s = strings.Replace(s, "    - resource:payment-events\n", "", 1)
		s = strings.Replace(s, "    catch22.dev/soft-dependencies: payment-events\n", "", 1)
		i := strings.Index(s, "---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: payment-events\n")
		j := strings.Index(s, "---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: psp\n")
		return s[:i] + s[j:]
	})
	res, err := backstage.Import([]string{cat}, importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	got := changes(res)
	for _, want := range []string{
		"moved payments/psp.toml → platform/psp.toml: system payments → platform, kept 1 recovery procedure",
		"stale payments/payment-events.toml: resource:default/payment-events is no longer in the catalog (kept; --prune removes it)",
		"updated payments/fraud-check.toml: -dependency payment-events",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("changes lack %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if _, err := os.Stat(filepath.Join(out, "payments", "psp.toml")); !os.IsNotExist(err) {
		t.Errorf("payments/psp.toml still exists after the move (%v)", err)
	}
	if data, err := os.ReadFile(filepath.Join(out, "platform", "psp.toml")); err != nil || !strings.Contains(string(data), "switch-provider") {
		t.Errorf("platform/psp.toml lost the hand-written procedure (%v):\n%s", err, data)
	}
	if _, err := os.Stat(filepath.Join(out, "payments", "payment-events.toml")); err != nil {
		t.Errorf("stale file removed without --prune: %v", err)
	}

	res, err = backstage.Import([]string{cat}, importer.Options{Out: out, Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := changes(res); !slices.Contains(got, "removed payments/payment-events.toml: resource:default/payment-events is no longer in the catalog") {
		t.Errorf("prune: %q", got)
	}
	if _, err := os.Stat(filepath.Join(out, "payments", "payment-events.toml")); !os.IsNotExist(err) {
		t.Errorf("--prune left payments/payment-events.toml (%v)", err)
	}
}

// TestDryRun checks that --dry-run reports and writes nothing.
func TestDryRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	res, err := backstage.Import([]string{example}, importer.Options{Out: out, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 30 || res.Changes[0].Action != importer.Created {
		t.Errorf("dry run reported %d changes, first %v", len(res.Changes), res.Changes)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("dry run created %s (%v)", out, err)
	}
}

// TestRecoveryClash: a hand-written procedure named like one the catalog
// now declares is an input error, not silently replaced.
func TestRecoveryClash(t *testing.T) {
	cat := copyTree(t, example)
	out := t.TempDir()
	if _, err := backstage.Import([]string{cat}, importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	psp := filepath.Join(out, "payments", "psp.toml")
	edit(t, psp, func(s string) string { return s + "\n[[recovery]]\nname = \"failover\"\nvia = [\"oncall\"]\n" })
	edit(t, filepath.Join(cat, "payments", "catalog-info.yaml"), func(s string) string {
		return strings.Replace(s, "  name: psp\n", "  name: psp\n  annotations:\n    catch22.dev/recovery.failover: \"via=oncall\"\n", 1)
	})
	before := readTree(t, out)
	_, err := backstage.Import([]string{cat}, importer.Options{Out: out})
	want := filepath.Join(cat, "payments", "catalog-info.yaml") + `:103:5: recovery procedure "failover" is also written by hand at ` + psp + `:14:1: rename or remove one`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	if diff := cmp.Diff(before, readTree(t, out)); diff != "" {
		t.Errorf("output changed on error:\n%s", diff)
	}
}

func changes(res *importer.Result) []string {
	var out []string
	for _, c := range res.Changes {
		out = append(out, c.String())
	}
	return out
}

// copyTree copies dir to a temporary directory, so tests can edit it.
func copyTree(t *testing.T, dir string) string {
	t.Helper()
	dst := t.TempDir()
	for _, f := range readTree(t, dir) {
		path := filepath.Join(dst, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// edit rewrites a file through f and fails when f changed nothing.
func edit(t *testing.T, path string, f func(string) string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := f(string(data))
	if s == string(data) {
		t.Fatalf("edit of %s changed nothing", path)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The helpers every importer's tests share.
var (
	readTree   = importtest.ReadTree
	reportText = importtest.ReportText
	golden     = importtest.Golden
)
