package cli

import (
	"errors"
	"fmt"
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
installed; wheel or buttons zoom it, dragging pans it) and each service's
recovery status into one HTML file that needs no network. The page filters and
searches with a few lines of JavaScript and prints cleanly.

The picture takes the options of catch22 graph: --focus NODE[,NODE] with
--depth N, --findings-only, --edges and --collapse system narrow or condense
it; the findings and the table of services always cover every service.
Exit status: 0 when the page was written, 2 for bad input.`,
		Flags: append(append([]ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the page to `FILE` (default: standard output)"},
			&ucli.StringFlag{Name: "title", Usage: "the page's `TITLE` (default: catch22 design review)"},
			&ucli.StringFlag{Name: "cluster", Value: "system", Usage: "group the picture's nodes by system|owner|env|none"},
		}, pictureFlags()...), settingsFlags()...),
		Action: func(c *ucli.Context) error {
			pic, err := pictureOptions(c)
			if err != nil {
				return err
			}
			g, set, err := loadGraph(c, "report")
			if err != nil {
				return err
			}
			if err := pictureFocus(c, &pic, g, set); err != nil {
				return err
			}
			collapsed := collapseLarge(c, &pic, len(g.Nodes))
			res, err := analyzer.Analyze(g, set.analysis)
			if err != nil {
				return err
			}
			opts := report.HTMLOptions{Title: c.String("title"), Now: set.analysis.Now, Version: Version}
			pict, err := report.BuildPicture(g, res, pic)
			if err != nil {
				return usagef("%s", err)
			}
			opts.PictureNote = pict.Note()
			switch {
			case collapsed && (pict.Nodes() > drawAtMost || pict.Edges() > drawAtMost):
				// Even one box per system is too much to draw legibly.
				opts.SVGNote = fmt.Sprintf("%d services in %d systems, with %d lines between them, are too many to draw legibly, so there is no picture: draw part of the estate with --focus NODE or --findings-only.",
					len(g.Nodes), pict.Nodes(), pict.Edges())
				opts.PictureNote = ""
			default:
				opts.SVG, err = render(c, pict)
				if errors.Is(err, report.ErrNoGraphviz) {
					opts.SVGNote = "Graphviz is not installed, so there is no picture: install it (apt-get install graphviz, brew install graphviz) and run catch22 report again, or get the DOT source with catch22 graph --format dot."
				} else if err != nil {
					return err
				}
				if collapsed {
					opts.PictureNote = fmt.Sprintf("%d services, drawn one box per system (--collapse none draws every one). ", len(g.Nodes)) + opts.PictureNote
				}
			}
			return writeOutput(env, c.String("output"), func(w io.Writer, _ report.Options) error {
				return report.HTML(w, g, res, opts)
			})
		},
	}
}

// drawAtMost is the most nodes, and the most lines, the report draws
// unasked: Graphviz takes minutes over thousands of either, and the picture
// shows nothing legible.
const drawAtMost = 1000

// collapseLarge draws an estate of more than drawAtMost services one box
// per system, unless the picture was narrowed or collapsed by hand, and
// reports whether it did.
func collapseLarge(c *ucli.Context, pic *report.PictureOptions, services int) bool {
	if services <= drawAtMost || c.IsSet("collapse") || c.IsSet("focus") || c.IsSet("findings-only") {
		return false
	}
	pic.Collapse, pic.Cluster = "system", "none"
	return true
}
