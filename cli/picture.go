package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/report"
)

// drawPicture writes the graph picture as DOT, Mermaid or, through
// Graphviz, SVG. The picture is complete before --output is created, so a
// failed layout leaves no empty file behind.
func drawPicture(c *ucli.Context, env environment, g *graph.Graph, res *analyzer.Result, o report.PictureOptions, format string) error {
	var out []byte
	switch format {
	case "svg":
		svg, err := picture(c, g, res, o)
		if errors.Is(err, report.ErrNoGraphviz) {
			return fmt.Errorf("%w; use --format dot to get the DOT source", err)
		}
		if err != nil {
			return err
		}
		out = svg
	default:
		var b bytes.Buffer
		write := report.DOT
		if format == "mermaid" {
			write = report.Mermaid
		}
		if err := write(&b, g, res, o); err != nil {
			return err
		}
		out = b.Bytes()
	}
	return writeOutput(env, c.String("output"), func(w io.Writer, _ report.Options) error {
		_, err := w.Write(out)
		return err
	})
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
