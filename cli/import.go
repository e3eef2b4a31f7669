package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/backstage"
	"github.com/catch22/catch22/importer"
)

// importFlags are the flags of `import backstage`.
func importFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the manifests under `DIR` (required; created when missing)"},
		&ucli.BoolFlag{Name: "dry-run", Usage: "print what would change and write nothing"},
		&ucli.BoolFlag{Name: "prune", Usage: "remove generated manifests whose entity is no longer in the catalog"},
	}
}

func importCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "import",
		Usage:     "generate manifests from another catalog (Backstage)",
		ArgsUsage: "SOURCE PATH... --out DIR",
		Description: `Generates catch22 manifests from an existing service catalog. The only
source so far is backstage: catch22 import backstage FILE|DIR... --out DIR.`,
		OnUsageError: onUsageError,
		// The flags parse here too, so that an unknown SOURCE is told
		// which sources exist rather than that --out is undefined.
		Flags:       importFlags(),
		Subcommands: []*ucli.Command{importBackstageCommand(env)},
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				return usagef("import: unknown source %q (want backstage)", c.Args().First())
			}
			return usagef("import needs a source: catch22 import backstage FILE|DIR... --out DIR")
		},
	}
}

func importBackstageCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "backstage",
		Usage:     "generate manifests from Backstage catalog-info.yaml files",
		ArgsUsage: "FILE|DIR... --out DIR",
		Description: `Reads Backstage catalog files (multi-document YAML; a DIR is walked for
*.yaml and *.yml) and writes one manifest per Component and Resource to
DIR/<system>/<name>.toml. Systems group services, APIs link consumers to
providers, Groups check owners; catch22.dev/ annotations carry what
Backstage lacks (tier, env, kind, monitors, soft dependencies, recovery
procedures).

Re-importing rewrites what the catalog owns and keeps what people wrote by
hand in the generated files: [[recovery]] and [[dependency]] entries
without the "# from catalog" marker, and every dependency note. It prints
one line per file (created, updated with what changed, moved, unchanged,
stale). Any input error is reported as file:line:col and nothing is
written. Exit status: 0 when it ran, 2 for bad input.`,
		OnUsageError: onUsageError,
		Flags:        importFlags(),
		Action: func(c *ucli.Context) error {
			out, _ := lineageString(c, "out")
			if out == "" {
				return usagef("import backstage needs --out DIR")
			}
			if c.NArg() == 0 {
				return usagef("import backstage needs at least one FILE or DIR of Backstage catalog files")
			}
			dry, _ := lineageBool(c, "dry-run")
			prune, _ := lineageBool(c, "prune")
			res, err := backstage.Import(c.Args().Slice(), importer.Options{Out: out, DryRun: dry, Prune: prune})
			for _, w := range res.Warnings {
				fmt.Fprintln(env.stderr, w)
			}
			if err != nil {
				return err
			}
			for _, ch := range res.Changes {
				fmt.Fprintln(env.stdout, ch)
			}
			fmt.Fprintln(env.stdout, res.Summary())
			return nil
		},
	}
}

// lineageString returns the value of a string flag set on this command or
// on a parent (see importFlags).
func lineageString(c *ucli.Context, name string) (string, bool) {
	for _, x := range c.Lineage() {
		if x.Command != nil && x.IsSet(name) {
			return x.String(name), true
		}
	}
	return "", false
}

func lineageBool(c *ucli.Context, name string) (bool, bool) {
	for _, x := range c.Lineage() {
		if x.Command != nil && x.IsSet(name) {
			return x.Bool(name), true
		}
	}
	return false, false
}
