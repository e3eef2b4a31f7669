package yamlpos

import (
	"strconv"
	"strings"
)

// resolve tells the kind of a plain scalar. The rules are those of
// goccy/go-yaml v1.19.2, which this package used before, so that importers
// read every value as they did: YAML 1.2's core schema (no "yes" or "on"
// booleans), with its quirks kept, such as a leading 0 making an octal
// integer and "1e3" being a string.
func resolve(s string) Kind {
	switch s {
	case "", "null", "Null", "NULL", "~":
		return Null
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return Bool
	case ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
		return Float
	}
	return number(s)
}

// number is goccy/go-yaml's token.ToNumber: Int, Float, or String for
// what is not a number (or does not fit 64 bits).
func number(s string) Kind {
	if s == "" || s[0] == '_' {
		return String
	}
	dots := strings.Count(s, ".")
	if dots > 1 {
		return String
	}
	negative := strings.HasPrefix(s, "-")
	text := strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-"), "_", "")
	base, float := 10, false
	switch {
	case strings.HasPrefix(text, "0x"):
		text, base = text[2:], 16
	case strings.HasPrefix(text, "0o"):
		text, base = text[2:], 8
	case strings.HasPrefix(text, "0b"):
		text, base = text[2:], 2
	case strings.HasPrefix(text, "0") && len(text) > 1 && dots == 0:
		base = 8
	case dots == 1:
		float = true
	}
	// strconv allocates an error for every string it refuses, and most
	// plain scalars are words: refuse at once what it would refuse.
	digits := "0123456789"
	switch {
	case base == 16:
		digits = "0123456789abcdefABCDEF"
	case float:
		digits = "0123456789.eE+-"
	}
	if text == "" || strings.Trim(text, digits) != "" {
		return String
	}
	if negative {
		text = "-" + text
	}
	var err error
	switch {
	case float:
		_, err = strconv.ParseFloat(text, 64)
	case negative:
		_, err = strconv.ParseInt(text, base, 64)
	default:
		_, err = strconv.ParseUint(text, base, 64)
	}
	switch {
	case err != nil:
		return String
	case float:
		return Float
	}
	return Int
}
