package manifest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/internal/tomlpos"
)

// DefaultsFile is the name of the files that hold the shared defaults of a
// directory. They are never manifests: they name no service.
const DefaultsFile = "_defaults.toml"

// keySet records which keys a table writes, one bit per key.
type keySet uint16

// The inheritable [service] keys, in the order of inheritableKeys, then the
// keys of a procedure, in the order of procedureKeys.
const (
	setEnv keySet = 1 << iota
	setOwner
	setSystem
	setTier
	setKind
	setMonitoredBy
	setName
	setVia
	setBreakglass
	setTested
	setRunbook
	setRebuilds
)

var (
	// inheritableKeys are the [service] keys a default may set, in the
	// order of their keySet bits from setEnv.
	inheritableKeys = []string{"env", "owner", "system", "tier", "kind", "monitored_by"}
	// procedureKeys are the keys a [[recovery]] entry may take from its
	// template, in the order of their keySet bits from setName.
	procedureKeys = procedureKeyNames[:]

	procedureKeyNames = [...]string{"name", "via", "breakglass", "tested", "runbook", "rebuilds"}
	defaultsTopKeys   = []string{"service", "dependency", "template"}
	templateKeys      = procedureKeyNames[:]
	// defaultsKnownKeys are the top-level keys reported with a message of
	// their own rather than as unknown: those of a manifest.
	defaultsKnownKeys = slices.Concat(defaultsTopKeys, serviceKeys, []string{"recovery"})
)

// Defaults are the shared settings of one _defaults.toml file or of the
// [defaults] table of catch22.toml: values of the inheritable [service]
// keys, dependencies added to every service they apply to, and procedure
// templates that a [[recovery]] entry names with `use`.
//
// References written without "@env" are resolved in the env of each service
// that inherits them, so one default serves every environment. Positions
// stay in the file that declares the defaults: a finding about an inherited
// entry points at the line to edit.
type Defaults struct {
	file      string
	service   Service // only the inheritable keys; Pos is the [service] table
	set       keySet  // which inheritable keys the defaults write
	deps      []Dependency
	templates []Recovery
}

// File is where the defaults are written.
func (d *Defaults) File() string { return d.file }

// ParseDefaults reads shared defaults from data: the whole document of a
// _defaults.toml file when under is "", or the table named under (the
// [defaults] table of catch22.toml). A document without that table gives
// nil and no error. file is used only in positions. Like Parse, it returns
// either the defaults or every problem found, sorted.
func ParseDefaults(file string, data []byte, under string) (*Defaults, ErrorList) {
	raw, err := tomlpos.Decode(data)
	if err != nil {
		line, col, msg := tomlpos.SyntaxError(data, err)
		return nil, ErrorList{{Pos: Pos{File: file, Line: line, Col: col}, Msg: msg}}
	}
	p := &parser{file: file, root: tomlpos.Scan(data)}
	prefix := ""
	if under != "" {
		v, ok := raw[under]
		if !ok {
			return nil, nil
		}
		n := p.root.Child(under)
		t, ok := v.(map[string]any)
		if !ok {
			p.errorf(p.at(n.ValPos(), n.KeyPos()), "%s: want a table ([%s]), got %s", under, under, tomlpos.TypeName(v))
			return nil, p.errs
		}
		raw, p.root, prefix = t, n, under+"."
	}
	d := p.defaults(raw, prefix)
	if len(p.errs) > 0 {
		if prefix != "" {
			// The dependency checks are the manifest's own, which name
			// the table as a manifest writes it.
			for _, e := range p.errs {
				e.Msg = strings.ReplaceAll(e.Msg, "[[dependency]]", "[["+prefix+"dependency]]")
			}
		}
		return nil, p.errs.sorted()
	}
	return d, nil
}

