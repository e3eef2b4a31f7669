package backstage

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzCatalogFile feeds arbitrary bytes through reading and resolving:
// whatever the input, the importer reports errors and never panics.
//
//	go test ./backstage -run '^$' -fuzz FuzzCatalogFile -fuzztime 1m
func FuzzCatalogFile(f *testing.F) {
	seeds, _ := filepath.Glob("../examples/backstage/*/*.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("---\n---\n# c\n---\na: &x [*x]\n"))
	f.Add([]byte("kind: Component\nmetadata: {name: a, annotations: {catch22.dev/recovery.x: 'via=a;;=;'}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &catalog{skipped: map[string]int{}}
		c.readFile("f.yaml", data, true)
		resolve(c)
	})
}
