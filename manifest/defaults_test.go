package manifest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A multi-region estate: estate-wide defaults in catch22.toml, a
// _defaults.toml for the payments services and one for their EU region,
// whose staging directory sets the env.
const (
	baseSrc = `fail_on = "error"

[defaults.service]
owner = "sre"
monitored_by = ["alerting@production"]

[[defaults.dependency]]
on = "dns@production"
kind = "network"

[[defaults.template]]
name = "standard-rollback"
via = ["ci", "deploy-api"]
runbook = "https://runbooks.example/rollback"
`
	paymentsSrc = `[service]
system = "payments"
tier = 1

[[dependency]]
on = "vault"
kind = "auth"

[[template]]
name = "console"
via = ["console@production"]
breakglass = true
tested = 2026-10-01
`
	euSrc = `[service]
owner = "payments-eu"

[[dependency]]
on = "k8s-eu"

[[dependency]]
on = "vault"
kind = "auth"
mode = "soft"

[[template]]
name = "standard-rollback"
via = ["ci", "deploy-eu"]
`
	euAPISrc = `[service]
name = "api"
monitored_by = ["pager"]

[[dependency]]
on = "ledger"

[[recovery]]
use = "standard-rollback"

[[recovery]]
use = "console"
name = "console-breakglass"
tested = 2026-11-01
`
	k8sSrc = `[service]
name = "k8s-eu"
kind = "network"

[[dependency]]
on = "vault"
kind = "auth"
mode = "soft"
`
	stagingSrc = `[service]
env = "staging"
`
	stagingAPISrc = `[service]
name = "api"
skip_inherited = ["vault"]

[[recovery]]
use = "standard-rollback"
`
	alertingSrc = `[service]
name = "alerting"
`
)

// estate is the example as in-memory files, in no particular order.
func estate() []File {
	return []File{
		{Name: "services/eu/staging/api.toml", Data: []byte(stagingAPISrc)},
		{Name: "services/eu/api.toml", Data: []byte(euAPISrc)},
		{Name: "services/_defaults.toml", Data: []byte(paymentsSrc)},
		{Name: "services/eu/_defaults.toml", Data: []byte(euSrc)},
		{Name: "services/eu/k8s-eu.toml", Data: []byte(k8sSrc)},
		{Name: "services/eu/staging/_defaults.toml", Data: []byte(stagingSrc)},
		{Name: "alerting.toml", Data: []byte(alertingSrc)},
	}
}

func baseDefaults(t *testing.T) *Defaults {
	t.Helper()
	d, errs := ParseDefaults("catch22.toml", []byte(baseSrc), "defaults")
	if errs != nil {
		t.Fatal(errs)
	}
	return d
}

func at(file string, line, col int) Pos { return Pos{File: file, Line: line, Col: col} }

func refAt(name, env, file string, line, col int) Ref {
	return Ref{Name: name, Env: env, Pos: at(file, line, col)}
}

