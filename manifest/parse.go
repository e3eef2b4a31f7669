package manifest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/internal/tomlpos"
)

// namePattern is the shape of service names, envs and both halves of a
// reference, as quoted in error messages.
const namePattern = "[a-z0-9][a-z0-9._-]*"

// The keys each table accepts, in documentation order. Anything else is
// reported as an unknown key, with a suggestion from these lists.
var (
	topKeys        = []string{"service", "dependency", "recovery"}
	serviceKeys    = []string{"name", "env", "description", "owner", "system", "tier", "kind", "monitored_by", "emulate", "skip_inherited"}
	dependencyKeys = []string{"on", "any_of", "quorum", "kind", "mode", "phase", "note"}
	recoveryKeys   = []string{"name", "via", "breakglass", "rebuilds", "tested", "runbook", "use"}
)

// Parse decodes and validates one manifest. file is used only in positions.
//
// It returns either a valid manifest with defaults applied, or nil and every
// problem found in the file, sorted. Validation walks the decoded map rather
// than decoding into structs: a struct decoder stops at the first mismatch,
// and users should see all their mistakes at once.
//
// Parse applies no shared defaults: a `use` of a procedure template is an
// error here, since templates live in _defaults.toml files and catch22.toml,
// which only Load and LoadFiles read.
func Parse(file string, data []byte) (*Manifest, ErrorList) {
	d, errs := parseDraft(file, data, new(tomlpos.Scanner))
	if d == nil {
		return nil, errs
	}
	m, rerrs := d.resolve(nil, false)
	if errs = append(errs, rerrs...); len(errs) > 0 {
		return nil, errs.sorted()
	}
	return m, nil
}

// parseDraft decodes and validates one manifest as written, before the
// defaults that apply to it are known. The draft is nil only after a TOML
// syntax error; otherwise it comes back even with errors, so that resolving
// it can add the problems found then (duplicate procedure names, unknown
// templates) and the user sees them all at once. sc is the caller's
// scanner, reused from file to file.
func parseDraft(file string, data []byte, sc *tomlpos.Scanner) (*draft, ErrorList) {
	raw, err := tomlpos.Decode(data)
	if err != nil {
		line, col, msg := tomlpos.SyntaxError(data, err)
		return nil, ErrorList{{Pos: Pos{File: file, Line: line, Col: col}, Msg: msg}}
	}
	p := &parser{file: file, root: sc.Scan(data)}
	return p.manifest(raw), p.errs
}

// parser validates one decoded manifest and collects its errors.
type parser struct {
	file string
	root *tomlpos.Node
	errs ErrorList
	bare int // references written without @env, left with Env "" for resolve
}

// at returns the first usable position of candidates, falling back to the
// start of the file: an error is better slightly misplaced than unplaced.
func (p *parser) at(candidates ...tomlpos.LineCol) Pos {
	for _, c := range candidates {
		if c.Valid() {
			return Pos{File: p.file, Line: int(c.Line), Col: int(c.Col)}
		}
	}
	return Pos{File: p.file, Line: 1, Col: 1}
}

// lineColOf converts back a position made by at, to use it as a fallback.
func lineColOf(p Pos) tomlpos.LineCol { return tomlpos.LineCol{Line: int32(p.Line), Col: int32(p.Col)} }

