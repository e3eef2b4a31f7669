package tomlpos

import "fmt"

// Bounds checked before decoding. The TOML decoder's time and memory grow
// steeply with nesting depth and with the number of parts of a dotted key
// (16 KB of nested inline tables takes seconds and most of a gigabyte; a
// 30,000-part key never finishes), so a file beyond these is refused by a
// linear scan first. Real manifests and configuration nest three levels and
// use keys of one or two parts.
const (
	MaxDepth    = 16 // nested arrays and inline tables, together
	MaxKeyParts = 16 // parts of one dotted key or table header
)

// LimitError is a file refused by the scan before decoding; Offset is the
// byte where the bound was crossed.
type LimitError struct {
	Offset int
	Msg    string
}

func (e *LimitError) Error() string { return e.Msg }

// prescan checks data against MaxDepth and MaxKeyParts in one pass. It
// follows TOML's lexical structure only as far as needed to tell brackets
// and dots in keys from those inside strings, comments and values; what it
// lets through, the decoder judges.
func prescan(data []byte) error {
	var (
		stack []byte // open brackets: '[' or '{'
		inKey = true // a key is being read: at the start of a top-level line, after '{' or ','
		parts = 1
	)
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !prescanStops[c] {
			continue
		}
		switch c {
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i--
		case '"', '\'':
			i = skipString(data, i) - 1
		case '\n':
			if len(stack) == 0 {
				inKey, parts = true, 1
			}
		case '[', '{':
			if len(stack) == 0 && inKey && c == '[' {
				// A table header: its name is a key.
				if i+1 < len(data) && data[i+1] == '[' {
					i++
				}
				continue
			}
			stack = append(stack, c)
			if len(stack) > MaxDepth {
				return &LimitError{Offset: i, Msg: fmt.Sprintf("nested more than %d levels deep", MaxDepth)}
			}
			inKey, parts = c == '{', 1
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			inKey = false
		case ',':
			if len(stack) > 0 && stack[len(stack)-1] == '{' {
				inKey, parts = true, 1
			}
		case '=':
			inKey = false
		case '.':
			if inKey {
				if parts++; parts > MaxKeyParts {
					return &LimitError{Offset: i, Msg: fmt.Sprintf("a dotted key of more than %d parts", MaxKeyParts)}
				}
			}
		}
	}
	return nil
}

// prescanStops are the bytes prescan acts on; it steps over the rest (most
// of a file: names, values, spaces) with one table lookup each.
var prescanStops = func() (t [256]bool) {
	for _, c := range []byte("#\"'\n[{]},=.") {
		t[c] = true
	}
	return t
}()

// skipString returns the offset just past the string starting at data[i]:
// basic ("…", with escapes) or literal ('…'), single- or multi-line. An
// unterminated string runs to the end (of the line for a single-line one),
// for the decoder to report.
func skipString(data []byte, i int) int {
	q := data[i]
	if i+2 < len(data) && data[i+1] == q && data[i+2] == q {
		for j := i + 3; j < len(data); j++ {
			switch {
			case q == '"' && data[j] == '\\':
				j++
			case data[j] == q && j+2 < len(data) && data[j+1] == q && data[j+2] == q:
				// Up to two more quotes may close a multi-line string.
				k := j + 3
				for k < len(data) && k < j+5 && data[k] == q {
					k++
				}
				return k
			}
		}
		return len(data)
	}
	for j := i + 1; j < len(data); j++ {
		switch {
		case q == '"' && data[j] == '\\':
			j++
		case data[j] == q:
			return j + 1
		case data[j] == '\n':
			return j
		}
	}
	return len(data)
}
