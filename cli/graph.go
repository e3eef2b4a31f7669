package cli

import (
	"fmt"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/report"
)

// graphFormats are the formats of `graph --format`, in help-text order.
var graphFormats = []string{"dot", "svg", "mermaid"}

func graphCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "graph",
		Usage:     "draw the dependency graph with the findings on it (DOT, SVG or Mermaid)",
		ArgsUsage: "PATH...",
		Description: `Draws every node and edge of the manifests under the PATHs: shapes by kind,
hard dependencies solid, soft ones dashed, recovery procedures dotted blue and
labelled with their name, monitors thin grey, edges towards a lower
environment orange, non-production nodes dashed and grey. Nodes with an error
finding are outlined red and the witness paths of those findings are red and
bold. A legend in the picture explains what it uses.

--format svg runs Graphviz (dot, or sfdp for very large pictures), which must
be installed; --format mermaid prints a flowchart for a Markdown mermaid block.
Large estates are best drawn in parts: --focus NODE[,NODE] with --depth N, or
--findings-only. Exit status: 0 when it drew, 2 for bad input.`,
		OnUsageError: onUsageError,
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "dot", Usage: "output format: " + strings.Join(graphFormats, "|")},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the picture to `FILE` instead of standard output"},
			&ucli.StringFlag{Name: "cluster", Value: "system", Usage: "group nodes by " + strings.Join(report.ClusterModes(), "|")},
			&ucli.StringFlag{Name: "focus", Usage: "draw only the neighbourhood of `NODE[,NODE]` (a bare NODE means NODE@production)"},
			&ucli.IntFlag{Name: "depth", Value: 1, Usage: "with --focus, how many edges away (in either direction) to draw"},
			&ucli.BoolFlag{Name: "findings-only", Usage: "draw only the nodes and edges of findings"},
		}, settingsFlags()...),
		Action: func(c *ucli.Context) error {
			format, cluster := c.String("format"), c.String("cluster")
			if err := oneOf("format", format, graphFormats); err != nil {
				return err
			}
			if err := oneOf("cluster", cluster, report.ClusterModes()); err != nil {
				return err
			}
			depth := c.Int("depth")
			switch {
			case depth < 0:
				return usagef("--depth: want 0 or more, got %d", depth)
			case c.IsSet("depth") && !c.IsSet("focus"):
				return usagef("--depth needs --focus NODE")
			}
			g, set, err := loadGraph(c, "graph")
			if err != nil {
				return err
			}
			focus, err := focusNodes(g, c.String("focus"), c.IsSet("focus"))
			if err != nil {
				return err
			}
			res, err := analyzer.Analyze(g, set.analysis)
			if err != nil {
				return err
			}
			o := report.PictureOptions{Cluster: cluster, Focus: focus, Depth: depth,
				FindingsOnly: c.Bool("findings-only"), EnvOrder: set.analysis.EnvOrder}
			return drawPicture(c, env, g, res, o, format)
		},
	}
}

// focusNodes reads --focus: comma-separated nodes, a bare name meaning
// name@production, each of which must be declared.
func focusNodes(g *graph.Graph, flag string, set bool) ([]string, error) {
	if !set {
		return nil, nil
	}
	var ids []string
	for _, f := range strings.Split(flag, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := lookupNode(g, f)
		if err != nil {
			return nil, fmt.Errorf("--focus: %w", err)
		}
		id := g.Nodes[v].ID
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, usagef("--focus needs a NODE")
	}
	return ids, nil
}