// errorf records an error; validation always goes on, to report them all.
func (p *parser) errorf(pos Pos, format string, args ...any) {
	p.errs = append(p.errs, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// manifest validates the decoded document and builds the draft, which is
// only meaningful when no error was recorded.
//
// References written without "@env" are left bare (Env ""): the service's
// env may come from a _defaults.toml, so only resolve knows it.
func (p *parser) manifest(raw map[string]any) *draft {
	d := &draft{m: &Manifest{File: p.file}}
	m := d.m
	p.unknownKeys(raw, p.root, topKeys, "")

	svcNode := p.root.Child("service")
	switch svc := raw["service"].(type) {
	case nil:
		p.errorf(p.at(), "no [service] table: a manifest declares exactly one service")
	case map[string]any:
		m.Service, d.set, d.skip = p.service(svc, svcNode)
	default:
		p.errorf(p.at(svcNode.ValPos(), svcNode.KeyPos()),
			"service: want a table ([service]), got %s", tomlpos.TypeName(svc))
	}

	deps, depNode := p.tables(raw, "dependency")
	if len(deps) > 0 {
		m.Dependencies = make([]Dependency, 0, len(deps))
	}
	for i, t := range deps {
		if t != nil {
			m.Dependencies = append(m.Dependencies, p.dependency(t, depNode.Elem(i), depNode, ""))
		}
	}

	recs, recNode := p.tables(raw, "recovery")
	if len(recs) > 0 {
		m.Recoveries = make([]Recovery, 0, len(recs))
		d.recs = make([]recDraft, 0, len(recs))
	}
	for i, t := range recs {
		if t == nil {
			continue
		}
		r, rd := p.recovery(t, recNode.Elem(i), recNode)
		m.Recoveries = append(m.Recoveries, r)
		d.recs = append(d.recs, rd)
	}
	d.bare = p.bare
	return d
}

// procNames detects duplicate procedure names. A service declares a few
// procedures, where scanning the names seen beats a map; only a long list
// gets an index, so that hostile input stays linear.
type procNames struct {
	names []string
	lines []int
	index map[string]int // name → line, when many
}

func newProcNames(n int) procNames {
	if n > 16 {
		return procNames{index: make(map[string]int, n)}
	}
	return procNames{}
}

// add records a name declared on line and, when it was declared before,
// returns the line of its first declaration. Empty names, reported as such
// elsewhere, are never duplicates.
func (s *procNames) add(name string, line int) (first int, dup bool) {
	if name == "" {
		return 0, false
	}
	if s.index != nil {
		if first, dup = s.index[name]; !dup {
			s.index[name] = line
		}
		return first, dup
	}
	for i, n := range s.names {
		if n == name {
			return s.lines[i], true
		}
	}
	s.names = append(s.names, name)
	s.lines = append(s.lines, line)
	return 0, false
}

// service validates the [service] table n. It returns which inheritable
// keys are written, since those win over any default, and the references of
// skip_inherited.
func (p *parser) service(t map[string]any, n *tomlpos.Node) (Service, keySet, []Ref) {
	s := Service{Pos: p.at(n.ValPos(), n.KeyPos())}
	p.unknownKeys(t, n, serviceKeys, "[service]")

	if _, ok := t["name"]; !ok {
		p.errorf(s.Pos, "missing required key \"name\" in [service]")
	} else if v, ok := p.str(t, n, "name"); ok {
		s.Name = v
		p.checkName(n, "name", v)
	}
	s.Description, _ = p.str(t, n, "description")
	set := p.inheritable(t, n, &s)
	if v, ok := p.str(t, n, "emulate"); ok {
		if v == "" || v == "kv" {
			s.Emulate = v
		} else {
			p.errorf(p.at(n.Child("emulate").ValPos(), lineColOf(s.Pos)),
				"emulate: want \"\" or \"kv\", got %q%s", v, suggest.Hint(v, []string{"kv"}))
		}
	}
	skip := p.refs(t, n, "skip_inherited", "", s.Pos, "")
	return s, set, skip
}

// inheritable validates the [service] keys that a _defaults.toml may set too
// (env, owner, system, tier, kind, monitored_by) into s, and returns which
// of them are written. A key written with a bad value counts as written: its
// error is reported, and no default hides it.
func (p *parser) inheritable(t map[string]any, n *tomlpos.Node, s *Service) keySet {
	var set keySet
	for i, k := range inheritableKeys {
		if _, ok := t[k]; ok {
			set |= setEnv << i
		}
	}
	if v, ok := p.str(t, n, "env"); ok {
		s.Env = v
		p.checkName(n, "env", v)
	}
	s.Owner, _ = p.str(t, n, "owner")
	s.System, _ = p.str(t, n, "system")

	if v, ok := t["tier"]; ok {
		pos := p.at(n.Child("tier").ValPos(), lineColOf(s.Pos))
		switch tier, isInt := v.(int64); {
		case !isInt:
			p.errorf(pos, "tier: want an integer from 0 to 3, got %s", tomlpos.TypeName(v))
		case tier < 0 || tier > 3:
			p.errorf(pos, "tier: want an integer from 0 to 3, got %d", tier)
		default:
			s.Tier, s.HasTier = int(tier), true
		}
	}
	if v, ok := enum(p, t, n, "kind", Kinds); ok {
		s.Kind = v
	}
	s.MonitoredBy = p.refs(t, n, "monitored_by", "", s.Pos, "")
	return set
}

// dependency validates one [[dependency]] entry n of the array arr.
func (p *parser) dependency(t map[string]any, n, arr *tomlpos.Node, env string) Dependency {
	d := Dependency{Kind: DepRuntime, Mode: Hard, Phase: PhaseRun, Pos: p.at(n.ValPos(), arr.ValPos())}
	p.unknownKeys(t, n, dependencyKeys, "[[dependency]]")
	_, hasOn := t["on"]
	_, hasAnyOf := t["any_of"]
	switch {
	case hasOn && hasAnyOf:
		p.errorf(p.at(n.Child("any_of").KeyPos(), lineColOf(d.Pos)), "any_of: a [[dependency]] names its target with on or its alternatives with any_of, not both")
	case hasAnyOf:
		p.anyOf(t, n, &d, env)
	case !hasOn:
		p.errorf(d.Pos, "missing required key \"on\" (or \"any_of\") in [[dependency]]")
	default:
		if v, ok := p.str(t, n, "on"); ok {
			d.On, _ = p.ref("on", v, p.at(n.Child("on").ValPos(), lineColOf(d.Pos)), env)
		}
	}
	if _, ok := t["quorum"]; ok && !hasAnyOf {
		p.errorf(p.at(n.Child("quorum").KeyPos(), lineColOf(d.Pos)), "quorum: only a dependency on alternatives (any_of) has a quorum")
	}
	if v, ok := enum(p, t, n, "kind", DepKinds); ok {
		d.Kind = v
	}
	if v, ok := enum(p, t, n, "mode", Modes); ok {
		d.Mode = v
	}
	if v, ok := enum(p, t, n, "phase", Phases); ok {
		d.Phase = v
	}
	d.Note, _ = p.str(t, n, "note")
	return d
}

// anyOf validates the alternatives of a redundant dependency: two or more
// nodes (distinct ones: see twiceNamed, once they are bound to an env), and
// a quorum (default 1) of at most as many.
func (p *parser) anyOf(t map[string]any, n *tomlpos.Node, d *Dependency, env string) {
	d.Quorum = 1
	d.AnyOf = p.refs(t, n, "any_of", env, d.Pos, "[[dependency]]")
	pos := p.at(n.Child("any_of").ValPos(), lineColOf(d.Pos))
	if len(d.AnyOf) == 1 {
		p.errorf(pos, "any_of: want two or more alternatives, got one (write on = %q for a single target)", d.AnyOf[0].Name)
	}
	raw, ok := t["quorum"]
	if !ok {
		return
	}
	qpos := p.at(n.Child("quorum").ValPos(), lineColOf(d.Pos))
	q, isInt := raw.(int64)
	switch {
	case !isInt:
		p.errorf(qpos, "quorum: want an integer, got %s", tomlpos.TypeName(raw))
	case q < 1 || (len(d.AnyOf) > 0 && q > int64(len(d.AnyOf))):
		p.errorf(qpos, "quorum: want 1 to %d (the number of alternatives), got %d", max(1, len(d.AnyOf)), q)
	default:
		d.Quorum = int(q)
	}
}

// recovery validates one [[recovery]] entry n of the array arr. An entry
// with `use` takes what it does not write from that template, so name and
// via are required only without it. Duplicate names and unknown templates
// are resolve's concern, since they involve all procedures and the defaults.
func (p *parser) recovery(t map[string]any, n, arr *tomlpos.Node) (Recovery, recDraft) {
	_, hasUse := t["use"]
	r, set := p.procedure(t, n, arr, recoveryKeys, "[[recovery]]", !hasUse)
	rd := recDraft{set: set, namePos: p.at(n.Child("name").ValPos(), lineColOf(r.Pos))}
	if v, ok := p.str(t, n, "use"); ok {
		rd.usePos = p.at(n.Child("use").ValPos(), lineColOf(r.Pos))
		if v == "" {
			p.errorf(rd.usePos, "use: want the name of a procedure template, got \"\"")
		}
		r.Use = v
		if set&setName == 0 {
			rd.namePos = rd.usePos
		}
	}
	return r, rd
}

// procedure validates the keys that [[recovery]] entries and [[template]]
// procedures share, in the entry n of the array arr; table names it in
// messages. With required, name and via must be written. It returns which
// of name, via, breakglass, rebuilds, tested and runbook are written.
func (p *parser) procedure(t map[string]any, n, arr *tomlpos.Node, allowed []string, table string, required bool) (Recovery, keySet) {
	r := Recovery{Pos: p.at(n.ValPos(), arr.ValPos())}
	p.unknownKeys(t, n, allowed, table)
	var set keySet
	for i, k := range procedureKeys {
		if _, ok := t[k]; ok {
			set |= setName << i
		}
	}
	if set&setName == 0 {
		if required {
			p.errorf(r.Pos, "missing required key \"name\" in %s", table)
		}
	} else if v, ok := p.str(t, n, "name"); ok {
		if v == "" {
			p.errorf(p.at(n.Child("name").ValPos(), lineColOf(r.Pos)), "name: want a non-empty procedure name, got \"\"")
		}
		r.Name = v
	}
	if required || set&setVia != 0 {
		r.Via = p.refs(t, n, "via", "", r.Pos, table)
	}
	if v, ok := t["breakglass"]; ok {
		if b, isBool := v.(bool); isBool {
			r.Breakglass = b
		} else {
			p.errorf(p.at(n.Child("breakglass").ValPos(), lineColOf(r.Pos)), "breakglass: want a boolean, got %s", tomlpos.TypeName(v))
		}
	}
	if v, ok := t["rebuilds"]; ok {
		if b, isBool := v.(bool); isBool {
			r.Rebuilds = b
		} else {
			p.errorf(p.at(n.Child("rebuilds").ValPos(), lineColOf(r.Pos)), "rebuilds: want a boolean, got %s", tomlpos.TypeName(v))
		}
	}
	if v, ok := t["tested"]; ok {
		r.TestedPos = p.at(n.Child("tested").ValPos(), lineColOf(r.Pos))
		r.Tested = p.date("tested", v, r.TestedPos)
	}
	r.Runbook, _ = p.str(t, n, "runbook")
	return r, set
}

// date reads `tested`: see tomlpos.LocalDate for what it accepts.
func (p *parser) date(key string, v any, pos Pos) time.Time {
	if t, ok := tomlpos.LocalDate(v); ok {
		return t
	}
	got := tomlpos.TypeName(v)
	if s, isString := v.(string); isString {
		got = fmt.Sprintf("%q", s)
	}
	p.errorf(pos, "%s: want a date (YYYY-MM-DD), got %s", key, got)
	return time.Time{}
}

// tables returns the entries of an array of tables, written either as
// [[key]] headers or as key = [{...}, {...}]; entries that are not tables
// are reported and returned as nil so that indices still match positions.
func (p *parser) tables(raw map[string]any, key string) ([]map[string]any, *tomlpos.Node) {
	n := p.root.Child(key)
	switch v := raw[key].(type) {
	case nil:
		return nil, n
	case []map[string]any:
		return v, n
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			if t, ok := e.(map[string]any); ok {
				out[i] = t
			} else {
				p.errorf(p.at(n.Elem(i).ValPos(), n.ValPos()),
					"%s: want an array of tables ([[%s]]), got an array element of type %s", key, key, tomlpos.TypeName(e))
			}
		}
		return out, n
	default:
		p.errorf(p.at(n.ValPos(), n.KeyPos()), "%s: want an array of tables ([[%s]]), got %s", key, key, tomlpos.TypeName(v))
		return nil, n
	}
}

// unknownKeys reports keys of t outside allowed. where names the table in
// the message; "" is the top level.
func (p *parser) unknownKeys(t map[string]any, n *tomlpos.Node, allowed []string, where string) {
	// Counting the allowed keys present is cheaper than ranging over the
	// map, and settles the common case where every key is known.
	known := 0
	for _, k := range allowed {
		if _, ok := t[k]; ok {
			known++
		}
	}
	if known == len(t) {
		return
	}
	for k := range t {
		if slices.Contains(allowed, k) {
			continue
		}
		in := ""
		if where != "" {
			in = " in " + where
		}
		p.errorf(p.at(n.Child(k).KeyPos(), n.ValPos()), "unknown key %q%s%s", k, in, suggest.Hint(k, allowed))
	}
}

// str returns the string value of key; ok is false when the key is absent
// or (reported) not a string.
func (p *parser) str(t map[string]any, n *tomlpos.Node, key string) (v string, ok bool) {
	raw, present := t[key]
	if !present {
		return "", false
	}
	if v, ok = raw.(string); !ok {
		p.errorf(p.at(n.Child(key).ValPos(), n.ValPos()), "%s: want a string, got %s", key, tomlpos.TypeName(raw))
	}
	return v, ok
}

// enum returns the value of key when it is one of valid; absent or
// (reported) invalid values give ok false.
func enum[T ~string](p *parser, t map[string]any, n *tomlpos.Node, key string, valid []T) (T, bool) {
	v, ok := p.str(t, n, key)
	if !ok {
		return "", false
	}
	if i := slices.Index(valid, T(v)); i >= 0 {
		// The listed value, not the decoded copy: every manifest then
		// shares one string, and the collector has fewer objects to trace.
		return valid[i], true
	}
	names := make([]string, len(valid))
	for i, x := range valid {
		names[i] = string(x)
	}
	p.errorf(p.at(n.Child(key).ValPos(), n.ValPos()), "%s: want one of %s, got %q%s",
		key, strings.Join(names, "|"), v, suggest.Hint(v, names))
	return "", false
}

// checkName reports a service name or env that does not match namePattern.
func (p *parser) checkName(n *tomlpos.Node, key, v string) {
	if !ValidName(v) {
		p.errorf(p.at(n.Child(key).ValPos(), n.ValPos()), "%s: want a name matching %s, got %q%s",
			key, namePattern, v, lowerHint(v, ValidName))
	}
}

// refs returns the references listed under key, in declaration order.
// required is the table named in the error when the key is missing, or ""
// when the key is optional.
func (p *parser) refs(t map[string]any, n *tomlpos.Node, key, env string, owner Pos, required string) []Ref {
	raw, present := t[key]
	if !present {
		if required != "" {
			p.errorf(owner, "missing required key %q in %s", key, required)
		}
		return nil
	}
	vn := n.Child(key)
	pos := p.at(vn.ValPos(), lineColOf(owner))
	list, ok := raw.([]any)
	if !ok {
		p.errorf(pos, "%s: want an array of node references, got %s", key, tomlpos.TypeName(raw))
		return nil
	}
	if required != "" && len(list) == 0 {
		p.errorf(pos, "%s: want a non-empty array of node references, got an empty array", key)
		return nil
	}
	var refs []Ref
	for i, e := range list {
		epos := p.at(vn.Elem(i).ValPos(), lineColOf(pos))
		s, ok := e.(string)
		if !ok {
			p.errorf(epos, "%s: want a node reference (a string), got %s", key, tomlpos.TypeName(e))
			continue
		}
		if r, ok := p.ref(key, s, epos, env); ok {
			refs = append(refs, r)
		}
	}
	return refs
}

// ref parses "name" (in env) or "name@env".
func (p *parser) ref(key, s string, pos Pos, env string) (Ref, bool) {
	r, ok := parseRef(s, env)
	if !ok {
		p.errorf(pos, "%s: want a node reference \"name\" or \"name@env\" (each matching %s), got %q%s",
			key, namePattern, s, lowerHint(s, func(s string) bool { _, ok := parseRef(s, env); return ok }))
		return Ref{}, false
	}
	r.Pos = pos
	if r.Env == "" {
		p.bare++
	}
	return r, true
}

func parseRef(s, env string) (Ref, bool) {
	name, e, qualified := strings.Cut(s, "@")
	if !qualified {
		e = env
	}
	if !ValidName(name) || qualified && !ValidName(e) {
		return Ref{}, false
	}
	return Ref{Name: name, Env: e}, true
}

// ValidName reports whether s matches namePattern. A hand-written check,
// not a regexp, because it runs for every name of every file.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// lowerHint suggests the lower-cased value when that alone would be valid:
// "Access" is the likeliest mistake in a name.
func lowerHint(v string, valid func(string) bool) string {
	if l := strings.ToLower(v); l != v && valid(l) {
		return fmt.Sprintf(" (did you mean %q?)", l)
	}
	return ""
}