// wantEstate is what the example must load as: every inherited entry
// positioned in the file that declares it.
func wantEstate() []*Manifest {
	const (
		base     = "catch22.toml"
		payments = "services/_defaults.toml"
		eu       = "services/eu/_defaults.toml"
		api      = "services/eu/api.toml"
		k8s      = "services/eu/k8s-eu.toml"
		stAPI    = "services/eu/staging/api.toml"
	)
	dns := Dependency{On: refAt("dns", "production", base, 8, 6), Kind: DepNetwork, Mode: Hard, Phase: PhaseRun, Pos: at(base, 7, 1)}
	return []*Manifest{
		{
			// Outside services/: only catch22.toml applies, and its
			// monitored_by names alerting itself, which is left out.
			File: "alerting.toml",
			Service: Service{Name: "alerting", Env: "production", Owner: "sre", Kind: KindService,
				Pos: at("alerting.toml", 1, 1)},
			Dependencies: []Dependency{dns},
		},
		{
			File: api,
			Service: Service{
				Name: "api", Env: "production", Owner: "payments-eu", System: "payments",
				Tier: 1, HasTier: true, Kind: KindService,
				MonitoredBy: []Ref{refAt("pager", "production", api, 3, 17)}, // its own list wins whole
				Pos:         at(api, 1, 1),
			},
			// Its own first, then catch22.toml's, then services/'s (whose
			// vault the EU one replaces), then the EU's.
			Dependencies: []Dependency{
				{On: refAt("ledger", "production", api, 6, 6), Kind: DepRuntime, Mode: Hard, Phase: PhaseRun, Pos: at(api, 5, 1)},
				dns,
				{On: refAt("k8s-eu", "production", eu, 5, 6), Kind: DepRuntime, Mode: Hard, Phase: PhaseRun, Pos: at(eu, 4, 1)},
				{On: refAt("vault", "production", eu, 8, 6), Kind: DepAuth, Mode: Soft, Phase: PhaseRun, Pos: at(eu, 7, 1)},
			},
			Recoveries: []Recovery{
				{
					// The EU's standard-rollback, nearer than catch22.toml's,
					// replaces it whole (no runbook).
					Name: "standard-rollback", Use: "standard-rollback",
					Via: []Ref{refAt("ci", "production", eu, 14, 8), refAt("deploy-eu", "production", eu, 14, 14)},
					Pos: at(api, 8, 1),
				},
				{
					Name: "console-breakglass", Use: "console",
					Via:        []Ref{refAt("console", "production", payments, 11, 8)},
					Breakglass: true,
					Tested:     date(2026, 11, 1), TestedPos: at(api, 14, 10),
					Pos: at(api, 11, 1),
				},
			},
		},
		{
			File: k8s,
			Service: Service{
				Name: "k8s-eu", Env: "production", Owner: "payments-eu", System: "payments",
				Tier: 1, HasTier: true, Kind: KindNetwork,
				MonitoredBy: []Ref{refAt("alerting", "production", base, 5, 17)},
				Pos:         at(k8s, 1, 1),
			},
			// Its own vault replaces both inherited ones; its dependency
			// on itself is left out.
			Dependencies: []Dependency{
				{On: refAt("vault", "production", k8s, 6, 6), Kind: DepAuth, Mode: Soft, Phase: PhaseRun, Pos: at(k8s, 5, 1)},
				dns,
			},
		},
		{
			File: stAPI,
			Service: Service{
				Name: "api", Env: "staging", Owner: "payments-eu", System: "payments",
				Tier: 1, HasTier: true, Kind: KindService,
				MonitoredBy: []Ref{refAt("alerting", "production", base, 5, 17)},
				Pos:         at(stAPI, 1, 1),
			},
			// Bare references in defaults resolve in staging; vault is
			// skipped.
			Dependencies: []Dependency{
				dns,
				{On: refAt("k8s-eu", "staging", eu, 5, 6), Kind: DepRuntime, Mode: Hard, Phase: PhaseRun, Pos: at(eu, 4, 1)},
			},
			Recoveries: []Recovery{{
				Name: "standard-rollback", Use: "standard-rollback",
				Via: []Ref{refAt("ci", "staging", eu, 14, 8), refAt("deploy-eu", "staging", eu, 14, 14)},
				Pos: at(stAPI, 5, 1),
			}},
		},
	}
}

func TestLoadFilesDefaults(t *testing.T) {
	got, err := Options{Defaults: baseDefaults(t)}.LoadFiles(estate())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantEstate(), got); diff != "" {
		t.Errorf("manifests (-want +got):\n%s", diff)
	}
}

// Load reads _defaults.toml files from the directories it walks and gives
// what LoadFiles gives for the same files, whatever order they come in.
func TestLoadDefaults(t *testing.T) {
	t.Chdir(t.TempDir())
	tree := map[string]string{}
	for _, f := range estate() {
		tree[f.Name] = string(f.Data)
	}
	writeTree(t, ".", tree)
	opts := Options{Defaults: baseDefaults(t)}
	for _, paths := range [][]string{
		{"."},
		{"services", "alerting.toml"},
		// The staging directory first: its files are loaded through it,
		// and still below services/_defaults.toml, read later.
		{"services/eu/staging", "alerting.toml", "services"},
	} {
		got, err := opts.Load(paths)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantEstate(), got); diff != "" {
			t.Errorf("Load(%q) (-want +got):\n%s", paths, diff)
		}
	}

	files := estate()
	for i, j := 0, len(files)-1; i < j; i, j = i+1, j-1 {
		files[i], files[j] = files[j], files[i]
	}
	got, err := opts.LoadFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantEstate(), got); diff != "" {
		t.Errorf("LoadFiles reversed (-want +got):\n%s", diff)
	}
}

