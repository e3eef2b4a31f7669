package backstage

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzCatalogFile feeds arbitrary bytes through reading and resolving, as
// YAML and as the catalog API's JSON: whatever the input, the importer
// reports errors and never panics.
//
//	go test ./backstage -run '^$' -fuzz FuzzCatalogFile -fuzztime 1m
func FuzzCatalogFile(f *testing.F) {
	// Slow inputs: nesting that took the YAML parser minutes and gigabytes
	// before the scan that refuses it; as seeds they run in every test run.
	const entity = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  x: "
	f.Add([]byte(entity+strings.Repeat("[", 64*1024)+strings.Repeat("]", 64*1024)+"\n"), false)
	f.Add([]byte(entity+strings.Repeat("{a: ", 16*1024)+"1"+strings.Repeat("}", 16*1024)+"\n"), false)
	f.Add([]byte(strings.Repeat("[", 64*1024)), true)
	for _, dir := range []string{"../examples/backstage", "testdata/real", "testdata/catalog-api"} {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, err := os.ReadFile(path); err == nil {
					f.Add(data, filepath.Ext(path) == ".json")
				}
			}
			return nil
		})
	}
	f.Add([]byte("---\n---\n# c\n---\na: &x [*x]\n"), false)
	f.Add([]byte("kind: Component\nmetadata: {name: a, annotations: {catch22.dev/recovery.x: 'via=a;;=;'}}\n"), false)
	f.Add([]byte(`{"items": [{"apiVersion": "backstage.io/v1alpha1", "kind": "Location", "spec": {"targets": [1, "../x"]}}, []]}`), true)
	f.Add([]byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\nspec:\n  type: library\n  subcomponentOf: a\n  consumesApis: [a]\n  providesApis: [a]\n  dependsOn: ['component:a']\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, api bool) {
		name := "f.yaml"
		if api {
			name = "f.json"
		}
		c := &catalog{skipped: map[string]int{}}
		c.readFile(name, data, true)
		resolve(c)
	})
}
