package analyzer

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// fileSep splits one fuzz input into several manifest files.
var fileSep = []byte("\n=====\n")

// FuzzAnalyze feeds arbitrary manifest sets through the whole analysis: no
// input that the loader accepts may make a rule fail or panic, and the
// result must be sorted and the same on a second run. It also simulates
// the failure of every node with a procedure that rebuilds it (and of the
// first node), and checks the waves, the redeploys and what --each says.
//
//	go test ./analyzer -run '^$' -fuzz FuzzAnalyze -fuzztime 60s
func FuzzAnalyze(f *testing.F) {
	for _, dir := range []string{"../examples/cloudflare-2023", "../examples/cloudflare-2023-fixed", "../rules/testdata/dependency-cycle/fires"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
		var parts [][]byte
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			parts = append(parts, data)
		}
		f.Add(bytes.Join(parts, fileSep))
	}
	var rebuild [][]byte
	for _, name := range slices.Sorted(maps.Keys(rebuildFiles)) {
		rebuild = append(rebuild, []byte(rebuildFiles[name]))
	}
	f.Add(bytes.Join(rebuild, fileSep))
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		var ms []*manifest.Manifest
		seen := map[string]bool{}
		for i, part := range bytes.Split(data, fileSep) {
			m, errs := manifest.Parse(fmt.Sprintf("f%d.toml", i), part)
			if len(errs) > 0 || seen[m.ID()] {
				return
			}
			seen[m.ID()] = true
			ms = append(ms, m)
		}
		a, err := Run(ms, DefaultConfig(now))
		if err != nil {
			t.Fatal(err)
		}
		sorted := slices.Clone(a.Findings)
		sortFindings(sorted)
		if !reflect.DeepEqual(sorted, a.Findings) {
			t.Fatal("findings are not in sorted order")
		}
		slices.Reverse(ms)
		b, err := Run(ms, DefaultConfig(now))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatal("analysis depends on the order of the manifests")
		}
		for _, fd := range a.Findings {
			if len(fd.Witness) == 0 || fd.Witness[0].Node != fd.Node && fd.Rule != "dependency-cycle" || fd.Line < 1 || fd.Fingerprint == "" {
				t.Fatalf("malformed finding %+v", fd)
			}
		}
		checkRebuilds(t, graph.Build(ms))
	})
}

// checkRebuilds simulates the failure of every node that a procedure
// rebuilds, together and alone, and checks what a wrong simulation could
// get wrong: repairs only of failed nodes, once each; redeploys only of
// down nodes, never rebuilding; waves sorted; stranded nodes down for
// good; the same result twice; and --each's counts.
func checkRebuilds(t *testing.T, g *graph.Graph) {
	t.Helper()
	var rebuilt []int
	for v, n := range g.Nodes {
		if slices.ContainsFunc(n.Manifest.Recoveries, func(r manifest.Recovery) bool { return r.Rebuilds }) {
			rebuilt = append(rebuilt, v)
		}
	}
	if len(g.Nodes) == 0 {
		return
	}
	each := map[string]SinglePoint{}
	for _, row := range EachFailure(g, rules.ComputeFacts(g)) {
		each[row.Node] = row
	}
	for _, failed := range append([][]int{append([]int{0}, rebuilt...)}, singles(rebuilt)...) {
		w := Simulate(g, failed)
		if again := Simulate(g, failed); !reflect.DeepEqual(w, again) {
			t.Fatal("two simulations of the same failure differ")
		}
		down := map[string]DownNode{}
		for _, d := range w.Down {
			down[d.Node] = d
		}
		repaired := map[string]bool{}
		redeploys := 0
		for i, wave := range w.Waves {
			if len(wave) == 0 || !slices.IsSortedFunc(wave, func(a, b Repair) int { return strings.Compare(a.Node, b.Node) }) {
				t.Fatalf("wave %d empty or unsorted: %v", i+1, wave)
			}
			for j, r := range wave {
				d, ok := down[r.Node]
				switch {
				case j > 0 && wave[j-1].Node == r.Node:
					t.Fatalf("wave %d: %s twice", i+1, r.Node)
				case !ok:
					t.Fatalf("wave %d: %s is not down", i+1, r.Node)
				case r.Redeploy && (r.Rebuilds || d.Failed && !repaired[r.Node]):
					t.Fatalf("wave %d: bad redeploy %+v", i+1, r)
				case !r.Redeploy && (!d.Failed || repaired[r.Node]):
					t.Fatalf("wave %d: bad repair %+v", i+1, r)
				}
				repaired[r.Node] = true
				if r.Redeploy {
					redeploys++
				}
			}
		}
		for _, st := range w.Stranded {
			if d := down[st.Node]; d.Back != 0 || d.Rebuilt != st.Rebuilt || st.Wave < 1 || st.Wave >= len(w.Waves)+1 {
				t.Fatalf("stranded %+v, down %+v", st, d)
			}
		}
		if len(failed) == 1 {
			row := each[g.Nodes[failed[0]].ID]
			if row.Rebuilds != (len(w.Waves) > 0 && w.Waves[0][0].Rebuilds) || row.Rebuilds && (row.Redeploys != redeploys || row.Stranded != len(w.Stranded)) {
				t.Fatalf("--each says %+v; the simulation %d redeploys, %d stranded, waves %v", row, redeploys, len(w.Stranded), w.Waves)
			}
		}
	}
}

func singles(vs []int) [][]int {
	var out [][]int
	for _, v := range vs {
		out = append(out, []int{v})
	}
	return out
}
