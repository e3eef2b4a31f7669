package cli

import (
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
		Name:         "rules",
		Usage:        "list the rule catalog with the effective configuration",
		OnUsageError: onUsageError,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "config", Usage: "configuration `FILE` (default: ./catch22.toml when present)"},
		},
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				return usagef("rules takes no arguments (to read one rule: catch22 explain %s)", c.Args().First())
			}
			set, err := loadSettings(c, nil)
			if err != nil {
				return err
			}
			return writeRules(env.stdout, set)
		},
	}
}

// writeRules lists every rule with its effective severity, whether it runs
// and its parameters, then the rest of the effective configuration.
func writeRules(w io.Writer, set settings) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tPARAMETERS\tCATCHES")
	for _, r := range rules.All() {
		rc := set.analysis.Rules[r.ID]
		sev := r.Severity.String()
		if rc.Severity != nil {
			sev = rc.Severity.String()
		}
		if rc.Enabled != nil && !*rc.Enabled {
			sev = "off"
		}
		var params []string
		for _, p := range r.Params {
			v := p.Default
			if x, ok := rc.Params[p.Name]; ok {
				v = x
			}
			params = append(params, fmt.Sprintf("%s=%g", p.Name, v))
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

func explainCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:         "explain",
		Usage:        "explain one rule: what it catches, why it matters, how to fix it",
		ArgsUsage:    "RULE",
		OnUsageError: onUsageError,
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
