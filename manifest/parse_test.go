package manifest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// badInputs are manifests with the exact errors Parse must report, in order.
// FuzzParse seeds its corpus from them.
var badInputs = []struct {
	name string
	src  string
	want []string
}{
	{
		name: "syntax error",
		src:  "[service]\nname = \"x\n",
		want: []string{"bad.toml:2:10: strings cannot contain newlines"},
	},
	{
		name: "syntax error message on one line, no final period",
		src:  "[service]\nname = \"x\"\ntier = 0x\n",
		want: []string{`bad.toml:3:8: not a hexadecimal number: '0x\n'`},
	},
	{
		name: "duplicate key is a syntax error",
		src:  "[service]\nname = \"x\"\nname = \"y\"\n",
		want: []string{"bad.toml:3:1: key 'service.name' has already been defined"},
	},
	{
		name: "syntax error at the end of a line is on that line",
		src:  "[service\nname = \"x\"\n",
		want: []string{`bad.toml:1:9: expected '.' or ']' to end table name, but got '\n' instead`},
	},
	{
		name: "syntax error after a byte order mark",
		src:  "\xef\xbb\xbf[service]\nname = 'x'\ntier = 0x\n",
		want: []string{`bad.toml:3:8: not a hexadecimal number: '0x\n'`},
	},
	{
		name: "not UTF-8",
		src:  "\xff",
		want: []string{"bad.toml:1:1: invalid UTF-8 byte: 0xff"},
	},
	{
		name: "empty file",
		src:  "",
		want: []string{"bad.toml:1:1: no [service] table: a manifest declares exactly one service"},
	},
	{
		name: "no service table, other problems still reported",
		src:  "# only deps\n[[dependency]]\non = \"Bad\"\n",
		want: []string{
			"bad.toml:1:1: no [service] table: a manifest declares exactly one service",
			`bad.toml:3:6: on: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "Bad" (did you mean "bad"?)`,
		},
	},
	{
		name: "unknown keys everywhere, with hints",
		src: `servce = 1
[service]
name = "a"
nmae = "b"
colour = "red"

[[dependency]]
onn = "x"

[[recovery]]
name = "r"
via = ["x"]
breakglas = true
`,
		want: []string{
			`bad.toml:1:1: unknown key "servce" (did you mean "service"?)`,
			`bad.toml:4:1: unknown key "nmae" in [service] (did you mean "name"?)`,
			`bad.toml:5:1: unknown key "colour" in [service]`,
			`bad.toml:7:1: missing required key "on" (or "any_of") in [[dependency]]`,
			`bad.toml:8:1: unknown key "onn" in [[dependency]] (did you mean "on"?)`,
			`bad.toml:13:1: unknown key "breakglas" in [[recovery]] (did you mean "breakglass"?)`,
		},
	},
	{
		name: "unknown keys in dotted and inline forms point at the key",
		src: `service.name = "a"
service.envv = "b"
dependency = [{on = "x", mod = "soft"}]
dependencies = []
`,
		want: []string{
			`bad.toml:2:9: unknown key "envv" in [service] (did you mean "env"?)`,
			`bad.toml:3:26: unknown key "mod" in [[dependency]] (did you mean "mode"?)`,
			`bad.toml:4:1: unknown key "dependencies" (did you mean "dependency"?)`,
		},
	},
	{
		name: "a sub-table is one unknown key",
		src:  "[service]\nname = \"a\"\n[service.extra]\nx = 1\n",
		want: []string{`bad.toml:3:10: unknown key "extra" in [service]`},
	},
	{
		name: "wrong types",
		src: `[service]
name = 7
env = ["production"]
description = 1.5
owner = true
system = {}
tier = "0"
monitored_by = "alerting"
emulate = 1

[dependency]
on = "x"

[[recovery]]
name = false
via = "ci"
breakglass = "no"
tested = 20230901
runbook = []
`,
		want: []string{
			"bad.toml:2:8: name: want a string, got integer",
			"bad.toml:3:7: env: want a string, got array",
			"bad.toml:4:15: description: want a string, got float",
			"bad.toml:5:9: owner: want a string, got boolean",
			"bad.toml:6:10: system: want a string, got table",
			"bad.toml:7:8: tier: want an integer from 0 to 3, got string",
			"bad.toml:8:16: monitored_by: want an array of node references, got string",
			"bad.toml:9:11: emulate: want a string, got integer",
			"bad.toml:11:1: dependency: want an array of tables ([[dependency]]), got table",
			"bad.toml:15:8: name: want a string, got boolean",
			"bad.toml:16:7: via: want an array of node references, got string",
			"bad.toml:17:14: breakglass: want a boolean, got string",
			"bad.toml:18:10: tested: want a date (YYYY-MM-DD), got integer",
			"bad.toml:19:11: runbook: want a string, got array",
		},
	},
	{
		name: "rebuilds is a boolean, in every form, and not misspelt",
		src: `[service]
name = "cluster"

[[recovery]]
name = "recreate"
via = ["console"]
rebuilds = "yes"

[[recovery]]
name = "restore"
via = ["console"]
rebuild = true
`,
		want: []string{
			"bad.toml:7:12: rebuilds: want a boolean, got string",
			`bad.toml:12:1: unknown key "rebuild" in [[recovery]] (did you mean "rebuilds"?)`,
		},
	},
	{
		name: "rebuilds in an inline table points at its value",
		src:  "service.name = \"cluster\"\nrecovery = [{name = \"x\", via = [\"y\"], rebuilds = 1}]\n",
		want: []string{"bad.toml:2:50: rebuilds: want a boolean, got integer"},
	},
	{
		name: "wrong types of tables and elements",
		src: `service = "access"
dependency = ["x", {on = "y"}, 3]
recovery = 1
`,
		want: []string{
			"bad.toml:1:11: service: want a table ([service]), got string",
			"bad.toml:2:15: dependency: want an array of tables ([[dependency]]), got an array element of type string",
			"bad.toml:2:32: dependency: want an array of tables ([[dependency]]), got an array element of type integer",
			"bad.toml:3:12: recovery: want an array of tables ([[recovery]]), got integer",
		},
	},
	{
		name: "service as an array of tables",
		src:  "[[service]]\nname = \"a\"\n",
		want: []string{"bad.toml:1:1: service: want a table ([service]), got array of tables"},
	},
	{
		name: "reference elements of the wrong type",
		src: `[service]
name = "a"
monitored_by = ["ok", 1, ["nested"], {x = 1}]

[[recovery]]
name = "r"
via = [true, "ok"]
`,
		want: []string{
			"bad.toml:3:23: monitored_by: want a node reference (a string), got integer",
			"bad.toml:3:26: monitored_by: want a node reference (a string), got array",
			"bad.toml:3:38: monitored_by: want a node reference (a string), got table",
			"bad.toml:7:8: via: want a node reference (a string), got boolean",
		},
	},
	{
		name: "enum values",
		src: `[service]
name = "a"
kind = "servce"
emulate = "kb"

[[dependency]]
on = "x"
kind = "Auth"
mode = "hrad"

[[dependency]]
on = "y"
kind = "storage"
mode = ""
phase = "boot"
`,
		want: []string{
			`bad.toml:3:8: kind: want one of service|tool|datastore|network|external|human, got "servce" (did you mean "service"?)`,
			`bad.toml:4:11: emulate: want "" or "kv", got "kb" (did you mean "kv"?)`,
			`bad.toml:8:8: kind: want one of runtime|data|config|auth|network|observability|deploy, got "Auth" (did you mean "auth"?)`,
			`bad.toml:9:8: mode: want one of hard|soft, got "hrad" (did you mean "hard"?)`,
			`bad.toml:13:8: kind: want one of runtime|data|config|auth|network|observability|deploy, got "storage"`,
			`bad.toml:14:8: mode: want one of hard|soft, got ""`,
			`bad.toml:15:9: phase: want one of run|start, got "boot"`,
		},
	},
	{
		name: "redundant dependencies",
		src: `[service]
name = "a"

[[dependency]]
on = "x"
any_of = ["y", "z"]

[[dependency]]
any_of = ["dns-a"]
quorum = 0

[[dependency]]
any_of = ["dns-a", "dns-b", "dns-a@production"]
quorum = 4

[[dependency]]
on = "x"
quorum = 1

[[dependency]]
any_of = ["dns-a", "dns-b"]
quorum = "all"
`,
		want: []string{
			`bad.toml:6:1: any_of: a [[dependency]] names its target with on or its alternatives with any_of, not both`,
			`bad.toml:9:10: any_of: want two or more alternatives, got one (write on = "dns-a" for a single target)`,
			`bad.toml:10:10: quorum: want 1 to 1 (the number of alternatives), got 0`,
			`bad.toml:13:29: any_of: dns-a@production is named twice`,
			`bad.toml:14:10: quorum: want 1 to 3 (the number of alternatives), got 4`,
			`bad.toml:18:1: quorum: only a dependency on alternatives (any_of) has a quorum`,
			`bad.toml:22:10: quorum: want an integer, got string`,
		},
	},
	{
		name: "names and tiers",
		src: `[service]
name = "Access"
env = "prod env"
tier = 4
`,
		want: []string{
			`bad.toml:2:8: name: want a name matching [a-z0-9][a-z0-9._-]*, got "Access" (did you mean "access"?)`,
			`bad.toml:3:7: env: want a name matching [a-z0-9][a-z0-9._-]*, got "prod env"`,
			"bad.toml:4:8: tier: want an integer from 0 to 3, got 4",
		},
	},
	{
		name: "more names and tiers",
		src:  "[service]\nname = \"\"\nenv = \"-x\"\ntier = -1\n",
		want: []string{
			`bad.toml:2:8: name: want a name matching [a-z0-9][a-z0-9._-]*, got ""`,
			`bad.toml:3:7: env: want a name matching [a-z0-9][a-z0-9._-]*, got "-x"`,
			"bad.toml:4:8: tier: want an integer from 0 to 3, got -1",
		},
	},
	{
		name: "float tier",
		src:  "[service]\nname = \"a\"\ntier = 1.0\n",
		want: []string{"bad.toml:3:8: tier: want an integer from 0 to 3, got float"},
	},
	{
		name: "references",
		src: `[service]
name = "a"
monitored_by = ["a@b@c", "@prod", "x@", "Access@Prod", "ok@staging"]

[[dependency]]
on = ""

[[recovery]]
name = "r"
via = ["good", "bad name"]
`,
		want: []string{
			`bad.toml:3:17: monitored_by: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "a@b@c"`,
			`bad.toml:3:26: monitored_by: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "@prod"`,
			`bad.toml:3:35: monitored_by: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "x@"`,
			`bad.toml:3:41: monitored_by: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "Access@Prod" (did you mean "access@prod"?)`,
			`bad.toml:6:6: on: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got ""`,
			`bad.toml:10:16: via: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "bad name"`,
		},
	},
	{
		name: "missing required keys",
		src: `[service]
env = "staging"

[[dependency]]
kind = "data"

[[recovery]]
via = ["x"]

[[recovery]]
name = "r"

[[recovery]]
name = "s"
via = []

[[recovery]]
name = ""
via = ["x"]
`,
		want: []string{
			`bad.toml:1:1: missing required key "name" in [service]`,
			`bad.toml:4:1: missing required key "on" (or "any_of") in [[dependency]]`,
			`bad.toml:7:1: missing required key "name" in [[recovery]]`,
			`bad.toml:10:1: missing required key "via" in [[recovery]]`,
			"bad.toml:15:7: via: want a non-empty array of node references, got an empty array",
			`bad.toml:18:8: name: want a non-empty procedure name, got ""`,
		},
	},
	{
		name: "missing keys in inline tables point at the brace",
		src:  "service = {env = \"x\"}\ndependency = [ {} ]\nrecovery = [{name = \"r\"}]\n",
		want: []string{
			`bad.toml:1:11: missing required key "name" in [service]`,
			`bad.toml:2:16: missing required key "on" (or "any_of") in [[dependency]]`,
			`bad.toml:3:13: missing required key "via" in [[recovery]]`,
		},
	},
	{
		name: "duplicate procedure names",
		src: `[service]
name = "a"

[[recovery]]
name = "rollback"
via = ["x"]

[[recovery]]
name = "restart"
via = ["x"]

[[recovery]]
name = "rollback"
via = ["y"]

[[recovery]]
name =   "rollback"
via = ["z"]
`,
		want: []string{
			`bad.toml:13:8: duplicate recovery procedure "rollback" (first declared at line 5)`,
			`bad.toml:17:10: duplicate recovery procedure "rollback" (first declared at line 5)`,
		},
	},
	{
		name: "tested must be a date",
		src: `[service]
name = "a"

[[recovery]]
name = "a"
via = ["x"]
tested = 2023-09-01T10:00:00

[[recovery]]
name = "b"
via = ["x"]
tested = 2023-09-01T10:00:00Z

[[recovery]]
name = "c"
via = ["x"]
tested = 10:00:00

[[recovery]]
name = "d"
via = ["x"]
tested = "2023-9-1"

[[recovery]]
name = "e"
via = ["x"]
tested = "last week"
`,
		want: []string{
			"bad.toml:7:10: tested: want a date (YYYY-MM-DD), got local date-time",
			"bad.toml:12:10: tested: want a date (YYYY-MM-DD), got offset date-time",
			"bad.toml:17:10: tested: want a date (YYYY-MM-DD), got local time",
			`bad.toml:22:10: tested: want a date (YYYY-MM-DD), got "2023-9-1"`,
			`bad.toml:27:10: tested: want a date (YYYY-MM-DD), got "last week"`,
		},
	},
	{
		name: "many problems in one file, reported together and sorted",
		src: `[[recovery]]
name = "rollback"
via = ["deploy-tool", "Dashboard", "a@b@c"]
tested = "yesterday"

[service]
name = "workers-kv"
tier = 9
kind = "database"
monitored_by = ["alerting", 42]

[[dependency]]
onn = "access"
mode = "hard"

[[dependency]]
on = "core@Prod"
mode = "sfot"
`,
		want: []string{
			`bad.toml:3:23: via: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "Dashboard" (did you mean "dashboard"?)`,
			`bad.toml:3:36: via: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "a@b@c"`,
			`bad.toml:4:10: tested: want a date (YYYY-MM-DD), got "yesterday"`,
			"bad.toml:8:8: tier: want an integer from 0 to 3, got 9",
			`bad.toml:9:8: kind: want one of service|tool|datastore|network|external|human, got "database"`,
			"bad.toml:10:29: monitored_by: want a node reference (a string), got integer",
			`bad.toml:12:1: missing required key "on" (or "any_of") in [[dependency]]`,
			`bad.toml:13:1: unknown key "onn" in [[dependency]] (did you mean "on"?)`,
			`bad.toml:17:6: on: want a node reference "name" or "name@env" (each matching [a-z0-9][a-z0-9._-]*), got "core@Prod" (did you mean "core@prod"?)`,
			`bad.toml:18:8: mode: want one of hard|soft, got "sfot" (did you mean "soft"?)`,
		},
	},
	{
		name: "CRLF positions",
		src:  "[service]\r\nname = \"a\"\r\ntier = 7\r\n",
		want: []string{"bad.toml:3:8: tier: want an integer from 0 to 3, got 7"},
	},
}

