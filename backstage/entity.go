package backstage

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/catch22/catch22/importer"
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

// catalog is everything read from the catalog files.
type catalog struct {
	entities []*entity
	skipped  map[string]int // kind (or apiVersion) → documents skipped
	// unreadable is set when some file could not be read or parsed as
	// YAML: its entities are missing, so references to them cannot be
	// checked without reporting errors that are not there.
	unreadable bool
}

// readCatalog reads the catalog files named by paths: files, or
// directories walked recursively for *.yaml and *.yml. Walking skips
// sub-directories whose names start with "." as manifest.Load does.
//
// A named file must hold Backstage entities. A file found by walking that
// holds no document with an apiVersion (a CI workflow, a docker-compose
// file) is not a catalog file and is skipped silently; one that does is
// read in full, and every document in it must then be an entity.
func readCatalog(paths []string) (*catalog, manifest.ErrorList) {
	c := &catalog{skipped: map[string]int{}}
	var errs manifest.ErrorList
	abs := func(name string) string {
		if a, err := filepath.Abs(name); err == nil {
			return a
		}
		return name
	}
	// A file named on the command line is held to the stricter rule even
	// when a directory argument reaches it first.
	namedFiles := map[string]bool{}
	for _, arg := range paths {
		if info, err := os.Stat(arg); err == nil && !info.IsDir() {
			namedFiles[abs(arg)] = true
		}
	}
	seen := map[string]bool{}
	read := func(name string) {
		key := abs(name)
		if seen[key] {
			return
		}
		seen[key] = true
		named := namedFiles[key]
		data, err := os.ReadFile(name)
		if err != nil {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: name}, Msg: manifest.Describe(err)})
			c.unreadable = true
			return
		}
		errs = append(errs, c.readFile(name, data, named)...)
	}
	for _, arg := range paths {
		info, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: arg}, Msg: manifest.Describe(err)})
			c.unreadable = true
			continue
		}
		if !info.IsDir() {
			read(filepath.Clean(arg))
			continue
		}
		walkErrs := importer.WalkFiles(arg, func(path string, _ fs.DirEntry) {
			if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" {
				read(path)
			}
		})
		errs = append(errs, walkErrs...)
	}
	if len(c.entities) == 0 && len(errs) == 0 {
		errs = append(errs, &manifest.Error{Msg: "no Backstage entities found in " + strings.Join(paths, ", ")})
	}
	return c, errs
}

// readFile reads the entities of one file; named says the user named it.
func (c *catalog) readFile(file string, data []byte, named bool) manifest.ErrorList {
	docs, errs := yamlpos.Parse(file, data)
	isCatalog := len(errs) > 0
	c.unreadable = c.unreadable || len(errs) > 0
	for _, d := range docs {
		if d.Body.Kind == yamlpos.Map {
			if _, _, ok := d.Body.Get("apiVersion"); ok {
				isCatalog = true
			}
		}
	}
	if !isCatalog {
		if named {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: file, Line: 1, Col: 1},
				Msg: "no Backstage entity here: no document has an apiVersion"})
		}
		return errs
	}
	for _, d := range docs {
		p := &decoder{file: file}
		// An entity with errors is still kept when it has a name, so that
		// references to it resolve and its errors are not echoed as
		// "unknown entity" elsewhere; nothing is written anyway. One
		// without a kind or a name cannot be referred to: references are
		// then left unchecked, as for an unreadable file.
		e := p.entity(d, c)
		switch {
		case e != nil && e.ref.name != "":
			c.entities = append(c.entities, e)
		case len(p.errs) > 0:
			c.unreadable = true
		}
		errs = append(errs, p.errs...)
	}
	return errs
}

// decoder validates one document into an entity, collecting every error.
type decoder struct {
	file string
	errs manifest.ErrorList
}

func (p *decoder) errorf(pos manifest.Pos, format string, args ...any) {
	p.errs = append(p.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// entity decodes document d; it returns nil for documents of kinds the
// importer skips (counted in c.skipped) and for broken ones.
func (p *decoder) entity(d yamlpos.Document, c *catalog) *entity {
	doc := d.Body
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
		c.skipped[kind]++ // User, Domain, Location…: nothing to import
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
	return e
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
			p.errorf(pos, "%s: %q is a %s; want a reference to a %s", field, s, r.kind, strings.Join(allowed, " or a "))
		}
		return nil
	}
	return &refAt{ref: r, raw: s, pos: pos}
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
