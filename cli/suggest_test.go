package cli

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
)

var hintRE = regexp.MustCompile(` \(did you mean "[^"]*"\?\)$`)

// A node named on the command line that is not declared gets the same
// "did you mean" as a dependency on it in a manifest (unknown-service):
// `--fail flags`, with only flags@staging declared, suggests
// "flags@staging". Before, the command line compared full IDs and found
// nothing close to "flags@production".
func TestNodeHintMatchesUnknownService(t *testing.T) {
	declared := []string{"flags@staging", "workers-kv@production", "access@production", "access@staging",
		"kv@development", "kv@staging", "dash@staging", "dashboard@production"}
	var files []manifest.File
	for _, id := range declared {
		name, env, _ := strings.Cut(id, "@")
		files = append(files, manifest.File{Name: id + ".toml", Data: fmt.Appendf(nil, "[service]\nname = %q\nenv = %q\n", name, env)})
	}
	for _, tc := range []struct{ typed, want string }{
		{"flags", ` (did you mean "flags@staging"?)`},
		{"workerskv", ` (did you mean "workers-kv"?)`},
		{"acess", ` (did you mean "access"?)`},
		{"acess@staging", ` (did you mean "access@staging"?)`},
		{"kv", ` (did you mean "kv@development"?)`}, // the smallest env
		{"flags@prod", ` (did you mean "flags@staging"?)`},
		{"dashboard@staging", ` (did you mean "dashboard"?)`},
		{"nothing-like-it", ""},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			ref := manifest.File{Name: "referrer.toml", Data: fmt.Appendf(nil, "[service]\nname = \"the-referrer-of-all\"\n\n[[dependency]]\non = %q\n", tc.typed)}
			ms, err := manifest.LoadFiles(append([]manifest.File{ref}, files...))
			if err != nil {
				t.Fatal(err)
			}
			res, err := analyzer.Run(ms, analyzer.DefaultConfig(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)))
			if err != nil {
				t.Fatal(err)
			}
			rule := "(no unknown-service finding)"
			for _, f := range res.Findings {
				if f.Rule == "unknown-service" {
					rule = hintRE.FindString(f.Message)
				}
			}
			_, lookupErr := lookupNode(graph.Build(ms), tc.typed)
			if lookupErr == nil {
				t.Fatalf("lookupNode(%q) found a node", tc.typed)
			}
			cli := hintRE.FindString(lookupErr.Error())
			if cli != rule || cli != tc.want {
				t.Errorf("hint for %q: command line %q, unknown-service %q, want %q", tc.typed, cli, rule, tc.want)
			}
		})
	}
}
