package kubernetes

import (
	"strconv"
	"strings"

	"github.com/catch22/catch22/internal/yamlpos"
	"github.com/catch22/catch22/manifest"
)

// meta is what the importer reads of an object's metadata.
type meta struct {
	kind        string
	ns, name    string
	pos         manifest.Pos // the object's first key
	namePos     manifest.Pos
	labels      map[string]string
	labelPos    map[string]manifest.Pos
	annotations map[string]string
}

// ref names the object as kubectl does: "Deployment shop/frontend".
func (m *meta) ref() string { return m.kind + " " + m.ns + "/" + m.name }

// workload is a Deployment, StatefulSet, DaemonSet, Job, CronJob or Argo
// Rollout: something that runs pods.
type workload struct {
	meta
	podLabels  map[string]string
	containers []*container // init containers first, in pod order
}

// container is one container of a pod template.
type container struct {
	name     string
	init     bool
	image    string
	imagePos manifest.Pos
	envFrom  []envFrom
	env      []envVar
}

// envVar is one entry of a container's env list.
type envVar struct {
	name    string
	value   string // env[].value; "" when it comes from a ConfigMap
	pos     manifest.Pos
	fromKey *keyRef // env[].valueFrom.configMapKeyRef
}

// keyRef is a configMapKeyRef.
type keyRef struct {
	configMap, key string
	optional       bool
	pos            manifest.Pos
}

// envFrom is an envFrom entry naming a ConfigMap.
type envFrom struct {
	configMap, prefix string
	optional          bool
	pos               manifest.Pos
}

// service is a Kubernetes Service: host names for the pods it selects.
type service struct {
	meta
	selector     map[string]string // nil or empty: endpoints managed elsewhere
	typ          string
	externalName string
	headless     bool
}

// configMap is a ConfigMap's data, read to resolve env references.
type configMap struct {
	meta
	data map[string]string
}

// podTemplatePaths says where each workload kind keeps its pod template.
var podTemplatePaths = map[string][]string{
	"Deployment":  {"spec", "template"},
	"StatefulSet": {"spec", "template"},
	"DaemonSet":   {"spec", "template"},
	"ReplicaSet":  {"spec", "template"},
	"Job":         {"spec", "template"},
	"Rollout":     {"spec", "template"},
	"CronJob":     {"spec", "jobTemplate", "spec", "template"},
}

// readMeta reads metadata.name, namespace, labels and annotations.
func (d *decoder) readMeta(obj *yamlpos.Value, kind, defaultNS string) (meta, bool) {
	m := meta{kind: kind, pos: obj.Pos, ns: defaultNS}
	md := d.mapping(obj, "metadata", "metadata")
	if md == nil {
		if field(obj, "metadata") == nil {
			d.errorf(obj.Pos, "%s: missing metadata.name", kind)
		}
		return m, false
	}
	if ns, pos, ok := d.str(md, "namespace", "metadata.namespace"); ok {
		if !manifest.ValidName(ns) {
			d.errorf(pos, "metadata.namespace: want a DNS label, got %q", ns)
			return m, false
		}
		m.ns = ns
	}
	name, pos, ok := d.str(md, "name", "metadata.name")
	switch {
	case !ok && field(md, "name") == nil:
		if _, _, gen := d.str(md, "generateName", "metadata.generateName"); gen {
			d.errorf(md.Pos, "%s: metadata.generateName without a name: the object has no stable name to import", kind)
		} else {
			d.errorf(md.Pos, "%s: missing metadata.name", kind)
		}
		return m, false
	case !ok:
		return m, false
	case !manifest.ValidName(strings.ToLower(name)):
		d.errorf(pos, "metadata.name: want a DNS name ([a-z0-9][a-z0-9.-]*), got %q", name)
		return m, false
	}
	m.name, m.namePos = strings.ToLower(name), pos
	m.labels, m.labelPos = d.strMap(md, "labels", "metadata.labels")
	m.annotations, _ = d.strMap(md, "annotations", "metadata.annotations")
	return m, true
}

