package cli

import (
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/internal/suggest"
)

// completionShells are the shells `catch22 completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish"}

// completionCommand is `catch22 completion bash|zsh|fish`.
//
// The scripts are generated from the command tree, so they know every
// command, subcommand and flag, which flags take a value, and that flags
// may follow the paths (flagsFirst). They are static: completing runs no
// catch22. urfave/cli's own completion (EnableBashCompletion) was not used:
// it asks the binary at every key press through a hidden flag that must
// come last, which flagsFirst would move, and it reads os.Args and $0
// rather than the command line it is given.
func completionCommand(env environment) *ucli.Command {
	sub := func(shell, install string) *ucli.Command {
		return &ucli.Command{
			Name:        shell,
			Usage:       "print the " + shell + " completion script",
			Description: install,
			Action: func(c *ucli.Context) error {
				if c.Args().Present() {
					return usagef("completion %s takes no arguments, got %q", shell, c.Args().First())
				}
				return writeCompletion(env.stdout, shell, completionTree(c.App))
			},
		}
	}
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash, zsh or fish)",
		ArgsUsage: "bash|zsh|fish",
		Description: `Prints a script that completes catch22's commands, subcommands and flags
in bash, zsh or fish; paths and flag values complete as file names. The
script is generated from this catch22, so regenerate it after an upgrade.`,
		Subcommands: []*ucli.Command{
			sub("bash", `To load completions in the current shell:
  source <(catch22 completion bash)
and in every new shell (with the bash-completion package):
  catch22 completion bash > ~/.local/share/bash-completion/completions/catch22
or add the first line to ~/.bashrc.`),
			sub("zsh", `To load completions in the current shell (after compinit):
  source <(catch22 completion zsh)
and in every new shell, into a directory of $fpath:
  catch22 completion zsh > "${fpath[1]}/_catch22"
then start a new shell. compinit must run in ~/.zshrc:
  autoload -U compinit && compinit`),
			sub("fish", `To load completions in the current shell:
  catch22 completion fish | source
and in every new shell:
  catch22 completion fish > ~/.config/fish/completions/catch22.fish`),
		},
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				shell := c.Args().First()
				return usagef("completion: no shell %q (want bash, zsh or fish)%s", shell, suggest.Hint(shell, completionShells))
			}
			return usagef("completion needs a shell: catch22 completion bash|zsh|fish")
		},
	}
}

// compCommand is a command as the scripts see it.
type compCommand struct {
	path  string // "" for catch22 itself, "kv serve" for a subcommand
	usage string
	subs  []*compCommand
	flags []compFlag
}

type compFlag struct {
	name  string // "--format", "-o"
	value bool   // the next word is the flag's value
	usage string
}

// completionTree describes the app's visible commands, depth first in help
// order. Every command has --help; the app has --version too. The help
// command of a command with subcommands is left out below the top: "catch22
// help CMD" is the one to show.
func completionTree(app *ucli.App) *compCommand {
	root := &compCommand{flags: compFlags(app.VisibleFlags(), false)}
	for _, c := range app.VisibleCommands() {
		root.subs = append(root.subs, compCommandOf(c, ""))
	}
	return root
}

func compCommandOf(c *ucli.Command, parent string) *compCommand {
	path := strings.TrimSpace(parent + " " + c.Name)
	cc := &compCommand{path: path, usage: c.Usage, flags: compFlags(c.VisibleFlags(), !c.HideHelp)}
	for _, s := range c.Subcommands {
		if s.Hidden || s.Name == "help" {
			continue
		}
		cc.subs = append(cc.subs, compCommandOf(s, path))
	}
	return cc
}

