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
// Subcommand names (`kv serve`, `import backstage`), wherever they stand
// among the flags, go in front, so the flags land on the deepest one.
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
	rest := args[at+1:]
	head := append([]string{}, args[:at+1]...)
	var flags, positional []string
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
			if sub := cmd.Command(a); sub != nil && len(positional) == 0 {
				head, cmd = append(head, a), sub
				continue
			}
			positional = append(positional, a)
		}
	}
	out := append(head, flags...)
	for _, p := range positional {
		if strings.HasPrefix(p, "-") {
			out = append(out, "--")
			break
		}
	}
	return append(out, positional...)
}

// takesValue reports whether the flag called name of the command, or of
// one of its subcommands (a flag may come before the subcommand's name),
// expects a value.
func takesValue(cmd *ucli.Command, name string) bool {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*ucli.BoolFlag)
				return !isBool
			}
		}
	}
	for _, sub := range cmd.Subcommands {
		if takesValue(sub, name) {
			return true
		}
	}
	return false
}
