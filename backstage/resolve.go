package backstage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/catch22/catch22/manifest"
)

// service is one manifest to generate, resolved from a Component, a
// Resource, or an API that stands for a service outside the catalog (see
// resolver.external).
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
	// api is set for the external node of an API; used once a service
	// depends on it, and only then is it written.
	api, used bool
}

func (s *service) id() string { return s.name + "@" + s.env }

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
// the table. "library" is absent: a library is no node (entity.library).
var typeKinds = map[string]manifest.Kind{
	// Running software.
	"service": manifest.KindService, "website": manifest.KindService,
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

// link is a dependency an entity's node has before libraries are
// expanded: on a component or resource (to), or on the external node of
// an API (ext).
type link struct {
	to     *entity
	ext    *service
	source string
}

// resolver turns the catalog into services, collecting every error.
type resolver struct {
	errs     manifest.ErrorList
	warnings manifest.ErrorList

	byRef     map[string]*entity // ref.String() → entity
	services  []*service         // sorted by entity reference, then the external nodes
	serviceOf map[*entity]*service
	ids       map[string]*service  // node ID → service, for unique node names
	systemOf  map[*entity]string   // the system label an entity names itself
	providers map[string][]*entity // API ref → components providing it, libraries included
	links     map[*entity][]link   // component or resource → what its node depends on
	externals map[string]*service  // API ref → its external node
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
//
// A reference to an entity outside the import is an error only when the
// graph would silently lose a dependency of an imported node (dependsOn);
// it is a warning when nothing is lost (dependencyOf, subcomponentOf and
// providesApis name the other end, spec.system keeps its label) or when a
// stand-in keeps the dependency (consumesApis: see external).
func resolve(c *catalog) ([]*service, manifest.ErrorList, manifest.ErrorList) {
	r := &resolver{byRef: map[string]*entity{}, serviceOf: map[*entity]*service{}, ids: map[string]*service{},
		systemOf: map[*entity]string{}, providers: map[string][]*entity{}, links: map[*entity][]link{},
		externals: map[string]*service{}}
	entities := r.index(c.entities)
	for _, e := range entities {
		if isNode(e) && !e.library {
			r.addService(r.newService(e))
		}
	}
	for _, e := range entities {
		r.checkOwner(e)
		r.checkSystem(e)
		r.checkAnnotations(e)
		for _, a := range e.providesApis {
			r.lookupSoft(a, "spec.providesApis")
			r.providers[a.ref.String()] = append(r.providers[a.ref.String()], e)
		}
	}
	for _, e := range entities {
		if isNode(e) {
			r.relations(e)
		}
	}
	for _, s := range r.services {
		r.inheritSystem(s)
		r.expand(s, s.e, map[*entity]bool{s.e: true}, "")
	}
	r.addExternals()
	for _, s := range r.services {
		if !s.api {
			r.annotations(s)
		}
		slices.SortStableFunc(s.deps, func(a, b *dep) int { return strings.Compare(a.to.id(), b.to.id()) })
		slices.SortFunc(s.recs, func(a, b *rec) int { return strings.Compare(a.name, b.name) })
	}
	return r.services, r.errs, r.warnings
}

// index sorts the entities by reference, reports duplicates and returns
// the first declaration of each reference.
func (r *resolver) index(all []*entity) []*entity {
	entities := slices.Clone(all)
	slices.SortStableFunc(entities, func(a, b *entity) int {
		return cmp.Or(strings.Compare(a.ref.String(), b.ref.String()), strings.Compare(a.file, b.file),
			cmp.Compare(a.pos.Line, b.pos.Line))
	})
	out := entities[:0]
	for _, e := range entities {
		key := e.ref.String()
		if first, dup := r.byRef[key]; dup {
			r.errorf(e.namePos, "duplicate entity %s: also declared at %s", key, first.namePos)
			continue
		}
		r.byRef[key] = e
		r.hasGroups = r.hasGroups || e.kind == kindGroup
		out = append(out, e)
	}
	return out
}

// isNode reports whether e is a Component or a Resource: what becomes a
// node, or for a library, what is linked into one.
func isNode(e *entity) bool { return e.kind == kindComponent || e.kind == kindResource }

// addService adds s unless its node ID is taken.
func (r *resolver) addService(s *service) {
	if first, dup := r.ids[s.id()]; dup {
		r.errorf(s.e.namePos, "%s and %s both become node %q: set %sname on one of them",
			first.e.ref, s.e.ref, s.id(), annotationPrefix)
		return
	}
	r.ids[s.id()] = s
	r.services = append(r.services, s)
	r.serviceOf[s.e] = s
}

// label names an entity in a manifest: its name, prefixed with its
// namespace and a dot outside the default namespace.
func label(x ref) string {
	if x.namespace == defaultNamespace {
		return x.name
	}
	return x.namespace + "." + x.name
}

// describe is the description of e's node: metadata.description, else
// metadata.title, with a lifecycle other than production appended.
func describe(e *entity) string {
	d := strings.Join(strings.Fields(cmp.Or(e.description, e.title)), " ")
	if lc := strings.ToLower(e.lifecycle); lc != "" && lc != "production" {
		if d != "" {
			d += " "
		}
		d += "(lifecycle: " + lc + ")"
	}
	return d
}

// newService applies the fields of e that need no other entity.
func (r *resolver) newService(e *entity) *service {
	s := &service{e: e, name: label(e.ref), env: manifest.DefaultEnv, kind: manifest.KindService, description: describe(e)}
	if k, ok := typeKinds[strings.ToLower(e.specType)]; ok {
		s.kind = k
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

// ownerLabel spells the owner of e as a manifest does: "team-a" for a
// group, "user:jane" for anyone else; "" when e names none.
func ownerLabel(e *entity) string {
	if e.owner == nil {
		return ""
	}
	if o := e.owner.ref; o.kind != "group" {
		return o.kind + ":" + label(o)
	}
	return label(e.owner.ref)
}

// checkOwner resolves spec.owner. Groups usually reach Backstage from an
// organisation provider (LDAP, GitHub teams) rather than from YAML, so an
// owner outside the imported groups is only a warning, and only when the
// import holds groups at all.
func (r *resolver) checkOwner(e *entity) {
	if e.owner == nil {
		return
	}
	if s := r.serviceOf[e]; s != nil {
		s.owner = ownerLabel(e)
	}
	if o := e.owner.ref; o.kind == "group" && r.hasGroups && r.byRef[o.String()] == nil {
		r.warnf(e.owner.pos, "spec.owner: no Group %q in the imported catalog%s", e.owner.raw, r.nameHint(o))
	}
}

// checkSystem resolves spec.system. A System outside the import is a
// warning and its label is still used: Systems often live in another
// repository, and dropping the label would move the service's file (and
// change its system) on the day that repository is imported too.
func (r *resolver) checkSystem(e *entity) {
	if e.system == nil {
		return
	}
	r.lookupSoft(*e.system, "spec.system")
	r.systemOf[e] = label(e.system.ref)
	if s := r.serviceOf[e]; s != nil {
		s.system = r.systemOf[e]
	}
}

// inheritSystem gives a subcomponent without a system of its own the
// system of the component it is part of, as Backstage's catalog shows it.
func (r *resolver) inheritSystem(s *service) {
	seen := map[*entity]bool{}
	for e := s.e; s.system == "" && e.subcomponentOf != nil && !seen[e]; {
		seen[e] = true
		if e = r.byRef[e.subcomponentOf.ref.String()]; e == nil {
			return
		}
		s.system = r.systemOf[e]
	}
}

// checkAnnotations rejects catch22.dev/ annotations where nothing reads
// them.
func (r *resolver) checkAnnotations(e *entity) {
	for _, a := range e.annotations {
		switch {
		case !isNode(e):
			r.errorf(a.keyPos, "%s%s: catch22 reads its annotations on Components and Resources only, not on %s",
				annotationPrefix, a.key, article(e.kind))
		case e.library:
			r.errorf(a.keyPos, "%s%s: a library (spec.type library) is no node: it runs inside the services that depend on it; set %skind to make it one",
				annotationPrefix, a.key, annotationPrefix)
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

// lookupSoft resolves a reference that may name an entity outside the
// import, with a warning.
func (r *resolver) lookupSoft(a refAt, field string) *entity {
	if e := r.byRef[a.ref.String()]; e != nil {
		return e
	}
	r.warnf(a.pos, "%s: no %s %q in the imported catalog%s", field, kindTitle(a.ref.kind), a.raw, r.nameHint(a.ref))
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

// relations records the links that e's fields state: dependsOn, dependencyOf
// (a link of the other entity to e), consumesApis (a link to each
// component that provides the API, else to the API's external node) and
// subcomponentOf (a link of the parent to e).
//
// A component depends on its subcomponents, hard, as on what it dependsOn:
// a part of a component is where some of its requests are served, so the
// component is down, or partly down, when the part is. The subcomponent
// does not depend on its parent. Where a part's outage only degrades the
// whole (an ingestion pipeline whose outage delays new data), soften the
// dependency with catch22.dev/soft-dependencies on the parent.
func (r *resolver) relations(e *entity) {
	for _, a := range e.dependsOn {
		if t := r.lookup(a, "spec.dependsOn"); t != nil {
			r.links[e] = append(r.links[e], link{to: t, source: "spec.dependsOn"})
		}
	}
	for _, a := range e.dependencyOf {
		if t := r.lookupSoft(a, "spec.dependencyOf"); t != nil {
			r.links[t] = append(r.links[t], link{to: e, source: "spec.dependencyOf of " + e.ref.String()})
		}
	}
	for _, a := range e.consumesApis {
		r.consume(e, a)
	}
	if a := e.subcomponentOf; a != nil {
		if t := r.lookupSoft(*a, "spec.subcomponentOf"); t != nil {
			r.links[t] = append(r.links[t], link{to: e, source: "spec.subcomponentOf of " + e.ref.String()})
		}
	}
}

// consume links e to the providers of the API a names. An API nobody
// imported provides is run by someone else, or its provider lives in a
// catalog that was not imported: either way the consumer depends on it,
// so the dependency goes to an external node standing for the API, with a
// warning. An API provided by an imported component needs no API entity.
func (r *resolver) consume(e *entity, a refAt) {
	key := a.ref.String()
	providers := r.providers[key]
	for _, p := range providers {
		if p != e {
			r.links[e] = append(r.links[e], link{to: p, source: "spec.consumesApis " + key})
		}
	}
	if len(providers) > 0 {
		return
	}
	api := r.byRef[key]
	ext := r.external(a, api)
	if ext == nil {
		return
	}
	if api != nil {
		r.warnf(a.pos, "spec.consumesApis: no imported component provides API %q (spec.providesApis): the dependency goes to the external node %q",
			a.raw, ext.name)
	} else {
		r.warnf(a.pos, "spec.consumesApis: no API %q in the imported catalog%s, and no imported component provides it: the dependency goes to the external node %q",
			a.raw, r.nameHint(a.ref), ext.name)
	}
	r.links[e] = append(r.links[e], link{ext: ext, source: "spec.consumesApis " + key})
}

// external returns the external node standing for the API a names; api is
// its entity, nil when it is not imported. The node is named after the
// API's label, with "-api" appended when a component or resource already
// has that name (a provider that forgot its spec.providesApis, often);
// its owner, system and description are the API entity's.
func (r *resolver) external(a refAt, api *entity) *service {
	key := a.ref.String()
	if s, ok := r.externals[key]; ok {
		return s
	}
	if api == nil {
		api = &entity{file: a.pos.File, pos: a.pos, kind: kindAPI, ref: a.ref, namePos: a.pos}
	}
	s := &service{e: api, name: label(a.ref), env: manifest.DefaultEnv, kind: manifest.KindExternal, api: true,
		owner: ownerLabel(api), system: r.systemOf[api], description: describe(api)}
	if r.ids[s.id()] != nil {
		s.name += "-api"
	}
	if first := r.ids[s.id()]; first != nil {
		r.errorf(a.pos, "%s and %s both become node %q: rename one of them", first.e.ref, api.ref, s.id())
		s = nil
	} else {
		r.ids[s.id()] = s
	}
	r.externals[key] = s
	return s
}

// expand adds to s the dependencies of e's links. A library is linked
// into the services that depend on it, so depending on one is depending
// on what it depends on, transitively: its calls run in the dependent's
// process. via names the library whose links these are ("" for s's own);
// seen stops library cycles, so each library is walked once per service.
func (r *resolver) expand(s *service, e *entity, seen map[*entity]bool, via string) {
	for _, l := range r.links[e] {
		source := l.source
		if via != "" {
			source += " via library " + via
		}
		switch {
		case l.ext != nil:
			l.ext.used = true
			s.addDep(l.ext, source)
		case l.to.library:
			if !seen[l.to] {
				seen[l.to] = true
				r.expand(s, l.to, seen, l.to.ref.String())
			}
		default:
			if t := r.serviceOf[l.to]; t != nil && t != s {
				s.addDep(t, source)
			}
		}
	}
}

// addExternals adds the external nodes some service depends on, sorted by
// API reference: an API consumed only by a library nobody links stays out.
func (r *resolver) addExternals() {
	keys := make([]string, 0, len(r.externals))
	for k, s := range r.externals {
		if s != nil && s.used {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		r.services = append(r.services, r.externals[k])
	}
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