// compFlags lists flags by every name, adding --help unless present.
func compFlags(flags []ucli.Flag, help bool) []compFlag {
	var out []compFlag
	for _, f := range flags {
		usage, value := "", false
		if d, ok := f.(ucli.DocGenerationFlag); ok {
			usage, value = d.GetUsage(), d.TakesValue()
		}
		for _, n := range f.Names() {
			if n == "help" {
				help = false
			}
			out = append(out, compFlag{name: dashed(n), value: value, usage: usage})
		}
	}
	if help && ucli.HelpFlag != nil {
		for _, n := range ucli.HelpFlag.Names() {
			out = append(out, compFlag{name: dashed(n), usage: "show help"})
		}
	}
	return out
}

// all lists c and the commands below it, depth first.
func (c *compCommand) all() []*compCommand {
	out := []*compCommand{c}
	for _, s := range c.subs {
		out = append(out, s.all()...)
	}
	return out
}

// description is a one-line, plain description: urfave/cli's `NAME`
// placeholders lose their backquotes.
func description(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "`", "")), " ")
}

// shQuote quotes s for bash and zsh.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fishQuote quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func writeCompletion(w io.Writer, shell string, root *compCommand) error {
	var b strings.Builder
	switch shell {
	case "bash":
		bashCompletion(&b, root)
	case "zsh":
		zshCompletion(&b, root)
	case "fish":
		fishCompletion(&b, root)
	default:
		return fmt.Errorf("completion: no script for %s", shell) // completionCommand offers no other
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// The three scripts share one way of reading the words before the cursor,
// mirroring flagsFirst: a word that names a subcommand of the command found
// so far, before any positional argument, goes one command down; a flag
// that takes a value skips the next word (bash splits --flag=value at "=");
// after "--" only paths follow.

// caseList writes shell case arms: one per command path with words.
func caseList(b *strings.Builder, indent string, root *compCommand, quote func(string) string, words func(*compCommand) []string, emit func(words []string) string) {
	for _, c := range root.all() {
		ws := words(c)
		if len(ws) == 0 {
			continue
		}
		fmt.Fprintf(b, "%s%s)\n%s\t%s\n%s\t;;\n", indent, quote(c.path), indent, emit(ws), indent)
	}
}

func subNames(c *compCommand) []string {
	var out []string
	for _, s := range c.subs {
		out = append(out, strings.TrimPrefix(s.path, c.path+" "))
	}
	return out
}

func flagNames(c *compCommand) []string {
	var out []string
	for _, f := range c.flags {
		out = append(out, f.name)
	}
	return out
}

// valueFlags are, per command, "PATH FLAG" for every flag that takes a
// value (" FLAG" for catch22's own).
func valueFlags(root *compCommand) [][]string {
	var out [][]string
	for _, c := range root.all() {
		var arm []string
		for _, f := range c.flags {
			if f.value {
				arm = append(arm, c.path+" "+f.name)
			}
		}
		if len(arm) > 0 {
			out = append(out, arm)
		}
	}
	return out
}

// valueCases writes the case arms of _catch22_takes_value, one per
// command; open is "(" for zsh, "" for bash.
func valueCases(b *strings.Builder, root *compCommand, open string) {
	for _, arm := range valueFlags(root) {
		fmt.Fprintf(b, "\t%s%s) return 0 ;;\n", open, strings.Join(quoteEach(arm, shQuote), " | "))
	}
}

func quoteAll(ws []string, quote func(string) string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = quote(w)
	}
	return strings.Join(q, " ")
}