// defaults validates a defaults document (or table); prefix is how its
// tables are named in messages ("" or "defaults.").
func (p *parser) defaults(raw map[string]any, prefix string) *Defaults {
	d := &Defaults{file: p.file}
	for k := range raw {
		n := p.root.Child(k)
		switch {
		case k == "recovery":
			p.errorf(p.at(n.KeyPos(), n.ValPos()), "[[%srecovery]] is not inherited: declare a [[%stemplate]] and write [[recovery]] use = \"NAME\" in each manifest", prefix, prefix)
		case slices.Contains(serviceKeys, k):
			p.errorf(p.at(n.KeyPos(), n.ValPos()), "unknown key %q in %s (did you mean [%sservice] %s?)", k, where(prefix), prefix, k)
		}
	}
	p.unknownKeys(raw, p.root, defaultsKnownKeys, where(prefix))

	svcTable := "[" + prefix + "service]"
	switch svc := raw["service"].(type) {
	case nil:
	case map[string]any:
		n := p.root.Child("service")
		d.service.Pos = p.at(n.ValPos(), n.KeyPos())
		for k := range svc {
			if slices.Contains(serviceKeys, k) && !slices.Contains(inheritableKeys, k) {
				p.errorf(p.at(n.Child(k).KeyPos(), n.ValPos()),
					"%s is not inherited: defaults apply to many services; write it in each manifest's [service]", k)
			}
		}
		p.unknownKeys(svc, n, serviceKeys, svcTable)
		d.set = p.inheritable(svc, n, &d.service)
	default:
		n := p.root.Child("service")
		p.errorf(p.at(n.ValPos(), n.KeyPos()), "service: want a table (%s), got %s", svcTable, tomlpos.TypeName(svc))
	}

	deps, depNode := p.tables(raw, "dependency")
	for i, t := range deps {
		if t != nil {
			d.deps = append(d.deps, p.dependency(t, depNode.Elem(i), depNode, ""))
		}
	}

	tmpls, tmplNode := p.tables(raw, "template")
	names := newProcNames(len(tmpls))
	for i, t := range tmpls {
		if t == nil {
			continue
		}
		n := tmplNode.Elem(i)
		r, _ := p.procedure(t, n, tmplNode, templateKeys, "[["+prefix+"template]]", true)
		pos := p.at(n.Child("name").ValPos(), lineColOf(r.Pos))
		if first, dup := names.add(r.Name, pos.Line); dup {
			p.errorf(pos, "duplicate template %q (first declared at line %d)", r.Name, first)
		}
		d.templates = append(d.templates, r)
	}
	return d
}

// where names the top level of a defaults document in messages.
func where(prefix string) string {
	if prefix == "" {
		return DefaultsFile
	}
	return "[" + prefix[:len(prefix)-1] + "]"
}

// draft is a manifest as written, before the defaults that apply to it are
// known: its bare references have Env "", its service's env and kind may be
// unset, and its [[recovery]] entries may name templates.
type draft struct {
	m    *Manifest
	set  keySet     // the inheritable [service] keys written
	skip []Ref      // skip_inherited
	recs []recDraft // one per m.Recoveries
	bare int        // references written without "@env"
}

// recDraft is what resolve needs to know of one [[recovery]] entry.
type recDraft struct {
	set     keySet // the procedure keys written
	usePos  Pos    // where `use` is written; zero without it
	namePos Pos    // where the name is written, else the `use` value
}

