package rules

import (
	"fmt"
	"slices"

	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/manifest"
)

// UnknownService flags references to nodes nobody declares.
var UnknownService = &Rule{
	ID:       "unknown-service",
	Title:    "a reference names no declared node",
	Severity: Error,
	Doc: `Fires once per dependency, via element or monitored_by element that names a
node no manifest declares, with a suggestion when a declared node has a
similar name. The reference is otherwise ignored: the undeclared node is in no
down set, blocks nothing and counts as up, so every other rule is blind
along that edge until the name is fixed.

Why it matters: an architecture check is only as good as its map. A typo
("workerskv"), a renamed service or an environment missing from the
repository silently removes the very edge that closes a recovery cycle.`,
	Remediation: `Fix the name (the suggestion is usually right), write the missing node's
manifest, or spell the environment out as name@env.`,
	Check: checkUnknownService,
}

func checkUnknownService(p *Pass) error {
	hint := hinter(p)
	for _, u := range p.Graph.Unknown {
		from := p.Graph.Nodes[u.From]
		id := u.Ref.ID()
		what, label, key := edgeWords(p, u.Edge)
		p.Report(Finding{
			Node:    from.ID,
			Message: fmt.Sprintf("%s %s %s, which no manifest declares%s", display(from.ID), what, display(id), hint(u.Ref)),
			Witness: []Hop{{Node: from.ID}, {Node: id, Label: label}},
			File:    u.Ref.Pos.File, Line: u.Ref.Pos.Line, Col: u.Ref.Pos.Col,
			Key: key + " " + id,
		})
	}
	return nil
}

// hinter returns a function that suggests a declared node for a reference:
// the closest name in the reference's environment, else the same name in
// another environment. Names are compared per environment, not as full
// IDs, which keeps the search to short strings; answers are cached per
// missing ID.
func hinter(p *Pass) func(manifest.Ref) string {
	var namesByEnv map[string][]string
	var indexes map[string]*suggest.Index // of namesByEnv, built when first searched
	var envs []string
	cache := map[string]string{}
	return func(r manifest.Ref) string {
		if h, ok := cache[r.ID()]; ok {
			return h
		}
		if namesByEnv == nil { // built on the first unknown reference only
			namesByEnv = map[string][]string{}
			for _, n := range p.Graph.Nodes {
				s := &n.Manifest.Service
				if namesByEnv[s.Env] == nil {
					envs = append(envs, s.Env)
				}
				namesByEnv[s.Env] = append(namesByEnv[s.Env], s.Name)
			}
			slices.Sort(envs)
		}
		h := ""
		if indexes == nil {
			indexes = map[string]*suggest.Index{}
		}
		ix := indexes[r.Env]
		if ix == nil {
			ix = suggest.NewIndex(namesByEnv[r.Env])
			indexes[r.Env] = ix
		}
		if name := ix.Closest(r.Name); name != "" {
			h = fmt.Sprintf(" (did you mean %q?)", display(name+"@"+r.Env))
		} else {
			for _, env := range envs {
				if _, ok := p.Graph.Lookup(r.Name + "@" + env); ok {
					h = fmt.Sprintf(" (did you mean %q?)", display(r.Name+"@"+env))
					break
				}
			}
		}
		cache[r.ID()] = h
		return h
	}
}
