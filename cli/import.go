package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/backstage"
	"github.com/catch22/catch22/compose"
	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/kubernetes"
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
		Usage:     "generate manifests from Backstage, Kubernetes or Compose",
		ArgsUsage: "SOURCE PATH... --out DIR",
		Description: `Generates catch22 manifests from what already describes the services:
  catch22 import backstage FILE|DIR... --out DIR   a Backstage catalog
  catch22 import kubernetes PATH... --out DIR      Kubernetes manifests (- reads stdin)
  catch22 import compose FILE|DIR... --out DIR     a Compose project`,
		OnUsageError: onUsageError,
		// The flags parse here too, so that an unknown SOURCE is told
		// which sources exist rather than that --out is undefined.
		Flags:       importFlags(),
		Subcommands: []*ucli.Command{importBackstageCommand(env), importKubernetesCommand(env), importComposeCommand(env)},
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				return usagef("import: unknown source %q (want backstage, kubernetes or compose)%s", c.Args().First(), commandHint(c.Args().First(), c.Command.Subcommands))
			}
			return usagef("import needs a source: catch22 import backstage|kubernetes|compose PATH... --out DIR")
		},
	}
}

func importBackstageCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "backstage",
		Usage:     "generate manifests from Backstage catalog-info.yaml files",
		ArgsUsage: "FILE|DIR... --out DIR",
		Description: `Reads Backstage catalog files (multi-document YAML, or the catalog
API's JSON; a DIR is walked for *.yaml, *.yml and *.json, keeping files with
a backstage.io apiVersion; Location entities are followed) and writes one
manifest per Component and Resource to DIR/<system>/<name>.toml. Systems group services, APIs link consumers to
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
				fmt.Fprintln(env.stderr, safetext.Escape(w.Error()))
			}
			if err != nil {
				return err
			}
			for _, ch := range res.Changes {
				fmt.Fprintln(env.stdout, safetext.Escape(ch.String()))
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

// importEnvFlag is the --env flag of the imports whose input names no
// environment.
func importEnvFlag() ucli.Flag {
	return &ucli.StringFlag{Name: "env", Usage: "the env of every generated node (`ENV`)", Value: "production"}
}

func importKubernetesCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "kubernetes",
		Usage:     "generate manifests from Kubernetes manifests (plain YAML or kustomize build output)",
		ArgsUsage: "PATH... --out DIR",
		Description: `Reads Kubernetes objects (multi-document YAML, kind: List included; a DIR
is walked for *.yaml and *.yml; - reads standard input, so that
"kustomize build overlays/prod | catch22 import kubernetes - --out DIR"
works) and writes one manifest per workload (Deployment, StatefulSet,
DaemonSet, Job, CronJob, Argo Rollout), plus one for the cluster, one per
image registry and one per outside host the workloads name.

Services link host names to the workloads their selectors match;
environment variables whose names end in _ADDR, _HOST, _URL, _ENDPOINT…
(resolved through ConfigMaps) and whose values name a Service become
dependencies marked as guesses for a person to review. Every workload
depends on the cluster, and on its image registries to start.

Re-importing rewrites what the manifests own and keeps what people wrote
by hand (entries without the "# from kubernetes" marker, notes, and any
hand-written dependency that settles a guess). Exit status: 0 when it
ran, 2 for bad input.`,
		OnUsageError: onUsageError,
		Flags: append(importFlags(), importEnvFlag(),
			&ucli.StringFlag{Name: "cluster", Usage: "the name of the cluster's node (`NAME`)", Value: kubernetes.DefaultCluster},
			&ucli.StringFlag{Name: "namespace", Aliases: []string{"n"}, Usage: "the namespace of objects that name none (`NS`)", Value: "default"},
		),
		Action: func(c *ucli.Context) error {
			out, _ := lineageString(c, "out")
			if out == "" {
				return usagef("import kubernetes needs --out DIR")
			}
			if c.NArg() == 0 {
				return usagef("import kubernetes needs at least one PATH of Kubernetes manifests (- for standard input)")
			}
			o := kubernetes.Options{Env: c.String("env"), Cluster: c.String("cluster"), Namespace: c.String("namespace"), Stdin: c.App.Reader}
			o.Out = out
			o.DryRun, _ = lineageBool(c, "dry-run")
			o.Prune, _ = lineageBool(c, "prune")
			res, err := kubernetes.Import(c.Args().Slice(), o)
			return printImport(env, res, err)
		},
	}
}

func importComposeCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "compose",
		Usage:     "generate manifests from a Compose project",
		ArgsUsage: "FILE|DIR... --out DIR",
		Description: `Reads a Compose project (a DIR stands for the compose.yaml, compose.yml,
docker-compose.yaml or docker-compose.yml in it, with its override file;
several FILEs merge in order, as docker compose -f does; variables come
from the .env file beside the first) and writes one manifest per service,
plus one per image registry and one per outside host the services name.

depends_on and links become dependencies (service_healthy and
service_completed_successfully ones are needed only to start);
environment variables whose names end in _ADDR, _HOST, _URL, _ENDPOINT…
and whose values name another service become dependencies marked as
guesses for a person to review; every image depends on its registry to
start.

Re-importing rewrites what the Compose file owns and keeps what people
wrote by hand. Exit status: 0 when it ran, 2 for bad input.`,
		OnUsageError: onUsageError,
		Flags:        append(importFlags(), importEnvFlag()),
		Action: func(c *ucli.Context) error {
			out, _ := lineageString(c, "out")
			if out == "" {
				return usagef("import compose needs --out DIR")
			}
			if c.NArg() == 0 {
				return usagef("import compose needs a Compose FILE or a DIR holding one")
			}
			o := compose.Options{Env: c.String("env")}
			o.Out = out
			o.DryRun, _ = lineageBool(c, "dry-run")
			o.Prune, _ = lineageBool(c, "prune")
			res, err := compose.Import(c.Args().Slice(), o)
			return printImport(env, res, err)
		},
	}
}

// printImport prints an import's warnings on stderr, then, when it ran,
// one line per file and the summary on stdout.
func printImport(env environment, res *importer.Result, err error) error {
	if res != nil {
		for _, w := range res.Warnings {
			fmt.Fprintln(env.stderr, safetext.Escape(w.Error()))
		}
	}
	if err != nil {
		return err
	}
	for _, ch := range res.Changes {
		fmt.Fprintln(env.stdout, safetext.Escape(ch.String()))
	}
	fmt.Fprintln(env.stdout, res.Summary())
	return nil
}
