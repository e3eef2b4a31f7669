package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/manifest"
)

// Exit codes of SPEC §4.
const (
	ExitOK       = 0 // ran, and nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitInput    = 2 // usage or input error
)

// usageError is a bad command line: wrong flag, bad flag value, missing
// argument. command is the path of the command whose usage was wrong ("kv
// serve"; "" for catch22 itself), so that the message can point at that
// command's help; inCommand fills it in for errors returned by actions.
type usageError struct {
	msg     string
	command string
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// errFindings says the command ran and found something at or above the
// failure threshold; the findings themselves were already written.
var errFindings = errors.New("findings at or above the failure threshold")

// exitCode reports err on stderr and maps it to an exit code. Input errors
// print one `file:line:col: message` line each; usage errors end with the
// help command of the command that was misused.
func exitCode(err error, stderr io.Writer) int {
	var list manifest.ErrorList
	var usage *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errFindings):
		return ExitFindings
	case errors.As(err, &list):
		for _, e := range list {
			fmt.Fprintln(stderr, safetext.Escape(e.Error()))
		}
		return ExitInput
	case errors.As(err, &usage):
		help := "catch22 --help"
		if usage.command != "" {
			help = "catch22 " + usage.command + " --help"
		}
		fmt.Fprintf(stderr, "catch22: %s\nRun '%s' for usage.\n", safetext.Escape(err.Error()), help)
		return ExitInput
	}
	fmt.Fprintf(stderr, "catch22: %s\n", safetext.Escape(err.Error()))
	return ExitInput
}
