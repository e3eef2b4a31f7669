package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	ucli "github.com/urfave/cli/v2"
)

// commandPaths lists every command of the app as typed after "catch22"
// ("kv serve"), catch22 itself ("") first, leaving out the help commands
// urfave/cli adds.
func commandPaths() []string {
	app := newApp(nil, io.Discard, io.Discard)
	out := []string{""}
	var walk func(cmds []*ucli.Command, parent string)
	walk = func(cmds []*ucli.Command, parent string) {
		for _, c := range cmds {
			if c.Name == "help" {
				continue
			}
			path := strings.TrimSpace(parent + " " + c.Name)
			out = append(out, path)
			walk(c.Subcommands, path)
		}
	}
	walk(app.Commands, "")
	return out
}

// Every command's help ends with examples of its own command lines, and
// every example is a command line that parses: its flags exist and take the
// values shown.
func TestEveryCommandHasExamples(t *testing.T) {
	paths := commandPaths()
	for _, path := range paths {
		t.Run("catch22 "+path, func(t *testing.T) {
			var out, errs bytes.Buffer
			args := append(append([]string{"catch22"}, strings.Fields(path)...), "--help")
			if code := Run(context.Background(), args, nil, &out, &errs); code != ExitOK {
				t.Fatalf("%v exited %d: %s", args, code, errs.String())
			}
			_, section, ok := strings.Cut(out.String(), "\n   Examples:\n")
			if !ok {
				t.Fatalf("help of %q has no Examples section:\n%s", path, out.String())
			}
			own := regexp.MustCompile(`^     (.*\| |source <\()?` + regexp.QuoteMeta(strings.TrimSpace("catch22 "+path)) + `( |\)|$)`)
			n := 0
			for _, line := range strings.Split(section, "\n") {
				if !strings.HasPrefix(line, "     ") {
					break
				}
				if !own.MatchString(line) {
					t.Errorf("example %q is not a command line of %q", strings.TrimSpace(line), "catch22 "+path)
				}
				n++
			}
			if n == 0 {
				t.Errorf("help of %q shows no example", path)
			}
		})
	}
	for path, lines := range examples {
		if !slices.Contains(paths, path) {
			t.Errorf("examples[%q]: no such command", path)
		}
		for _, line := range lines {
			cmd := line[strings.Index(line, "catch22 "):]
			if i := strings.IndexAny(cmd, ")|>"); i >= 0 {
				cmd = cmd[:i]
			}
			if err := parseOnly(strings.Fields(cmd)); err != nil {
				t.Errorf("example %q does not parse: %v", line, err)
			}
		}
	}
}

// parseOnly parses a command line as Run does, down to the command it
// names, without running anything. It returns the error of a command line
// that names no command, a flag the command lacks or a bad flag value.
func parseOnly(args []string) error {
	app := newApp(nil, io.Discard, io.Discard)
	var ran string
	var dry func(cmds []*ucli.Command, parent string)
	dry = func(cmds []*ucli.Command, parent string) {
		for _, c := range cmds {
			path := strings.TrimSpace(parent + " " + c.Name)
			c.Action = func(*ucli.Context) error { ran = path; return nil }
			dry(c.Subcommands, path)
		}
	}
	dry(app.Commands, "")
	if err := app.Run(append([]string{args[0]}, flagsFirst(app, args[1:])...)); err != nil {
		return err
	}
	if want := strings.Join(args[1:], " "); !strings.HasPrefix(want, ran) || ran == "" {
		return fmt.Errorf("ran %q", ran)
	}
	return nil
}
