package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

func checkCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "check",
		Usage:     "lint manifests: report recovery cycles and other findings",
		ArgsUsage: "PATH...",
		Description: `Loads every manifest under the PATHs (files, or directories walked for *.toml),
runs the rule catalog and prints the findings. Exit status: 0 when nothing is
at or above --fail-on, 1 when something is, 2 for bad input.`,
		OnUsageError: onUsageError,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: " + strings.Join(report.Names(), "|")},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
			&ucli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 when a finding is at least this severe: error|warning|info|none"},
			&ucli.StringFlag{Name: "now", Usage: "today's date for drill ages, `YYYY-MM-DD` (default: today, UTC)"},
		},
		Action: func(c *ucli.Context) error {
			format, err := report.Lookup(c.String("format"))
			if err != nil {
				return usagef("--format: %s", strings.TrimPrefix(err.Error(), "unknown format "))
			}
			failOn, fails, err := parseFailOn(c.String("fail-on"))
			if err != nil {
				return err
			}
			now, err := parseNow(c.String("now"))
			if err != nil {
				return err
			}
			if c.NArg() == 0 {
				return usagef("check needs at least one PATH (a manifest file or a directory)")
			}
			ms, err := manifest.Load(c.Args().Slice())
			if err != nil {
				return err
			}
			res, err := analyzer.Run(ms, analyzer.DefaultConfig(now))
			if err != nil {
				return err
			}
			if err := writeReport(env, c.String("output"), format, res); err != nil {
				return err
			}
			if fails && res.Fails(failOn) {
				return errFindings
			}
			return nil
		},
	}
}

// parseFailOn reads --fail-on; "none" never fails.
func parseFailOn(s string) (sev rules.Severity, fails bool, err error) {
	if s == "none" {
		return 0, false, nil
	}
	sev, err = rules.ParseSeverity(s)
	if err != nil {
		return 0, false, usagef("--fail-on: %q is not one of error, warning, info, none", s)
	}
	return sev, true, nil
}

// parseNow reads --now, defaulting to today's UTC date.
func parseNow(s string) (time.Time, error) {
	if s == "" {
		y, m, d := time.Now().UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usagef("--now: %q is not a date YYYY-MM-DD", s)
	}
	return t, nil
}

// writeReport renders res to --output, or to standard output with colour
// when that is a terminal and NO_COLOR is not set.
func writeReport(env environment, output string, format report.Format, res *analyzer.Result) error {
	if output == "" || output == "-" {
		return format.Write(env.stdout, res, report.Options{Color: isTerminal(env.stdout) && env.getenv("NO_COLOR") == ""})
	}
	f, err := os.Create(output)
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	if err := format.Write(f, res, report.Options{}); err != nil {
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
