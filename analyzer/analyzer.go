package analyzer

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/parallel"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// DefaultEnvOrder ranks environments when the configuration does not.
var DefaultEnvOrder = []string{"production", "staging", "development"}

// DefaultConfig is the configuration of a run without catch22.toml.
func DefaultConfig(now time.Time) Config {
	return Config{Now: now, EnvOrder: slices.Clone(DefaultEnvOrder)}
}

// Run compiles the manifests and runs every enabled rule.
func Run(ms []*manifest.Manifest, cfg Config) (*Result, error) {
	return Analyze(graph.Build(ms), cfg)
}

// Analyze runs every enabled rule of the catalog over g. Rules run
// concurrently, each into its own slice, those that read the shared facts
// once the sweep has computed them and the others alongside the sweep; the
// findings are sorted afterwards, so the result does not depend on
// scheduling.
func Analyze(g *graph.Graph, cfg Config) (*Result, error) {
	var facts *rules.Facts
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		facts = rules.ComputeFacts(g)
	}()
	traffic := mapTraffic(cfg.Observed, cfg.Aliases)
	rank := EnvRanker(cfg.EnvOrder)
	catalog := rules.Catalog()
	found := make([][]rules.Finding, len(catalog))
	errs := make([]error, len(catalog))
	var wg sync.WaitGroup
	var checked []string
	for i, r := range catalog {
		rc := cfg.Rules[r.ID]
		if rc.Enabled != nil && !*rc.Enabled {
			continue
		}
		checked = append(checked, r.ID)
		sev := r.Severity
		if rc.Severity != nil {
			sev = *rc.Severity
		}
		params := map[string]float64{}
		for _, p := range r.Params {
			params[p.Name] = p.Default
			if v, ok := rc.Params[p.Name]; ok {
				params[p.Name] = v
			}
		}
		pass := &rules.Pass{
			Graph: g, Now: cfg.Now, EnvRank: rank, Params: params, Traffic: traffic,
			Report: func(f rules.Finding) {
				f.Rule, f.Severity = r.ID, sev
				found[i] = append(found[i], f)
			},
		}
		wg.Go(func() {
			if r.UsesFacts {
				<-swept
				pass.Facts = facts
			}
			if err := r.Check(pass); err != nil {
				errs[i] = fmt.Errorf("rule %s: %w", r.ID, err)
			}
		})
	}
	wg.Wait()
	<-swept
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	res := &Result{Nodes: len(g.Nodes), Edges: len(g.Edges), Findings: slices.Concat(found...), Checked: checked, Facts: facts}
	res.Declared = make([]Declared, len(g.Nodes))
	parallel.For(len(g.Nodes), 4096, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			res.Declared[i] = Declared{ID: g.Nodes[i].ID, Pos: g.Nodes[i].Manifest.Service.Pos}
		}
	})
	sortFindings(res.Findings)
	fingerprint(res.Findings)
	if meta := reviewConfig(&res.Findings, cfg); len(meta) > 0 {
		res.Findings = append(res.Findings, meta...)
		sortFindings(res.Findings)
	}
	return res, nil
}

// reviewConfig applies waivers and the baseline to the rules' findings and
// returns the findings about the configuration itself, fingerprinted and
// with their configured severity; disabled configuration rules report
// nothing.
func reviewConfig(fs *[]rules.Finding, cfg Config) []rules.Finding {
	var meta []rules.Finding
	if len(cfg.Waivers) > 0 {
		meta = applyWaivers(*fs, cfg.Waivers, cfg)
	}
	if cfg.Baseline != nil {
		var stale []rules.Finding
		*fs, stale = applyBaseline(*fs, cfg.Baseline)
		meta = append(meta, stale...)
	}
	out := meta[:0]
	for _, f := range meta {
		r, _ := rules.Lookup(f.Rule)
		rc := cfg.Rules[r.ID]
		if rc.Enabled != nil && !*rc.Enabled {
			continue
		}
		f.Severity = r.Severity
		if rc.Severity != nil {
			f.Severity = *rc.Severity
		}
		out = append(out, f)
	}
	sortFindings(out)
	fingerprint(out)
	return out
}

// EnvRanker maps an environment to its rank (lower is more important): its
// index in order, and one shared rank below the last for every environment
// not listed. Rules and pictures rank environments with it alike.
func EnvRanker(order []string) func(string) int {
	ranks := make(map[string]int, len(order))
	for i, e := range order {
		if _, dup := ranks[e]; !dup {
			ranks[e] = i
		}
	}
	return func(env string) int {
		if r, ok := ranks[env]; ok {
			return r
		}
		return len(order)
	}
}

// sortFindings orders by severity, rule, node, file, line, column, then the
// entry key and message, so equal inputs give byte-identical output.
func sortFindings(fs []rules.Finding) {
	slices.SortStableFunc(fs, func(a, b rules.Finding) int {
		return cmp.Or(
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Node, b.Node),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Key, b.Key),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// fingerprint gives each finding a hash of what it is about (rule, node, the
// entry that causes it) and never of where it is written, so baselines
// survive moving files and editing unrelated lines. Findings that would
// collide (the same entry written twice) are numbered in sorted order.
//
// The numbering is one pass in order; the hashing, most of the cost, runs
// on all cores.
func fingerprint(fs []rules.Finding) {
	nth := make([]int, len(fs))
	seen := map[string]int{}
	for i := range fs {
		f := &fs[i]
		base := f.Rule + "\x00" + f.Node + "\x00" + f.Key
		nth[i] = seen[base]
		seen[base]++
	}
	parallel.For(len(fs), 1024, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			f := &fs[i]
			sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%d", f.Rule, f.Node, f.Key, nth[i]))
			f.Fingerprint = hex.EncodeToString(sum[:16])
		}
	})
}
