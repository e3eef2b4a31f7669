package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/rules"
)

func rulesCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:  "rules",
		Usage: "list the rule catalog with the effective configuration",
		Description: `Lists every rule with its severity as configured (or off), its parameters and
what it catches, then the rest of the effective configuration: the
environment order, fail_on and the number of waivers. The configuration is
--config, else ./catch22.toml when there is one.

--format json writes the same for tools, one object per rule in ID order:

  {"version": 1,
   "rules": [{"id": "blast-radius", "title": "...",
              "severity": "info",          (as configured)
              "default_severity": "info",  (the catalog's)
              "enabled": true,
              "doc": "...", "remediation": "...",
              "params": [{"name": "threshold", "value": 0.25,
                          "default": 0.25, "doc": "..."}]}],
   "configuration": {"file": null, "environments": ["production", ...],
                     "fail_on": "error", "waivers": 0}}

params is [] for a rule without parameters; file is null without a
configuration file. Fields are only ever added, never renamed or removed.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "config", Usage: "configuration `FILE` (default: ./catch22.toml when present)"},
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: text|json"},
		},
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				return usagef("rules takes no arguments (to read one rule: catch22 explain %s)", c.Args().First())
			}
			format := c.String("format")
			if err := oneOf("format", format, textOrJSON); err != nil {
				return err
			}
			set, err := loadSettings(c, nil)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeRulesJSON(env.stdout, set)
			}
			return writeRules(env.stdout, set)
		},
	}
}

// effectiveRule is a rule as the configuration leaves it.
type effectiveRule struct {
	rule     *rules.Rule
	severity rules.Severity
	enabled  bool
	values   []float64 // per rule.Params
}

// effective applies the configuration of set to r.
func effective(r *rules.Rule, set settings) effectiveRule {
	rc := set.analysis.Rules[r.ID]
	e := effectiveRule{rule: r, severity: r.Severity, enabled: true}
	if rc.Severity != nil {
		e.severity = *rc.Severity
	}
	if rc.Enabled != nil {
		e.enabled = *rc.Enabled
	}
	for _, p := range r.Params {
		v := p.Default
		if x, ok := rc.Params[p.Name]; ok {
			v = x
		}
		e.values = append(e.values, v)
	}
	return e
}

// writeRules lists every rule with its effective severity, whether it runs
// and its parameters, then the rest of the effective configuration.
func writeRules(w io.Writer, set settings) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tPARAMETERS\tCATCHES")
	for _, r := range rules.All() {
		e := effective(r, set)
		sev := e.severity.String()
		if !e.enabled {
			sev = "off"
		}
		var params []string
		for i, p := range r.Params {
			params = append(params, fmt.Sprintf("%s=%g", p.Name, e.values[i]))
		}
		if len(params) == 0 {
			params = []string{"-"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, sev, strings.Join(params, " "), r.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	source := "built-in defaults (no catch22.toml)"
	if set.file != "" {
		source = set.file
	}
	failOn := "none"
	if set.fails {
		failOn = set.failOn.String()
	}
	fmt.Fprintf(w, "\nconfiguration: %s\nenvironments:  %s\nfail_on:       %s\nwaivers:       %d\n",
		source, strings.Join(set.analysis.EnvOrder, " > "), failOn, len(set.analysis.Waivers))
	_, err := fmt.Fprintln(w, "\nRun 'catch22 explain RULE' for what a rule catches, why it matters and how to fix it.")
	return err
}

// rulesJSON is the `rules --format json` document; field names and order
// are part of the contract (see the command's description).
type rulesJSON struct {
	Version       int               `json:"version"`
	Rules         []ruleJSON        `json:"rules"`
	Configuration configurationJSON `json:"configuration"`
}

type ruleJSON struct {
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	Severity        string      `json:"severity"`
	DefaultSeverity string      `json:"default_severity"`
	Enabled         bool        `json:"enabled"`
	Doc             string      `json:"doc"`
	Remediation     string      `json:"remediation"`
	Params          []paramJSON `json:"params"`
}

type paramJSON struct {
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
	Default float64 `json:"default"`
	Doc     string  `json:"doc"`
}

type configurationJSON struct {
	File         *string  `json:"file"`
	Environments []string `json:"environments"`
	FailOn       string   `json:"fail_on"`
	Waivers      int      `json:"waivers"`
}

// writeRulesJSON writes what writeRules writes, for tools.
func writeRulesJSON(w io.Writer, set settings) error {
	doc := rulesJSON{Version: 1, Rules: []ruleJSON{}}
	for _, r := range rules.All() {
		e := effective(r, set)
		rj := ruleJSON{ID: r.ID, Title: r.Title, Severity: e.severity.String(), DefaultSeverity: r.Severity.String(),
			Enabled: e.enabled, Doc: r.Doc, Remediation: r.Remediation, Params: []paramJSON{}}
		for i, p := range r.Params {
			rj.Params = append(rj.Params, paramJSON{Name: p.Name, Value: e.values[i], Default: p.Default, Doc: p.Doc})
		}
		doc.Rules = append(doc.Rules, rj)
	}
	doc.Configuration = configurationJSON{Environments: append([]string{}, set.analysis.EnvOrder...), FailOn: "none", Waivers: len(set.analysis.Waivers)}
	if set.file != "" {
		doc.Configuration.File = &set.file
	}
	if set.fails {
		doc.Configuration.FailOn = set.failOn.String()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func explainCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "explain",
		Usage:     "explain one rule: what it catches, why it matters, how to fix it",
		ArgsUsage: "RULE",
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("explain needs exactly one RULE (see 'catch22 rules')")
			}
			id := c.Args().First()
			r, ok := rules.Lookup(id)
			if !ok {
				var ids []string
				for _, r := range rules.All() {
					ids = append(ids, r.ID)
				}
				return usagef("no rule %q%s; 'catch22 rules' lists them", id, suggest.Hint(id, ids))
			}
			_, err := fmt.Fprint(env.stdout, Explain(r))
			return err
		},
	}
}

// Explain is a rule's full documentation as `catch22 explain` prints it.
func Explain(r *rules.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n%s\n\n%s\n\nHow to fix:\n%s\n", r.ID, r.Severity, r.Title, r.Doc, indent(r.Remediation))
	if len(r.Params) > 0 {
		b.WriteString("\nParameters ([rules." + r.ID + "] in catch22.toml):\n")
		for _, p := range r.Params {
			fmt.Fprintf(&b, "  %s = %g  %s\n", p.Name, p.Default, p.Doc)
		}
	}
	return b.String()
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
