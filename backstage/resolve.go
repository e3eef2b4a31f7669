package backstage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/catch22/catch22/manifest"
)

// service is one manifest to generate, resolved from a Component or a
// Resource.
type service struct {
	e           *entity
	name, env   string
	owner       string
	system      string // the system's label, "" when none
	description string
	tier        int
	hasTier     bool
	kind        manifest.Kind
	monitoredBy []*service
	emulate     string
	deps        []*dep
	recs        []*rec
}

func (s *service) id() string { return s.name + "@" + s.env }

// refFrom spells a reference to s from a service of env env.
func (s *service) refFrom(env string) string {
	if s.env == env {
		return s.name
	}
	return s.id()
}

// path is where s is written, relative to the output directory and
// slash-separated: <system>/<name>.toml, with "@<env>" before ".toml"
// outside production and "no-system" for services of no system. Names,
// envs and system labels all match [a-z0-9][a-z0-9._-]*, so a path never
// leaves the output directory.
func (s *service) path() string {
	dir := cmp.Or(s.system, "no-system")
	file := s.name
	if s.env != manifest.DefaultEnv {
		file += "@" + s.env
	}
	return dir + "/" + file + ".toml"
}

// dep is one dependency of a service.
type dep struct {
	to     *service
	kind   manifest.DepKind
	mode   manifest.Mode
	source string // where the catalog states it, for the "from catalog" marker
}

// rec is one recovery procedure from a catch22.dev/recovery.<name>
// annotation.
type rec struct {
	name       string
	via        []*service
	breakglass bool
	tested     time.Time // zero when never drilled
	runbook    string
	pos        manifest.Pos // the annotation's key
}

// typeKinds maps spec.type (of a Component or a Resource, lower-cased) to
// a catch22 kind; any other type is a service. catch22.dev/kind overrides
// the table.
var typeKinds = map[string]manifest.Kind{
	// Running software.
	"service": manifest.KindService, "website": manifest.KindService, "library": manifest.KindService,
	"backend": manifest.KindService, "frontend": manifest.KindService, "worker": manifest.KindService,
	// Operator tooling: what recovery procedures go through.
	"tool": manifest.KindTool, "cli": manifest.KindTool, "pipeline": manifest.KindTool, "ci": manifest.KindTool,
	"internal-tool": manifest.KindTool,
	// State: databases, buckets, caches, queues and topics.
	"database": manifest.KindDatastore, "datastore": manifest.KindDatastore, "db": manifest.KindDatastore,
	"s3-bucket": manifest.KindDatastore, "bucket": manifest.KindDatastore, "storage": manifest.KindDatastore,
	"object-storage": manifest.KindDatastore, "cache": manifest.KindDatastore, "kv": manifest.KindDatastore,
	"key-value-store": manifest.KindDatastore, "queue": manifest.KindDatastore, "message-queue": manifest.KindDatastore,
	"kafka-topic": manifest.KindDatastore, "topic": manifest.KindDatastore, "stream": manifest.KindDatastore,
	"search-index": manifest.KindDatastore, "secrets": manifest.KindDatastore,
	// Network plumbing.
	"network": manifest.KindNetwork, "dns": manifest.KindNetwork, "cdn": manifest.KindNetwork,
	"load-balancer": manifest.KindNetwork, "vpc": manifest.KindNetwork, "vpn": manifest.KindNetwork,
	"firewall": manifest.KindNetwork,
	// Things run by someone else, and people.
	"external": manifest.KindExternal, "saas": manifest.KindExternal, "third-party": manifest.KindExternal,
	"vendor": manifest.KindExternal, "on-call": manifest.KindHuman, "human": manifest.KindHuman,
}

// resolver turns the catalog into services, collecting every error.
type resolver struct {
	errs     manifest.ErrorList
	warnings manifest.ErrorList

	byRef     map[string]*entity // ref.String() → entity
	services  []*service         // sorted by entity reference
	serviceOf map[*entity]*service
	providers map[string][]*service // API ref → components providing it
	hasGroups bool
}

