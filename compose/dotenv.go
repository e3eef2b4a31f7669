package compose

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/catch22/catch22/manifest"
)

// envFile is a parsed .env or env_file: variables in file order, with the
// position of each value.
type envFile struct {
	keys []string
	vals map[string]string
	pos  map[string]manifest.Pos
}

func (e *envFile) lookup(name string) (string, bool) {
	if e == nil {
		return "", false
	}
	v, ok := e.vals[name]
	return v, ok
}

func (e *envFile) set(name, val string, pos manifest.Pos) {
	if _, ok := e.vals[name]; !ok {
		e.keys = append(e.keys, name)
	}
	e.vals[name], e.pos[name] = val, pos
}

// parseEnvFile reads KEY=VALUE lines as Compose does: blank lines and
// lines starting with # are skipped, "export " is allowed, values may be
// single-quoted (literal), double-quoted (with \n escapes and variables)
// or bare (trimmed, an inline " #" starts a comment, variables expanded).
// Variables refer to the lines above and to outer (the .env of the
// project, for an env_file), never to the process environment.
func parseEnvFile(file string, data []byte, outer *envFile) (*envFile, manifest.ErrorList, manifest.ErrorList) {
	e := &envFile{vals: map[string]string{}, pos: map[string]manifest.Pos{}}
	var errs, warnings manifest.ErrorList
	lookup := func(name string) (string, bool) {
		if v, ok := e.vals[name]; ok {
			return v, true
		}
		return outer.lookup(name)
	}
	n := 0
	for line := range bytes.Lines(data) {
		n++
		text := strings.TrimRight(string(line), "\r\n")
		trimmed := strings.TrimSpace(text)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(text) - len(strings.TrimLeft(text, " \t"))
		trimmed = strings.TrimPrefix(trimmed, "export ")
		key, val, found := strings.Cut(trimmed, "=")
		key = strings.TrimSpace(key)
		pos := manifest.Pos{File: file, Line: n, Col: indent + 1}
		if !found {
			// A bare name passes the variable through from the shell,
			// which an import never reads.
			if !validEnvName(key) {
				errs = append(errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf("want KEY=VALUE, got %q", trimmed)})
			}
			continue
		}
		if !validEnvName(key) {
			errs = append(errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf("bad variable name %q", key)})
			continue
		}
		val = strings.TrimLeft(val, " \t")
		eq := strings.IndexByte(text, '=')
		pos.Col = eq + 2 + len(text[eq+1:]) - len(strings.TrimLeft(text[eq+1:], " \t"))
		var value string
		switch {
		case strings.HasPrefix(val, "'"):
			end := strings.IndexByte(val[1:], '\'')
			if end < 0 {
				errs = append(errs, &manifest.Error{Pos: pos, Msg: "unterminated single-quoted value"})
				continue
			}
			value = val[1 : end+1]
		case strings.HasPrefix(val, `"`):
			end := closingQuote(val)
			if end < 0 {
				errs = append(errs, &manifest.Error{Pos: pos, Msg: "unterminated double-quoted value"})
				continue
			}
			value = strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\"`, `"`, `\\`, `\`).Replace(val[1:end])
			value = expandEnv(value, lookup, pos, &warnings, &errs)
		default:
			if i := strings.Index(val, " #"); i >= 0 {
				val = val[:i]
			}
			value = expandEnv(strings.TrimSpace(val), lookup, pos, &warnings, &errs)
		}
		e.set(key, value, pos)
	}
	return e, errs, warnings
}

// closingQuote returns the index of the double quote closing the value
// that starts with one, skipping escaped quotes, or -1.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// expandEnv interpolates a value, reporting unset variables as warnings
// and ${VAR:?msg} failures as errors at pos.
func expandEnv(s string, lookup func(string) (string, bool), pos manifest.Pos, warnings, errs *manifest.ErrorList) string {
	out, r := interpolate(s, lookup)
	for _, u := range r.unset {
		*warnings = append(*warnings, &manifest.Error{Pos: pos, Msg: fmt.Sprintf("warning: variable %s is not set: it reads as an empty string", u)})
	}
	if r.required != "" {
		*errs = append(*errs, &manifest.Error{Pos: pos, Msg: r.required})
	}
	return out
}

func validEnvName(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameChar(s[i]) && s[i] != '.' && s[i] != '-' {
			return false
		}
	}
	return true
}
