package rules

import (
	"fmt"
	"slices"

	"github.com/catch22/catch22/internal/parallel"
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
	hints := unknownHints(p)
	for _, u := range p.Graph.Unknown {
		from := p.Graph.Nodes[u.From]
		id := u.Ref.ID()
		what, label, key := edgeWords(p, u.Edge)
		p.Report(Finding{
			Node:    from.ID,
			Message: fmt.Sprintf("%s %s %s, which no manifest declares%s", display(from.ID), what, display(id), hints[id]),
			Witness: []Hop{{Node: from.ID}, {Node: id, Label: label}},
			File:    u.Ref.Pos.File, Line: u.Ref.Pos.Line, Col: u.Ref.Pos.Col,
			Key: key + " " + id,
		})
	}
	return nil
}

// unknownHints suggests a declared node for each missing ID: the closest
// name in the reference's environment, else the same name in another
// environment. Names are compared per environment, not as full IDs, which
// keeps the search to short strings. Each missing ID is searched once, on
// all cores: in a large estate every search goes through every name of
// its environment.
func unknownHints(p *Pass) map[string]string {
	if len(p.Graph.Unknown) == 0 {
		return nil
	}
	namesByEnv := map[string][]string{}
	var envs []string
	for _, n := range p.Graph.Nodes {
		s := &n.Manifest.Service
		if namesByEnv[s.Env] == nil {
			envs = append(envs, s.Env)
		}
		namesByEnv[s.Env] = append(namesByEnv[s.Env], s.Name)
	}
	slices.Sort(envs)
	hints := map[string]string{}
	var missing []manifest.Ref
	indexes := map[string]*suggest.Index{}
	for _, u := range p.Graph.Unknown {
		if _, seen := hints[u.Ref.ID()]; seen {
			continue
		}
		hints[u.Ref.ID()] = ""
		missing = append(missing, u.Ref)
		if indexes[u.Ref.Env] == nil {
			indexes[u.Ref.Env] = suggest.NewIndex(namesByEnv[u.Ref.Env])
		}
	}
	found := make([]string, len(missing))
	parallel.For(len(missing), 1, func(i, _ int) {
		found[i] = hintFor(p, missing[i], indexes[missing[i].Env], envs)
	})
	for i, r := range missing {
		hints[r.ID()] = found[i]
	}
	return hints
}

// hintFor is the hint of one missing reference r: ix indexes the names of
// r's environment, envs are every environment, sorted.
func hintFor(p *Pass, r manifest.Ref, ix *suggest.Index, envs []string) string {
	if name := ix.Closest(r.Name); name != "" {
		return fmt.Sprintf(" (did you mean %q?)", display(name+"@"+r.Env))
	}
	for _, env := range envs {
		if _, ok := p.Graph.Lookup(r.Name + "@" + env); ok {
			return fmt.Sprintf(" (did you mean %q?)", display(r.Name+"@"+env))
		}
	}
	return ""
}