func bashCompletion(b *strings.Builder, root *compCommand) {
	b.WriteString(`# bash completion for catch22: commands, subcommands and flags.
# Generated by 'catch22 completion bash'; regenerate it after an upgrade.
#
# In the current shell:  source <(catch22 completion bash)
# In every new shell:    catch22 completion bash > ~/.local/share/bash-completion/completions/catch22

# _catch22_commands PATH prints the subcommands of the command PATH.
_catch22_commands() {
	case "$1" in
`)
	caseList(b, "\t", root, shQuote, subNames, func(ws []string) string { return "printf '%s ' " + quoteAll(ws, shQuote) })
	b.WriteString(`	esac
}

# _catch22_flags PATH prints the flags of the command PATH.
_catch22_flags() {
	case "$1" in
`)
	caseList(b, "\t", root, shQuote, flagNames, func(ws []string) string { return "printf '%s ' " + quoteAll(ws, shQuote) })
	b.WriteString(`	esac
}

# _catch22_takes_value PATH FLAG succeeds when FLAG of PATH takes a value.
_catch22_takes_value() {
	case "$1 $2" in
`)
	valueCases(b, root, "")
	b.WriteString(`	esac
	return 1
}

_catch22() {
	local cur=${COMP_WORDS[COMP_CWORD]} cmdpath= word subs i skip=0 positional=0
	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if [[ $word == = ]]; then
			skip=1 # bash split --flag=value: the value follows
			continue
		fi
		if ((skip)); then
			skip=0
			continue
		fi
		case $word in
		--) return 0 ;; # only paths follow
		-*=*) ;;
		-*) _catch22_takes_value "$cmdpath" "$word" && skip=1 ;;
		*)
			subs=" $(_catch22_commands "$cmdpath") "
			if ((!positional)) && [[ $subs == *" $word "* ]]; then
				cmdpath=${cmdpath:+$cmdpath }$word
			else
				positional=1
			fi
			;;
		esac
	done
	if ((skip)) || [[ $cur == = ]]; then
		return 0 # a flag's value: file names
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_catch22_flags "$cmdpath")" -- "$cur"))
	elif ((!positional)); then
		COMPREPLY=($(compgen -W "$(_catch22_commands "$cmdpath")" -- "$cur"))
	fi
	return 0
}

complete -o default -F _catch22 catch22
`)
}

func quoteEach(ws []string, quote func(string) string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = quote(w)
	}
	return out
}

func zshCompletion(b *strings.Builder, root *compCommand) {
	described := func(items func(*compCommand) [][2]string) func(*compCommand) []string {
		return func(c *compCommand) []string {
			var out []string
			for _, it := range items(c) {
				out = append(out, strings.ReplaceAll(it[0], ":", `\:`)+":"+description(it[1]))
			}
			return out
		}
	}
	subs := described(func(c *compCommand) [][2]string {
		var out [][2]string
		for i, n := range subNames(c) {
			out = append(out, [2]string{n, c.subs[i].usage})
		}
		return out
	})
	flags := described(func(c *compCommand) [][2]string {
		var out [][2]string
		for _, f := range c.flags {
			out = append(out, [2]string{f.name, f.usage})
		}
		return out
	})
	emit := func(ws []string) string { return "print -rl -- " + quoteAll(ws, shQuote) }
	b.WriteString(`#compdef catch22
# zsh completion for catch22: commands, subcommands and flags.
# Generated by 'catch22 completion zsh'; regenerate it after an upgrade.
#
# In the current shell:  source <(catch22 completion zsh)
# In every new shell:    catch22 completion zsh > "${fpath[1]}/_catch22"
# (compinit must run first: autoload -U compinit && compinit)

# _catch22_commands PATH prints NAME:DESCRIPTION of the subcommands of PATH.
_catch22_commands() {
	case $1 in
`)
	caseList(b, "\t", root, shQuote, subs, emit)
	b.WriteString(`	esac
}

# _catch22_flags PATH prints FLAG:DESCRIPTION of the flags of PATH.
_catch22_flags() {
	case $1 in
`)
	caseList(b, "\t", root, shQuote, flags, emit)
	b.WriteString(`	esac
}

# _catch22_takes_value PATH FLAG succeeds when FLAG of PATH takes a value.
_catch22_takes_value() {
	case "$1 $2" in
`)
	valueCases(b, root, "(")
	b.WriteString(`	esac
	return 1
}

_catch22() {
	local cmdpath= word cur=${words[CURRENT]}
	local -i i skip=0 positional=0
	local -a cands names
	for (( i = 2; i < CURRENT; i++ )); do
		word=${words[i]}
		if (( skip )); then
			skip=0
			continue
		fi
		case $word in
		(--) _files; return ;;
		(-*=*) ;;
		(-*) _catch22_takes_value "$cmdpath" "$word" && skip=1 ;;
		(*)
			names=(${${(f)"$(_catch22_commands "$cmdpath")"}%%:*})
			if (( !positional && ${names[(Ie)$word]} )); then
				cmdpath=${cmdpath:+$cmdpath }$word
			else
				positional=1
			fi
			;;
		esac
	done
	if (( skip )) || [[ $cur == -*=* ]]; then
		_files
		return
	fi
	if [[ $cur == -* ]]; then
		cands=(${(f)"$(_catch22_flags "$cmdpath")"})
		_describe -t flags 'catch22 flag' cands
		return
	fi
	if (( !positional )); then
		cands=(${(f)"$(_catch22_commands "$cmdpath")"})
		if (( ${#cands} )); then
			_describe -t commands 'catch22 command' cands
			return
		fi
	fi
	_files
}

if [[ $funcstack[1] == _catch22 ]]; then
	_catch22 "$@" # autoloaded from $fpath
else
	compdef _catch22 catch22
fi
`)
}

