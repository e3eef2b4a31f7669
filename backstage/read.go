package backstage

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/internal/yamlpos"
	"github.com/catch22/catch22/manifest"
)

// catalog is everything read from the catalog files.
type catalog struct {
	entities []*entity
	skipped  map[string]int // kind (or apiVersion) → documents skipped
	// libraries counts the entities of c.entities that are libraries:
	// they are read, for the references to them, but counted as skipped.
	libraries int
	// warnings are the reading's: Location targets that cannot be read.
	warnings manifest.ErrorList
	// unreadable is set when some file could not be read or parsed as
	// YAML: its entities are missing, so references to them cannot be
	// checked without reporting errors that are not there.
	unreadable bool
}

// skippedLibrary is how libraries are counted in the summary.
const skippedLibrary = "Component (library)"

// catalogLine matches the apiVersion of a Backstage entity as YAML (block
// or flow style) or JSON writes it. It tells catalog files from the other
// YAML of a repository (Helm templates, Grafana provisioning, Kubernetes
// manifests, CI workflows) before parsing them, so that a template that is
// not YAML until rendered is skipped rather than reported. Scaffolder
// templates (scaffolder.backstage.io/…) match too: they are catalog
// entities, counted as skipped.
var catalogLine = regexp.MustCompile(`(?m)(?:^[ \t]*(?:-[ \t]+)?|[{,][ \t]*)["']?apiVersion["']?[ \t]*:[ \t]*["']?(?:[a-z0-9-]+\.)*backstage\.io/`)

// isBackstageGroup reports whether apiVersion belongs to Backstage:
// backstage.io/… or a Backstage plugin's <x>.backstage.io/….
func isBackstageGroup(apiVersion string) bool {
	group, _, ok := strings.Cut(apiVersion, "/")
	return ok && (group == "backstage.io" || strings.HasSuffix(group, ".backstage.io"))
}

// reader reads catalog files: those named on the command line, those found
// by walking directories and those Location entities name.
type reader struct {
	c     *catalog
	errs  manifest.ErrorList
	named map[string]bool // files named on the command line, by fileKey
	seen  map[string]bool // files read (or being read), by fileKey
}

// fileKey identifies a file however it is reached (relative, absolute,
// through a symbolic link), so that no file is read twice: a Location
// that includes itself, or a file both walked and named by a Location,
// would otherwise declare its entities twice.
func fileKey(name string) string {
	if p, err := filepath.EvalSymlinks(name); err == nil {
		name = p
	}
	if a, err := filepath.Abs(name); err == nil {
		return a
	}
	return name
}

// readCatalog reads the catalog files named by paths: files, or
// directories walked recursively for *.yaml, *.yml and *.json. Walking
// skips sub-directories whose names start with "." as manifest.Load does.
//
// A named file must hold Backstage entities. A file found by walking is a
// catalog file only when a line of it sets an apiVersion of backstage.io
// (see catalogLine); any other is skipped silently. Location entities are
// followed (see follow), and every file is read once however often it is
// reached.
func readCatalog(paths []string) (*catalog, manifest.ErrorList) {
	rd := &reader{c: &catalog{skipped: map[string]int{}}, named: map[string]bool{}, seen: map[string]bool{}}
	// A file named on the command line is held to the stricter rule even
	// when a directory argument reaches it first.
	for _, arg := range paths {
		if info, err := os.Stat(arg); err == nil && !info.IsDir() {
			rd.named[fileKey(arg)] = true
		}
	}
	for _, arg := range paths {
		info, err := os.Stat(arg)
		if err != nil {
			rd.fail(manifest.Pos{File: arg}, manifest.Describe(err))
			continue
		}
		if !info.IsDir() {
			rd.read(filepath.Clean(arg), true)
			continue
		}
		rd.errs = append(rd.errs, importer.WalkFiles(arg, func(path string, _ fs.DirEntry) {
			switch filepath.Ext(path) {
			case ".yaml", ".yml", ".json":
				rd.read(path, false)
			}
		})...)
	}
	if len(rd.c.entities) == 0 && len(rd.errs) == 0 {
		rd.errs = append(rd.errs, &manifest.Error{Msg: "no Backstage entities found in " + strings.Join(paths, ", ")})
	}
	return rd.c, rd.errs
}

// fail reports that something could not be read: the entities it holds
// are missing.
func (rd *reader) fail(pos manifest.Pos, msg string) {
	rd.errs = append(rd.errs, &manifest.Error{Pos: pos, Msg: msg})
	rd.c.unreadable = true
}

// read reads one file, then the files its Location entities name; named
// says the user or a Location named it.
func (rd *reader) read(name string, named bool) {
	key := fileKey(name)
	if rd.seen[key] {
		return
	}
	rd.seen[key] = true
	named = named || rd.named[key]
	data, err := safeio.ReadFile(name, safeio.YAMLLimit)
	if err != nil {
		rd.fail(manifest.Pos{File: name}, manifest.Describe(err))
		return
	}
	if !named && !catalogLine.Match(data) {
		return
	}
	errs, locations := rd.c.readFile(name, data, named)
	rd.errs = append(rd.errs, errs...)
	for _, l := range locations {
		rd.follow(l)
	}
}

// location is what the importer reads of a Location entity.
type location struct {
	file     string
	targets  []target
	optional bool // spec.presence: optional; a missing target is no error
}

// target is one spec.target or spec.targets item.
type target struct {
	field, raw string // field is "spec.target" or "spec.targets"
	pos        manifest.Pos
}

