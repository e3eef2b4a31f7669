package cli

import (
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

// whatIfFormats are the formats of `what-if --format`, in help-text order;
// --each takes the first two.
var whatIfFormats = []string{"text", "json", "dot", "svg"}

func whatIfCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "what-if",
		Usage:     "simulate a failure: what goes down, what comes back in which wave, and why the rest cannot",
		ArgsUsage: "--fail NODE[,NODE] PATH...",
		Description: `Fails the nodes named by --fail (bare names mean NODE@production; system=X,
owner=X and env=X fail every node that matches) and predicts:

  - down: every node with a path of hard dependencies into a failed node, and
    that path;
  - recovery in waves: a failed node is repaired in the first wave in which
    one of its procedures has every via node up, and a node is up again when
    it is repaired (or never failed) and all its hard dependencies are up;
  - the deadlock: failed nodes no wave repairs, with the witness of why each
    procedure stays blocked, and the changes that would break the cycles.

--each fails every node alone, in one run, and ranks them: most nodes down
first, then those that cannot come back. --format dot|svg draws the graph
with the down set shaded and the wave each node comes back in. Exit status:
0 when it ran, whatever it predicts; 2 for bad input.`,
		Flags: append([]ucli.Flag{
			&ucli.StringSliceFlag{Name: "fail", Usage: "fail `NODE[,NODE]` (or system=X, owner=X, env=X) together; repeat --fail for more"},
			&ucli.BoolFlag{Name: "each", Usage: "fail every node alone and rank them (instead of --fail)"},
			&ucli.IntFlag{Name: "top", Usage: "with --each and text, show the first `N` rows (0: all)"},
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: " + strings.Join(whatIfFormats, "|")},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
			&ucli.StringFlag{Name: "cluster", Value: "system", Usage: "with dot|svg, group nodes by " + strings.Join(report.ClusterModes(), "|")},
		}, settingsFlags()...),
		Action: func(c *ucli.Context) error {
			format := c.String("format")
			if err := oneOf("format", format, whatIfFormats); err != nil {
				return err
			}
			each := c.Bool("each")
			switch {
			case each && c.IsSet("fail"):
				return usagef("--each and --fail exclude each other")
			case !each && !c.IsSet("fail"):
				return usagef("what-if needs --fail NODE[,NODE] or --each")
			case each && format != "text" && format != "json":
				return usagef("--each writes text or json, not %s", format)
			case c.Int("top") < 0:
				return usagef("--top: want 0 or more, got %d", c.Int("top"))
			}
			if err := oneOf("cluster", c.String("cluster"), report.ClusterModes()); err != nil {
				return err
			}
			g, set, err := loadGraph(c, "what-if")
			if err != nil {
				return err
			}
			if each {
				rows := analyzer.EachFailure(g, rules.ComputeFacts(g))
				return writeOutput(env, c.String("output"), func(w io.Writer, o report.Options) error {
					if format == "json" {
						return report.EachJSON(w, rows, o)
					}
					return report.EachText(w, rows, c.Int("top"), o)
				})
			}
			failed, err := failedNodes(g, c.StringSlice("fail"))
			if err != nil {
				return err
			}
			p := analyzer.Simulate(g, failed)
			switch format {
			case "json":
				return writeOutput(env, c.String("output"), func(w io.Writer, o report.Options) error { return report.WhatIfJSON(w, p, o) })
			case "text":
				return writeOutput(env, c.String("output"), func(w io.Writer, o report.Options) error { return report.WhatIfText(w, p, o) })
			}
			res, err := analyzer.Analyze(g, set.analysis)
			if err != nil {
				return err
			}
			o := report.PictureOptions{Cluster: c.String("cluster"), EnvOrder: set.analysis.EnvOrder, Style: report.WhatIfStyle(p), Legend: report.WhatIfLegend()}
			return drawPicture(c, env, g, res, o, format)
		},
	}
}

func planCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "plan",
		Usage:     "cold start from nothing: bring-up waves, and what never comes up and why",
		ArgsUsage: "PATH...",
		Description: `Starts every node from nothing (a region or data-centre black start). A node
comes up in the first wave in which all its hard dependencies are up and, if
it declares recovery procedures, every via node of one of them is up. Nodes
that never come up are shown with the cycle that holds them, with the single
change that would bring up the most of them and the changes that break every
cycle. Exit status: 0 when it ran, whatever it predicts; 2 for bad input.`,
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: text|json"},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
		}, settingsFlags()...),
		Action: func(c *ucli.Context) error {
			format := c.String("format")
			if err := oneOf("format", format, textOrJSON); err != nil {
				return err
			}
			g, _, err := loadGraph(c, "plan")
			if err != nil {
				return err
			}
			p := analyzer.ColdStart(g)
			return writeOutput(env, c.String("output"), func(w io.Writer, o report.Options) error {
				if format == "json" {
					return report.PlanJSON(w, p, o)
				}
				return report.PlanText(w, p, o)
			})
		},
	}
}