// Only the _defaults.toml files a run reads apply: pointing at a
// sub-directory leaves out those above it, unless they are named.
func TestLoadDefaultsScope(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTree(t, ".", map[string]string{
		"svc/_defaults.toml":     "[service]\nowner = \"team\"\nenv = \"staging\"\n",
		"svc/sub/a.toml":         svc("a"),
		"svc/sub/_defaults.toml": "[service]\nsystem = \"sub\"\n",
		"only/_defaults.toml":    "[service]\nowner = \"x\"\n",
	})
	owners := func(ms []*Manifest) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.ID()+" owner="+m.Service.Owner+" system="+m.Service.System)
		}
		return out
	}
	for _, tt := range []struct {
		paths []string
		want  []string
	}{
		{[]string{"svc"}, []string{"a@staging owner=team system=sub"}},
		{[]string{"svc/sub"}, []string{"a@production owner= system=sub"}},
		{[]string{"svc/sub/a.toml"}, []string{"a@production owner= system="}},
		{[]string{"svc/_defaults.toml", "svc/sub/a.toml"}, []string{"a@staging owner=team system="}},
		{[]string{"./svc/sub/", "svc/_defaults.toml"}, []string{"a@staging owner=team system=sub"}},
	} {
		ms, err := Load(tt.paths)
		if err != nil {
			t.Fatalf("Load(%q): %v", tt.paths, err)
		}
		if diff := cmp.Diff(tt.want, owners(ms)); diff != "" {
			t.Errorf("Load(%q) (-want +got):\n%s", tt.paths, diff)
		}
	}
	// A _defaults.toml is not a manifest.
	_, err := Load([]string{"only"})
	if err == nil || err.Error() != "no manifests found in only" {
		t.Errorf("Load(only) = %v, want no manifests found", err)
	}
	_, err = LoadFiles([]File{{Name: "only/_defaults.toml", Data: []byte("")}})
	if err == nil || err.Error() != "no manifests found" {
		t.Errorf("LoadFiles(only defaults) = %v, want no manifests found", err)
	}
}

