package cli

import (
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/config"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// settings is what the analysing commands (check, diff) share: the analysis
// configuration and the exit-status threshold.
type settings struct {
	analysis analyzer.Config
	failOn   rules.Severity
	fails    bool   // false for --fail-on none
	file     string // the configuration file read, "" for none
	// load reads manifests with the configuration's [defaults].
	load manifest.Options
}

// settingsFlags are the flags behind settings that every analysing command
// takes: the configuration file and today's date, and the profiles of the
// run (see profileFlags). --fail-on is not among
// them: only the commands whose exit status depends on findings (check,
// diff) take it, with failOnFlag, so that graph, report, what-if, plan and
// validate do not advertise a flag that would change nothing.
func settingsFlags() []ucli.Flag {
	return append([]ucli.Flag{
		&ucli.StringFlag{Name: "config", Usage: "configuration `FILE` (default: ./catch22.toml, else PATH/catch22.toml for a single directory PATH)"},
		&ucli.StringFlag{Name: "now", Usage: "today's date for drill ages and waiver expiry, `YYYY-MM-DD` (default: today, UTC)"},
	}, profileFlags()...)
}

// failOnFlag is --fail-on, of check and diff.
func failOnFlag() ucli.Flag {
	return &ucli.StringFlag{Name: "fail-on", Usage: "exit 1 when a finding is at least this severe: error|warning|info|none (default: fail_on of the configuration, else error)"}
}

// loadSettings reads the settings flags (and --fail-on, where the command
// has it) and the configuration file. paths are the command's manifest
// paths, which locate the configuration when --config is not given. Flags
// win over the file.
func loadSettings(c *ucli.Context, paths []string) (settings, error) {
	now, err := parseNow(c.String("now"))
	if err != nil {
		return settings{}, err
	}
	s := settings{analysis: analyzer.DefaultConfig(now), failOn: rules.Error, fails: true}
	if s.file, err = config.Find(c.String("config"), paths); err != nil {
		return settings{}, err
	}
	failOn := c.String("fail-on")
	if s.file != "" {
		cfg, err := config.Load(s.file)
		if err != nil {
			return settings{}, err
		}
		cfg.Apply(&s.analysis)
		s.load.Defaults = cfg.Defaults
		if !c.IsSet("fail-on") && cfg.FailOn != "" {
			failOn = cfg.FailOn
		}
	}
	if failOn != "" {
		if s.failOn, s.fails, err = parseFailOn(failOn); err != nil {
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