// resolve applies layers, the defaults that cover the service from the
// outermost (catch22.toml) to the nearest _defaults.toml, and returns the
// manifest with every reference resolved, with the problems found now.
// broken says that a defaults file that would apply did not load: its
// errors are reported already, so a missing template or inherited
// dependency is not reported again.
//
// Precedence, per inheritable [service] key: the service's own value, else
// the nearest layer that writes it, else the built-in default. Lists
// (monitored_by) are values like any other: the nearest one wins whole.
// Dependencies accumulate instead, see inherit.
//
// Cost is linear in the entries of the manifest and of the layers.
func (d *draft) resolve(layers []*Defaults, broken bool) (*Manifest, ErrorList) {
	m := d.m
	s := &m.Service
	var errs ErrorList

	have := d.set
	var monitors *Defaults // the layer whose monitored_by is inherited
	for i := len(layers) - 1; i >= 0 && have != setEnv|setOwner|setSystem|setTier|setKind|setMonitoredBy; i-- {
		l := layers[i]
		take := l.set &^ have
		if take&setEnv != 0 {
			s.Env = l.service.Env
		}
		if take&setOwner != 0 {
			s.Owner = l.service.Owner
		}
		if take&setSystem != 0 {
			s.System = l.service.System
		}
		if take&setTier != 0 {
			s.Tier, s.HasTier = l.service.Tier, l.service.HasTier
		}
		if take&setKind != 0 {
			s.Kind = l.service.Kind
		}
		if take&setMonitoredBy != 0 {
			monitors = l
		}
		have |= take
	}
	if s.Env == "" {
		s.Env = DefaultEnv
	}
	if s.Kind == "" {
		s.Kind = KindService
	}
	env, self := s.Env, m.ID()

	// Every reference the file writes without "@env" means the service's
	// env. parser.ref counted them; a count that differs means a reference
	// field that this list misses, which would leave a node ID "name@".
	filled := bind(s.MonitoredBy, env) + bind(d.skip, env)
	for i := range m.Dependencies {
		filled += bindDependency(&m.Dependencies[i], env)
		errs = append(errs, twiceNamed(m.Dependencies[i])...)
	}
	for i := range m.Recoveries {
		filled += bind(m.Recoveries[i].Via, env)
	}
	if filled != d.bare {
		panic(fmt.Sprintf("manifest: resolve bound %d of the %d bare references of %s: a Ref field is missing from resolve", filled, d.bare, m.File))
	}
	if monitors != nil {
		s.MonitoredBy = inheritRefs(monitors.service.MonitoredBy, env, self)
	}

	errs = append(errs, d.inherit(layers, broken)...)

	names := newProcNames(len(m.Recoveries))
	for i := range m.Recoveries {
		r, rd := &m.Recoveries[i], d.recs[i]
		if r.Use != "" {
			errs = append(errs, expand(r, rd, layers, env, broken)...)
		}
		if first, dup := names.add(r.Name, rd.namePos.Line); dup {
			errs = append(errs, &Error{Pos: rd.namePos,
				Msg: fmt.Sprintf("duplicate recovery procedure %q (first declared at line %d)", r.Name, first)})
		}
	}
	return m, errs
}

// inherit appends the dependencies of layers to the service's own, in a
// fixed order: the service's own first, then each layer's from the
// outermost to the nearest, each in declaration order.
//
// An inherited dependency is left out when its target (resolved in the
// service's env) is the service itself, so that the cluster's own manifest
// does not depend on the cluster; when the service declares a dependency on
// the same target itself, which replaces it (to make it soft, say); when a
// nearer layer declares one on the same target, which replaces it likewise;
// and when the service names the target in skip_inherited. A skip_inherited
// entry that no layer's dependency matches is an error, so that opt-outs do
// not outlive the defaults they opt out of.
func (d *draft) inherit(layers []*Defaults, broken bool) ErrorList {
	m := d.m
	n := 0
	for _, l := range layers {
		n += len(l.deps)
	}
	if n == 0 && len(d.skip) == 0 {
		return nil
	}
	env, self := m.Service.Env, m.ID()
	taken := make(map[string]bool, len(m.Dependencies)+len(d.skip)+n+1)
	taken[self] = true
	for _, dep := range m.Dependencies {
		taken[dep.TargetKey()] = true
	}
	skipped := make(map[string]bool, len(d.skip))
	for _, r := range d.skip {
		skipped[r.ID()] = false
	}
	// From the nearest layer out, so that a nearer entry replaces a farther
	// one; kept[i] are the entries of layers[i] that stay.
	kept := make([][]Dependency, len(layers))
	var targets []string // every inherited target, for hints
	for i := len(layers) - 1; i >= 0; i-- {
		var mine []string
		for _, dep := range layers[i].deps {
			bindDependency(&dep, env)
			id := dep.TargetKey()
			targets = append(targets, id)
			if _, skip := skipped[id]; skip {
				skipped[id] = true
				continue
			}
			if taken[id] {
				continue
			}
			kept[i] = append(kept[i], dep)
			mine = append(mine, id)
		}
		// Marked only now: one layer may depend twice on a node, as a
		// manifest may.
		for _, id := range mine {
			taken[id] = true
		}
	}
	for _, k := range kept {
		m.Dependencies = append(m.Dependencies, k...)
	}
	if broken {
		return nil
	}
	var errs ErrorList
	for _, r := range d.skip {
		if !skipped[r.ID()] {
			errs = append(errs, &Error{Pos: r.Pos,
				Msg: fmt.Sprintf("skip_inherited: no inherited dependency on %q%s", r.ID(), targetHint(r, targets))})
			skipped[r.ID()] = true // reported once
		}
	}
	return errs
}

