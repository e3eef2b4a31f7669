package kubernetes

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/kubernetes/hostref"
	"github.com/catch22/catch22/manifest"
)

// dependencies derives what workload w needs: the cluster, the registry of
// every image (to start), and every host its environment names.
func (d *deriver) dependencies(w *workload) {
	s := d.nodes[w]
	ds := importer.DepSet{}
	ds.Add(&importer.Dep{To: d.cluster, Kind: manifest.DepRuntime, Mode: manifest.Hard, Source: "runs on the cluster"})
	// The pod's own containers go first, so that between equal evidence
	// (an image of the same registry) theirs is the one written.
	containers := slices.Clone(w.containers)
	slices.SortStableFunc(containers, func(a, b *container) int { return cmp.Compare(boolInt(a.init), boolInt(b.init)) })
	for _, c := range containers {
		d.registry(w, c, ds)
		for _, v := range d.environment(w, c) {
			d.envDeps(w, c, v, ds)
		}
	}
	delete(ds, s) // a workload naming its own Service
	s.Deps = ds.Sorted()
}

// registry adds the start-time dependency on the registry an image is
// pulled from: a node of its own, or the workloads behind a Service when
// the registry runs in the cluster.
func (d *deriver) registry(w *workload, c *container, ds importer.DepSet) {
	reg, ok := hostref.Registry(c.image)
	if !ok {
		return
	}
	source := "image " + hostref.Repository(c.image)
	if svcs, _ := d.idx.lookup(reg.Host, w.ns, d.in.namespaces); len(svcs) > 0 {
		for _, svc := range svcs {
			for _, t := range d.selected[svc] {
				ds.Add(&importer.Dep{To: t, Kind: manifest.DepDeploy, Mode: manifest.Hard, Phase: manifest.PhaseStart, Source: source})
			}
		}
		return
	}
	name, ok := hostref.NodeName(reg)
	if !ok {
		return
	}
	t := d.extraNode(name, "registry "+reg.String(), "container image registry")
	ds.Add(&importer.Dep{To: t, Kind: manifest.DepDeploy, Mode: manifest.Hard, Phase: manifest.PhaseStart, Source: source})
}

// resolvedVar is one environment variable of a container with its final
// value.
type resolvedVar struct {
	name, value string
	configMap   string // the ConfigMap it comes from, if any
	pos         manifest.Pos
}

// environment resolves a container's variables as the kubelet does:
// envFrom ConfigMaps first, then env in order, a later definition
// replacing an earlier one, and $(VAR) expanded from the variables
// defined before. Secrets are never read: their values are not in the
// manifests, and must not end up in generated files.
func (d *deriver) environment(w *workload, c *container) []resolvedVar {
	var order []string
	vars := map[string]resolvedVar{}
	set := func(v resolvedVar) {
		if _, ok := vars[v.name]; !ok {
			order = append(order, v.name)
		}
		vars[v.name] = v
	}
	for _, ef := range c.envFrom {
		cm := d.in.configMaps[w.ns+"/"+ef.configMap]
		if cm == nil {
			if !ef.optional {
				d.warnf(ef.pos, "envFrom: no ConfigMap %q in namespace %s in the input", ef.configMap, w.ns)
			}
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(cm.data)) {
			set(resolvedVar{name: ef.prefix + k, value: cm.data[k], configMap: cm.name, pos: ef.pos})
		}
	}
	for _, ev := range c.env {
		v := resolvedVar{name: ev.name, pos: ev.pos}
		if r := ev.fromKey; r != nil {
			cm := d.in.configMaps[w.ns+"/"+r.configMap]
			val, ok := "", false
			if cm != nil {
				val, ok = cm.data[r.key]
			}
			if !ok {
				if !r.optional {
					if cm == nil {
						d.warnf(r.pos, "configMapKeyRef: no ConfigMap %q in namespace %s in the input", r.configMap, w.ns)
					} else {
						d.warnf(r.pos, "configMapKeyRef: ConfigMap %s/%s has no key %q", w.ns, r.configMap, r.key)
					}
				}
				continue
			}
			v.value, v.configMap = val, r.configMap
		} else {
			v.value = expand(ev.value, vars)
		}
		set(v)
	}
	out := make([]resolvedVar, len(order))
	for i, n := range order {
		out[i] = vars[n]
	}
	return out
}

// expand replaces $(VAR) with the value of a variable defined before, as
// the kubelet does; $$ escapes a dollar, and a reference to an undefined
// variable stays as written.
func expand(s string, vars map[string]resolvedVar) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
			continue
		case '(':
			if j := strings.IndexByte(s[i:], ')'); j > 0 {
				if v, ok := vars[s[i+2:i+j]]; ok {
					b.WriteString(v.value)
					i += j
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// envDeps adds the guessed dependencies one variable names.
func (d *deriver) envDeps(w *workload, c *container, v resolvedVar, ds importer.DepSet) {
	use, ok := hostref.Var(v.name)
	if !ok {
		return
	}
	for _, a := range hostref.Hosts(v.value) {
		source := "env " + v.name + "=" + a.String()
		if v.configMap != "" {
			source += " from ConfigMap " + v.configMap
		}
		if c.init {
			source += " in init container " + c.name
		}
		for _, t := range d.resolve(w, v, a) {
			dep := &importer.Dep{To: t, Kind: manifest.DepRuntime, Mode: manifest.Hard, Source: source, Guess: true}
			switch {
			case use == hostref.Telemetry:
				dep.Kind, dep.Mode = manifest.DepObservability, manifest.Soft
			case t.Kind == manifest.KindDatastore:
				dep.Kind = manifest.DepData
			}
			if c.init {
				// An init container runs to completion before the pod
				// starts: what it calls gates a start, not a running pod.
				dep.Phase = manifest.PhaseStart
			}
			ds.Add(dep)
		}
	}
}

// resolve returns the nodes a host names from workload w: the workloads
// its Service selects, the node of a Service without a selector, or, for
// a name that is no cluster name, a node for the outside host. A cluster
// name that no Service in the input declares is a warning: the Service
// may live in manifests not imported, or the name may be a typo.
func (d *deriver) resolve(w *workload, v resolvedVar, a hostref.Addr) []*importer.Service {
	svcs, internal := d.idx.lookup(a.Host, w.ns, d.in.namespaces)
	if len(svcs) > 0 {
		var out []*importer.Service
		for _, svc := range svcs {
			out = append(out, d.selected[svc]...)
		}
		return out
	}
	if internal {
		d.warnf(v.pos, "%s: no Service in the input answers to %q from namespace %s: no dependency derived", v.name, a.Host, w.ns)
		return nil
	}
	name, ok := hostref.NodeName(hostref.Addr{Host: a.Host})
	if !ok {
		return nil
	}
	return []*importer.Service{d.extraNode(name, "host "+a.Host, "outside host named by the workloads' environment")}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
