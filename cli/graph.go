package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
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
labelled with their name, monitors grey, edges towards a lower environment
orange, non-production nodes dashed and grey. Nodes with an error finding are
outlined red and the witness paths of those findings are red and bold. Edges
of one class between the same two nodes are drawn once, labelled with a count
("rollback ×2"). A legend under the picture explains what it uses.

--format svg runs Graphviz (dot, or sfdp for very large pictures), which must
be installed; --format mermaid prints a flowchart for a Markdown mermaid block.
Large estates are best drawn in parts: --focus NODE[,NODE] with --depth N,
--findings-only, --edges deps|recovery|monitors (a comma list) to draw some
classes of edges, or --collapse system to draw one box per system with the
edges between systems bundled and counted. Exit status: 0 when it drew, 2 for
bad input.`,
		Flags: append(append([]ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "dot", Usage: "output format: " + strings.Join(graphFormats, "|")},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the picture to `FILE` instead of standard output"},
			&ucli.StringFlag{Name: "cluster", Value: "system", Usage: "group nodes by " + strings.Join(report.ClusterModes(), "|")},
		}, pictureFlags()...), settingsFlags()...),
		Action: func(c *ucli.Context) error {
			format := c.String("format")
			if err := oneOf("format", format, graphFormats); err != nil {
				return err
			}
			o, err := pictureOptions(c)
			if err != nil {
				return err
			}
			g, set, err := loadGraph(c, "graph")
			if err != nil {
				return err
			}
			if err := pictureFocus(c, &o, g, set); err != nil {
				return err
			}
			res, err := analyzer.Analyze(g, set.analysis)
			if err != nil {
				return err
			}
			return drawPicture(c, env, g, res, o, format)
		},
	}
}
