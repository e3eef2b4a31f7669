package cli

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/report"
)

// The "did you mean" hints of the command line. They rank candidates with
// internal/suggest, as the manifest loader and the rules do, so that a typo
// is forgiven the same way wherever it is made.

// commandHint is the ` (did you mean "x"?)` for an unknown command name.
func commandHint(name string, cmds []*ucli.Command) string {
	var names []string
	for _, c := range cmds {
		names = append(names, c.Names()...)
	}
	return suggest.Hint(name, names)
}

// unknownFlag returns the name of the flag that the flag package refused
// as not defined, without dashes.
func unknownFlag(err error) (string, bool) {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	return name, ok && name != ""
}

// flagHint is the ` (did you mean --x?)` for an unknown flag name. A
// one-letter name gets none: any other letter is one edit away.
func flagHint(name string, flags []ucli.Flag) string {
	if utf8.RuneCountInString(name) < 2 {
		return ""
	}
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	if s := suggest.Closest(name, names); s != "" {
		return " (did you mean " + dashed(s) + "?)"
	}
	return ""
}

// dashed spells a flag name as help shows it: -o, --output.
func dashed(name string) string {
	if utf8.RuneCountInString(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// nodeHint is the ` (did you mean "x"?)` for the node name@env, which the
// graph does not declare. It ranks as the unknown-service rule ranks a
// reference (rules/unknown_service.go): the closest name declared in env,
// else the same name declared in another environment, the byte-wise
// smallest first. So `--fail flags`, with only flags@staging declared,
// suggests "flags@staging", as a dependency on "flags" would.
func nodeHint(g *graph.Graph, name, env string) string {
	var inEnv, envs []string
	for _, n := range g.Nodes {
		s := &n.Manifest.Service
		if s.Env == env {
			inEnv = append(inEnv, s.Name)
		}
		if s.Name == name {
			envs = append(envs, s.Env)
		}
	}
	if c := suggest.Closest(name, inEnv); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", report.Display(c+"@"+env))
	}
	if len(envs) > 0 {
		return fmt.Sprintf(" (did you mean %q?)", report.Display(name+"@"+slices.Min(envs)))
	}
	return ""
}
