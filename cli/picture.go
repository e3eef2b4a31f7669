package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/report"
)

// pictureFlags choose what a picture shows, for every command that draws
// the graph (graph, report): a neighbourhood, the findings only, classes of
// edges, systems collapsed into boxes. pictureOptions reads them.
func pictureFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringSliceFlag{Name: "focus", Usage: "draw only the neighbourhood of `NODE[,NODE]` (repeatable; a bare NODE means NODE@production)"},
		&ucli.IntFlag{Name: "depth", Value: 1, Usage: "with --focus, how many edges away (in either direction) to draw"},
		&ucli.BoolFlag{Name: "findings-only", Usage: "draw only the nodes and edges of findings"},
		&ucli.StringFlag{Name: "edges", Usage: "draw only the edges of `CLASS[,CLASS]`: " + strings.Join(report.EdgeClasses(), ", ") + " (default: all)"},
		&ucli.StringFlag{Name: "collapse", Value: "none", Usage: "draw `MODE`: system (one box per system, the edges between systems counted) or none (every node)"},
	}
}

// pictureOptions reads the cluster mode and pictureFlags, all but --focus,
// which needs the graph: pictureFocus adds it. Bad values are usage errors,
// found before the manifests are loaded.
func pictureOptions(c *ucli.Context) (report.PictureOptions, error) {
	cluster, collapse := c.String("cluster"), c.String("collapse")
	if err := oneOf("cluster", cluster, report.ClusterModes()); err != nil {
		return report.PictureOptions{}, err
	}
	if !slices.Contains(report.CollapseModes(), collapse) {
		return report.PictureOptions{}, usagef("--collapse: %q%s (want %s)", collapse, suggest.Hint(collapse, report.CollapseModes()), strings.Join(report.CollapseModes(), ", "))
	}
	if collapse == "system" {
		// A box stands for a whole system: clusters by system would frame
		// each box alone, and by owner or env a box has no single value.
		if c.IsSet("cluster") && cluster != "none" {
			return report.PictureOptions{}, usagef("--cluster %s does not combine with --collapse system (a box has no single %s); leave --cluster out", cluster, cluster)
		}
		cluster = "none"
	}
	depth := c.Int("depth")
	switch {
	case depth < 0:
		return report.PictureOptions{}, usagef("--depth: want 0 or more, got %d", depth)
	case c.IsSet("depth") && !c.IsSet("focus"):
		return report.PictureOptions{}, usagef("--depth needs --focus NODE")
	}
	edges, err := edgeClasses(c.String("edges"), c.IsSet("edges"))
	if err != nil {
		return report.PictureOptions{}, err
	}
	return report.PictureOptions{Cluster: cluster, Depth: depth, FindingsOnly: c.Bool("findings-only"), Edges: edges, Collapse: collapse}, nil
}

// pictureFocus completes pictureOptions with what needs the graph and the
// settings: --focus, and the environments' order.
func pictureFocus(c *ucli.Context, o *report.PictureOptions, g *graph.Graph, set settings) error {
	focus, err := focusNodes(g, c.StringSlice("focus"), c.IsSet("focus"))
	if err != nil {
		return err
	}
	o.Focus, o.EnvOrder = focus, set.analysis.EnvOrder
	return nil
}

// edgeClasses reads --edges: comma-separated classes of report.EdgeClasses,
// each at most once; nil when the flag is not set.
func edgeClasses(flag string, set bool) ([]string, error) {
	if !set {
		return nil, nil
	}
	all := report.EdgeClasses()
	var out []string
	for _, f := range strings.Split(flag, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(all, f) {
			return nil, usagef("--edges: %q%s (want %s)", f, suggest.Hint(f, all), strings.Join(all, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, usagef("--edges needs a CLASS: %s", strings.Join(all, ", "))
	}
	return out, nil
}

// focusNodes reads --focus, which may be repeated: nodes, a bare name
// meaning name@production, each of which must be declared.
func focusNodes(g *graph.Graph, values []string, set bool) ([]string, error) {
	if !set {
		return nil, nil
	}
	var ids []string
	for _, f := range listValues(values) {
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
			// A picture too large for Mermaid is cut, with a warning.
			write = report.MermaidWarning(env.stderr)
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
	pic, err := report.BuildPicture(g, res, o)
	if err != nil {
		return nil, usagef("%s", err)
	}
	return render(c, pic)
}

// render lays a built picture out with Graphviz, as SVG.
func render(c *ucli.Context, pic *report.Picture) ([]byte, error) {
	var src bytes.Buffer
	if err := pic.WriteDOT(&src); err != nil {
		return nil, err
	}
	svg, err := report.RenderSVG(c.Context, src.Bytes(), pic.Nodes())
	if err != nil && !errors.Is(err, report.ErrNoGraphviz) {
		return nil, fmt.Errorf("draw the picture: %w", err)
	}
	return svg, err
}
