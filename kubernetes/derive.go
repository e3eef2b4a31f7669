package kubernetes

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

// partOf is the recommended label naming the application a workload
// belongs to; it gives the system.
const partOf = "app.kubernetes.io/part-of"

// ownerKeys are the labels and annotations read, in order, for the owner.
var ownerKeys = []string{"owner", "team"}

// deriver turns the objects read into the services to write.
type deriver struct {
	in       *input
	env      string
	idx      *hostIndex
	cluster  *importer.Service
	nodes    map[*workload]*importer.Service
	selected map[*service][]*importer.Service // what each Service's host names
	extra    map[string]*importer.Service     // registries and outside hosts, by name
	errs     manifest.ErrorList
	warnings manifest.ErrorList
}

// derive maps the objects to services: one per workload, one per Service
// without a selector, one for the cluster, one per image registry and one
// per outside host that an environment variable names.
func derive(in *input, o Options) ([]*importer.Service, manifest.ErrorList, manifest.ErrorList) {
	d := &deriver{
		in: in, env: o.Env, idx: newHostIndex(in.services),
		nodes: map[*workload]*importer.Service{}, selected: map[*service][]*importer.Service{},
		extra: map[string]*importer.Service{},
	}
	d.cluster = &importer.Service{
		Source: "cluster " + o.Cluster, Name: o.Cluster, Env: o.Env, Kind: manifest.KindService,
		Description: "the Kubernetes cluster the workloads run on",
	}
	var out []*importer.Service
	for _, w := range in.workloads {
		s := d.workloadNode(w)
		d.nodes[w] = s
		out = append(out, s)
	}
	for _, svc := range in.services {
		if len(svc.selector) == 0 {
			s := d.unmanagedNode(svc)
			d.selected[svc] = []*importer.Service{s}
			out = append(out, s)
			continue
		}
		for _, w := range in.workloads {
			if selects(svc, w) {
				d.selected[svc] = append(d.selected[svc], d.nodes[w])
			}
		}
		if len(d.selected[svc]) == 0 {
			d.warnf(svc.namePos, "Service %s/%s selects no workload in the input", svc.ns, svc.name)
		}
	}
	for _, w := range in.workloads {
		d.dependencies(w)
	}
	out = append(out, d.cluster)
	for _, name := range slices.Sorted(maps.Keys(d.extra)) {
		out = append(out, d.extra[name])
	}
	return out, d.errs, d.warnings
}

func (d *deriver) warnf(pos manifest.Pos, format string, args ...any) {
	d.warnings = append(d.warnings, &manifest.Error{Pos: pos, Msg: "warning: " + fmt.Sprintf(format, args...)})
}

func (d *deriver) errorf(pos manifest.Pos, format string, args ...any) {
	d.errs = append(d.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// nodeName is the node name of an object: its name in the default
// namespace, "namespace.name" elsewhere, so that the same name in two
// namespaces stays two nodes.
func nodeName(ns, name string) string {
	if ns == defaultNamespace {
		return name
	}
	return ns + "." + name
}

// defaultNamespace is where objects that name no namespace go unless
// Options.Namespace says otherwise, and the one namespace left out of
// node names.
const defaultNamespace = "default"

// workloadNode maps a workload to its service: kind by workload kind and
// image, system from app.kubernetes.io/part-of or the namespace, owner
// from an owner or team label or annotation.
func (d *deriver) workloadNode(w *workload) *importer.Service {
	s := &importer.Service{
		Source: w.ref(), Name: nodeName(w.ns, w.name), Env: d.env, Pos: w.namePos,
		Kind: manifest.KindService,
	}
	switch {
	case w.kind == "Job" || w.kind == "CronJob":
		s.Kind = manifest.KindTool
	case w.kind == "StatefulSet":
		s.Kind = manifest.KindDatastore
	default:
		for _, c := range w.containers {
			if !c.init {
				if hostref.DatastoreImage(c.image) {
					s.Kind = manifest.KindDatastore
				}
				break // the first container is the pod's main one
			}
		}
	}
	system, pos := w.labels[partOf], w.labelPos[partOf]
	if system == "" {
		system = w.podLabels[partOf]
		pos = w.namePos
	}
	switch {
	case system != "":
		system = strings.ToLower(system)
		if !manifest.ValidName(system) {
			d.errorf(pos, "label %s: want a system name matching [a-z0-9][a-z0-9._-]*, got %q", partOf, system)
			system = ""
		}
	case w.ns != defaultNamespace:
		system = w.ns
	}
	s.System = system
	for _, k := range ownerKeys {
		if v := cmp.Or(w.labels[k], w.annotations[k]); v != "" {
			s.Owner = v
			break
		}
	}
	return s
}

// unmanagedNode maps a Service without a selector (an ExternalName, or
// endpoints managed by hand) to an external node: the workloads that call
// it depend on something these manifests do not run.
func (d *deriver) unmanagedNode(svc *service) *importer.Service {
	s := &importer.Service{
		Source: svc.ref(), Name: nodeName(svc.ns, svc.name), Env: d.env, Pos: svc.namePos,
		Kind: manifest.KindExternal, System: "",
		Description: "Service without a selector: its endpoints are managed outside these manifests",
	}
	if svc.ns != defaultNamespace {
		s.System = svc.ns
	}
	if svc.externalName != "" {
		s.Description = "ExternalName Service for " + svc.externalName
	}
	return s
}

// extraNode returns the node of a registry or an outside host, creating it
// on first use.
func (d *deriver) extraNode(name, source, description string) *importer.Service {
	if s, ok := d.extra[name]; ok {
		return s
	}
	s := &importer.Service{Source: source, Name: name, Env: d.env, Kind: manifest.KindExternal, Description: description}
	d.extra[name] = s
	return s
}
