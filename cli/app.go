package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// Version is catch22's version, written into machine-readable reports.
// --version prints it with what the build recorded (see versionString).
const Version = "0.1.0"

// Run executes one catch22 command line (args[0] is the program name) and
// returns its exit code. It never calls os.Exit and writes only to the given
// streams (and to --output files).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	if len(args) == 0 {
		args = []string{"catch22"}
	}
	argv := append([]string{args[0]}, flagsFirst(app, args[1:])...)
	return exitCode(app.RunContext(ctx, argv), stderr)
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *ucli.App {
	env := environment{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	info, _ := debug.ReadBuildInfo()
	app := &ucli.App{
		Name:    "catch22",
		Usage:   "find recovery tooling that depends on the thing it must recover",
		Version: versionString(info),
		Reader:  stdin,
		Writer:  stdout,
		// urfave/cli prints usage errors itself and calls os.Exit on
		// ExitCoder errors; both are turned off so exitCode decides.
		ErrWriter:      stderr,
		ExitErrHandler: func(*ucli.Context, error) {},
		Suggest:        true,
		Commands: []*ucli.Command{
			checkCommand(env),
			diffCommand(env),
			graphCommand(env),
			whatIfCommand(env),
			planCommand(env),
			validateCommand(env),
			reportCommand(env),
			rulesCommand(env),
			explainCommand(env),
			kvCommand(env),
			importCommand(env),
			initCommand(env),
			completionCommand(env),
		},
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				name := c.Args().First()
				return usagef("unknown command %q%s", name, commandHint(name, c.App.VisibleCommands()))
			}
			return ucli.ShowAppHelp(c)
		},
	}
	app.OnUsageError = onUsageError
	instrument(app.Commands)
	addExamples(app)
	return app
}

// environment is what commands may touch of the process.
type environment struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// instrument gives every command, whoever wrote it, the same handling of
// usage errors: flag errors go through onUsageError, and usage errors that
// an action returns are tagged with the command, so that the message points
// at that command's help.
func instrument(cmds []*ucli.Command) {
	for _, cmd := range cmds {
		cmd.OnUsageError = onUsageError
		if act := cmd.Action; act != nil {
			cmd.Action = func(c *ucli.Context) error { return inCommand(c, withProfiles(c, act)) }
		}
		instrument(cmd.Subcommands)
	}
}

// inCommand tags a usage error with the command that c runs.
func inCommand(c *ucli.Context, err error) error {
	var usage *usageError
	if errors.As(err, &usage) && usage.command == "" {
		usage.command = commandPath(c)
	}
	return err
}

// commandPath is the command that c runs, as typed after "catch22" ("kv
// serve"), or "" for catch22 itself.
func commandPath(c *ucli.Context) string {
	var names []string // innermost first; the last is catch22 itself
	for _, x := range c.Lineage() {
		if x.Command != nil {
			names = append(names, x.Command.Name)
		}
	}
	if len(names) > 0 {
		names = names[:len(names)-1]
	}
	slices.Reverse(names)
	return strings.Join(names, " ")
}

// onUsageError turns a flag that does not parse into a usage error of the
// command, with a "did you mean" for an unknown flag.
func onUsageError(c *ucli.Context, err error, _ bool) error {
	msg := err.Error()
	if name, ok := unknownFlag(err); ok {
		msg = "unknown flag " + dashed(name) + flagHint(name, c.Command.VisibleFlags())
	}
	return &usageError{msg: msg, command: commandPath(c)}
}
