package kubernetes

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzObjects feeds arbitrary bytes through reading and deriving: whatever
// the input, the importer reports errors and never panics.
//
//	go test ./kubernetes -run '^$' -fuzz FuzzObjects -fuzztime 1m
func FuzzObjects(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	seeds = append(seeds, "../examples/online-boutique/kubernetes-manifests.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("kind: List\napiVersion: v1\nitems: [{kind: List, apiVersion: v1, items: [1]}]\n"))
	f.Add([]byte("{apiVersion: apps/v1, kind: CronJob, metadata: {name: a}, spec: {jobTemplate: {spec: {template: {spec: {containers: [{image: 'x:$(A)', env: [{name: A_URL, value: '$(A_URL)$$(B)'}]}]}}}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &input{configMaps: map[string]*configMap{}, namespaces: map[string]bool{}, skipped: map[string]int{}}
		in.readFile("f.yaml", data, true, defaultNamespace)
		services, _, _ := derive(in, Options{Env: "production", Cluster: DefaultCluster})
		for _, s := range services {
			if s.Name == "" {
				t.Fatalf("a service without a name: %+v", s)
			}
		}
	})
}
