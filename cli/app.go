package cli

import (
	"context"
	"io"
	"os"

	ucli "github.com/urfave/cli/v2"
)

// Version is catch22's version, printed by --version and written into
// machine-readable reports.
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
	return &ucli.App{
		Name:    "catch22",
		Usage:   "find recovery tooling that depends on the thing it must recover",
		Version: Version,
		Reader:  stdin,
		Writer:  stdout,
		// urfave/cli prints usage errors itself and calls os.Exit on
		// ExitCoder errors; both are turned off so exitCode decides.
		ErrWriter:      stderr,
		ExitErrHandler: func(*ucli.Context, error) {},
		OnUsageError:   onUsageError,
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
		},
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				return usagef("unknown command %q", c.Args().First())
			}
			return ucli.ShowAppHelp(c)
		},
	}
}

// environment is what commands may touch of the process.
type environment struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

func onUsageError(_ *ucli.Context, err error, _ bool) error { return usagef("%s", err) }