// TestLoadDefaultsErrors: every problem with defaults is positioned where
// it is written, in _defaults.toml, catch22.toml or the manifest.
func TestLoadDefaultsErrors(t *testing.T) {
	for _, tt := range []struct {
		name  string
		base  string // catch22.toml
		files []File
		want  []string
	}{
		{
			name: "problems in a _defaults.toml",
			files: []File{
				{Name: "d/_defaults.toml", Data: []byte(`owner = "x"
[service]
name = "a"
emulate = "kv"
tier = 5
env = "Staging"
monitored_by = "alerting"
onwer = "y"

[[dependency]]
kind = "auth"

[[recovery]]
name = "r"

[[template]]
via = []

[[template]]
name = "t"
via = ["ci"]
use = "other"

[[template]]
name = "t"
via = ["Bad"]
`)},
				{Name: "d/a.toml", Data: []byte(svc("a"))},
			},
			want: []string{
				`d/_defaults.toml:1:1: unknown key "owner" in _defaults.toml (did you mean [service] owner?)`,
				`d/_defaults.toml:3:1: name is not inherited: defaults apply to many services; write it in each manifest's [service]`,
				`d/_defaults.toml:4:1: emulate is not inherited: defaults apply to many services; write it in each manifest's [service]`,
				`d/_defaults.toml:5:8: tier: want an integer from 0 to 3, got 5`,
				`d/_defaults.toml:6:7: env: want a name matching [a-z0-9][a-z0-9._-]*, got "Staging" (did you mean "staging"?)`,
				`d/_defaults.toml:7:16: monitored_by: want an array of node references, got string`,
				`d/_defaults.toml:8:1: unknown key "onwer" in [service] (did you mean "owner"?)`,
				`d/_defaults.toml:10:1: missing required key "on" (or "any_of") in [[dependency]]`,
				`d/_defaults.toml:13:3: [[recovery]] is not inherited: declare a [[template]] and write [[recovery]] use = "NAME" in each manifest`,
				`d/_defaults.toml:16:1: missing required key "name" in [[template]]`,
				`d/_defaults.toml:17:7: via: want a non-empty array of node references, got an empty array`,
				`d/_defaults.toml:22:1: unknown key "use" in [[template]]`,
				`d/_defaults.toml:25:8: duplicate template "t" (first declared at line 20)`,
				`d/_defaults.toml:26:8: via: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "Bad" (did you mean "bad"?)`,
			},
		},
		{
			name: "problems in catch22.toml's [defaults]",
			base: `[defaults.service]
name = "x"
kind = "servce"

[[defaults.recovery]]
name = "r"

[[defaults.template]]
name = "t"

[[defaults.dependency]]
kind = "auth"
`,
			files: []File{{Name: "a.toml", Data: []byte(svc("a"))}},
			want: []string{
				`catch22.toml:2:1: name is not inherited: defaults apply to many services; write it in each manifest's [service]`,
				`catch22.toml:3:8: kind: want one of service|tool|datastore|network|external|human, got "servce" (did you mean "service"?)`,
				`catch22.toml:5:12: [[defaults.recovery]] is not inherited: declare a [[defaults.template]] and write [[recovery]] use = "NAME" in each manifest`,
				`catch22.toml:8:1: missing required key "via" in [[defaults.template]]`,
				`catch22.toml:11:1: missing required key "on" (or "any_of") in [[defaults.dependency]]`,
			},
		},
		{
			name: "unknown templates, with a hint or where templates go",
			files: []File{
				{Name: "d/_defaults.toml", Data: []byte("[[template]]\nname = \"standard-rollback\"\nvia = [\"ci\"]\n")},
				{Name: "d/a.toml", Data: []byte(svc("a") + "[[recovery]]\nuse = \"standard-rolback\"\n")},
				{Name: "e/b.toml", Data: []byte(svc("b") + "[[recovery]]\nuse = \"standard-rollback\"\n")},
			},
			want: []string{
				`d/a.toml:4:7: use: no procedure template "standard-rolback" (did you mean "standard-rollback"?)`,
				`e/b.toml:4:7: use: no procedure template "standard-rollback" (templates are declared as [[template]] in a _defaults.toml above the manifest, or as [[defaults.template]] in catch22.toml)`,
			},
		},
		{
			name: "a broken _defaults.toml is reported, not what it would have supplied",
			files: []File{
				{Name: "d/_defaults.toml", Data: []byte("[[template]\n")},
				{Name: "d/x/a.toml", Data: []byte(svc("a") + "skip_inherited = [\"k8s\"]\n[[recovery]]\nuse = \"standard-rollback\"\n")},
			},
			want: []string{`d/_defaults.toml:1:11: expected end of table array name delimiter ']', but got '\n' instead`},
		},
		{
			name: "procedures from templates",
			files: []File{
				{Name: "_defaults.toml", Data: []byte("[[template]]\nname = \"rollback\"\nvia = [\"ci\"]\n")},
				{Name: "a.toml", Data: []byte(svc("a") + `[[recovery]]
use = "rollback"

[[recovery]]
use = "rollback"

[[recovery]]
name = "rollback"
via = ["x"]

[[recovery]]
use = ""

[[recovery]]
use = "rollback"
name = "other"
via = []
`)},
			},
			want: []string{
				`a.toml:7:7: duplicate recovery procedure "rollback" (first declared at line 4)`,
				`a.toml:10:8: duplicate recovery procedure "rollback" (first declared at line 4)`,
				`a.toml:14:7: use: want the name of a procedure template, got ""`,
				`a.toml:19:7: via: want a non-empty array of node references, got an empty array`,
			},
		},
		{
			name: "skip_inherited must match an inherited dependency",
			base: "[[defaults.dependency]]\non = \"dns@production\"\n",
			files: []File{
				{Name: "_defaults.toml", Data: []byte("[[dependency]]\non = \"k8s-eu\"\n")},
				{Name: "a.toml", Data: []byte(svc("a") + "env = \"staging\"\nskip_inherited = [\"k8s-ue\", \"dns\", \"dns@production\", \"Bad\"]\n")},
			},
			want: []string{
				`a.toml:4:19: skip_inherited: no inherited dependency on "k8s-ue@staging" (did you mean "k8s-eu@staging"?)`,
				`a.toml:4:29: skip_inherited: no inherited dependency on "dns@staging" (did you mean "dns@production"?)`,
				`a.toml:4:54: skip_inherited: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "Bad" (did you mean "bad"?)`,
			},
		},
		{
			name: "an inherited env can make node IDs collide",
			files: []File{
				{Name: "staging/_defaults.toml", Data: []byte("[service]\nenv = \"staging\"\n")},
				{Name: "staging/a.toml", Data: []byte(svc("a"))},
				{Name: "a-staging.toml", Data: []byte(svc("a") + "env = \"staging\"\n")},
			},
			want: []string{`staging/a.toml:1:1: duplicate node "a@staging": also declared at a-staging.toml:1:1`},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var opts Options
			if tt.base != "" {
				d, errs := ParseDefaults("catch22.toml", []byte(tt.base), "defaults")
				if errs != nil {
					var got []string
					for _, e := range errs {
						got = append(got, e.Error())
					}
					if diff := cmp.Diff(tt.want, got); diff != "" {
						t.Errorf("errors (-want +got):\n%s", diff)
					}
					return
				}
				opts.Defaults = d
			}
			ms, err := opts.LoadFiles(tt.files)
			var list ErrorList
			if !errors.As(err, &list) || ms != nil {
				t.Fatalf("LoadFiles = %d manifests, %v; want an ErrorList", len(ms), err)
			}
			if diff := cmp.Diff(tt.want, strings.Split(list.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// Parse reads no defaults, so a template cannot be found.
func TestParseUseWithoutDefaults(t *testing.T) {
	_, errs := Parse("m.toml", []byte(svc("a")+"[[recovery]]\nuse = \"rollback\"\n"))
	want := `m.toml:4:7: use: no procedure template "rollback" (templates are declared as [[template]] in a _defaults.toml above the manifest, or as [[defaults.template]] in catch22.toml)`
	if errs.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", errs, want)
	}
}

func TestParseDefaultsAbsent(t *testing.T) {
	d, errs := ParseDefaults("catch22.toml", []byte("fail_on = \"error\"\n"), "defaults")
	if d != nil || errs != nil {
		t.Errorf("ParseDefaults without [defaults] = %v, %v; want nil, nil", d, errs)
	}
	_, errs = ParseDefaults("catch22.toml", []byte("defaults = 1\n"), "defaults")
	if want := "catch22.toml:1:12: defaults: want a table ([defaults]), got integer"; errs.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", errs, want)
	}
}

// A template's rebuilds is inherited like breakglass, and an entry that
// writes its own, false included, overrides it; a template with a bad
// rebuilds is an error at the value.
func TestTemplateRebuilds(t *testing.T) {
	got, err := Options{}.LoadFiles([]File{
		{Name: "_defaults.toml", Data: []byte("[[template]]\nname = \"recreate\"\nvia = [\"console\"]\nrebuilds = true\n")},
		{Name: "k8s.toml", Data: []byte("[service]\nname = \"k8s\"\n[[recovery]]\nuse = \"recreate\"\n[[recovery]]\nuse = \"recreate\"\nname = \"restore\"\nrebuilds = false\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var rebuilds []bool
	for _, r := range got[0].Recoveries {
		rebuilds = append(rebuilds, r.Rebuilds)
	}
	if diff := cmp.Diff([]bool{true, false}, rebuilds); diff != "" {
		t.Errorf("rebuilds (-want +got):\n%s", diff)
	}

	_, err = Options{}.LoadFiles([]File{
		{Name: "_defaults.toml", Data: []byte("[[template]]\nname = \"recreate\"\nvia = [\"console\"]\nrebuilds = \"always\"\n")},
		{Name: "k8s.toml", Data: []byte("[service]\nname = \"k8s\"\n")},
	})
	if want := "_defaults.toml:4:12: rebuilds: want a boolean, got string"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
