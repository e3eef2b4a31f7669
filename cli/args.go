package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// flagsFirst moves a command's flags in front of its positional arguments.
// urfave/cli v2 stops parsing flags at the first positional argument, so
// without this `catch22 check dir --format json` would treat "--format" as a
// path. args is the command line after the program name; a flag that takes a
// value keeps the word after it; everything after "--" stays positional.
func flagsFirst(app *ucli.App, args []string) []string {
	at := -1
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			at = i
			break
		}
	}
	if at < 0 {
		return args
	}
	cmd := app.Command(args[at])
	if cmd == nil {
		return args
	}
	var flags, positional []string
	rest := args[at+1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			positional = append(positional, rest[i+1:]...)
			i = len(rest)
		case len(a) > 1 && strings.HasPrefix(a, "-"):
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if takesValue(cmd, name) && i+1 < len(rest) {
				i++
				flags = append(flags, rest[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	out := append(append([]string{}, args[:at+1]...), flags...)
	for _, p := range positional {
		if strings.HasPrefix(p, "-") {
			out = append(out, "--")
			break
		}
	}
	return append(out, positional...)
}

// takesValue reports whether the command's flag called name expects a value.
func takesValue(cmd *ucli.Command, name string) bool {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*ucli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}
