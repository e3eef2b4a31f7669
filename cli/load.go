package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/gctune"
)

// loadGraph reads the configuration and the manifests under the command's
// PATHs and compiles them: the first step of every command that analyses.
func loadGraph(c *ucli.Context, command string) (*graph.Graph, settings, error) {
	if c.NArg() == 0 {
		return nil, settings{}, usagef("%s needs at least one PATH (a manifest file or a directory)", command)
	}
	paths := c.Args().Slice()
	set, err := loadSettings(c, paths)
	if err != nil {
		return nil, settings{}, err
	}
	ms, err := set.load.Load(paths)
	if err != nil {
		return nil, settings{}, err
	}
	gctune.Settle()
	return graph.Build(ms), set, nil
}

// textOrJSON are the formats of the commands that write for people or for
// machines only.
var textOrJSON = []string{"text", "json"}

// oneOf checks that a flag's value is one of the allowed ones.
func oneOf(flag, value string, allowed []string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return usagef("--%s: %q (want %s)", flag, value, strings.Join(allowed, ", "))
}
