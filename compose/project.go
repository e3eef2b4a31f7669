package compose

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/internal/yamlpos"
	"github.com/catch22/catch22/manifest"
)

// project is a Compose project: its services merged from every file.
type project struct {
	name     string // the top-level name, or the directory's
	dir      string // the directory of the first file: .env and env_file paths are relative to it
	dotenv   *envFile
	services []*svc // in the order they first appear
	byName   map[string]*svc
}

// svc is one service as the files define it, merged.
type svc struct {
	name          string // lower-cased key
	key           string // the key as written
	pos           manifest.Pos
	image         string
	imagePos      manifest.Pos
	build         bool
	containerName string
	profiles      []string
	labels        map[string]string
	aliases       []string // network aliases
	dependsOn     []*dependsOn
	links         []*link
	envFiles      []envFileRef
	environment   []*envEntry
}

// dependsOn is one depends_on entry.
type dependsOn struct {
	target    string
	condition string // service_started when written as a list
	required  bool
	pos       manifest.Pos
}

// link is one links entry, "service" or "service:alias".
type link struct {
	target, alias string
	pos           manifest.Pos
}

// envFileRef is one env_file entry.
type envFileRef struct {
	path     string
	required bool
	pos      manifest.Pos
}

// envEntry is one variable of a service's environment.
type envEntry struct {
	name, value string
	pos         manifest.Pos
	from        string // the env_file it comes from, if any
}

// Compose's dependency conditions.
const (
	started   = "service_started"
	healthy   = "service_healthy"
	completed = "service_completed_successfully"
)

var conditions = []string{started, healthy, completed}

// decoder checks the shape of the files as it reads them and interpolates
// the values it keeps, collecting every error and warning with its
// position.
type decoder struct {
	p        *project
	errs     manifest.ErrorList
	warnings manifest.ErrorList
}

