package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/config"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/observed"
	"github.com/catch22/catch22/report"
)

func checkCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "check",
		Usage:     "lint manifests: report recovery cycles and other findings",
		ArgsUsage: "PATH...",
		Description: `Loads every manifest under the PATHs (files, or directories walked for *.toml),
runs the rule catalog and prints the findings. Exit status: 0 when nothing is
at or above --fail-on, 1 when something is, 2 for bad input.`,
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: " + strings.Join(report.Names(), "|")},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
			&ucli.StringFlag{Name: "baseline", Usage: "hide the findings recorded in `FILE`, an earlier --format json output"},
			&ucli.StringFlag{Name: "observed", Usage: "check the manifests against traffic in `FILE`: Jaeger's dependencies JSON (/api/dependencies, /api/v3/dependencies), a Prometheus query result JSON or Prometheus text with traces_service_graph_request_total"},
			&ucli.BoolFlag{Name: "suggest", Usage: "with text or json: propose changes that remove every recovery and dependency cycle finding"},
		}, append(settingsFlags(), failOnFlag())...),
		Action: func(c *ucli.Context) error {
			format, err := report.Lookup(c.String("format"))
			if err != nil {
				return usagef("--format: %s", strings.TrimPrefix(err.Error(), "unknown format "))
			}
			if c.NArg() == 0 {
				return usagef("check needs at least one PATH (a manifest file or a directory)")
			}
			if c.Bool("suggest") && format.Name != "text" && format.Name != "json" {
				return usagef("--suggest writes text or json, not %s", format.Name)
			}
			set, err := loadSettings(c, c.Args().Slice())
			if err != nil {
				return err
			}
			if f := c.String("baseline"); f != "" {
				if set.analysis.Baseline, err = config.LoadBaseline(f); err != nil {
					return err
				}
			}
			if f := c.String("observed"); f != "" {
				traffic, err := observed.Read(f)
				if err != nil {
					return err
				}
				if traffic.Empty() {
					// Not an error, so the check still runs; but with no caller
					// seen the traffic rules stay silent, which must not read
					// as traffic agreeing with the manifests.
					fmt.Fprintf(env.stderr, "warning: %s: no calls observed (%s)\n", safetext.Escape(f), traffic.Hint())
				}
				// Never nil, even when empty: nil means no --observed at all.
				set.analysis.Observed = append([]observed.Call{}, traffic.Calls...)
			}
			ms, err := settled(set.load.Load(c.Args().Slice()))
			if err != nil {
				return err
			}
			g := graph.Build(ms)
			res, err := analyzer.Analyze(g, set.analysis)
			if err != nil {
				return err
			}
			if c.Bool("suggest") {
				res.Suggested, res.Suggestions = true, analyzer.SuggestFor(g, res)
			}
			render := func(w io.Writer, o report.Options) error {
				// Formats that tell failures from passes (JUnit) follow
				// --fail-on, so that the report agrees with the exit status.
				o.FailOn, o.FailNever = set.failOn, !set.fails
				return format.Write(w, res, o)
			}
			if err := writeOutput(env, c.String("output"), render); err != nil {
				return err
			}
			if set.fails && res.Fails(set.failOn) {
				return errFindings
			}
			return nil
		},
	}
}

// writeOutput runs render on --output, or on standard output with colour
// when that is a terminal and NO_COLOR is not set. Every report-writing
// command goes through it.
func writeOutput(env environment, output string, render func(io.Writer, report.Options) error) error {
	if output == "" || output == "-" {
		return render(env.stdout, report.Options{Color: isTerminal(env.stdout) && env.getenv("NO_COLOR") == "", Version: Version})
	}
	f, err := os.Create(output)
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	if err := render(f, report.Options{Version: Version}); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", output, err)
	}
	return f.Close()
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
