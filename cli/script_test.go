package cli_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/catch22/catch22/cli"
	"github.com/catch22/catch22/internal/testenv"
)

func TestMain(m *testing.M) {
	// testenv.Reporting lists, after the run, the scripts skipped for want
	// of Graphviz (`needs graphviz`), where a plain go test shows them.
	testscript.Main(testenv.Reporting(m), map[string]func(){
		"catch22": func() { os.Exit(cli.Run(context.Background(), os.Args, os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command-line scenarios in testdata/script: real
// command lines, exit codes and output.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// The bundled examples, read-only, as a user's checkout has them.
			env.Setenv("EXAMPLES", mustAbs("../examples"))
			env.Values[scriptTKey{}] = env.T()
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits, "needs": needs},
	})
}

// needs TOOL skips the rest of the script when TOOL (graphviz, chromium)
// is not installed, saying so loudly (see testenv).
func needs(ts *testscript.TestScript, neg bool, args []string) {
	tools := map[string]*testenv.Tool{"graphviz": testenv.Graphviz, "chromium": testenv.Chromium}
	if neg || len(args) != 1 || tools[args[0]] == nil {
		ts.Fatalf("usage: needs graphviz|chromium")
	}
	t := scriptT{ts.Value(scriptTKey{}).(testscript.T), "TestScripts/" + ts.Name()}
	testenv.Need(t, tools[args[0]])
}

// scriptTKey finds a script's testscript.T among its Env.Values.
type scriptTKey struct{}

// scriptT is a script's test as testenv.Need sees it.
type scriptT struct {
	testscript.T
	name string
}

func (scriptT) Helper()        {}
func (t scriptT) Name() string { return t.name }

// exits N PROG ARGS... runs a program and fails unless it exits with status
// N: `! exec` alone cannot tell findings (1) from bad input (2).
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

func mustAbs(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return wd + "/" + p
}
