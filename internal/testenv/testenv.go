// Package testenv lets tests that need an external program (Graphviz,
// Chromium) skip without it, and makes every such skip visible.
//
// A plain `go test ./...` prints nothing of a package that passes, not even
// the reasons given to t.Skip, so a machine without Graphviz would pass
// while quietly testing less. Tests call Need, which skips with the reason
// and records the skip; the package's TestMain wraps its testing.M with
// Reporting, which lists the skipped tests after the run, grouped by
// program, with what to install. It writes the list on standard error, and
// also on the terminal (/dev/tty) when go test would hide standard error
// (several packages, no -v). When the environment sets RequireEnv (CI
// does, since it installs the programs), a missing program fails the test
// instead.
//
// This package is used by tests only; nothing in catch22 imports it.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
)

// RequireEnv is the environment variable that turns a skip for a missing
// program into a failure, so a CI run cannot pass while testing less.
const RequireEnv = "CATCH22_REQUIRE_TOOLS"

// A Tool is an external program some tests need.
type Tool struct {
	Name    string   // as people know it: "Graphviz (dot)"
	Install string   // what to do about it
	paths   []string // absolute paths tried first
	names   []string // programs looked up on PATH, in order
}

// The programs catch22's tests use.
var (
	Graphviz = &Tool{
		Name:    "Graphviz (dot)",
		Install: "install graphviz (apt-get install graphviz, brew install graphviz)",
		names:   []string{"dot"},
	}
	Chromium = &Tool{
		Name:    "Chromium",
		Install: "install chromium (apt-get install chromium, brew install --cask chromium) or put chromium or chromium-browser on PATH",
		paths:   []string{"/usr/bin/chromium"},
		names:   []string{"chromium", "chromium-browser"},
	}
)

// Path returns where the tool's program is, or "" when it is missing.
func (tool *Tool) Path() string {
	for _, p := range tool.paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	for _, n := range tool.names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// T is what Need uses of a test: testing.TB has it, and a testscript
// command can provide it.
type T interface {
	Helper()
	Name() string
	Skip(args ...any)
	Fatal(args ...any)
}

// Need returns the path of tool's program. When it is missing, Need skips
// t with the reason and records the skip for Reporting, or fails t when
// RequireEnv is set.
func Need(t T, tool *Tool) string {
	t.Helper()
	if p := tool.Path(); p != "" {
		return p
	}
	reason := fmt.Sprintf("needs %s, which is not installed: %s", tool.Name, tool.Install)
	if os.Getenv(RequireEnv) != "" {
		t.Fatal(reason + " (" + RequireEnv + " is set, so this is a failure, not a skip)")
		return ""
	}
	record(tool, t.Name())
	t.Skip(reason)
	return ""
}

// skips holds the tests Need skipped in this test binary, by tool. It is
// package state because tests skip and TestMain reports, and testing.M
// tells TestMain nothing of what its tests did.
var skips struct {
	sync.Mutex
	tests map[*Tool][]string
}

func record(tool *Tool, test string) {
	skips.Lock()
	defer skips.Unlock()
	if skips.tests == nil {
		skips.tests = map[*Tool][]string{}
	}
	skips.tests[tool] = append(skips.tests[tool], test)
}

// M is what a TestMain runs: *testing.M, or what Reporting returns.
type M interface{ Run() int }

// Reporting wraps m so that its Run, once the tests ran, reports the tests
// Need skipped. Use it as os.Exit(testenv.Reporting(m).Run()), or pass it
// to testscript.Main.
func Reporting(m M) M { return reporting{m} }

type reporting struct{ m M }

func (r reporting) Run() int {
	code := r.m.Run()
	banner := Banner(pkgName())
	if banner == "" {
		return code
	}
	fmt.Fprint(os.Stderr, banner)
	if hidden() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprint(tty, banner)
			tty.Close()
		}
	}
	return code
}

// Banner describes the skips recorded so far, one paragraph per tool in
// the order of the tools' names, tests sorted; "" when there were none.
func Banner(pkg string) string {
	skips.Lock()
	defer skips.Unlock()
	tools := make([]*Tool, 0, len(skips.tests))
	for tool := range skips.tests {
		tools = append(tools, tool)
	}
	slices.SortFunc(tools, func(a, b *Tool) int { return strings.Compare(a.Name, b.Name) })
	var b strings.Builder
	for _, tool := range tools {
		tests := slices.Clone(skips.tests[tool])
		slices.Sort(tests)
		tests = slices.Compact(tests)
		noun := "tests need"
		if len(tests) == 1 {
			noun = "test needs"
		}
		fmt.Fprintf(&b, "%s: SKIPPED: %d %s %s, which is not installed: %s\n", pkg, len(tests), noun, tool.Name, tool.Install)
		for _, name := range tests {
			fmt.Fprintf(&b, "    %s\n", name)
		}
	}
	return b.String()
}

// hidden reports whether go test is likely to throw this binary's output
// away: it keeps the output of a passing package only with -v, or when it
// runs the package in the current directory with its output on the
// terminal (then standard error is a terminal).
func hidden() bool {
	if testing.Verbose() {
		return false
	}
	st, err := os.Stderr.Stat()
	return err != nil || st.Mode()&os.ModeCharDevice == 0
}

// pkgName names the package under test: a test binary's main module path
// is the package's import path with ".test" appended.
func pkgName() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Path != "" {
		return strings.TrimSuffix(bi.Path, ".test")
	}
	return strings.TrimSuffix(os.Args[0], ".test")
}
