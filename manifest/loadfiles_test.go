package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// LoadFiles over the files Load would read gives what Load gives.
func TestLoadFilesMatchesLoad(t *testing.T) {
	dir := "../examples/cloudflare-2023"
	want, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var files []File
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
			return err
		}
		data, err := os.ReadFile(path)
		files = append(files, File{Name: path, Data: data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Reversed, so that sorting is LoadFiles's work.
	for i, j := 0, len(files)-1; i < j; i, j = i+1, j-1 {
		files[i], files[j] = files[j], files[i]
	}
	got, err := LoadFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadFiles differs from Load (-Load +LoadFiles):\n%s", diff)
	}
}

func TestLoadFilesErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []File
		want  []string
	}{
		{"nothing", nil, []string{"no manifests found"}},
		{"every problem of every file, sorted", []File{
			{Name: "b.toml", Data: []byte("[service\n")},
			{Name: "a.toml", Data: []byte("[service]\nname = \"Bad\"\nkind = \"servce\"\n")},
		}, []string{
			"a.toml:2:8: name: ",
			"a.toml:3:8: kind: ",
			"b.toml:1:", // a syntax error
		}},
		{"duplicate node names both files", []File{
			{Name: "y.toml", Data: []byte(svc("a"))},
			{Name: "x.toml", Data: []byte(svc("a"))},
		}, []string{`y.toml:1:1: duplicate node "a@production": also declared at x.toml:1:1`}},
		{"duplicate node in a file with another error", []File{
			{Name: "y.toml", Data: []byte(svc("a"))},
			{Name: "x.toml", Data: []byte(svc("a") + "owner = \"o\"\nonwer = \"p\"\n")},
		}, []string{
			`x.toml:4:1: unknown key "onwer" in [service] (did you mean "owner"?)`,
			`y.toml:1:1: duplicate node "a@production": also declared at x.toml:1:1`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := LoadFiles(tc.files)
			var list ErrorList
			if !errors.As(err, &list) || ms != nil {
				t.Fatalf("LoadFiles = %v, %v; want an ErrorList", ms, err)
			}
			if len(list) != len(tc.want) {
				t.Fatalf("errors:\n%v\nwant %d", list, len(tc.want))
			}
			for i, e := range list {
				if !strings.HasPrefix(e.Error(), tc.want[i]) {
					t.Errorf("error %d = %q, want prefix %q", i, e, tc.want[i])
				}
			}
		})
	}
}
