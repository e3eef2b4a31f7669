package safetext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with everything that could act on the device or program
// reading the output written as a visible escape, and s itself when there
// is nothing to escape, which is the common case and does not allocate:
//
//   - C0 controls, DEL and C1 controls, as Go writes them in a quoted
//     string: \n, \r, \t, \x1b, \x7f, \u009b. A line feed in a name must
//     not start a line of its own (a GitHub Actions runner executes a line
//     that starts with "::"), and ESC or CSI must not reach a terminal.
//   - Bytes that are not UTF-8, as \xHH: a lone 0x9b is CSI to a terminal
//     that reads 8-bit controls.
//   - Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E,
//     U+200F, U+061C) and the line and paragraph separators U+2028 and
//     U+2029, as \u202e and so on: they reorder or break what is shown
//     ("Trojan Source", CVE-2021-42574).
//   - The GitHub Actions workflow-command markers that need no line break
//     to work: "::" at the start of s, after white space only, becomes
//     `\::`, because the runner trims a line's leading white space before
//     looking for "::"; and "##[" anywhere becomes `##\[`, because the
//     runner still reads the legacy "##[command]" form anywhere in a line.
//
// Everything else passes unchanged, non-ASCII letters and symbols
// included; so does a backslash, so an escape is for reading and does not
// round-trip. Apply Escape to each value as a whole where it is printed,
// not to the pieces it is built from, so that "::" at its start is seen.
// O(len(s)).
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	lead := true // only white space written so far: "::" here starts a command
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(s[i])&0xf, 16))
		case control(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		case lead && strings.HasPrefix(s[i:], "::"):
			b.WriteString(`\::`)
			size = 2
		case strings.HasPrefix(s[i:], "##["):
			b.WriteString(`##\[`)
			size = 3
		default:
			b.WriteString(s[i : i+size])
			if unicode.IsSpace(r) {
				i += size
				continue // still leading white space
			}
		}
		lead = false
		i += size
	}
	return b.String()
}

// Escaped reports whether Escape writes r as an escape wherever it occurs:
// a C0 or C1 control, DEL, a bidirectional control or a line or paragraph
// separator. Formats with an escape of their own that reads back as the
// same text (JSON's \u202e) use it to keep such characters out of their
// bytes without changing what they say.
func Escaped(r rune) bool { return control(r) }

// control is Escaped.
func control(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f',
		r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069',
		r == '\u2028', r == '\u2029':
		return true
	}
	return false
}

// needsEscape reports whether Escape would change s.
func needsEscape(s string) bool {
	if strings.HasPrefix(strings.TrimLeftFunc(s, unicode.IsSpace), "::") || strings.Contains(s, "##[") {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || control(r) {
			return true
		}
		i += size
	}
	return false
}