func (d *decoder) errorf(pos manifest.Pos, format string, args ...any) {
	d.errs = append(d.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// scalar returns a scalar's text, interpolated. Compose accepts numbers
// and booleans where it wants strings (a port, "true"), and so does this.
func (d *decoder) scalar(v *yamlpos.Value, path string) (string, bool) {
	switch v.Kind {
	case yamlpos.String, yamlpos.Int, yamlpos.Float, yamlpos.Bool:
		return d.interpolate(v.Str, v.Pos), true
	case yamlpos.Null:
		return "", false
	}
	d.errorf(v.Pos, "%s: want a string, got %s", path, v.TypeName())
	return "", false
}

func (d *decoder) interpolate(s string, pos manifest.Pos) string {
	return expandEnv(s, d.p.dotenv.lookup, pos, &d.warnings, &d.errs)
}

// strList reads a string or a list of strings.
func (d *decoder) strList(v *yamlpos.Value, path string) []*yamlpos.Value {
	switch v.Kind {
	case yamlpos.Seq:
		return v.Items
	case yamlpos.Null:
		return nil
	case yamlpos.String:
		return []*yamlpos.Value{v}
	}
	d.errorf(v.Pos, "%s: want a list, got %s", path, v.TypeName())
	return nil
}

// readFile adds the services of one file to the project.
func (d *decoder) readFile(file string, data []byte) {
	docs, errs := yamlpos.Parse(file, data)
	d.errs = append(d.errs, errs...)
	for _, doc := range docs {
		top := doc.Body
		if top.Kind != yamlpos.Map {
			d.errorf(top.Pos, "want a Compose file (a mapping with services), got %s", top.TypeName())
			continue
		}
		if v, _, ok := top.Get("name"); ok {
			if s, ok := d.scalar(v, "name"); ok {
				d.p.name = s
			}
		}
		v, _, ok := top.Get("services")
		if !ok || v.Kind == yamlpos.Null {
			continue
		}
		if v.Kind != yamlpos.Map {
			d.errorf(v.Pos, "services: want a mapping of service names to services, got %s", v.TypeName())
			continue
		}
		for i, key := range v.Keys {
			d.service(key, v.KeyPos[i], v.Vals[i])
		}
	}
}

// service reads one service definition and merges it into the one of the
// same name from earlier files, as `docker compose -f a -f b` does:
// scalars are replaced, environment, labels and depends_on merged by key,
// lists appended.
func (d *decoder) service(key string, keyPos manifest.Pos, v *yamlpos.Value) {
	name := strings.ToLower(key)
	path := "services." + key
	if !manifest.ValidName(name) {
		d.errorf(keyPos, "%s: want a service name matching [a-zA-Z0-9][a-zA-Z0-9._-]*, got %q", path, key)
		return
	}
	s := d.p.byName[name]
	if s == nil {
		s = &svc{name: name, key: key, pos: keyPos, labels: map[string]string{}}
		d.p.byName[name] = s
		d.p.services = append(d.p.services, s)
	}
	if v.Kind == yamlpos.Null {
		return
	}
	if v.Kind != yamlpos.Map {
		d.errorf(v.Pos, "%s: want a mapping, got %s", path, v.TypeName())
		return
	}
	for i, k := range v.Keys {
		val, kpos := v.Vals[i], v.KeyPos[i]
		p := path + "." + k
		switch k {
		case "image":
			if img, ok := d.scalar(val, p); ok {
				s.image, s.imagePos = img, val.Pos
			}
		case "build":
			s.build = val.Kind != yamlpos.Null
		case "container_name":
			s.containerName, _ = d.scalar(val, p)
		case "profiles":
			s.profiles = nil
			for _, e := range d.strList(val, p) {
				if x, ok := d.scalar(e, p); ok {
					s.profiles = append(s.profiles, x)
				}
			}
		case "labels":
			d.keyValues(val, p, func(k, v string, _ manifest.Pos, _ bool) { s.labels[k] = v })
		case "networks":
			d.networks(s, val, p)
		case "depends_on":
			d.dependsOn(s, val, p)
		case "links":
			for _, e := range d.strList(val, p) {
				if x, ok := d.scalar(e, p); ok {
					target, alias, _ := strings.Cut(x, ":")
					s.links = append(s.links, &link{target: strings.ToLower(target), alias: strings.ToLower(alias), pos: e.Pos})
				}
			}
		case "env_file":
			d.envFiles(s, val, p)
		case "environment":
			d.keyValues(val, p, func(k, v string, pos manifest.Pos, set bool) {
				if !set {
					// "- NAME" alone passes NAME through from the
					// project's environment: here, the .env file.
					var ok bool
					if v, ok = d.p.dotenv.lookup(k); !ok {
						return
					}
				}
				s.setEnv(&envEntry{name: k, value: v, pos: pos})
			})
		case "extends":
			d.warnings = append(d.warnings, &manifest.Error{Pos: kpos,
				Msg: "warning: " + p + " is not followed: what the extended service declares is not imported"})
		}
	}
}

func (s *svc) setEnv(e *envEntry) {
	for i, old := range s.environment {
		if old.name == e.name {
			s.environment[i] = e
			return
		}
	}
	s.environment = append(s.environment, e)
}

// keyValues reads a mapping or a list of "KEY=VALUE" strings (environment,
// labels); set is false for a list entry without "=" or a null value.
func (d *decoder) keyValues(v *yamlpos.Value, path string, visit func(k, v string, pos manifest.Pos, set bool)) {
	switch v.Kind {
	case yamlpos.Null:
	case yamlpos.Map:
		for i, k := range v.Keys {
			val := v.Vals[i]
			if val.Kind == yamlpos.Null {
				visit(k, "", v.KeyPos[i], false)
				continue
			}
			if s, ok := d.scalar(val, path+"."+k); ok {
				visit(k, s, val.Pos, true)
			}
		}
	case yamlpos.Seq:
		for i, e := range v.Items {
			p := path + "[" + strconv.Itoa(i) + "]"
			if e.Kind != yamlpos.String {
				d.errorf(e.Pos, "%s: want a KEY=VALUE string, got %s", p, e.TypeName())
				continue
			}
			k, val, set := strings.Cut(e.Str, "=")
			if set {
				val = d.interpolate(val, e.Pos)
			}
			visit(k, val, e.Pos, set)
		}
	default:
		d.errorf(v.Pos, "%s: want a mapping or a list of KEY=VALUE strings, got %s", path, v.TypeName())
	}
}

// networks reads the network aliases of a service.
func (d *decoder) networks(s *svc, v *yamlpos.Value, path string) {
	switch v.Kind {
	case yamlpos.Seq, yamlpos.Null:
		return // names only
	case yamlpos.Map:
		for i, net := range v.Keys {
			cfg := v.Vals[i]
			if cfg.Kind == yamlpos.Null {
				continue
			}
			if cfg.Kind != yamlpos.Map {
				d.errorf(cfg.Pos, "%s.%s: want a mapping, got %s", path, net, cfg.TypeName())
				continue
			}
			if al, _, ok := cfg.Get("aliases"); ok {
				for _, a := range d.strList(al, path+"."+net+".aliases") {
					if x, ok := d.scalar(a, path+"."+net+".aliases"); ok {
						s.aliases = append(s.aliases, strings.ToLower(x))
					}
				}
			}
		}
	default:
		d.errorf(v.Pos, "%s: want a list or a mapping, got %s", path, v.TypeName())
	}
}

// dependsOn reads depends_on in its list or its mapping form.
func (d *decoder) dependsOn(s *svc, v *yamlpos.Value, path string) {
	add := func(dep *dependsOn) {
		for i, old := range s.dependsOn {
			if old.target == dep.target {
				s.dependsOn[i] = dep
				return
			}
		}
		s.dependsOn = append(s.dependsOn, dep)
	}
	switch v.Kind {
	case yamlpos.Null:
	case yamlpos.Seq:
		for _, e := range v.Items {
			if x, ok := d.scalar(e, path); ok {
				add(&dependsOn{target: strings.ToLower(x), condition: started, required: true, pos: e.Pos})
			}
		}
	case yamlpos.Map:
		for i, target := range v.Keys {
			dep := &dependsOn{target: strings.ToLower(target), condition: started, required: true, pos: v.KeyPos[i]}
			cfg, p := v.Vals[i], path+"."+target
			switch cfg.Kind {
			case yamlpos.Null:
			case yamlpos.Map:
				if c, _, ok := cfg.Get("condition"); ok {
					if x, ok := d.scalar(c, p+".condition"); ok {
						if !contains(conditions, x) {
							d.errorf(c.Pos, "%s.condition: want %s, got %q", p, strings.Join(conditions, ", "), x)
						}
						dep.condition = x
					}
				}
				if r, _, ok := cfg.Get("required"); ok {
					if r.Kind != yamlpos.Bool {
						d.errorf(r.Pos, "%s.required: want true or false, got %s", p, r.TypeName())
					} else {
						dep.required = strings.EqualFold(r.Str, "true")
					}
				}
			default:
				d.errorf(cfg.Pos, "%s: want a mapping with a condition, got %s", p, cfg.TypeName())
			}
			add(dep)
		}
	default:
		d.errorf(v.Pos, "%s: want a list or a mapping of service names, got %s", path, v.TypeName())
	}
}

// envFiles reads env_file: a path, a list of paths, or a list of
// {path, required}.
func (d *decoder) envFiles(s *svc, v *yamlpos.Value, path string) {
	for _, e := range d.strList(v, path) {
		ref := envFileRef{required: true, pos: e.Pos}
		if e.Kind == yamlpos.Map {
			pv, _, ok := e.Get("path")
			if !ok {
				d.errorf(e.Pos, "%s: missing path", path)
				continue
			}
			ref.path, _ = d.scalar(pv, path+".path")
			if r, _, ok := e.Get("required"); ok && r.Kind == yamlpos.Bool {
				ref.required = strings.EqualFold(r.Str, "true")
			}
		} else if x, ok := d.scalar(e, path); ok {
			ref.path = x
		}
		if ref.path != "" {
			s.envFiles = append(s.envFiles, ref)
		}
	}
}

// loadEnvFiles reads the env_file entries of every service and puts their
// variables under those of environment, which take precedence.
func (d *decoder) loadEnvFiles() {
	for _, s := range d.p.services {
		var fromFiles []*envEntry
		for _, ref := range s.envFiles {
			name := ref.path
			if !filepath.IsAbs(name) {
				name = filepath.Join(d.p.dir, name)
			}
			data, err := safeio.ReadFile(name, safeio.ManifestLimit)
			if err != nil {
				if ref.required {
					d.errorf(ref.pos, "env_file %s: %s", ref.path, manifest.Describe(err))
				}
				continue
			}
			ef, errs, warnings := parseEnvFile(name, data, d.p.dotenv)
			d.errs, d.warnings = append(d.errs, errs...), append(d.warnings, warnings...)
			for _, k := range ef.keys {
				fromFiles = append(fromFiles, &envEntry{name: k, value: ef.vals[k], pos: ef.pos[k], from: ref.path})
			}
		}
		if len(fromFiles) == 0 {
			continue
		}
		env := s.environment
		s.environment = nil
		for _, e := range fromFiles {
			s.setEnv(e)
		}
		for _, e := range env {
			s.setEnv(e)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
