package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/cli"
)

// completionCases are command lines being completed (the last word is the
// one under the cursor) and the candidates every shell must offer, in a
// directory holding only m.toml, where completing a file name offers it.
var completionCases = []struct {
	words []string
	want  []string
}{
	{[]string{""}, []string{"check", "completion", "diff", "explain", "graph", "help", "import", "init", "kv", "plan", "report", "rules", "validate", "what-if"}},
	{[]string{"ch"}, []string{"check"}},
	{[]string{"--ver"}, []string{"--version"}},
	{[]string{"check", "--fa"}, []string{"--fail-on"}},
	{[]string{"check", "m.toml", "--fo"}, []string{"--format"}}, // flags may follow the paths
	{[]string{"check", "m.toml", ""}, []string{"m.toml"}},
	{[]string{"check", "--format", ""}, []string{"m.toml"}}, // a flag's value: a file name
	{[]string{"check", "-o", ""}, []string{"m.toml"}},
	{[]string{"check", "--suggest", ""}, []string{"m.toml"}}, // a flag without a value
	{[]string{"check", "--", "--f"}, nil},                    // after --, only paths
	{[]string{"graph", "--fail"}, nil},                       // graph has no --fail-on
	{[]string{"what-if", "--fail", "x", "--fai"}, []string{"--fail"}},
	{[]string{"kv", ""}, []string{"serve"}},
	{[]string{"kv", "serve", "--me"}, []string{"--memory"}},
	{[]string{"kv", "serve", "--addr", "127.0.0.1:0", "--q"}, []string{"--quiet"}},
	{[]string{"import", "k"}, []string{"kubernetes"}},
	{[]string{"import", "compose", "--e"}, []string{"--env"}},
	{[]string{"completion", ""}, []string{"bash", "fish", "zsh"}},
	{[]string{"rules", "--f"}, []string{"--format"}},
}

// completionScript returns `catch22 completion SHELL`, written to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if code := cli.Run(context.Background(), []string{"catch22", "completion", shell}, nil, &out, &errs); code != cli.ExitOK {
		t.Fatalf("completion %s exited %d: %s", shell, code, errs.String())
	}
	f := filepath.Join(t.TempDir(), "catch22."+shell)
	if err := os.WriteFile(f, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// runShell runs a shell script in a directory holding only m.toml and
// returns the candidates it prints, one a line, sorted.
func runShell(t *testing.T, name string, args ...string) []string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed", name)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "m.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	home := t.TempDir() // where shells may write their own files
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("%s: %v\n%s", name, err, stderr.String())
	}
	var got []string
	for l := range strings.Lines(string(out)) {
		if l = strings.TrimSpace(l); l != "" {
			got = append(got, l)
		}
	}
	slices.Sort(got)
	return got
}

// The bash script, completing as bash does with `complete -o default`:
// when the function offers nothing, file names.
func TestCompletionBash(t *testing.T) {
	script := completionScript(t, "bash")
	const harness = `
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_catch22
if ((${#COMPREPLY[@]} == 0)); then
	COMPREPLY=($(compgen -f -- "${COMP_WORDS[COMP_CWORD]}"))
fi
printf '%s\n' "${COMPREPLY[@]}"`
	for _, tc := range completionCases {
		t.Run(strings.Join(tc.words, " "), func(t *testing.T) {
			args := append([]string{"--norc", "--noprofile", "-c", harness, "bash", script, "catch22"}, tc.words...)
			if diff := cmp.Diff(tc.want, runShell(t, "bash", args...)); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		})
	}
}

// The zsh script, with the completion system's _describe and _files
// replaced by functions that print what they would offer: zsh completes
// only in an interactive shell.
func TestCompletionZsh(t *testing.T) {
	script := completionScript(t, "zsh")
	const harness = `
compdef() { [[ $1 == _catch22 && $2 == catch22 ]] || print -u2 "compdef $*" }
_describe() {
	local x
	for x in "${(@P)${@[-1]}}"; do
		x=${x%%:*}
		[[ $x == ${words[CURRENT]}* ]] && print -r -- $x
	done
}
_files() { print -rl -- ${words[CURRENT]}*(N) }
source $1
shift
local -a words
words=("$@")
local CURRENT=${#words}
_catch22
:`
	for _, tc := range completionCases {
		t.Run(strings.Join(tc.words, " "), func(t *testing.T) {
			args := append([]string{"-f", "-c", harness, "zsh", script, "catch22"}, tc.words...)
			if diff := cmp.Diff(tc.want, runShell(t, "zsh", args...)); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		})
	}
}

// The fish script, through fish's own `complete -C`.
func TestCompletionFish(t *testing.T) {
	script := completionScript(t, "fish")
	const harness = `
source $argv[1]
complete -C (string join ' ' -- $argv[2..-1]) | string replace -r '\t.*' ''
true`
	for _, tc := range completionCases {
		t.Run(strings.Join(tc.words, " "), func(t *testing.T) {
			args := append([]string{"--no-config", "-c", harness, script, "catch22"}, tc.words...)
			if diff := cmp.Diff(tc.want, runShell(t, "fish", args...)); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		})
	}
}

// The scripts are checked by the shells themselves where they are
// installed; this checks, everywhere, that each names every command and
// flag, and that a shell without a script is a usage error.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		data, err := os.ReadFile(completionScript(t, shell))
		if err != nil {
			t.Fatal(err)
		}
		for _, word := range []string{"what-if", "serve", "backstage", "fail-on", "each", "findings-only", "allow-host", "version"} {
			if !bytes.Contains(data, []byte(word)) {
				t.Errorf("the %s script lacks %s", shell, word)
			}
		}
	}
	var errs bytes.Buffer
	if code := cli.Run(context.Background(), []string{"catch22", "completion", "tcsh"}, nil, &bytes.Buffer{}, &errs); code != cli.ExitInput ||
		errs.String() != "catch22: completion: no shell \"tcsh\" (want bash, zsh or fish)\nRun 'catch22 completion --help' for usage.\n" {
		t.Errorf("completion tcsh exited %d: %s", code, errs.String())
	}
	errs.Reset()
	if code := cli.Run(context.Background(), []string{"catch22", "completion", "bsh"}, nil, &bytes.Buffer{}, &errs); code != cli.ExitInput ||
		!strings.Contains(errs.String(), `(did you mean "bash"?)`) {
		t.Errorf("completion bsh exited %d: %s", code, errs.String())
	}
}