// TestParseManyDuplicateProcedures covers the indexed duplicate check used
// for services with many procedures.
func TestParseManyDuplicateProcedures(t *testing.T) {
	var b strings.Builder
	b.WriteString("[service]\nname = \"a\"\n")
	for i := range 20 {
		fmt.Fprintf(&b, "[[recovery]]\nname = \"p%d\"\nvia = [\"x\"]\n", i%18)
	}
	_, errs := Parse("bad.toml", []byte(b.String()))
	want := []string{
		`bad.toml:58:8: duplicate recovery procedure "p0" (first declared at line 4)`,
		`bad.toml:61:8: duplicate recovery procedure "p1" (first declared at line 7)`,
	}
	if diff := cmp.Diff(want, strings.Split(errs.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range badInputs {
		t.Run(tt.name, func(t *testing.T) {
			m, errs := Parse("bad.toml", []byte(tt.src))
			if m != nil {
				t.Errorf("got a manifest with errors %v", errs)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if s := errs.Error(); s != strings.Join(tt.want, "\n") {
				t.Errorf("ErrorList.Error() =\n%s", s)
			}
		})
	}
}

// date is a UTC midnight, as Parse stores drill dates.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func pos(line, col int) Pos { return Pos{File: "m.toml", Line: line, Col: col} }

func ref(name, env string, line, col int) Ref {
	return Ref{Name: name, Env: env, Pos: pos(line, col)}
}

// goodInputs are valid manifests and what Parse must make of them.
var goodInputs = []struct {
	name string
	src  string
	want *Manifest
}{
	{
		name: "spec example",
		src: `[service]
name = "access"                 # required
env = "production"
description = "Zero-trust auth for dashboards and internal tools"
owner = "access-team"
system = "zero-trust"
tier = 0
kind = "service"
monitored_by = ["alerting"]
emulate = ""

[[dependency]]
on = "workers-kv"
kind = "auth"
mode = "hard"
note = "verifies user JWTs"

[[recovery]]
name = "rollback"
via = ["deploy-tool", "dashboard"]
breakglass = false
tested = 2023-09-01
runbook = "https://example.com/rb"
`,
		want: &Manifest{
			File: "m.toml",
			Service: Service{
				Name: "access", Env: "production",
				Description: "Zero-trust auth for dashboards and internal tools",
				Owner:       "access-team", System: "zero-trust",
				Tier: 0, HasTier: true, Kind: KindService,
				MonitoredBy: []Ref{ref("alerting", "production", 9, 17)},
				Pos:         pos(1, 1),
			},
			Dependencies: []Dependency{{
				On: ref("workers-kv", "production", 13, 6), Kind: DepAuth, Mode: Hard, Phase: PhaseRun,
				Note: "verifies user JWTs", Pos: pos(12, 1),
			}},
			Recoveries: []Recovery{{
				Name:   "rollback",
				Via:    []Ref{ref("deploy-tool", "production", 20, 8), ref("dashboard", "production", 20, 23)},
				Tested: date(2023, 9, 1), TestedPos: pos(22, 10),
				Runbook: "https://example.com/rb", Pos: pos(18, 1),
			}},
		},
	},
	{
		name: "defaults; bare references take the service's env",
		src: `[service]
name = "kv"
env = "staging"
monitored_by = ["alerting", "pager@production"]

[[dependency]]
on = "db"

[[recovery]]
name = "restart"
via = ["ops@production", "console"]
`,
		want: &Manifest{
			File: "m.toml",
			Service: Service{
				Name: "kv", Env: "staging", Kind: KindService,
				MonitoredBy: []Ref{ref("alerting", "staging", 4, 17), ref("pager", "production", 4, 29)},
				Pos:         pos(1, 1),
			},
			Dependencies: []Dependency{{On: ref("db", "staging", 7, 6), Kind: DepRuntime, Mode: Hard, Phase: PhaseRun, Pos: pos(6, 1)}},
			Recoveries: []Recovery{{
				Name: "restart",
				Via:  []Ref{ref("ops", "production", 11, 8), ref("console", "staging", 11, 26)},
				Pos:  pos(9, 1),
			}},
		},
	},
	{
		name: "rebuilds, written both ways, false by default",
		src: `[service]
name = "cluster"

[[recovery]]
name = "recreate"
via = ["console"]
rebuilds = true

[[recovery]]
name = "restore"
via = ["console"]
rebuilds = false

[[recovery]]
name = "restart"
via = ["console"]
`,
		want: &Manifest{
			File:    "m.toml",
			Service: Service{Name: "cluster", Env: "production", Kind: KindService, Pos: pos(1, 1)},
			Recoveries: []Recovery{
				{Name: "recreate", Via: []Ref{ref("console", "production", 6, 8)}, Rebuilds: true, Pos: pos(4, 1)},
				{Name: "restore", Via: []Ref{ref("console", "production", 11, 8)}, Pos: pos(9, 1)},
				{Name: "restart", Via: []Ref{ref("console", "production", 16, 8)}, Pos: pos(14, 1)},
			},
		},
	},
	{
		name: "minimal: env production, kind service, no tier",
		src:  "[service]\nname = \"a\"\n",
		want: &Manifest{File: "m.toml", Service: Service{Name: "a", Env: "production", Kind: KindService, Pos: pos(1, 1)}},
	},
	{
		name: "dotted service, inline arrays of tables, quoted date, declaration order",
		src: `# header comment
service.name = "b.c_d-9"
service.kind = "human"
service.tier = 3
service.emulate = "kv"
dependency = [
  {on = "z", mode = "soft", kind = "observability"},
  {on = "a@dev"},
]
recovery = [{name = "drill", via = ["z", "y", "x"], breakglass = true, tested = "2024-02-29"}]
`,
		want: &Manifest{
			File: "m.toml",
			Service: Service{
				Name: "b.c_d-9", Env: "production", Kind: KindHuman, Tier: 3, HasTier: true, Emulate: "kv",
				Pos: pos(2, 1),
			},
			Dependencies: []Dependency{
				{On: ref("z", "production", 7, 9), Kind: DepObservability, Mode: Soft, Phase: PhaseRun, Pos: pos(7, 3)},
				{On: ref("a", "dev", 8, 9), Kind: DepRuntime, Mode: Hard, Phase: PhaseRun, Pos: pos(8, 3)},
			},
			Recoveries: []Recovery{{
				Name: "drill",
				Via: []Ref{
					ref("z", "production", 10, 37), ref("y", "production", 10, 42), ref("x", "production", 10, 47),
				},
				Breakglass: true, Tested: date(2024, 2, 29), TestedPos: pos(10, 81), Pos: pos(10, 13),
			}},
		},
	},
}

func TestParseGood(t *testing.T) {
	for _, tt := range goodInputs {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := Parse("m.toml", []byte(tt.src))
			if errs != nil {
				t.Fatalf("unexpected errors:\n%v", errs)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("manifest (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseTestedIsUTCMidnight guards the one place that depends on how
// BurntSushi/toml marks local dates: a change there would make every
// `tested` date an error or shift it by the machine's time zone.
func TestParseTestedIsUTCMidnight(t *testing.T) {
	m, errs := Parse("m.toml", []byte("[service]\nname = \"a\"\n[[recovery]]\nname = \"r\"\nvia = [\"x\"]\ntested = 1999-12-31\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	got := m.Recoveries[0].Tested
	if got.Location() != time.UTC || !got.Equal(date(1999, 12, 31)) {
		t.Errorf("tested = %v, want 1999-12-31 00:00 UTC", got)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Pos: Pos{File: "a.toml", Line: 3, Col: 7}, Msg: "bad"}, "a.toml:3:7: bad"},
		{&Error{Pos: Pos{File: "dir"}, Msg: "no such file or directory"}, "dir: no such file or directory"},
		{&Error{Msg: "no manifests found"}, "no manifests found"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestErrorListSortedAndDeduped(t *testing.T) {
	e := func(file string, line, col int, msg string) *Error {
		return &Error{Pos: Pos{File: file, Line: line, Col: col}, Msg: msg}
	}
	l := ErrorList{
		e("b.toml", 1, 1, "x"),
		e("a.toml", 10, 1, "x"),
		e("a.toml", 2, 5, "y"),
		e("a.toml", 2, 5, "x"),
		e("a.toml", 2, 3, "z"),
		e("a.toml", 10, 1, "x"),
		e("", 0, 0, "global"),
	}
	want := "global\na.toml:2:3: z\na.toml:2:5: x\na.toml:2:5: y\na.toml:10:1: x\nb.toml:1:1: x"
	if got := l.sorted().Error(); got != want {
		t.Errorf("sorted list:\n%s\nwant:\n%s", got, want)
	}
	if ErrorList(nil).Err() != nil {
		t.Error("empty ErrorList.Err() is not nil")
	}
	if l.Err() == nil {
		t.Error("non-empty ErrorList.Err() is nil")
	}
}
