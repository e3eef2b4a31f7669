package compose

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/kubernetes/hostref"
	"github.com/catch22/catch22/manifest"
)

// deriver turns a project into the services to write.
type deriver struct {
	p        *project
	env      string
	system   string
	nodes    map[*svc]*importer.Service
	hosts    map[string]*svc // every name a service answers to on the project's networks
	extra    map[string]*importer.Service
	errs     manifest.ErrorList
	warnings manifest.ErrorList
}

func (d *deriver) errorf(pos manifest.Pos, format string, args ...any) {
	d.errs = append(d.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (d *deriver) warnf(pos manifest.Pos, format string, args ...any) {
	d.warnings = append(d.warnings, &manifest.Error{Pos: pos, Msg: "warning: " + fmt.Sprintf(format, args...)})
}

// derive maps each service to a node, adds one node per image registry
// and per outside host, and derives the dependencies.
func derive(p *project, env string) ([]*importer.Service, manifest.ErrorList, manifest.ErrorList) {
	d := &deriver{p: p, env: env, nodes: map[*svc]*importer.Service{}, hosts: map[string]*svc{}, extra: map[string]*importer.Service{}}
	if manifest.ValidName(p.name) {
		d.system = p.name
	}
	var out []*importer.Service
	for _, s := range p.services {
		n := d.node(s)
		d.nodes[s] = n
		out = append(out, n)
	}
	// Names a container answers to on the project's networks, weakest
	// first so that a service's own name always wins: the default
	// container names of Compose v2 and v1, network aliases, the
	// container_name, the service name.
	for _, s := range p.services {
		d.hosts[p.name+"-"+s.name+"-1"] = s
		d.hosts[p.name+"_"+s.name+"_1"] = s
	}
	for _, s := range p.services {
		for _, a := range s.aliases {
			d.hosts[a] = s
		}
	}
	for _, s := range p.services {
		if s.containerName != "" {
			d.hosts[strings.ToLower(s.containerName)] = s
		}
	}
	for _, s := range p.services {
		d.hosts[s.name] = s
	}
	for _, s := range p.services {
		d.dependencies(s)
	}
	for _, name := range slices.Sorted(maps.Keys(d.extra)) {
		out = append(out, d.extra[name])
	}
	return out, d.errs, d.warnings
}

// node maps one service: kind datastore for well-known datastore images,
// the project as system, owner from an owner or team label, and the
// profiles that start it in the description.
func (d *deriver) node(s *svc) *importer.Service {
	n := &importer.Service{
		Source: "service " + s.key, Name: s.name, Env: d.env, System: d.system, Pos: s.pos,
		Kind: manifest.KindService, Owner: cmp.Or(s.labels["owner"], s.labels["team"]),
	}
	if hostref.DatastoreImage(s.image) {
		n.Kind = manifest.KindDatastore
	}
	if len(s.profiles) > 0 {
		n.Description = "started only with profile " + strings.Join(s.profiles, " or ")
	}
	return n
}

// dependencies derives what service s needs: what depends_on and links
// name, the registry of its image (to start), and the hosts its
// environment names.
func (d *deriver) dependencies(s *svc) {
	n := d.nodes[s]
	ds := importer.DepSet{}
	for _, dep := range s.dependsOn {
		t := d.p.byName[dep.target]
		if t == nil {
			d.errorf(dep.pos, "depends_on: no service %q in the project", dep.target)
			continue
		}
		x := &importer.Dep{To: d.nodes[t], Kind: depKind(d.nodes[t]), Mode: manifest.Hard, Source: "depends_on " + dep.target}
		if dep.condition != started {
			// Compose waits for the dependency to be healthy (or to
			// have run to completion) before it starts s: needed to
			// start, which is all the file says.
			x.Phase = manifest.PhaseStart
			x.Source += " (" + dep.condition + ")"
		}
		if !dep.required {
			x.Mode = manifest.Soft
			x.Source += " (required: false)"
		}
		ds.Add(x)
	}
	for _, l := range s.links {
		t := d.p.byName[l.target]
		if t == nil {
			d.errorf(l.pos, "links: no service %q in the project", l.target)
			continue
		}
		ds.Add(&importer.Dep{To: d.nodes[t], Kind: depKind(d.nodes[t]), Mode: manifest.Hard, Source: "links " + l.target})
	}
	d.registry(s, ds)
	for _, e := range s.environment {
		d.envDeps(s, e, ds)
	}
	delete(ds, n)
	n.Deps = ds.Sorted()
}

// depKind is data for a datastore, runtime otherwise.
func depKind(t *importer.Service) manifest.DepKind {
	if t.Kind == manifest.KindDatastore {
		return manifest.DepData
	}
	return manifest.DepRuntime
}

// registry adds the start-time dependency on the registry the image is
// pulled from. A service with a build section is built where it runs,
// not pulled, and has none.
func (d *deriver) registry(s *svc, ds importer.DepSet) {
	if s.build || s.image == "" {
		return
	}
	reg, ok := hostref.Registry(s.image)
	if !ok {
		return
	}
	name, ok := hostref.NodeName(reg)
	if !ok {
		return
	}
	t := d.extraNode(name, "registry "+reg.String(), "container image registry")
	ds.Add(&importer.Dep{To: t, Kind: manifest.DepDeploy, Mode: manifest.Hard, Phase: manifest.PhaseStart,
		Source: "image " + hostref.Repository(s.image)})
}

// envDeps adds the guessed dependencies one variable names.
func (d *deriver) envDeps(s *svc, e *envEntry, ds importer.DepSet) {
	use, ok := hostref.Var(e.name)
	if !ok {
		return
	}
	for _, a := range hostref.Hosts(e.value) {
		source := "env " + e.name + "=" + a.String()
		if e.from != "" {
			source += " from " + e.from
		}
		t := d.resolve(s, e, a)
		if t == nil {
			continue
		}
		dep := &importer.Dep{To: t, Kind: depKind(t), Mode: manifest.Hard, Source: source, Guess: true}
		if use == hostref.Telemetry {
			dep.Kind, dep.Mode = manifest.DepObservability, manifest.Soft
		}
		ds.Add(dep)
	}
}

// resolve returns the node a host names from service s: a service of the
// project (by name, container name, network or link alias), or a node for
// an outside host (a name with a dot). A single-label name no service
// answers to is a warning: it may be a service of another project.
func (d *deriver) resolve(s *svc, e *envEntry, a hostref.Addr) *importer.Service {
	for _, l := range s.links {
		if l.alias == a.Host && d.p.byName[l.target] != nil {
			return d.nodes[d.p.byName[l.target]]
		}
	}
	if t := d.hosts[a.Host]; t != nil {
		return d.nodes[t]
	}
	if !strings.Contains(a.Host, ".") {
		d.warnf(e.pos, "%s: no service of the project answers to %q: no dependency derived", e.name, a.Host)
		return nil
	}
	name, ok := hostref.NodeName(hostref.Addr{Host: a.Host})
	if !ok {
		return nil
	}
	return d.extraNode(name, "host "+a.Host, "outside host named by the services' environment")
}

func (d *deriver) extraNode(name, source, description string) *importer.Service {
	if s, ok := d.extra[name]; ok {
		return s
	}
	s := &importer.Service{Source: source, Name: name, Env: d.env, Kind: manifest.KindExternal, Description: description}
	d.extra[name] = s
	return s
}
