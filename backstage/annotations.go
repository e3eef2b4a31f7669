package backstage

import (
	"slices"
	"strings"
	"time"

	"github.com/catch22/catch22/manifest"
)

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
// components and resources of the namespace; "api:<name>" names the
// external node of an API (see resolver.external).
func (r *resolver) target(s *service, raw string, a annotation, full string) *service {
	x, err := parseRef(raw, "*", s.e.ref.namespace)
	if err != nil {
		r.errorf(a.pos, "%s: bad entity reference %q: %v", full, raw, err)
		return nil
	}
	if x.kind == "api" {
		return r.apiTarget(x, raw, a, full)
	}
	var (
		found   []*service
		library bool
	)
	for _, k := range []string{"component", "resource"} {
		if x.kind != "*" && x.kind != k {
			continue
		}
		e := r.byRef[ref{kind: k, namespace: x.namespace, name: x.name}.String()]
		switch {
		case e == nil:
		case e.library:
			library = true
		case r.serviceOf[e] != nil:
			found = append(found, r.serviceOf[e])
		}
	}
	switch {
	case x.kind != "*" && x.kind != "component" && x.kind != "resource":
		r.errorf(a.pos, "%s: %q is %s; want a component, a resource or the API of an external node", full, raw, article(x.kind))
	case len(found) == 1:
		return found[0]
	case len(found) > 1:
		r.errorf(a.pos, "%s: %q names both component:%s and resource:%s; write the kind", full, raw, x.name, x.name)
	case library:
		r.errorf(a.pos, "%s: %q is a library, no node: it runs inside the services that depend on it (name what it depends on)", full, raw)
	default:
		var names []string
		for _, t := range r.services {
			if !t.api && t.e.ref.namespace == x.namespace {
				names = append(names, t.e.ref.name)
			}
		}
		slices.Sort(names)
		r.errorf(a.pos, "%s: no component or resource %q in the catalog%s", full, raw, hint(x.name, names))
	}
	return nil
}

// apiTarget resolves "api:<name>" in an annotation: the API's external
// node, which exists only for an API some service consumes and no
// imported component provides.
func (r *resolver) apiTarget(x ref, raw string, a annotation, full string) *service {
	if ext := r.externals[x.String()]; ext != nil && ext.used {
		return ext
	}
	if len(r.providers[x.String()]) > 0 {
		r.errorf(a.pos, "%s: API %q is provided in the catalog: name the component that provides it", full, raw)
	} else {
		r.errorf(a.pos, "%s: API %q is no external node: only an API that a service consumes and no imported component provides becomes one", full, raw)
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
