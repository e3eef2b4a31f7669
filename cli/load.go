package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/gctune"
	"github.com/catch22/catch22/manifest"
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
	ms, err := settled(set.load.Load(paths))
	if err != nil {
		return nil, settings{}, err
	}
	return graph.Build(ms), set, nil
}

// settled passes on what a load returned, once the collector has settled
// (gctune.Settle) after a load that succeeded: the moment the load's
// garbage is dead and nothing else runs. Every command that loads
// manifests goes through it.
func settled(ms []*manifest.Manifest, err error) ([]*manifest.Manifest, error) {
	if err == nil {
		gctune.Settle()
	}
	return ms, err
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
