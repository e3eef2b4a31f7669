package cli_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/catch22/catch22/cli"
	"github.com/catch22/catch22/rules"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the rule table in README.md from the catalog")

const (
	tableBegin = "<!-- rule table: generated from the catalog by `go test ./cli -update-readme` -->\n"
	tableEnd   = "<!-- end of rule table -->\n"
)

// ruleTable renders the catalog as the README's Markdown table.
func ruleTable() string {
	var b strings.Builder
	b.WriteString("| rule | severity | catches |\n|---|---|---|\n")
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Severity, r.Title)
	}
	return b.String()
}

// TestReadmeRuleTable fails when the README's rule table drifts from the
// catalog.
func TestReadmeRuleTable(t *testing.T) {
	const path = "../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	before, rest, ok1 := strings.Cut(readme, tableBegin)
	_, after, ok2 := strings.Cut(rest, tableEnd)
	if !ok1 || !ok2 {
		t.Fatalf("README.md lacks the rule table markers %q ... %q", tableBegin, tableEnd)
	}
	want := before + tableBegin + ruleTable() + tableEnd + after
	if *updateReadme {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if readme != want {
		t.Error("README.md's rule table is out of date: run go test ./cli -update-readme")
	}
}

// TestReadmeShowsRealOutput fails when the outputs the README shows for the
// bundled examples differ from what catch22 prints for them.
func TestReadmeShowsRealOutput(t *testing.T) {
	t.Chdir("..")
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"check", "examples/cloudflare-2023"}, cli.ExitFindings},
		{[]string{"check", "examples/cloudflare-2023-fixed"}, cli.ExitOK},
		{[]string{"diff", "examples/cloudflare-2023", "examples/cloudflare-2023-fixed"}, cli.ExitOK},
		{[]string{"what-if", "--fail", "workers-kv", "examples/cloudflare-2023"}, cli.ExitOK},
		{[]string{"what-if", "--fail", "workers-kv", "examples/cloudflare-2023-fixed"}, cli.ExitOK},
		{[]string{"what-if", "--each", "--top", "5", "examples/cloudflare-2023-fixed"}, cli.ExitOK},
		{[]string{"plan", "examples/cloudflare-2023"}, cli.ExitOK},
		{[]string{"plan", "examples/cloudflare-2023-fixed"}, cli.ExitOK},
		{[]string{"validate", "--fail", "workers-kv", "examples/cloudflare-2023"}, cli.ExitOK},
		{[]string{"check", "examples/multi-region"}, cli.ExitFindings},
		{[]string{"what-if", "--fail", "cluster-eu", "examples/multi-region"}, cli.ExitOK},
		{[]string{"check", "examples/cloudflare-2023-fixed", "--observed", "examples/traffic/jaeger-dependencies.json", "--config", "examples/traffic/catch22.toml"}, cli.ExitOK},
	} {
		var out bytes.Buffer
		args := append(append([]string{"catch22"}, tc.args...), "--now", "2026-11-29")
		if tc.args[0] == "validate" {
			args = append(args, "--timeout", "5s") // the output is the same; a busy machine must not pass for a failure
		}
		if code := cli.Run(context.Background(), args, nil, &out, io.Discard); code != tc.code {
			t.Errorf("%v exited %d, want %d", tc.args, code, tc.code)
		}
		if !strings.Contains(string(data), "```\n"+out.String()+"```\n") {
			t.Errorf("README.md does not show the current output of `catch22 %s`:\n%s", strings.Join(tc.args, " "), out.String())
		}
	}
}
