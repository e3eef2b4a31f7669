package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/manifest"
)

// TestUnknownServiceHints: a typo gets the closest name of its environment,
// a name declared only elsewhere gets that environment, a name like none
// gets no hint, and every reference to one missing ID gets the same hint.
func TestUnknownServiceHints(t *testing.T) {
	ms, err := manifest.LoadFiles([]manifest.File{
		{Name: "api.toml", Data: []byte(`[service]
name = "api"
monitored_by = ["pagr"]

[[dependency]]
on = "workerskv"

[[dependency]]
on = "flags"

[[dependency]]
on = "zzzzzzzzzzzz"
`)},
		{Name: "web.toml", Data: []byte(`[service]
name = "web"

[[dependency]]
on = "workerskv"
`)},
		{Name: "pager.toml", Data: []byte("[service]\nname = \"pager\"\n")},
		{Name: "kv.toml", Data: []byte("[service]\nname = \"workers-kv\"\n")},
		{Name: "flags.toml", Data: []byte("[service]\nname = \"flags\"\nenv = \"staging\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyzer.Run(ms, analyzer.DefaultConfig(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if f.Rule == "unknown-service" {
			got = append(got, f.File+": "+f.Message)
		}
	}
	want := []string{
		`api.toml: api is monitored by pagr, which no manifest declares (did you mean "pager"?)`,
		`api.toml: api depends (runtime, hard) on workerskv, which no manifest declares (did you mean "workers-kv"?)`,
		`api.toml: api depends (runtime, hard) on flags, which no manifest declares (did you mean "flags@staging"?)`,
		`api.toml: api depends (runtime, hard) on zzzzzzzzzzzz, which no manifest declares`,
		`web.toml: web depends (runtime, hard) on workerskv, which no manifest declares (did you mean "workers-kv"?)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
