package compose

import (
	"strings"
)

// interpolation is the outcome of substituting variables in one value.
type interpolation struct {
	unset    []string // variables used without a value or a default
	required string   // the message of a ${VAR:?msg} whose VAR is unset
}

// interpolate substitutes variables in s as Compose does: $VAR, ${VAR},
// ${VAR:-default} and ${VAR-default}, ${VAR:+alt} and ${VAR+alt},
// ${VAR:?error} and ${VAR?error}; $$ is a literal dollar. Defaults may
// themselves hold variables. Only lookup is consulted, never the process
// environment, so that the same files always give the same manifests.
func interpolate(s string, lookup func(string) (string, bool)) (string, interpolation) {
	var res interpolation
	if !strings.Contains(s, "$") {
		return s, res
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch next := s[i+1]; {
		case next == '$':
			b.WriteByte('$')
			i++
		case next == '{':
			end := closingBrace(s, i+2)
			if end < 0 {
				b.WriteString(s[i:]) // unterminated: left as written
				return b.String(), res
			}
			b.WriteString(substitute(s[i+2:end], lookup, &res))
			i = end
		case isNameStart(next):
			j := i + 1
			for j < len(s) && isNameChar(s[j]) {
				j++
			}
			name := s[i+1 : j]
			v, ok := lookup(name)
			if !ok {
				res.unset = append(res.unset, name)
			}
			b.WriteString(v)
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), res
}

// substitute evaluates the inside of one ${…}.
func substitute(expr string, lookup func(string) (string, bool), res *interpolation) string {
	j := 0
	for j < len(expr) && isNameChar(expr[j]) {
		j++
	}
	name, op := expr[:j], expr[j:]
	v, set := lookup(name)
	nonEmpty := set && v != ""
	word := func(w string) string {
		out, r := interpolate(w, lookup)
		res.unset = append(res.unset, r.unset...)
		if res.required == "" {
			res.required = r.required
		}
		return out
	}
	switch {
	case op == "":
		if !set {
			res.unset = append(res.unset, name)
		}
		return v
	case strings.HasPrefix(op, ":-"):
		if nonEmpty {
			return v
		}
		return word(op[2:])
	case strings.HasPrefix(op, "-"):
		if set {
			return v
		}
		return word(op[1:])
	case strings.HasPrefix(op, ":+"):
		if nonEmpty {
			return word(op[2:])
		}
		return ""
	case strings.HasPrefix(op, "+"):
		if set {
			return word(op[1:])
		}
		return ""
	case strings.HasPrefix(op, ":?"), strings.HasPrefix(op, "?"):
		msg := strings.TrimPrefix(strings.TrimPrefix(op, ":"), "?")
		if (op[0] == ':' && !nonEmpty) || (op[0] == '?' && !set) {
			if res.required == "" {
				res.required = name + " is required"
				if msg != "" {
					res.required += ": " + word(msg)
				}
			}
			return ""
		}
		return v
	}
	// Not a form Compose knows: keep it as written.
	return "${" + expr + "}"
}

// closingBrace returns the index of the "}" closing the "${" whose content
// starts at from, counting nested ones, or -1.
func closingBrace(s string, from int) int {
	depth := 1
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isNameChar(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }
