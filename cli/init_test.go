package cli_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/catch22/catch22/cli"
)

// commentedOut matches a line of TOML commented out in a starter file: a
// table header or a key = value, after "# ". Prose never has that shape.
var commentedOut = regexp.MustCompile(`^# ?(\[\[?[a-z][a-z0-9._-]*\]\]?|"?[a-z_][a-z0-9_-]*"? = .*)$`)

// TestInitExamplesAreValid uncomments every commented-out line of the
// starter estate and checks the result is still valid input: the examples
// in the comments cannot rot into syntax the loader refuses.
func TestInitExamplesAreValid(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	if code := cli.Run(context.Background(), []string{"catch22", "init", dir}, nil, &out, &errs); code != cli.ExitOK {
		t.Fatalf("init exited %d: %s", code, errs.String())
	}
	uncommented := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines := strings.Split(string(data), "\n")
		for i, l := range lines {
			if commentedOut.MatchString(l) {
				lines[i] = strings.TrimPrefix(strings.TrimPrefix(l, "#"), " ")
				uncommented++
			}
		}
		return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if uncommented < 40 {
		t.Fatalf("only %d commented-out lines found: the pattern no longer matches the starter files", uncommented)
	}
	out.Reset()
	errs.Reset()
	// The examples name services the estate does not declare (cache-a,
	// dns, alerting...): unknown-service findings, exit 1, but no input
	// error (exit 2).
	code := cli.Run(context.Background(), []string{"catch22", "check", dir, "--now", "2026-11-29"}, nil, &out, &errs)
	if code != cli.ExitFindings || errs.Len() > 0 {
		t.Fatalf("check of the uncommented estate exited %d, want %d with nothing on stderr:\n%s%s", code, cli.ExitFindings, errs.String(), out.String())
	}
	if !strings.Contains(out.String(), "unknown-service") {
		t.Errorf("the uncommented examples reference no undeclared service; did they change?\n%s", out.String())
	}
}

// TestInitShowsEveryKey checks that the two example manifests show every
// manifest key, in use or commented out, so a newcomer reads the whole
// schema in them.
func TestInitShowsEveryKey(t *testing.T) {
	dir := t.TempDir()
	if code := cli.Run(context.Background(), []string{"catch22", "init", dir}, nil, &bytes.Buffer{}, &bytes.Buffer{}); code != cli.ExitOK {
		t.Fatalf("init exited %d", code)
	}
	keys := []string{
		"name", "env", "description", "owner", "system", "tier", "kind", "monitored_by", "emulate", "skip_inherited",
		"on", "any_of", "quorum", "mode", "phase", "note",
		"via", "breakglass", "tested", "runbook", "use",
	}
	for _, f := range []string{"api.toml", "db.toml"} {
		data, err := os.ReadFile(filepath.Join(dir, "services", f))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if !regexp.MustCompile(`(?m)^(# )?`+k+` = `).Match(data) && !(f == "db.toml" && (k == "any_of" || k == "quorum")) {
				t.Errorf("services/%s does not show key %q", f, k)
			}
		}
	}
}