// follow reads the files a Location names. A relative target is resolved
// against the directory of the Location's file, as Backstage resolves it
// against the Location's own address, whatever spec.type says; it may
// climb out of that directory ("../") but must name files that exist. A
// target with glob characters is expanded with filepath.Glob (no "**").
// URLs cannot be fetched: they are warnings, so that a catalog that mixes
// local files and remote locations still imports what is here.
func (rd *reader) follow(l location) {
	for _, t := range l.targets {
		switch {
		case strings.TrimSpace(t.raw) == "":
			rd.fail(t.pos, t.field+": empty target: want a file path, relative to this file")
		case strings.Contains(t.raw, "://"):
			rd.c.warnings = append(rd.c.warnings, &manifest.Error{Pos: t.pos,
				Msg: fmt.Sprintf("warning: %s: cannot read %q: catch22 reads local files only (download it and name it on the command line)", t.field, t.raw)})
		default:
			rd.target(l, t)
		}
	}
}

// target reads the file or files one target names.
func (rd *reader) target(l location, t target) {
	path := filepath.FromSlash(t.raw)
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(l.file), path)
	}
	if strings.ContainsAny(t.raw, "*?[") {
		matches, err := filepath.Glob(path)
		if err != nil {
			rd.fail(t.pos, fmt.Sprintf("%s: bad glob %q: %v", t.field, t.raw, err))
			return
		}
		n := 0
		for _, m := range matches {
			if info, err := os.Stat(m); err == nil && !info.IsDir() {
				rd.read(m, true)
				n++
			}
		}
		if n == 0 && !l.optional {
			rd.fail(t.pos, fmt.Sprintf("%s: %q matches no file (looked for %s)", t.field, t.raw, path))
		}
		return
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !l.optional {
			rd.fail(t.pos, fmt.Sprintf("%s: %q: no such file (looked for %s)", t.field, t.raw, path))
		}
	case err != nil:
		rd.fail(t.pos, fmt.Sprintf("%s: %q: %s", t.field, t.raw, manifest.Describe(err)))
	case info.IsDir():
		rd.fail(t.pos, fmt.Sprintf("%s: %q is a directory; want a file, or a glob such as %q", t.field, t.raw,
			strings.TrimSuffix(t.raw, "/")+"/*.yaml"))
	default:
		rd.read(path, true)
	}
}

// fromAPI reports whether data is the JSON the catalog API returns rather
// than catalog YAML: a .json file, or text starting with "[" or "{".
func fromAPI(file string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(file), ".json") {
		return true
	}
	data = bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	return len(data) > 0 && (data[0] == '[' || data[0] == '{')
}

// bodies returns the entity documents of a file. The catalog API returns
// a JSON array of entities (GET /api/catalog/entities) or an object whose
// "items" hold them (GET /api/catalog/entities/by-query); JSON is YAML, so
// yamlpos reads both with positions, and their items are the documents.
func bodies(docs []yamlpos.Document, api bool) []*yamlpos.Value {
	var out []*yamlpos.Value
	for _, d := range docs {
		v := d.Body
		if api {
			if items, _, ok := v.Get("items"); ok && v.Kind == yamlpos.Map && items.Kind == yamlpos.Seq {
				if _, _, entity := v.Get("apiVersion"); !entity {
					v = items
				}
			}
			if v.Kind == yamlpos.Seq {
				out = append(out, v.Items...)
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

// readFile reads the entities of one file and returns the Location
// entities to follow; named says the file must hold entities.
func (c *catalog) readFile(file string, data []byte, named bool) (manifest.ErrorList, []location) {
	docs, errs := yamlpos.Parse(file, data)
	c.unreadable = c.unreadable || len(errs) > 0
	api := fromAPI(file, data)
	docBodies := bodies(docs, api)
	if len(errs) == 0 && !hasEntity(docBodies) {
		// A file found by walking whose apiVersion line was in a comment
		// or a block of text: not a catalog file either.
		if named {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: file, Line: 1, Col: 1}, Msg: notCatalog(docBodies)})
		}
		return errs, nil
	}
	var locations []location
	for _, body := range docBodies {
		p := &decoder{file: file, api: api}
		// An entity with errors is still kept when it has a name, so that
		// references to it resolve and its errors are not echoed as
		// "unknown entity" elsewhere; nothing is written anyway. One
		// without a kind or a name cannot be referred to: references are
		// then left unchecked, as for an unreadable file.
		e := p.entity(body, c)
		switch {
		case e != nil && e.ref.name != "":
			c.entities = append(c.entities, e)
			if e.library {
				c.libraries++
				c.skipped[skippedLibrary]++
			}
		case len(p.errs) > 0:
			c.unreadable = true
		}
		errs = append(errs, p.errs...)
		locations = append(locations, p.locations...)
	}
	return errs, locations
}

// hasEntity reports whether some document is a Backstage entity.
func hasEntity(docs []*yamlpos.Value) bool {
	for _, v := range docs {
		if v.Kind != yamlpos.Map {
			continue
		}
		if av, _, ok := v.Get("apiVersion"); ok && av.Kind == yamlpos.String && isBackstageGroup(av.Str) {
			return true
		}
	}
	return false
}

// notCatalog says why a named file holds no entity.
func notCatalog(docs []*yamlpos.Value) string {
	for _, v := range docs {
		if v.Kind != yamlpos.Map {
			continue
		}
		if av, _, ok := v.Get("apiVersion"); ok {
			return fmt.Sprintf("no Backstage entity here: no document has an apiVersion of backstage.io (found %q)", av.Str)
		}
	}
	return "no Backstage entity here: no document has an apiVersion"
}
