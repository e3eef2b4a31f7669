package cli

import (
	"errors"
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/report"
)

func reportCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "report",
		Usage:     "write one self-contained HTML page for a design review",
		ArgsUsage: "PATH... --output F.html",
		Description: `Writes the findings, the graph picture (inline SVG, drawn by Graphviz when it is
installed) and each service's recovery status into one HTML file that needs no
network. The page filters and searches with a few lines of JavaScript and
prints cleanly. Exit status: 0 when the page was written, 2 for bad input.`,
		OnUsageError: onUsageError,
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the page to `FILE` (default: standard output)"},
			&ucli.StringFlag{Name: "title", Usage: "the page's `TITLE` (default: catch22 design review)"},
			&ucli.StringFlag{Name: "cluster", Value: "system", Usage: "group the picture's nodes by system|owner|env|none"},
		}, settingsFlags()...),
		Action: func(c *ucli.Context) error {
			g, set, err := loadGraph(c, "report")
			if err != nil {
				return err
			}
			res, err := analyzer.Analyze(g, set.analysis)
			if err != nil {
				return err
			}
			pic := report.PictureOptions{Cluster: c.String("cluster"), EnvOrder: set.analysis.EnvOrder}
			opts := report.HTMLOptions{Title: c.String("title"), Now: set.analysis.Now, Version: Version}
			if opts.SVG, err = picture(c, g, res, pic); errors.Is(err, report.ErrNoGraphviz) {
				opts.SVGNote = "Graphviz is not installed, so there is no picture: install it (apt-get install graphviz, brew install graphviz) and run catch22 report again, or get the DOT source with catch22 graph --format dot."
			} else if err != nil {
				return err
			}
			return writeOutput(env, c.String("output"), func(w io.Writer, _ report.Options) error {
				return report.HTML(w, g, res, opts)
			})
		},
	}
}
