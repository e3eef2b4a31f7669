package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
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
			if c.NArg() == 0 {
				return usagef("report needs at least one PATH (a manifest file or a directory)")
			}
			set, err := loadSettings(c, c.Args().Slice())
			if err != nil {
				return err
			}
			ms, err := manifest.Load(c.Args().Slice())
			if err != nil {
				return err
			}
			g := graph.Build(ms)
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

// picture draws the graph with Graphviz as SVG.
func picture(c *ucli.Context, g *graph.Graph, res *analyzer.Result, o report.PictureOptions) ([]byte, error) {
	var src bytes.Buffer
	if err := report.DOT(&src, g, res, o); err != nil {
		return nil, usagef("%s", err)
	}
	n, err := report.PictureNodes(g, res, o)
	if err != nil {
		return nil, usagef("%s", err)
	}
	svg, err := report.RenderSVG(c.Context, src.Bytes(), n)
	if err != nil && !errors.Is(err, report.ErrNoGraphviz) {
		return nil, fmt.Errorf("draw the picture: %w", err)
	}
	return svg, err
}
