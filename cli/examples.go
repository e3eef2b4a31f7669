package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// examples are the command lines each command's help shows, by command
// path ("" for catch22 itself). They live in one table, not with each
// command, so that a test can check that every command has some and that
// every one parses (TestEveryCommandHasExamples): a new command fails that
// test until it gets an entry here.
var examples = map[string][]string{
	"": {
		"catch22 check services/",
		"catch22 what-if --fail workers-kv services/",
		"catch22 explain recovery-cycle",
	},
	"check": {
		"catch22 check services/",
		"catch22 check services/ --format sarif --output catch22.sarif",
		"catch22 check services/ --baseline catch22-baseline.json --fail-on warning",
	},
	"diff": {
		"catch22 diff before/ after/",
		"catch22 diff --since origin/main services/",
	},
	"graph": {
		"catch22 graph services/ --format svg --output graph.svg",
		"catch22 graph services/ --focus workers-kv --depth 2 --format mermaid",
	},
	"what-if": {
		"catch22 what-if --fail workers-kv services/",
		"catch22 what-if --fail workers-kv --fail access services/ --format json",
		"catch22 what-if --fail system=zero-trust services/",
		"catch22 what-if --each --top 10 services/",
	},
	"plan": {
		"catch22 plan services/",
		"catch22 plan services/ --format json --output plan.json",
	},
	"validate": {
		"catch22 validate --fail workers-kv services/",
		"catch22 validate --fault workers-kv=latency:2s --timeout 1s services/",
	},
	"report": {
		"catch22 report services/ --output review.html",
	},
	"rules": {
		"catch22 rules",
		"catch22 rules --config catch22.toml --format json",
	},
	"explain": {
		"catch22 explain recovery-cycle",
	},
	"kv": {
		"catch22 kv serve --memory",
	},
	"kv serve": {
		"catch22 kv serve --memory",
		"catch22 kv serve --addr 127.0.0.1:0 --data kv.db --fault latency:500ms",
	},
	"import": {
		"catch22 import backstage catalog-info.yaml --out services/",
		"catch22 import kubernetes k8s/ --out services/",
	},
	"import backstage": {
		"catch22 import backstage catalog-info.yaml --out services/",
		"catch22 import backstage catalog/ --out services/ --dry-run",
	},
	"import kubernetes": {
		"catch22 import kubernetes k8s/ --out services/ --cluster prod-eu",
	},
	"import compose": {
		"catch22 import compose compose.yaml --out services/ --env staging",
	},
	"init": {
		"catch22 init",
		"catch22 init estate/ --force",
	},
	"completion": {
		"catch22 completion bash",
	},
	"completion bash": {
		"source <(catch22 completion bash)",
	},
	"completion zsh": {
		"source <(catch22 completion zsh)",
	},
	"completion fish": {
		"catch22 completion fish | source",
	},
}

// addExamples appends each command's examples to its description, where
// help shows them.
func addExamples(app *ucli.App) {
	app.Description = withExamples(app.Description, examples[""])
	var walk func(cmds []*ucli.Command, parent string)
	walk = func(cmds []*ucli.Command, parent string) {
		for _, c := range cmds {
			path := strings.TrimSpace(parent + " " + c.Name)
			c.Description = withExamples(c.Description, examples[path])
			walk(c.Subcommands, path)
		}
	}
	walk(app.Commands, "")
}

func withExamples(description string, lines []string) string {
	if len(lines) == 0 {
		return description
	}
	var b strings.Builder
	if description != "" {
		b.WriteString(strings.TrimRight(description, "\n"))
		b.WriteString("\n\n")
	}
	b.WriteString("Examples:")
	for _, l := range lines {
		b.WriteString("\n  ")
		b.WriteString(l)
	}
	return b.String()
}