func fishCompletion(b *strings.Builder, root *compCommand) {
	b.WriteString(`# fish completion for catch22: commands, subcommands and flags.
# Generated by 'catch22 completion fish'; regenerate it after an upgrade.
#
# In the current shell:  catch22 completion fish | source
# In every new shell:    catch22 completion fish > ~/.config/fish/completions/catch22.fish

# __catch22_commands PATH prints the subcommands of the command PATH.
function __catch22_commands
    switch "$argv[1]"
`)
	for _, c := range root.all() {
		if ws := subNames(c); len(ws) > 0 {
			fmt.Fprintf(b, "        case %s\n            printf '%%s\\n' %s\n", fishQuote(c.path), quoteAll(ws, fishQuote))
		}
	}
	b.WriteString(`    end
end

# __catch22_takes_value PATH FLAG succeeds when FLAG of PATH takes a value.
function __catch22_takes_value
    switch "$argv[1] $argv[2]"
`)
	for _, arm := range valueFlags(root) {
		fmt.Fprintf(b, "        case %s\n            return 0\n", quoteAll(arm, fishQuote))
	}
	b.WriteString(`    end
    return 1
end

# __catch22_at PATH [command] succeeds when the words before the cursor lead
# to the command PATH, and not to a flag's value; with "command", also when
# no positional argument came yet, so that a subcommand may follow.
function __catch22_at
    set -l cmdpath ''
    set -l skip 0
    set -l positional 0
    for word in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $word
            case '--'
                return 1
            case '-*=*'
            case '-*'
                if __catch22_takes_value "$cmdpath" $word
                    set skip 1
                end
            case '*'
                if test $positional = 0; and contains -- $word (__catch22_commands "$cmdpath")
                    if test -z "$cmdpath"
                        set cmdpath $word
                    else
                        set cmdpath "$cmdpath $word"
                    end
                else
                    set positional 1
                end
        end
    end
    test $skip = 0; and test "$cmdpath" = "$argv[1]"; or return 1
    if test "$argv[2]" = command
        test $positional = 0
    end
end

complete -c catch22 -e
`)
	for _, c := range root.all() {
		for i, n := range subNames(c) {
			fmt.Fprintf(b, "complete -c catch22 -f -n %s -a %s -d %s\n",
				fishQuote("__catch22_at "+fishQuote(c.path)+" command"), fishQuote(n), fishQuote(description(c.subs[i].usage)))
		}
		for _, f := range c.flags {
			opt := "-l " + strings.TrimPrefix(f.name, "--")
			if !strings.HasPrefix(f.name, "--") {
				opt = "-s " + strings.TrimPrefix(f.name, "-")
			}
			if f.value {
				opt += " -r"
			}
			fmt.Fprintf(b, "complete -c catch22 -n %s %s -d %s\n",
				fishQuote("__catch22_at "+fishQuote(c.path)), opt, fishQuote(description(f.usage)))
		}
	}
}
