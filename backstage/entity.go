package backstage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/internal/yamlpos"
	"github.com/catch22/catch22/manifest"
)

// apiVersions are the versions of the built-in kinds Backstage accepts.
var apiVersions = []string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}

// The kinds the importer reads, as written in `kind:`.
const (
	kindComponent = "Component"
	kindResource  = "Resource"
	kindSystem    = "System"
	kindAPI       = "API"
	kindGroup     = "Group"
	kindLocation  = "Location" // followed, not imported: see reader.follow
)

var readKinds = []string{kindComponent, kindResource, kindSystem, kindAPI, kindGroup}

// defaultNamespace is Backstage's namespace for entities that name none.
const defaultNamespace = "default"

// annotationPrefix starts every annotation the importer reads; others are
// left to the Backstage plugins that own them.
const annotationPrefix = "catch22.dev/"

// entity is one Backstage entity of a kind the importer reads, with the
// position of everything it may have to report.
type entity struct {
	file    string
	pos     manifest.Pos // the document's first key
	kind    string       // one of readKinds
	ref     ref
	namePos manifest.Pos

	title, description, lifecycle string
	specType                      string

	owner, system *refAt
	// Relations of components and resources.
	dependsOn, dependencyOf, providesApis, consumesApis []refAt
	subcomponentOf                                      *refAt

	// library is set for a Component of spec.type library without a
	// catch22.dev/kind annotation: code linked into the services that
	// depend on it, not a node of its own (see resolver.expand).
	library bool

	annotations []annotation // the catch22.dev/ ones, in document order
}

// refAt is an entity reference as written, parsed.
type refAt struct {
	ref ref
	raw string
	pos manifest.Pos
}

// annotation is one catch22.dev/ annotation; key omits the prefix.
type annotation struct {
	key    string
	keyPos manifest.Pos
	val    string
	pos    manifest.Pos
}

// decoder validates one document into an entity, collecting every error.
type decoder struct {
	file      string
	api       bool // the document comes from the catalog API's JSON
	errs      manifest.ErrorList
	locations []location // the Location entities to follow
}

