package safetext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain kv@production", "plain kv@production"},
		{"ünï-cødé ✓ 日本 @org/team", "ünï-cødé ✓ 日本 @org/team"},
		{`back\slash and a literal \n`, `back\slash and a literal \n`},
		{"roll\n::error file=x::pwned", `roll\n::error file=x::pwned`},
		{"a\r\nb\tc\x00d\x7fe", `a\r\nb\tc\x00d\x7fe`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"\u009b31m C1 CSI, \u0085 NEL", `\u009b31m C1 CSI, \u0085 NEL`},
		{"bad \x9b byte \xff", `bad \x9b byte \xff`},
		{"gnp.\u202eexe", `gnp.\u202eexe`},
		{"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c", `\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c`},
		{"line\u2028sep\u2029par", `line\u2028sep\u2029par`},
		// Workflow-command markers.
		{"::error::x", `\::error::x`},
		{"  \u00a0\u3000::warning::x", "  \u00a0\u3000\\::warning::x"},
		{"\t::error::x", `\t::error::x`}, // the escaped tab already shields it
		{"a::b", "a::b"},
		{"fe80::1", "fe80::1"},
		{"::", `\::`},
		{":", ":"},
		{"x ##[error]y ###[z", `x ##\[error]y ###\[z`},
		{"##", "##"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestEscapeNoAllocation: clean text, the common case, is returned as is.
func TestEscapeNoAllocation(t *testing.T) {
	s := "kv@production -[recovery: rollback]-> ci -[auth]-> access ✓"
	if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
		t.Errorf("Escape of clean text allocates %v times", n)
	}
}

// FuzzEscape checks the promises on any input: the result is valid UTF-8
// on one line, holds no character that is escaped, does not start a
// workflow command however a runner trims it, and is the input unchanged
// when the input needed nothing.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a\nb", "::x::y", " ::x", "##[x]", "\xff\u202e", "\u00a0::", "#", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Escape(%q) = %q: not UTF-8", s, got)
		}
		for _, r := range got {
			if control(r) {
				t.Fatalf("Escape(%q) = %q holds %U", s, got, r)
			}
		}
		if strings.HasPrefix(strings.TrimLeftFunc(got, unicode.IsSpace), "::") || strings.Contains(got, "##[") {
			t.Fatalf("Escape(%q) = %q can start a workflow command", s, got)
		}
		if !needsEscape(s) && got != s {
			t.Fatalf("Escape(%q) = %q changed clean text", s, got)
		}
	})
}
