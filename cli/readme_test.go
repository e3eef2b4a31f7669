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
	for dir, wantCode := range map[string]int{"examples/cloudflare-2023": cli.ExitFindings, "examples/cloudflare-2023-fixed": cli.ExitOK} {
		var out bytes.Buffer
		code := cli.Run(context.Background(), []string{"catch22", "check", dir, "--now", "2026-11-29"}, nil, &out, io.Discard)
		if code != wantCode {
			t.Errorf("check %s exited %d, want %d", dir, code, wantCode)
		}
		if !strings.Contains(string(data), "```\n"+out.String()+"```\n") {
			t.Errorf("README.md does not show the current output of `catch22 check %s`:\n%s", dir, out.String())
		}
	}
}
