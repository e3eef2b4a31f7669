package cli

import (
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// settings is what the analysing commands (check, diff) share: the analysis
// configuration and the exit-status threshold.
type settings struct {
	analysis analyzer.Config
	failOn   rules.Severity
	fails    bool // false for --fail-on none
}

// settingsFlags are the flags behind settings, shared by check and diff.
func settingsFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "fail-on", Usage: "exit 1 when a finding is at least this severe: error|warning|info|none (default: error)"},
		&ucli.StringFlag{Name: "now", Usage: "today's date for drill ages and waiver expiry, `YYYY-MM-DD` (default: today, UTC)"},
	}
}

// loadSettings reads the settings flags. paths are the command's manifest
// paths.
func loadSettings(c *ucli.Context, paths []string) (settings, error) {
	now, err := parseNow(c.String("now"))
	if err != nil {
		return settings{}, err
	}
	s := settings{analysis: analyzer.DefaultConfig(now), failOn: rules.Error, fails: true}
	if c.IsSet("fail-on") {
		if s.failOn, s.fails, err = parseFailOn(c.String("fail-on")); err != nil {
			return settings{}, err
		}
	}
	return s, nil
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
