package analyzer_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// finding builds a finding whose file and line tell apart the before and
// after copies of one fingerprint.
func finding(fp string, sev rules.Severity, file string, waived bool) rules.Finding {
	return rules.Finding{Rule: "rule-" + fp, Severity: sev, Node: fp + "@production", File: file, Line: 1, Fingerprint: fp, Waived: waived}
}

// fps lists "fingerprint file" for each finding, in order.
func fps(fs []rules.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Fingerprint+" "+f.File)
	}
	return out
}

func TestCompare(t *testing.T) {
	before := &analyzer.Result{Findings: []rules.Finding{
		finding("a", rules.Error, "old/a.toml", false),
		finding("b", rules.Error, "old/b.toml", false),
		finding("w", rules.Warning, "old/w.toml", true),
		finding("r", rules.Info, "old/r.toml", false),
	}}
	after := &analyzer.Result{Findings: []rules.Finding{
		finding("b", rules.Error, "new/b.toml", false), // moved: same fingerprint
		finding("c", rules.Error, "new/c.toml", false),
		finding("w", rules.Warning, "new/w.toml", true),
		finding("d", rules.Info, "new/d.toml", false),
	}}
	d := analyzer.Compare(before, after)
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"introduced", fps(d.Introduced), []string{"c new/c.toml", "d new/d.toml"}},
		{"resolved", fps(d.Resolved), []string{"a old/a.toml", "r old/r.toml"}},
		{"unchanged", fps(d.Unchanged), []string{"b new/b.toml", "w new/w.toml"}},
	} {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestCompareNilAndEmpty(t *testing.T) {
	r := &analyzer.Result{Findings: []rules.Finding{finding("a", rules.Error, "a.toml", false)}}
	if d := analyzer.Compare(nil, r); len(d.Introduced) != 1 || len(d.Resolved)+len(d.Unchanged) != 0 {
		t.Errorf("Compare(nil, r) = %+v, want one introduced", d)
	}
	if d := analyzer.Compare(r, nil); len(d.Resolved) != 1 || len(d.Introduced)+len(d.Unchanged) != 0 {
		t.Errorf("Compare(r, nil) = %+v, want one resolved", d)
	}
	if d := analyzer.Compare(r, r); len(d.Unchanged) != 1 || len(d.Introduced)+len(d.Resolved) != 0 {
		t.Errorf("Compare(r, r) = %+v, want one unchanged", d)
	}
}

// Repeated fingerprints (possible only in hand-built results) pair one to
// one, first with first.
func TestCompareRepeatedFingerprints(t *testing.T) {
	before := &analyzer.Result{Findings: []rules.Finding{
		finding("x", rules.Error, "b1", false), finding("x", rules.Error, "b2", false), finding("x", rules.Error, "b3", false),
	}}
	after := &analyzer.Result{Findings: []rules.Finding{
		finding("x", rules.Error, "a1", false), finding("x", rules.Error, "a2", false),
	}}
	d := analyzer.Compare(before, after)
	if got, want := fps(d.Unchanged), []string{"x a1", "x a2"}; !cmp.Equal(got, want) {
		t.Errorf("unchanged = %v, want %v", got, want)
	}
	if got, want := fps(d.Resolved), []string{"x b3"}; !cmp.Equal(got, want) {
		t.Errorf("resolved = %v, want %v", got, want)
	}
	if len(d.Introduced) != 0 {
		t.Errorf("introduced = %v, want none", fps(d.Introduced))
	}
}

func TestDiffFails(t *testing.T) {
	errA := finding("a", rules.Error, "a.toml", false)
	warnB := finding("b", rules.Warning, "b.toml", false)
	waivedErr := finding("c", rules.Error, "c.toml", true)
	for _, tc := range []struct {
		name      string
		d         analyzer.Diff
		threshold rules.Severity
		want      bool
	}{
		{"nothing", analyzer.Diff{}, rules.Info, false},
		{"introduced error", analyzer.Diff{Introduced: []rules.Finding{errA}}, rules.Error, true},
		{"introduced warning, bar at error", analyzer.Diff{Introduced: []rules.Finding{warnB}}, rules.Error, false},
		{"introduced warning, bar at warning", analyzer.Diff{Introduced: []rules.Finding{warnB}}, rules.Warning, true},
		{"introduced warning, bar at info", analyzer.Diff{Introduced: []rules.Finding{warnB}}, rules.Info, true},
		{"introduced but waived", analyzer.Diff{Introduced: []rules.Finding{waivedErr}}, rules.Info, false},
		{"resolved error", analyzer.Diff{Resolved: []rules.Finding{errA}}, rules.Info, false},
		{"unchanged error", analyzer.Diff{Unchanged: []rules.Finding{errA}}, rules.Info, false},
	} {
		if got := tc.d.Fails(tc.threshold); got != tc.want {
			t.Errorf("%s: Fails(%s) = %v, want %v", tc.name, tc.threshold, got, tc.want)
		}
	}
}

func analyse(t *testing.T, paths ...string) *analyzer.Result {
	t.Helper()
	ms, err := manifest.Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyzer.Run(ms, analyzer.DefaultConfig(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// ruleNodes lists "rule node" for each finding at or above severity sev.
func ruleNodes(fs []rules.Finding, sev rules.Severity) []string {
	out := []string{}
	for _, f := range fs {
		if f.Severity <= sev {
			out = append(out, f.Rule+" "+f.Node)
		}
	}
	return out
}

// The founding incident and its remediation: the fix resolves both errors
// and introduces none; the reverse introduces them.
func TestCompareCloudflare(t *testing.T) {
	broken := analyse(t, "../examples/cloudflare-2023")
	fixed := analyse(t, "../examples/cloudflare-2023-fixed")
	errs := []string{"env-crossing workers-kv@production", "recovery-cycle workers-kv@production"}

	d := analyzer.Compare(broken, fixed)
	if diff := cmp.Diff(errs, ruleNodes(d.Resolved, rules.Error)); diff != "" {
		t.Errorf("resolved errors (-want +got):\n%s", diff)
	}
	if got := ruleNodes(d.Introduced, rules.Error); len(got) != 0 {
		t.Errorf("the fix introduces errors %v", got)
	}
	if d.Fails(rules.Error) {
		t.Error("the fix fails at error")
	}
	for _, f := range d.Resolved {
		if !strings.HasPrefix(f.File, "../examples/cloudflare-2023/") {
			t.Errorf("resolved %s is placed in %s, want the before tree", f.Rule, f.File)
		}
	}

	r := analyzer.Compare(fixed, broken)
	if diff := cmp.Diff(errs, ruleNodes(r.Introduced, rules.Error)); diff != "" {
		t.Errorf("reverse: introduced errors (-want +got):\n%s", diff)
	}
	if !r.Fails(rules.Error) {
		t.Error("reverse does not fail at error")
	}
	if len(d.Introduced) != len(r.Resolved) || len(d.Resolved) != len(r.Introduced) || len(d.Unchanged) != len(r.Unchanged) {
		t.Errorf("diff is not symmetric: %d/%d/%d vs reverse %d/%d/%d", len(d.Introduced), len(d.Resolved), len(d.Unchanged),
			len(r.Resolved), len(r.Introduced), len(r.Unchanged))
	}
}

// Renaming and moving every file, and shifting every line, changes nothing.
func TestCompareMovedFiles(t *testing.T) {
	src := "../examples/cloudflare-2023"
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		moved := filepath.Join(dst, "moved", "renamed-"+strings.ReplaceAll(rel, string(filepath.Separator), "-"))
		if err := os.MkdirAll(filepath.Dir(moved), 0o755); err != nil {
			return err
		}
		return os.WriteFile(moved, append([]byte("# moved\n\n"), data...), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	before := analyse(t, src)
	after := analyse(t, dst)
	d := analyzer.Compare(before, after)
	if len(d.Introduced) != 0 || len(d.Resolved) != 0 {
		t.Fatalf("moving files introduced %v and resolved %v", fps(d.Introduced), fps(d.Resolved))
	}
	if len(d.Unchanged) != len(before.Findings) || len(before.Findings) == 0 {
		t.Fatalf("%d unchanged, want all %d findings", len(d.Unchanged), len(before.Findings))
	}
	for _, f := range d.Unchanged {
		if !strings.HasPrefix(f.File, dst) {
			t.Errorf("unchanged %s is placed in %s, want the after tree", f.Rule, f.File)
		}
	}
}
