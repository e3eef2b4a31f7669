package tomlpos

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Decode runs the TOML parser. Decoding into an empty interface hands back
// the parser's own tree, where decoding into a map would copy it through
// reflection; on a directory of small files that copy is a noticeable share
// of the run. A panic becomes an error because a bug in a dependency must not
// crash a lint run on hostile input.
func Decode(data []byte) (raw map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			raw, err = nil, fmt.Errorf("toml parser failed: %v", r)
		}
	}()
	if err := prescan(data); err != nil {
		return nil, err
	}
	var v any
	if _, err = toml.NewDecoder(bytes.NewReader(data)).Decode(&v); err != nil {
		return nil, err
	}
	raw, _ = v.(map[string]any)
	if raw == nil {
		raw = map[string]any{}
	}
	return raw, nil
}

// SyntaxError positions a TOML syntax error where the parser found it, with
// the parser's short message made to read like ours: one line, lower-case,
// no final period.
//
// The position is recomputed from the error's byte offset: the parser counts
// a line as soon as it reads its newline, so an error found at the end of a
// line is otherwise reported on the next line, at a column of the previous.
func SyntaxError(data []byte, err error) (line, col int, msg string) {
	line, col, msg = 1, 1, err.Error()
	var le *LimitError
	if errors.As(err, &le) {
		line, col = OffsetPos(data, le.Offset)
		return line, col, "refused before decoding: " + le.Msg
	}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg = pe.Message
		if p := pe.Position; p.Start > 0 || p.Line <= 1 {
			line, col = OffsetPos(stripBOM(data), p.Start)
		} else {
			line, col = p.Line, max(p.Col, 1)
		}
	}
	return line, col, lowerFirst(strings.TrimSuffix(oneLine(msg), "."))
}

// OffsetPos is the 1-based line and byte column of offset off in src.
func OffsetPos(src []byte, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	line = 1 + bytes.Count(src[:off], []byte{'\n'})
	return line, off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
}

// oneLine escapes control characters, which the parser quotes raw from the
// input ('0x<newline>'), so that each error stays on one line.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lowerFirst lower-cases the parser's capitalised messages ("Key 'a' was
// already created") to match ours, but leaves acronyms ("NULL") alone.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	r2, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(r) && !unicode.IsUpper(r2) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

// TypeName names the TOML type of a decoded value for error messages.
func TypeName(v any) string {
	switch v := v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			return "local date"
		case "datetime-local":
			return "local date-time"
		case "time-local":
			return "local time"
		}
		return "offset date-time"
	case []map[string]any:
		return "array of tables"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	}
	return fmt.Sprintf("%T", v)
}

// LocalDate reads a date written as a TOML local date (2023-09-01) or, since
// people quote dates out of habit and the meaning is unambiguous, as the
// string "2023-09-01". Date-times and times are refused: a day has no time
// zone, and one would make "days ago" depend on where the check runs. The
// result is UTC midnight.
func LocalDate(v any) (time.Time, bool) {
	switch d := v.(type) {
	case time.Time:
		// BurntSushi/toml marks local dates with a location of this name.
		if d.Location().String() == "date-local" {
			return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), true
		}
	case string:
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
