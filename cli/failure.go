package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
)

// failSelectors are the keys of `--fail KEY=VALUE`: every node whose field
// has that value fails ("the site dies").
var failSelectors = map[string]func(*manifest.Service) string{
	"system": func(s *manifest.Service) string { return s.System },
	"owner":  func(s *manifest.Service) string { return s.Owner },
	"env":    func(s *manifest.Service) string { return s.Env },
}

// failedNodes reads --fail, which may be repeated: nodes (a bare name
// means name@production) and selectors, separated by commas or given as
// separate --fail flags, each of which must match a declared node. Every
// value counts: `--fail a --fail b` fails both. It returns node indices,
// sorted and deduplicated.
func failedNodes(g *graph.Graph, values []string) ([]int, error) {
	var out []int
	for _, item := range listValues(values) {
		if key, value, ok := strings.Cut(item, "="); ok {
			field, known := failSelectors[key]
			if !known {
				return nil, usagef("--fail: unknown selector %q (want system=, owner= or env=)", key+"=")
			}
			n := len(out)
			for v, node := range g.Nodes {
				if field(&node.Manifest.Service) == value {
					out = append(out, v)
				}
			}
			if len(out) == n {
				return nil, fmt.Errorf("--fail: no node has %s", item)
			}
			continue
		}
		v, err := lookupNode(g, item)
		if err != nil {
			return nil, fmt.Errorf("--fail: %w", err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, usagef("--fail needs a NODE")
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// listValues reads a repeatable flag whose values may also be
// comma-separated lists: every item, trimmed, empty ones dropped.
func listValues(values []string) []string {
	var out []string
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// lookupNode finds a node named on the command line, where a bare name
// means name@production, with a "did you mean" when there is none (see
// nodeHint).
func lookupNode(g *graph.Graph, name string) (int, error) {
	id := name
	if !strings.Contains(name, "@") {
		id += "@" + manifest.DefaultEnv
	}
	if v, ok := g.Lookup(id); ok {
		return v, nil
	}
	bare, env, _ := strings.Cut(id, "@")
	return 0, fmt.Errorf("no node %q%s", name, nodeHint(g, bare, env))
}