func (p *decoder) errorf(pos manifest.Pos, format string, args ...any) {
	p.errs = append(p.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// entity decodes document doc; it returns nil for documents of kinds the
// importer skips (counted in c.skipped) and for broken ones.
func (p *decoder) entity(doc *yamlpos.Value, c *catalog) *entity {
	if doc.Kind != yamlpos.Map {
		p.errorf(doc.Pos, "want a Backstage entity (a mapping with apiVersion, kind, metadata and spec), got %s", doc.TypeName())
		return nil
	}
	apiVersion, ok := p.str(doc, "apiVersion", "", true)
	if !ok {
		return nil
	}
	if !strings.HasPrefix(apiVersion, "backstage.io/") {
		// Another API group: a scaffolder Template, a plugin's own kind.
		k, _ := p.str(doc, "kind", "", false)
		c.skipped[cmp.Or(k, apiVersion)]++
		return nil
	}
	kind, ok := p.str(doc, "kind", "", true)
	if !ok {
		return nil
	}
	if !slices.Contains(readKinds, kind) {
		for _, k := range readKinds {
			if strings.EqualFold(k, kind) {
				v, _, _ := doc.Get("kind")
				p.errorf(v.Pos, "kind: want %q (Backstage kinds are case-sensitive), got %q", k, kind)
				return nil
			}
		}
		// User, Domain, Location…: nothing to import. The catalog API's
		// output already holds what its Locations produced, and their
		// targets are relative to places that are not here.
		if kind == kindLocation && !p.api {
			p.location(doc)
		}
		c.skipped[kind]++
		return nil
	}
	if !slices.Contains(apiVersions, apiVersion) {
		v, _, _ := doc.Get("apiVersion")
		p.errorf(v.Pos, "apiVersion: want %s for kind %s, got %q", strings.Join(apiVersions, " or "), kind, apiVersion)
	}
	e := &entity{file: p.file, pos: doc.Pos, kind: kind}
	e.ref.kind = strings.ToLower(kind)
	e.ref.namespace = defaultNamespace

	meta, metaPos, ok := doc.Get("metadata")
	switch {
	case !ok:
		p.errorf(doc.Pos, "missing metadata (a mapping with at least a name)")
	case meta.Kind != yamlpos.Map:
		p.errorf(meta.Pos, "metadata: want a mapping, got %s", meta.TypeName())
	default:
		p.metadata(e, meta, metaPos)
	}

	spec, _, ok := doc.Get("spec")
	switch {
	case !ok:
		spec = &yamlpos.Value{Kind: yamlpos.Map, Pos: doc.Pos}
	case spec.Kind != yamlpos.Map:
		p.errorf(spec.Pos, "spec: want a mapping, got %s", spec.TypeName())
		spec = &yamlpos.Value{Kind: yamlpos.Map, Pos: spec.Pos}
	}
	p.spec(e, spec)
	e.library = e.kind == kindComponent && strings.EqualFold(e.specType, "library") &&
		!slices.ContainsFunc(e.annotations, func(a annotation) bool { return a.key == "kind" })
	return e
}

// location reads the targets of a Location entity: spec.target and the
// items of spec.targets. spec.type is not read: see reader.follow.
func (p *decoder) location(doc *yamlpos.Value) {
	spec, _, ok := doc.Get("spec")
	if !ok || spec.Kind != yamlpos.Map {
		return
	}
	l := location{file: p.file}
	if presence, ok := p.str(spec, "presence", "spec.", false); ok {
		l.optional = presence == "optional"
	}
	if s, ok := p.str(spec, "target", "spec.", false); ok {
		v, _, _ := spec.Get("target")
		l.targets = append(l.targets, target{field: "spec.target", raw: s, pos: v.Pos})
	}
	if v, _, ok := spec.Get("targets"); ok && v.Kind != yamlpos.Null {
		if v.Kind != yamlpos.Seq {
			p.errorf(v.Pos, "spec.targets: want a list of file paths, got %s", v.TypeName())
		}
		for _, it := range v.Items {
			if it.Kind != yamlpos.String {
				p.errorf(it.Pos, "spec.targets: want a file path (a string), got %s", it.TypeName())
				continue
			}
			l.targets = append(l.targets, target{field: "spec.targets", raw: it.Str, pos: it.Pos})
		}
	}
	p.locations = append(p.locations, l)
}

func (p *decoder) metadata(e *entity, meta *yamlpos.Value, metaPos manifest.Pos) {
	if ns, ok := p.str(meta, "namespace", "metadata.", false); ok {
		v, _, _ := meta.Get("namespace")
		if !manifest.ValidName(ns) {
			p.errorf(v.Pos, "metadata.namespace: want a namespace matching [a-z0-9][a-z0-9._-]*, got %q%s", ns, lowerHint(ns))
		} else {
			e.ref.namespace = ns
		}
	}
	name, ok := p.str(meta, "name", "metadata.", false)
	v, _, present := meta.Get("name")
	switch {
	case !present:
		p.errorf(metaPos, "missing metadata.name")
	case !ok:
	case !manifest.ValidName(strings.ToLower(name)):
		p.errorf(v.Pos, "metadata.name: want a name matching [a-z0-9][a-z0-9._-]* once lower-cased, got %q", name)
	default:
		e.ref.name = strings.ToLower(name)
		e.namePos = v.Pos
	}
	e.title, _ = p.str(meta, "title", "metadata.", false)
	e.description, _ = p.str(meta, "description", "metadata.", false)

	ann, _, ok := meta.Get("annotations")
	if !ok || ann.Kind == yamlpos.Null {
		return
	}
	if ann.Kind != yamlpos.Map {
		p.errorf(ann.Pos, "metadata.annotations: want a mapping, got %s", ann.TypeName())
		return
	}
	for i, k := range ann.Keys {
		key, ok := strings.CutPrefix(k, annotationPrefix)
		if !ok {
			continue
		}
		v := ann.Vals[i]
		if v.Kind != yamlpos.String {
			// Backstage itself rejects annotation values that are not
			// strings, so the catalog would not load either.
			p.errorf(v.Pos, "%s: want a string, got %s (quote it: \"%s\")", k, v.TypeName(), v.Str)
			continue
		}
		e.annotations = append(e.annotations, annotation{key: key, keyPos: ann.KeyPos[i], val: v.Str, pos: v.Pos})
	}
}

func (p *decoder) spec(e *entity, spec *yamlpos.Value) {
	if e.kind == kindGroup {
		return // a group's spec (type, parent, children) says nothing catch22 uses
	}
	e.specType, _ = p.str(spec, "type", "spec.", false)
	e.lifecycle, _ = p.str(spec, "lifecycle", "spec.", false)
	ns := e.ref.namespace
	if s, ok := p.str(spec, "owner", "spec.", false); ok {
		e.owner = p.ref(spec, "owner", s, "group", ns, []string{"group", "user"})
	}
	if s, ok := p.str(spec, "system", "spec.", false); ok && e.kind != kindSystem {
		e.system = p.ref(spec, "system", s, "system", ns, []string{"system"})
	}
	switch e.kind {
	case kindComponent:
		e.providesApis = p.refs(spec, "providesApis", "api", ns, []string{"api"})
		e.consumesApis = p.refs(spec, "consumesApis", "api", ns, []string{"api"})
		if s, ok := p.str(spec, "subcomponentOf", "spec.", false); ok {
			e.subcomponentOf = p.ref(spec, "subcomponentOf", s, "component", ns, []string{"component"})
		}
		fallthrough
	case kindResource:
		// Backstage gives dependsOn and dependencyOf no default kind:
		// a reference without one is rejected by its catalog too.
		e.dependsOn = p.refs(spec, "dependsOn", "", ns, []string{"component", "resource"})
		e.dependencyOf = p.refs(spec, "dependencyOf", "", ns, []string{"component", "resource"})
	}
}

// str returns the string value of key in m; ok is false when the key is
// absent (reported when required) or (reported) not a string. where
// prefixes the key in messages ("metadata.").
func (p *decoder) str(m *yamlpos.Value, key, where string, required bool) (string, bool) {
	v, _, ok := m.Get(key)
	if !ok {
		if required {
			p.errorf(m.Pos, "missing %s%s", where, key)
		}
		return "", false
	}
	if v.Kind != yamlpos.String {
		p.errorf(v.Pos, "%s%s: want a string, got %s", where, key, v.TypeName())
		return "", false
	}
	return v.Str, true
}

// ref parses the reference s written at spec.key.
func (p *decoder) ref(spec *yamlpos.Value, key, s, defKind, ns string, allowed []string) *refAt {
	v, _, _ := spec.Get(key)
	return p.parseRef("spec."+key, s, v.Pos, defKind, ns, allowed)
}

// refs reads the list of references spec.key.
func (p *decoder) refs(spec *yamlpos.Value, key, defKind, ns string, allowed []string) []refAt {
	v, _, ok := spec.Get(key)
	if !ok || v.Kind == yamlpos.Null {
		return nil
	}
	if v.Kind != yamlpos.Seq {
		p.errorf(v.Pos, "spec.%s: want a list of entity references, got %s", key, v.TypeName())
		return nil
	}
	var out []refAt
	for _, it := range v.Items {
		if it.Kind != yamlpos.String {
			p.errorf(it.Pos, "spec.%s: want an entity reference (a string), got %s", key, it.TypeName())
			continue
		}
		if r := p.parseRef("spec."+key, it.Str, it.Pos, defKind, ns, allowed); r != nil {
			out = append(out, *r)
		}
	}
	return out
}

// parseRef parses and checks one reference; field names it in messages.
func (p *decoder) parseRef(field, s string, pos manifest.Pos, defKind, ns string, allowed []string) *refAt {
	r, err := parseRef(s, defKind, ns)
	if err != nil {
		p.errorf(pos, "%s: bad entity reference %q: %v", field, s, err)
		return nil
	}
	if !slices.Contains(allowed, r.kind) {
		if !slices.Contains(knownKinds, r.kind) {
			p.errorf(pos, "%s: unknown entity kind %q in %q%s", field, r.kind, s, hint(r.kind, knownKinds))
		} else {
			p.errorf(pos, "%s: %q is %s; want a reference to %s", field, s, article(kindTitle(r.kind)), joinArticles(allowed))
		}
		return nil
	}
	return &refAt{ref: r, raw: s, pos: pos}
}

// article prefixes a noun with "a" or "an" by its sound: "an API", "an
// AiResource", "a Component", "a User" (a "u" sounding "you" takes "a").
func article(noun string) string {
	l := strings.ToLower(noun)
	vowel := l != "" && strings.ContainsRune("aeiou", rune(l[0]))
	if vowel && !strings.HasPrefix(l, "us") && !strings.HasPrefix(l, "uni") {
		return "an " + noun
	}
	return "a " + noun
}

// joinArticles spells lower-case kinds as "a Component or a Resource".
func joinArticles(kinds []string) string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = article(kindTitle(k))
	}
	return strings.Join(out, " or ")
}

// hint is " (did you mean \"x\"?)" for the closest candidate, or "".
func hint(word string, candidates []string) string {
	if c := suggest.Closest(word, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// lowerHint suggests the lower-cased value when that alone would be valid.
func lowerHint(v string) string {
	if l := strings.ToLower(v); l != v && manifest.ValidName(l) {
		return fmt.Sprintf(" (did you mean %q?)", l)
	}
	return ""
}
