package rules_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/config"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/observed"
	"github.com/catch22/catch22/rules"
)

// fixtureNow is "today" for every fixture, so drill ages do not drift.
var fixtureNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// TestFixtures runs the analyzer over every testdata/RULE/{fires,near-miss}
// directory and compares the findings with the `# want RULE...` comments
// written on the lines they must point at: a missing finding and an
// unexpected one both fail. A want may sit in any file of the fixture, such
// as a _defaults.toml whose inherited entry is at fault, and a want naming
// a rule twice expects two findings on that line. A catch22.toml in the
// fixture directory configures the run, [defaults] included, as check
// would.
func TestFixtures(t *testing.T) {
	for _, r := range rules.Catalog() {
		for _, kind := range []string{"fires", "near-miss"} {
			dir := filepath.Join("testdata", r.ID, kind)
			t.Run(r.ID+"/"+kind, func(t *testing.T) {
				want := readWants(t, dir)
				mentions := 0
				for _, w := range want {
					if strings.HasSuffix(w, " "+r.ID) {
						mentions++
					}
				}
				if kind == "fires" && mentions == 0 {
					t.Fatalf("%s has no `# want %s`", dir, r.ID)
				}
				if kind == "near-miss" && mentions > 0 {
					t.Fatalf("%s is a near miss but wants %s", dir, r.ID)
				}
				cfg := analyzer.DefaultConfig(fixtureNow)
				var opts manifest.Options
				if c := fixtureConfig(t, dir); c != nil {
					c.Apply(&cfg)
					opts.Defaults = c.Defaults
				}
				ms, err := opts.Load([]string{dir})
				if err != nil {
					t.Fatal(err)
				}
				cfg.Observed = fixtureTraffic(t, dir)
				res, err := analyzer.Run(ms, cfg)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range res.Findings {
					got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
				}
				slices.Sort(got)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("findings differ from the `# want` comments (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// readWants collects "file:line rule" for every rule named in a
// `# want r1 r2` comment under dir, sorted.
func readWants(t *testing.T, dir string) []string {
	t.Helper()
	var wants []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			_, after, ok := strings.Cut(sc.Text(), "# want ")
			if !ok {
				continue
			}
			for _, id := range strings.Fields(after) {
				if _, known := rules.Lookup(id); !known {
					t.Fatalf("%s:%d: want names no rule %q", path, line, id)
				}
				wants = append(wants, fmt.Sprintf("%s:%d %s", path, line, id))
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(wants)
	return wants
}

// fixtureConfig reads the fixture's catch22.toml, if it has one.
func fixtureConfig(t *testing.T, dir string) *config.Config {
	t.Helper()
	path := filepath.Join(dir, config.File)
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixtureTraffic reads the fixture's observed.json or observed.prom, if it
// has one, as check --observed would.
func fixtureTraffic(t *testing.T, dir string) []observed.Call {
	t.Helper()
	for _, name := range []string{"observed.json", "observed.prom"} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		calls, err := observed.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		return append([]observed.Call{}, calls...)
	}
	return nil
}
