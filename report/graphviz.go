package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// ErrNoGraphviz says Graphviz's layout programs are not on PATH.
var ErrNoGraphviz = errors.New("graphviz is not installed (apt-get install graphviz / brew install graphviz)")

// SFDPThreshold is the node count above which RenderSVG lays out with sfdp
// instead of dot. dot draws the layered, clustered picture people read
// best, but its time grows much faster than linearly. On synthetic estates
// (synth.Large, about 5 edges per node; 2 vCPUs, Graphviz 2.43) dot took
// 0.4 to 2 s for 40 nodes; with its optimisation bounded (fastDotAbove)
// 3 to 5.5 s for 100 nodes, 12 to 14 s for 150 and 24 to 43 s for 200.
// sfdp took 0.1 s for 100 nodes, 0.3 s for 200, 4 s for 1,000 and 61 s
// for 5,000 (BenchmarkRenderSVG and other seeds). sfdp ignores clusters:
// its pictures are an overview to zoom into, where the red witness paths
// still stand out.
const SFDPThreshold = 100

// fastDotAbove is the node count above which dot's optimisation is bounded
// (nslimit=1, mclimit=0.3): 3 to 6 times faster, at the cost of more
// crossings and looser placement, which small pictures should not pay.
const fastDotAbove = 40

// RenderTimeout bounds a layout when the context passed to RenderSVG has no
// deadline of its own.
const RenderTimeout = 2 * time.Minute

// RenderSVG lays out DOT source with Graphviz and returns the SVG: with dot
// for pictures of up to SFDPThreshold nodes, with sfdp above. nodes is the
// number of nodes the source draws (Picture.Nodes); it only chooses how to
// lay them out. It returns ErrNoGraphviz when the program is not on PATH,
// and an error quoting Graphviz's messages when it fails or the context
// ends first.
func RenderSVG(ctx context.Context, dotSrc []byte, nodes int) ([]byte, error) {
	engine := "dot"
	if nodes > SFDPThreshold {
		engine = "sfdp"
	}
	path, err := exec.LookPath(engine)
	if err != nil {
		return nil, ErrNoGraphviz
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, RenderTimeout)
		defer cancel()
	}
	args := []string{"-Tsvg"}
	if engine == "dot" && nodes > fastDotAbove {
		args = append(args, "-Gnslimit=1", "-Gmclimit=0.3")
	}
	if engine == "sfdp" {
		// Keep nodes apart without the cost of scaling the whole layout,
		// and draw straight edges: spline routing is what takes sfdp
		// minutes on thousands of edges.
		args = append(args, "-Goverlap=prism", "-Gsplines=false")
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = bytes.NewReader(dotSrc)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s -Tsvg: gave up after %s on %d nodes (draw less with --focus or --findings-only, or use --format dot): %w",
				engine, time.Since(start).Round(time.Second), nodes, ctx.Err())
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("%s -Tsvg: %s", engine, msg)
	}
	return stdout.Bytes(), nil
}
