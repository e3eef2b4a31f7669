package kubernetes

import (
	"strings"
)

// hostIndex finds the Service a host name means, the way cluster DNS
// resolves it from a pod: "cart" in the pod's own namespace;
// "cart.shop", "cart.shop.svc" and "cart.shop.svc.cluster.local" (any
// cluster domain) from anywhere; and "redis-0.redis.shop…", a pod of a
// headless Service.
type hostIndex struct {
	byNSName map[string][]*service // "ns/name"
}

func newHostIndex(services []*service) *hostIndex {
	x := &hostIndex{byNSName: map[string][]*service{}}
	for _, s := range services {
		k := s.ns + "/" + s.name
		x.byNSName[k] = append(x.byNSName[k], s)
	}
	return x
}

// lookup returns the Services host names from a pod in namespace ns, and
// whether the name is cluster-internal in form (so that not finding it
// means a Service missing from the input, not an outside host).
func (x *hostIndex) lookup(host, ns string, namespaces map[string]bool) ([]*service, bool) {
	h := host
	internal := false
	if i := strings.Index(h, ".svc."); i >= 0 {
		h, internal = h[:i], true
	} else if strings.HasSuffix(h, ".svc") {
		h, internal = strings.TrimSuffix(h, ".svc"), true
	}
	labels := strings.Split(h, ".")
	switch len(labels) {
	case 1:
		return x.byNSName[ns+"/"+h], true
	case 2:
		if s := x.byNSName[labels[1]+"/"+labels[0]]; s != nil {
			return s, true
		}
		// "redis-0.redis": a pod of a headless Service in ns.
		if s := headless(x.byNSName[ns+"/"+labels[1]]); s != nil {
			return s, true
		}
		return nil, internal || namespaces[labels[1]]
	case 3:
		if s := headless(x.byNSName[labels[2]+"/"+labels[1]]); s != nil {
			return s, true
		}
		return nil, internal
	}
	return nil, internal
}

// headless keeps the headless Services of ss, the only ones whose pods
// have DNS names.
func headless(ss []*service) []*service {
	var out []*service
	for _, s := range ss {
		if s.headless {
			out = append(out, s)
		}
	}
	return out
}

// selects reports whether a Service's selector matches a pod's labels.
// An empty selector selects nothing: Kubernetes then leaves the endpoints
// to be managed by hand.
func selects(s *service, w *workload) bool {
	if len(s.selector) == 0 || s.ns != w.ns {
		return false
	}
	for k, v := range s.selector {
		if got, ok := w.podLabels[k]; !ok || got != v {
			return false
		}
	}
	return true
}
