package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/manifest"
)

var tool = importer.Tool{Name: "test", Marker: "test", Input: "the test input", RenameHint: "rename it"}

// estate is two services: web runs on api (a guess) and needs the registry
// only to start.
func estate() []*importer.Service {
	api := &importer.Service{Source: "svc api", Name: "api", Env: "production", Kind: manifest.KindService}
	reg := &importer.Service{Source: "registry gcr.io", Name: "gcr.io", Env: "production", Kind: manifest.KindExternal}
	web := &importer.Service{Source: "svc web", Name: "web", Env: "production", Kind: manifest.KindService,
		Deps: []*importer.Dep{
			{To: api, Kind: manifest.DepRuntime, Mode: manifest.Hard, Source: "env API_ADDR", Guess: true},
			{To: reg, Kind: manifest.DepDeploy, Mode: manifest.Hard, Phase: manifest.PhaseStart, Source: "image gcr.io/web"},
		}}
	return []*importer.Service{api, reg, web}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGuessSettledByHand: a guessed dependency is written with a request
// to review it; once a person removes its marker and edits it, re-import
// keeps the person's entry and drops the guess.
func TestGuessSettledByHand(t *testing.T) {
	out := t.TempDir()
	if _, err := importer.Write(tool, estate(), importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	web := filepath.Join(out, "no-system", "web.toml")
	got := read(t, web)
	for _, want := range []string{
		"[[dependency]] # from test: env API_ADDR\n# A guess: check that it is real and whether it is hard or soft.",
		"on = \"gcr.io\"\nkind = \"deploy\"\nmode = \"hard\"\nphase = \"start\"\n",
	} {
		if !strings.Contains(got, want) {
			t.Fatalf("web.toml lacks %q:\n%s", want, got)
		}
	}
	settled := strings.Replace(got, "[[dependency]] # from test: env API_ADDR", "[[dependency]] # reviewed: only the search page needs it", 1)
	settled = strings.Replace(settled, "on = \"api\"\nkind = \"runtime\"\nmode = \"hard\"", "on = \"api\"\nkind = \"runtime\"\nmode = \"soft\"", 1)
	if err := os.WriteFile(web, []byte(settled), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := importer.Write(tool, estate(), importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	again := read(t, web)
	if strings.Count(again, `on = "api"`) != 1 || !strings.Contains(again, "# reviewed: only the search page needs it\n# A guess") ||
		!strings.Contains(again, "mode = \"soft\"") {
		t.Errorf("re-import did not keep the settled entry alone:\n%s", again)
	}
	m, errs := manifest.Parse(web, []byte(again))
	if errs != nil || len(m.Dependencies) != 2 {
		t.Fatalf("re-imported web.toml: %v, %d dependencies", errs, len(m.Dependencies))
	}
	// A third import changes nothing.
	res, err = importer.Write(tool, estate(), importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		if c.Action != importer.Unchanged {
			t.Errorf("third import: %s", c)
		}
	}
}

// TestForeignFiles: a file another importer generated is never written
// over, and a node it declares is not declared again.
func TestForeignFiles(t *testing.T) {
	out := t.TempDir()
	other := importer.Tool{Name: "other", Marker: "other", Input: "the other input", RenameHint: "rename it"}
	if _, err := importer.Write(other, estate()[:1], importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	_, err := importer.Write(tool, estate(), importer.Options{Out: out})
	want := "is declared by `catch22 import other` here and generated from svc api: remove one"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if _, err := os.Stat(filepath.Join(out, "no-system", "web.toml")); !os.IsNotExist(err) {
		t.Errorf("web.toml written despite the error: %v", err)
	}
}

// TestDuplicateNodes: two services that become one node are an error
// naming both sources.
func TestDuplicateNodes(t *testing.T) {
	s := estate()
	s[1].Name = "api"
	_, err := importer.Write(tool, s, importer.Options{Out: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), `svc api and registry gcr.io both become node "api@production"`) {
		t.Fatalf("err = %v", err)
	}
}

// TestHandWrittenAlternativesKept: a hand-written any_of entry survives
// re-import, in a file written with [[table]] headers (kept verbatim) and
// in one written with inline tables (re-rendered, alternatives, quorum and
// phase included).
func TestHandWrittenAlternativesKept(t *testing.T) {
	out := t.TempDir()
	if _, err := importer.Write(tool, estate(), importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	api := filepath.Join(out, "no-system", "api.toml")
	header := strings.SplitAfterN(read(t, api), "\n\n", 2)[0]
	for name, body := range map[string]string{
		"tables": header + "[service]\nname = \"api\"\nenv = \"production\"\nkind = \"service\"\n\n" +
			"# both resolvers\n[[dependency]]\nany_of = [\"dns-a\", \"dns-b\"]\nquorum = 1\nkind = \"network\"\nmode = \"hard\"\n",
		"inline": header + "service = {name = \"api\", env = \"production\", kind = \"service\"}\n" +
			"dependency = [{any_of = [\"dns-a\", \"dns-b\"], quorum = 2, kind = \"network\", phase = \"start\"}]\n",
	} {
		if err := os.WriteFile(api, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := importer.Write(tool, estate(), importer.Options{Out: out}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m, errs := manifest.Parse(api, []byte(read(t, api)))
		if errs != nil || len(m.Dependencies) != 1 {
			t.Fatalf("%s: %v, dependencies %+v\n%s", name, errs, m, read(t, api))
		}
		d := m.Dependencies[0]
		want := 1
		if name == "inline" {
			want = 2
		}
		if len(d.AnyOf) != 2 || d.Quorum != want || (name == "inline") != (d.Phase == manifest.PhaseStart) {
			t.Errorf("%s: kept %+v", name, d)
		}
	}
}

// TestHandProcedureKeepsRebuilds: a procedure written by hand as an inline
// table is rewritten in the standard layout on re-import, and keeps
// rebuilds = true.
func TestHandProcedureKeepsRebuilds(t *testing.T) {
	out := t.TempDir()
	if _, err := importer.Write(tool, estate(), importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	api := filepath.Join(out, "no-system", "api.toml")
	hand := strings.Replace(read(t, api), "\n[service]\n", "\nrecovery = [{name = \"recreate\", via = [\"console\"], rebuilds = true}]\n\n[service]\n", 1)
	if err := os.WriteFile(api, []byte(hand), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := importer.Write(tool, estate(), importer.Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	again := read(t, api)
	m, errs := manifest.Parse(api, []byte(again))
	if errs != nil || len(m.Recoveries) != 1 || !m.Recoveries[0].Rebuilds {
		t.Fatalf("re-imported api.toml (%v):\n%s", errs, again)
	}
}