// readWorkload reads the pod template of a workload.
func (d *decoder) readWorkload(obj *yamlpos.Value, m meta) *workload {
	w := &workload{meta: m}
	tmpl, path := obj, ""
	for _, k := range podTemplatePaths[m.kind] {
		path += k
		if field(tmpl, k) == nil {
			d.errorf(m.pos, "%s: missing %s", m.kind, path)
			return nil
		}
		if tmpl = d.mapping(tmpl, k, path); tmpl == nil {
			return nil
		}
		path += "."
	}
	if md := d.mapping(tmpl, "metadata", path+"metadata"); md != nil {
		w.podLabels, _ = d.strMap(md, "labels", path+"metadata.labels")
	}
	spec := d.mapping(tmpl, "spec", path+"spec")
	if spec == nil {
		d.errorf(tmpl.Pos, "%s: missing %sspec", m.kind, path)
		return nil
	}
	path += "spec."
	for _, group := range []struct {
		key  string
		init bool
	}{{"initContainers", true}, {"containers", false}} {
		for i, c := range d.list(spec, group.key, path+group.key) {
			if c := d.readContainer(c, path+group.key+"["+strconv.Itoa(i)+"]", group.init); c != nil {
				w.containers = append(w.containers, c)
			}
		}
	}
	if field(spec, "containers") == nil {
		d.errorf(spec.Pos, "%s: missing %scontainers", m.kind, path)
	}
	return w
}

func (d *decoder) readContainer(v *yamlpos.Value, path string, init bool) *container {
	if v.Kind != yamlpos.Map {
		d.errorf(v.Pos, "%s: want a container (a mapping with name and image), got %s", path, v.TypeName())
		return nil
	}
	c := &container{init: init}
	c.name, _, _ = d.str(v, "name", path+".name")
	var ok bool
	c.image, c.imagePos, ok = d.str(v, "image", path+".image")
	if !ok && field(v, "image") == nil {
		d.errorf(v.Pos, "%s: missing image", path)
	}
	for i, e := range d.list(v, "envFrom", path+".envFrom") {
		p := path + ".envFrom[" + strconv.Itoa(i) + "]"
		if e.Kind != yamlpos.Map {
			d.errorf(e.Pos, "%s: want a mapping, got %s", p, e.TypeName())
			continue
		}
		ref := d.mapping(e, "configMapRef", p+".configMapRef")
		if ref == nil {
			continue // a secretRef: secrets are not read
		}
		ef := envFrom{pos: ref.Pos}
		ef.configMap, _, _ = d.str(ref, "name", p+".configMapRef.name")
		ef.optional = d.boolean(ref, "optional", p+".configMapRef.optional")
		ef.prefix, _, _ = d.str(e, "prefix", p+".prefix")
		c.envFrom = append(c.envFrom, ef)
	}
	for i, e := range d.list(v, "env", path+".env") {
		p := path + ".env[" + strconv.Itoa(i) + "]"
		if e.Kind != yamlpos.Map {
			d.errorf(e.Pos, "%s: want a mapping with name and value, got %s", p, e.TypeName())
			continue
		}
		name, _, ok := d.str(e, "name", p+".name")
		if !ok {
			if field(e, "name") == nil {
				d.errorf(e.Pos, "%s: missing name", p)
			}
			continue
		}
		ev := envVar{name: name, pos: e.Pos}
		if val, pos, ok := d.str(e, "value", p+".value"); ok {
			ev.value, ev.pos = val, pos
		}
		if from := d.mapping(e, "valueFrom", p+".valueFrom"); from != nil {
			if ref := d.mapping(from, "configMapKeyRef", p+".valueFrom.configMapKeyRef"); ref != nil {
				kr := &keyRef{pos: ref.Pos}
				kr.configMap, _, _ = d.str(ref, "name", p+".valueFrom.configMapKeyRef.name")
				kr.key, _, _ = d.str(ref, "key", p+".valueFrom.configMapKeyRef.key")
				kr.optional = d.boolean(ref, "optional", p+".valueFrom.configMapKeyRef.optional")
				ev.fromKey, ev.pos = kr, ref.Pos
			}
		}
		c.env = append(c.env, ev)
	}
	return c
}

// readService reads a Service's selector and type.
func (d *decoder) readService(obj *yamlpos.Value, m meta) *service {
	s := &service{meta: m}
	spec := d.mapping(obj, "spec", "spec")
	s.selector, _ = d.strMap(spec, "selector", "spec.selector")
	s.typ, _, _ = d.str(spec, "type", "spec.type")
	s.externalName, _, _ = d.str(spec, "externalName", "spec.externalName")
	ip, _, _ := d.str(spec, "clusterIP", "spec.clusterIP")
	s.headless = ip == "None"
	return s
}

// readConfigMap reads a ConfigMap's data.
func (d *decoder) readConfigMap(obj *yamlpos.Value, m meta) *configMap {
	c := &configMap{meta: m}
	c.data, _ = d.strMap(obj, "data", "data")
	return c
}
