// Package importtest holds what the tests of the importers share: reading
// a generated tree, listing its edges, golden files.
package importtest

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/manifest"
)

// Update rewrites the golden files in testdata instead of comparing (go test -update).
var Update = flag.Bool("update", false, "rewrite the golden files in testdata")

// ReadTree returns every file under dir, named relative to it with
// forward slashes, sorted.
func ReadTree(t *testing.T, dir string) []manifest.File {
	t.Helper()
	var files []manifest.File
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, manifest.File{Name: filepath.ToSlash(rel), Data: data})
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	slices.SortFunc(files, func(a, b manifest.File) int { return strings.Compare(a.Name, b.Name) })
	return files
}

// Edges loads the generated manifests and returns one line per
// dependency, "from -> to kind mode phase [guess]", sorted, and the kind
// of every node.
func Edges(t *testing.T, dir string) ([]string, map[string]manifest.Kind) {
	t.Helper()
	files := ReadTree(t, dir)
	ms, err := manifest.LoadFiles(files)
	if err != nil {
		t.Fatalf("the generated manifests do not load: %v", err)
	}
	data := map[string][]string{}
	for _, f := range files {
		data[f.Name] = strings.Split(string(f.Data), "\n")
	}
	var out []string
	kinds := map[string]manifest.Kind{}
	for _, m := range ms {
		kinds[m.Service.Name] = m.Service.Kind
		for _, d := range m.Dependencies {
			e := fmt.Sprintf("%s -> %s %s %s %s", m.Service.Name, d.On.Name, d.Kind, d.Mode, d.Phase)
			if lines := data[m.File]; d.Pos.Line < len(lines) && strings.HasPrefix(lines[d.Pos.Line], "# A guess") {
				e += " guess"
			}
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out, kinds
}

// DiffEdges fails the test unless got holds exactly want.
func DiffEdges(t *testing.T, want, got []string) {
	t.Helper()
	slices.Sort(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("edges differ (-want +got):\n%s", d)
	}
}

// ReportText is what an import prints: one line per change, then the summary.
func ReportText(res *importer.Result) string {
	var b strings.Builder
	for _, c := range res.Changes {
		fmt.Fprintln(&b, c)
	}
	fmt.Fprintln(&b, res.Summary())
	return b.String()
}

// Golden compares got with the file at path, or rewrites it with -update.
func Golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, d)
	}
}

// ErrorLines formats an error list one per line, for comparisons.
func ErrorLines(err error) string {
	if err == nil {
		return ""
	}
	var b bytes.Buffer
	fmt.Fprintln(&b, err)
	return b.String()
}
