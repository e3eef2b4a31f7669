package backstage

import (
	"fmt"
	"slices"
	"strings"
)

// ref is a parsed Backstage entity reference, "[kind:][namespace/]name",
// folded to lower case: Backstage compares references case-insensitively.
type ref struct {
	kind, namespace, name string
}

// String spells the reference in full, as Backstage's stringifyEntityRef
// does: "component:default/payments-api".
func (r ref) String() string { return r.kind + ":" + r.namespace + "/" + r.name }

// short spells the reference as a user would write it from namespace ns,
// without the kind when it is def.
func (r ref) short(ns, def string) string {
	s := r.name
	if r.namespace != ns {
		s = r.namespace + "/" + s
	}
	if r.kind != def {
		s = r.kind + ":" + s
	}
	return s
}

// The entity kinds catalog references may name, lower-cased. The importer
// reads the first five; the others are valid Backstage kinds that it
// skips.
var knownKinds = []string{"component", "resource", "system", "api", "group", "user", "domain", "location", "template"}

// kindTitles are the known kinds as Backstage spells them, in the order
// of knownKinds.
var kindTitles = []string{"Component", "Resource", "System", "API", "Group", "User", "Domain", "Location", "Template"}

// kindTitle spells a lower-case kind as Backstage writes it: "API" for
// "api"; a kind it does not know stays as written.
func kindTitle(k string) string {
	if i := slices.Index(knownKinds, strings.ToLower(k)); i >= 0 {
		return kindTitles[i]
	}
	return k
}

// parseRef parses s the way Backstage's parseEntityRef does: the kind is
// what precedes the first ":", the namespace what precedes the first "/".
// defKind is the kind when s names none ("" when the field has no default,
// which makes a missing kind an error); ns is the referrer's namespace.
func parseRef(s, defKind, ns string) (ref, error) {
	r := ref{kind: defKind, namespace: ns}
	rest := strings.TrimSpace(s)
	if k, after, ok := strings.Cut(rest, ":"); ok {
		if k == "" {
			return ref{}, fmt.Errorf("empty kind before \":\"")
		}
		r.kind, rest = strings.ToLower(k), after
	}
	if n, after, ok := strings.Cut(rest, "/"); ok {
		if n == "" {
			return ref{}, fmt.Errorf("empty namespace before \"/\"")
		}
		r.namespace, rest = strings.ToLower(n), after
	}
	if rest == "" {
		return ref{}, fmt.Errorf("no name")
	}
	if strings.ContainsAny(rest, ":/") {
		return ref{}, fmt.Errorf("want [kind:][namespace/]name")
	}
	r.name = strings.ToLower(rest)
	if r.kind == "" {
		return ref{}, fmt.Errorf("no kind (write it as kind:name, e.g. \"resource:%s\")", rest)
	}
	return r, nil
}