func (r *resolver) errorf(pos manifest.Pos, format string, args ...any) {
	r.errs = append(r.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (r *resolver) warnf(pos manifest.Pos, format string, args ...any) {
	r.warnings = append(r.warnings, &manifest.Error{Pos: pos, Msg: "warning: " + fmt.Sprintf(format, args...)})
}

// resolve builds the services of the catalog. Entities are visited in
// reference order, so the result does not depend on file order.
func resolve(c *catalog) ([]*service, manifest.ErrorList, manifest.ErrorList) {
	r := &resolver{byRef: map[string]*entity{}, serviceOf: map[*entity]*service{}, providers: map[string][]*service{}}
	entities := slices.Clone(c.entities)
	slices.SortStableFunc(entities, func(a, b *entity) int {
		return cmp.Or(strings.Compare(a.ref.String(), b.ref.String()), strings.Compare(a.file, b.file),
			cmp.Compare(a.pos.Line, b.pos.Line))
	})
	for _, e := range entities {
		key := e.ref.String()
		if first, dup := r.byRef[key]; dup {
			r.errorf(e.namePos, "duplicate entity %s: also declared at %s", key, first.namePos)
			continue
		}
		r.byRef[key] = e
		r.hasGroups = r.hasGroups || e.kind == kindGroup
	}

	ids := map[string]*service{}
	for _, e := range entities {
		if r.byRef[e.ref.String()] != e || (e.kind != kindComponent && e.kind != kindResource) {
			continue
		}
		s := r.newService(e)
		if first, dup := ids[s.id()]; dup {
			r.errorf(e.namePos, "%s and %s both become node %q: set %sname on one of them",
				first.e.ref, e.ref, s.id(), annotationPrefix)
			continue
		}
		ids[s.id()] = s
		r.services = append(r.services, s)
		r.serviceOf[e] = s
	}
	for _, e := range entities {
		if r.byRef[e.ref.String()] != e {
			continue
		}
		r.checkOwner(e)
		r.checkSystem(e)
		if e.kind != kindComponent && e.kind != kindResource {
			for _, a := range e.annotations {
				r.errorf(a.keyPos, "%s%s: catch22 reads its annotations on Components and Resources only, not on a %s",
					annotationPrefix, a.key, e.kind)
			}
		}
		if e.kind == kindComponent {
			for _, a := range e.providesApis {
				if api := r.lookup(a, "spec.providesApis"); api != nil {
					if s := r.serviceOf[e]; s != nil {
						r.providers[api.ref.String()] = append(r.providers[api.ref.String()], s)
					}
				}
			}
		}
	}
	for _, s := range r.services {
		r.relations(s)
	}
	for _, s := range r.services {
		r.annotations(s)
		slices.SortStableFunc(s.deps, func(a, b *dep) int { return strings.Compare(a.to.id(), b.to.id()) })
		slices.SortFunc(s.recs, func(a, b *rec) int { return strings.Compare(a.name, b.name) })
	}
	return r.services, r.errs, r.warnings
}

// label names an entity in a manifest: its name, prefixed with its
// namespace and a dot outside the default namespace.
func label(x ref) string {
	if x.namespace == defaultNamespace {
		return x.name
	}
	return x.namespace + "." + x.name
}

// newService applies the fields of e that need no other entity.
func (r *resolver) newService(e *entity) *service {
	s := &service{e: e, name: label(e.ref), env: manifest.DefaultEnv, kind: manifest.KindService}
	if k, ok := typeKinds[strings.ToLower(e.specType)]; ok {
		s.kind = k
	}
	s.description = strings.Join(strings.Fields(cmp.Or(e.description, e.title)), " ")
	if lc := strings.ToLower(e.lifecycle); lc != "" && lc != "production" {
		if s.description != "" {
			s.description += " "
		}
		s.description += "(lifecycle: " + lc + ")"
	}
	for _, a := range e.annotations {
		switch a.key {
		case "name":
			if manifest.ValidName(a.val) {
				s.name = a.val
			} else {
				r.errorf(a.pos, "%s%s: want a name matching [a-z0-9][a-z0-9._-]*, got %q%s", annotationPrefix, a.key, a.val, lowerHint(a.val))
			}
		case "env":
			if manifest.ValidName(a.val) {
				s.env = a.val
			} else {
				r.errorf(a.pos, "%s%s: want an env matching [a-z0-9][a-z0-9._-]*, got %q%s", annotationPrefix, a.key, a.val, lowerHint(a.val))
			}
		}
	}
	return s
}

// checkOwner resolves spec.owner. Groups usually reach Backstage from an
// organisation provider (LDAP, GitHub teams) rather than from YAML, so an
// owner outside the imported groups is only a warning, and only when the
// import holds groups at all.
func (r *resolver) checkOwner(e *entity) {
	if e.owner == nil {
		return
	}
	o := e.owner.ref
	if s := r.serviceOf[e]; s != nil {
		s.owner = label(o)
		if o.kind != "group" {
			s.owner = o.kind + ":" + label(o)
		}
	}
	if o.kind == "group" && r.hasGroups && r.byRef[o.String()] == nil {
		r.warnf(e.owner.pos, "spec.owner: no Group %q in the imported catalog%s", e.owner.raw, r.nameHint(o))
	}
}

// checkSystem resolves spec.system, which must name an imported System.
func (r *resolver) checkSystem(e *entity) {
	if e.system == nil {
		return
	}
	if sys := r.lookup(*e.system, "spec.system"); sys != nil {
		if s := r.serviceOf[e]; s != nil {
			s.system = label(sys.ref)
		}
	}
}

// lookup resolves a reference that must name an imported entity.
func (r *resolver) lookup(a refAt, field string) *entity {
	if e := r.byRef[a.ref.String()]; e != nil {
		return e
	}
	r.errorf(a.pos, "%s: no %s %q in the catalog%s", field, kindTitle(a.ref.kind), a.raw, r.nameHint(a.ref))
	return nil
}

// nameHint suggests the closest entity of the same kind and namespace.
func (r *resolver) nameHint(x ref) string {
	var names []string
	for _, e := range r.byRef {
		if e.ref.kind == x.kind && e.ref.namespace == x.namespace {
			names = append(names, e.ref.name)
		}
	}
	slices.Sort(names)
	return hint(x.name, names)
}

// kindTitle spells a lower-case kind as Backstage writes it.
func kindTitle(k string) string {
	for _, t := range readKinds {
		if strings.EqualFold(t, k) {
			return t
		}
	}
	return k
}

// relations adds the dependencies that s's entity states: dependsOn,
// dependencyOf (a dependency of the other entity on s) and consumesApis (a
// dependency on each component that provides the API).
func (r *resolver) relations(s *service) {
	e := s.e
	for _, a := range e.dependsOn {
		if t := r.node(a, "spec.dependsOn"); t != nil {
			s.addDep(t, "spec.dependsOn")
		}
	}
	for _, a := range e.dependencyOf {
		if t := r.node(a, "spec.dependencyOf"); t != nil {
			t.addDep(s, "spec.dependencyOf of "+e.ref.String())
		}
	}
	for _, a := range e.consumesApis {
		api := r.lookup(a, "spec.consumesApis")
		if api == nil {
			continue
		}
		ps := r.providers[api.ref.String()]
		if len(ps) == 0 {
			r.errorf(a.pos, "spec.consumesApis: no component provides API %q (list it in the providing component's spec.providesApis)", a.raw)
		}
		for _, p := range ps {
			if p != s {
				s.addDep(p, "spec.consumesApis "+api.ref.String())
			}
		}
	}
}

// node resolves a reference that must name an imported component or
// resource.
func (r *resolver) node(a refAt, field string) *service {
	e := r.lookup(a, field)
	if e == nil {
		return nil
	}
	return r.serviceOf[e]
}

// addDep adds a hard runtime dependency on t unless s already has one.
func (s *service) addDep(t *service, source string) {
	for _, d := range s.deps {
		if d.to == t {
			return
		}
	}
	s.deps = append(s.deps, &dep{to: t, kind: manifest.DepRuntime, mode: manifest.Hard, source: source})
}

// annotationKeys are the catch22.dev/ annotations, in documentation order;
// "recovery.<name>" stands for every recovery procedure.
var annotationKeys = []string{"name", "env", "tier", "kind", "monitored-by", "emulate",
	"soft-dependencies", "dependency-kinds", "recovery.<name>"}

// annotations applies the catch22.dev/ annotations that need other
// services (and validates the rest).
func (r *resolver) annotations(s *service) {
	for _, a := range s.e.annotations {
		full := annotationPrefix + a.key
		switch a.key {
		case "name", "env": // applied by newService
		case "tier":
			switch a.val {
			case "0", "1", "2", "3":
				s.tier, s.hasTier = int(a.val[0]-'0'), true
			default:
				r.errorf(a.pos, "%s: want \"0\", \"1\", \"2\" or \"3\", got %q", full, a.val)
			}
		case "kind":
			if k := manifest.Kind(a.val); slices.Contains(manifest.Kinds, k) {
				s.kind = k
			} else {
				r.errorf(a.pos, "%s: want one of %s, got %q%s", full, joinKinds(manifest.Kinds), a.val, hint(a.val, kindNames(manifest.Kinds)))
			}
		case "emulate":
			if a.val == "" || a.val == "kv" {
				s.emulate = a.val
			} else {
				r.errorf(a.pos, "%s: want \"kv\" or \"\", got %q%s", full, a.val, hint(a.val, []string{"kv"}))
			}
		case "monitored-by":
			for _, item := range list(a.val) {
				if t := r.target(s, item, a, full); t != nil && !slices.Contains(s.monitoredBy, t) {
					s.monitoredBy = append(s.monitoredBy, t)
				}
			}
		case "soft-dependencies":
			for _, item := range list(a.val) {
				if d := r.depOf(s, item, a, full); d != nil {
					d.mode = manifest.Soft
				}
			}
		case "dependency-kinds":
			for _, item := range list(a.val) {
				target, kind, ok := strings.Cut(item, "=")
				target, kind = strings.TrimSpace(target), strings.TrimSpace(kind)
				if !ok {
					r.errorf(a.pos, "%s: want \"target=kind, ...\", got %q", full, item)
					continue
				}
				d := r.depOf(s, target, a, full)
				if k := manifest.DepKind(kind); slices.Contains(manifest.DepKinds, k) {
					if d != nil {
						d.kind = k
					}
				} else {
					r.errorf(a.pos, "%s: dependency kind of %q: want one of %s, got %q%s", full, target,
						joinKinds(manifest.DepKinds), kind, hint(kind, kindNames(manifest.DepKinds)))
				}
			}
		default:
			if name, ok := strings.CutPrefix(a.key, "recovery."); ok && name != "" {
				if p := r.recovery(s, name, a); p != nil {
					s.recs = append(s.recs, p)
				}
				continue
			}
			r.errorf(a.keyPos, "unknown annotation %q%s", full, annotationHint(a.key))
		}
	}
}

func annotationHint(key string) string {
	if strings.HasPrefix(key, "recovery") {
		return " (want " + annotationPrefix + "recovery.<procedure name>)"
	}
	keys := slices.DeleteFunc(slices.Clone(annotationKeys), func(k string) bool { return strings.Contains(k, "<") })
	if c := hint(key, keys); c != "" {
		return strings.Replace(c, `"`, `"`+annotationPrefix, 1)
	}
	return ""
}

// list splits a comma-separated annotation value, dropping empty items.
func list(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// target resolves an entity reference written in an annotation of s. The
// kind may be left out when the name is unique among the imported
// components and resources of the namespace.
func (r *resolver) target(s *service, raw string, a annotation, full string) *service {
	x, err := parseRef(raw, "*", s.e.ref.namespace)
	if err != nil {
		r.errorf(a.pos, "%s: bad entity reference %q: %v", full, raw, err)
		return nil
	}
	var found []*service
	for _, k := range []string{"component", "resource"} {
		if x.kind != "*" && x.kind != k {
			continue
		}
		if e := r.byRef[ref{kind: k, namespace: x.namespace, name: x.name}.String()]; e != nil && r.serviceOf[e] != nil {
			found = append(found, r.serviceOf[e])
		}
	}
	switch {
	case x.kind != "*" && x.kind != "component" && x.kind != "resource":
		r.errorf(a.pos, "%s: %q is a %s; want a component or a resource", full, raw, x.kind)
	case len(found) == 1:
		return found[0]
	case len(found) > 1:
		r.errorf(a.pos, "%s: %q names both component:%s and resource:%s; write the kind", full, raw, x.name, x.name)
	default:
		var names []string
		for _, t := range r.services {
			if t.e.ref.namespace == x.namespace {
				names = append(names, t.e.ref.name)
			}
		}
		slices.Sort(names)
		r.errorf(a.pos, "%s: no component or resource %q in the catalog%s", full, raw, hint(x.name, names))
	}
	return nil
}

// depOf returns the dependency of s on the entity raw names.
func (r *resolver) depOf(s *service, raw string, a annotation, full string) *dep {
	t := r.target(s, raw, a, full)
	if t == nil {
		return nil
	}
	for _, d := range s.deps {
		if d.to == t {
			return d
		}
	}
	var have []string
	for _, d := range s.deps {
		have = append(have, d.to.e.ref.short(s.e.ref.namespace, d.to.e.ref.kind))
	}
	slices.Sort(have)
	deps := "it has none"
	if len(have) > 0 {
		deps = "it depends on " + strings.Join(have, ", ")
	}
	r.errorf(a.pos, "%s: %s does not depend on %q (%s)", full, s.e.ref, raw, deps)
	return nil
}

// recoveryKeys are the fields of a recovery annotation, in documentation
// order.
var recoveryKeys = []string{"via", "breakglass", "tested", "runbook"}

// recovery parses "via=a, b; breakglass=true; tested=2026-10-01;
// runbook=https://…". A ";" that does not start a known field belongs to
// the value before it, so runbook URLs may hold one.
func (r *resolver) recovery(s *service, name string, a annotation) *rec {
	full := annotationPrefix + a.key
	p := &rec{name: name, pos: a.keyPos}
	var fields []string
	for part := range strings.SplitSeq(a.val, ";") {
		key, _, _ := strings.Cut(part, "=")
		if len(fields) > 0 && !slices.Contains(recoveryKeys, strings.TrimSpace(key)) {
			fields[len(fields)-1] += ";" + part
			continue
		}
		fields = append(fields, part)
	}
	seen := map[string]bool{}
	ok := true
	for _, f := range fields {
		if strings.TrimSpace(f) == "" {
			continue
		}
		key, val, hasEq := strings.Cut(f, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !hasEq || !slices.Contains(recoveryKeys, key) {
			r.errorf(a.pos, "%s: want \"key=value\" fields (%s) separated by \";\", got %q%s", full,
				strings.Join(recoveryKeys, ", "), strings.TrimSpace(f), hint(key, recoveryKeys))
			ok = false
			continue
		}
		if seen[key] {
			r.errorf(a.pos, "%s: %s given twice", full, key)
			ok = false
			continue
		}
		seen[key] = true
		switch key {
		case "via":
			for _, item := range list(val) {
				if t := r.target(s, item, a, full); t != nil {
					p.via = append(p.via, t)
				} else {
					ok = false
				}
			}
		case "breakglass":
			switch val {
			case "true":
				p.breakglass = true
			case "false":
			default:
				r.errorf(a.pos, "%s: breakglass: want true or false, got %q", full, val)
				ok = false
			}
		case "tested":
			t, err := time.Parse(time.DateOnly, val)
			if err != nil {
				r.errorf(a.pos, "%s: tested: want a date (YYYY-MM-DD), got %q", full, val)
				ok = false
			}
			p.tested = t
		case "runbook":
			p.runbook = val
		}
	}
	if !seen["via"] || (ok && len(p.via) == 0) {
		r.errorf(a.pos, "%s: want via=<entity>[, <entity>...]: every node the operator must use", full)
		return nil
	}
	if !ok {
		return nil
	}
	return p
}

func kindNames[T ~string](ks []T) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

func joinKinds[T ~string](ks []T) string { return strings.Join(kindNames(ks), "|") }
