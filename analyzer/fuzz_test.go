package analyzer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/catch22/catch22/manifest"
)

// fileSep splits one fuzz input into several manifest files.
var fileSep = []byte("\n=====\n")

// FuzzAnalyze feeds arbitrary manifest sets through the whole analysis: no
// input that the loader accepts may make a rule fail or panic, and the
// result must be sorted and the same on a second run.
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
	})
}