// targetHint suggests an inherited target for a skip_inherited entry that
// matches none: a close one, else the same name in another env, as
// unknown-service does.
func targetHint(r Ref, targets []string) string {
	if h := suggest.Hint(r.ID(), targets); h != "" {
		return h
	}
	for _, t := range targets {
		if name, _, _ := strings.Cut(t, "@"); name == r.Name {
			return fmt.Sprintf(" (did you mean %q?)", t)
		}
	}
	return ""
}

// expand fills the [[recovery]] entry r from the template it uses, the one
// of that name in the nearest layer: every key r does not write comes from
// the template, with the template's positions, so that a finding about a
// `via` element of the template points at the template.
func expand(r *Recovery, rd recDraft, layers []*Defaults, env string, broken bool) ErrorList {
	var t *Recovery
	for i := len(layers) - 1; i >= 0 && t == nil; i-- {
		for j := range layers[i].templates {
			if layers[i].templates[j].Name == r.Use {
				t = &layers[i].templates[j]
				break
			}
		}
	}
	if t == nil {
		if broken {
			return nil
		}
		var names []string
		for _, l := range layers {
			for _, t := range l.templates {
				names = append(names, t.Name)
			}
		}
		msg := fmt.Sprintf("use: no procedure template %q", r.Use)
		if hint := suggest.Hint(r.Use, names); hint != "" {
			msg += hint
		} else if len(names) == 0 {
			msg += " (templates are declared as [[template]] in a _defaults.toml above the manifest, or as [[defaults.template]] in catch22.toml)"
		}
		return ErrorList{{Pos: rd.usePos, Msg: msg}}
	}
	if rd.set&setName == 0 {
		r.Name = t.Name
	}
	if rd.set&setVia == 0 {
		r.Via = make([]Ref, len(t.Via))
		for i, v := range t.Via {
			r.Via[i] = bound(v, env)
		}
	}
	if rd.set&setBreakglass == 0 {
		r.Breakglass = t.Breakglass
	}
	if rd.set&setTested == 0 {
		r.Tested, r.TestedPos = t.Tested, t.TestedPos
	}
	if rd.set&setRunbook == 0 {
		r.Runbook = t.Runbook
	}
	if rd.set&setRebuilds == 0 {
		r.Rebuilds = t.Rebuilds
	}
	return nil
}

// bindDependency resolves the bare references of d in env and returns how
// many it resolved; every reference field of a Dependency belongs here. An
// inherited entry is a copy that shares its slices with its layer, which
// serves services of many envs: copy a slice field (slices.Clone) before
// binding its elements.
func bindDependency(d *Dependency, env string) int {
	if d.AnyOf != nil {
		d.AnyOf = slices.Clone(d.AnyOf)
		return bind(d.AnyOf, env)
	}
	return bind1(&d.On, env)
}

// twiceNamed reports an alternative of any_of named twice, once references
// are bound ("dns-a" and "dns-a@production" in production are one node).
func twiceNamed(d Dependency) ErrorList {
	var errs ErrorList
	seen := map[string]bool{}
	for _, r := range d.AnyOf {
		if seen[r.ID()] {
			errs = append(errs, &Error{Pos: r.Pos, Msg: fmt.Sprintf("any_of: %s is named twice", r.ID())})
		}
		seen[r.ID()] = true
	}
	return errs
}

// bind resolves the bare references of refs in env and returns how many it
// resolved.
func bind(refs []Ref, env string) int {
	n := 0
	for i := range refs {
		n += bind1(&refs[i], env)
	}
	return n
}

func bind1(r *Ref, env string) int {
	if r.Env == "" && r.Name != "" {
		r.Env = env
		return 1
	}
	return 0
}

// bound is r resolved in env.
func bound(r Ref, env string) Ref {
	if r.Env == "" {
		r.Env = env
	}
	return r
}

// inheritRefs copies inherited references resolved in env, leaving out the
// inheriting node itself.
func inheritRefs(refs []Ref, env, self string) []Ref {
	var out []Ref
	for _, r := range refs {
		if r = bound(r, env); r.ID() != self {
			out = append(out, r)
		}
	}
	return out
}
