package manifest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree creates files (slash-separated relative name → content) under
// dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func svc(name string) string { return fmt.Sprintf("[service]\nname = %q\n", name) }

// loaded returns "file=id" for each manifest, in the order Load returned.
func loaded(ms []*Manifest) []string {
	var out []string
	for _, m := range ms {
		out = append(out, filepath.ToSlash(m.File)+"="+m.ID())
	}
	return out
}

func TestLoad(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTree(t, ".", map[string]string{
		"arch/b.toml":              svc("b"),
		"arch/a.toml":              svc("a"),
		"arch/deep/er/c.toml":      svc("c"),
		"arch/catch22.toml":        "[rules]\n", // configuration, not a manifest
		"arch/notes.txt":           "not toml",
		"arch/README.md":           "# no",
		"arch/.git/config.toml":    "broken [", // hidden directories are skipped
		"arch/deep/.cache/x.toml":  "broken [",
		"arch/x.toml.bak":          "broken [",
		"other/d.toml":             svc("d"),
		"other/catch22.toml":       "broken [",
		"explicit/e.manifest":      svc("e"),
		".hidden/f.toml":           svc("f"),
		"arch2/staging/a.toml":     svc("a") + "env = \"staging\"\n",
		"arch2/staging/catch22.tx": "",
	})

	tests := []struct {
		name  string
		paths []string
		want  []string
	}{
		{
			name:  "directory walked recursively, sorted by file name",
			paths: []string{"arch"},
			want:  []string{"arch/a.toml=a@production", "arch/b.toml=b@production", "arch/deep/er/c.toml=c@production"},
		},
		{
			name:  "names keep the argument's spelling",
			paths: []string{"./arch/deep/"},
			want:  []string{"arch/deep/er/c.toml=c@production"},
		},
		{
			name:  "overlapping paths load each file once, under its first name",
			paths: []string{"arch/deep/er/c.toml", "arch", "./arch/a.toml", "arch/../arch"},
			want:  []string{"arch/a.toml=a@production", "arch/b.toml=b@production", "arch/deep/er/c.toml=c@production"},
		},
		{
			name:  "a file named explicitly is named cleanly",
			paths: []string{"./arch//b.toml"},
			want:  []string{"arch/b.toml=b@production"},
		},
		{
			name:  "explicit catch22.toml is skipped, explicit file of any extension is loaded",
			paths: []string{"other/catch22.toml", "other", "explicit/e.manifest"},
			want:  []string{"explicit/e.manifest=e@production", "other/d.toml=d@production"},
		},
		{
			name:  "a hidden directory named explicitly is walked",
			paths: []string{".hidden"},
			want:  []string{".hidden/f.toml=f@production"},
		},
		{
			name:  "same name in another env is no duplicate",
			paths: []string{"arch/a.toml", "arch2"},
			want:  []string{"arch/a.toml=a@production", "arch2/staging/a.toml=a@staging"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Load(tt.paths)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tt.want, loaded(ms)); diff != "" {
				t.Errorf("loaded (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadDot(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTree(t, ".", map[string]string{"a.toml": svc("a"), "sub/b.toml": svc("b"), ".git/c.toml": "broken ["})
	ms, err := Load([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a.toml=a@production", "sub/b.toml=b@production"}, loaded(ms)); diff != "" {
		t.Errorf("loaded (-want +got):\n%s", diff)
	}
}

func TestLoadSymlinks(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTree(t, ".", map[string]string{"real/a.toml": svc("a"), "outside/b.toml": svc("b")})
	for _, l := range [][2]string{
		{"../outside/b.toml", "real/b.toml"},   // link to a file: loaded
		{"missing.toml", "real/.#lock.toml"},   // dangling: ignored
		{"../outside", "real/linked-dir.toml"}, // link to a directory: not followed
	} {
		if err := os.Symlink(l[0], l[1]); err != nil {
			t.Skipf("symlinks unsupported: %v", err)
		}
	}
	ms, err := Load([]string{"real"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"real/a.toml=a@production", "real/b.toml=b@production"}, loaded(ms)); diff != "" {
		t.Errorf("loaded (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTree(t, ".", map[string]string{
		"dup/a.toml":        svc("access"),
		"dup/b/c.toml":      "# access again\n" + svc("access"),
		"dup/b/d.toml":      svc("access") + "env = \"production\"\n",
		"dup/e.toml":        svc("access") + "env = \"staging\"\n",
		"bad/x.toml":        "[service]\nname = \"X\"\n",
		"bad/y.toml":        "[service\n",
		"bad/z.toml":        svc("z"),
		"empty/readme.txt":  "",
		"conf/catch22.toml": "",
		// A duplicate in files with other errors too.
		"both/a.toml":           svc("kv") + "ownr = \"x\"\n",
		"both/b.toml":           svc("kv") + "tier = 7\n",
		"both/c.toml":           svc("kv"),
		"envs/a.toml":           svc("kv") + "env = \"staging\"\nkind = \"servce\"\n",
		"envs/b.toml":           svc("kv") + "env = \"Staging\"\n",               // env unreadable: no guess
		"envs/c.toml":           svc("kv") + "env = 3\n",                         // env unreadable: no guess
		"envs/d.toml":           svc("KV") + "env = \"staging\"\n",               // name unreadable: no guess
		"envs/e.toml":           "[service]\nenv = \"staging\"\nnmae = \"kv\"\n", // no name
		"broken/_defaults.toml": "[service]\nenv = \"staging\"\nsystem = 3\n",
		"broken/kv.toml":        svc("kv"), // env maybe from the broken defaults: no guess
		"broken/own.toml":       svc("own") + "env = \"staging\"\n",
		"broken/x/own.toml":     svc("own") + "env = \"staging\"\n", // env written: a duplicate
	})

	tests := []struct {
		name  string
		paths []string
		want  []string
	}{
		{
			name:  "duplicate node IDs name both files",
			paths: []string{"dup"},
			want: []string{
				`dup/b/c.toml:2:1: duplicate node "access@production": also declared at dup/a.toml:1:1`,
				`dup/b/d.toml:1:1: duplicate node "access@production": also declared at dup/a.toml:1:1`,
			},
		},
		{
			name:  "problems of every file together, sorted",
			paths: []string{"bad", "missing", "dup/a.toml", "dup/b/c.toml"},
			want: []string{
				`bad/x.toml:2:8: name: want a name matching [a-z0-9][a-z0-9._-]*, got "X" (did you mean "x"?)`,
				`bad/y.toml:1:9: expected '.' or ']' to end table name, but got '\n' instead`,
				`dup/b/c.toml:2:1: duplicate node "access@production": also declared at dup/a.toml:1:1`,
				"missing: no such file or directory",
			},
		},
		{
			// Before, a file with any other error was left out of the
			// duplicate check, so the duplicate showed only once the other
			// errors were fixed.
			name:  "a duplicate is reported along with the other errors of either file",
			paths: []string{"both"},
			want: []string{
				`both/a.toml:3:1: unknown key "ownr" in [service] (did you mean "owner"?)`,
				`both/b.toml:1:1: duplicate node "kv@production": also declared at both/a.toml:1:1`,
				`both/b.toml:3:8: tier: want an integer from 0 to 3, got 7`,
				`both/c.toml:1:1: duplicate node "kv@production": also declared at both/a.toml:1:1`,
			},
		},
		{
			// kv@production is declared once, by both/c.toml: envs/c.toml
			// is not taken for a second one for want of a readable env.
			name:  "a file whose node ID cannot be read is in no duplicate",
			paths: []string{"envs", "both/c.toml"},
			want: []string{
				`envs/a.toml:4:8: kind: want one of service|tool|datastore|network|external|human, got "servce" (did you mean "service"?)`,
				`envs/b.toml:3:7: env: want a name matching [a-z0-9][a-z0-9._-]*, got "Staging" (did you mean "staging"?)`,
				"envs/c.toml:3:7: env: want a string, got integer",
				`envs/d.toml:2:8: name: want a name matching [a-z0-9][a-z0-9._-]*, got "KV" (did you mean "kv"?)`,
				`envs/e.toml:1:1: missing required key "name" in [service]`,
				`envs/e.toml:3:1: unknown key "nmae" in [service] (did you mean "name"?)`,
			},
		},
		{
			// broken/kv.toml may be kv@staging (its _defaults.toml did not
			// load), so it is not taken for a second kv@production; the two
			// own.toml files write their env and are duplicates.
			name:  "an env that a broken _defaults.toml may set is not guessed",
			paths: []string{"broken", "both/c.toml"},
			want: []string{
				"broken/_defaults.toml:3:10: system: want a string, got integer",
				`broken/x/own.toml:1:1: duplicate node "own@staging": also declared at broken/own.toml:1:1`,
			},
		},
		{
			name:  "no manifests in a directory",
			paths: []string{"empty", "conf"},
			want:  []string{"no manifests found in empty, conf"},
		},
		{
			name:  "only a configuration file",
			paths: []string{"conf/catch22.toml"},
			want:  []string{"no manifests found in conf/catch22.toml"},
		},
		{
			name:  "no paths",
			paths: nil,
			want:  []string{"no manifests found"},
		},
		{
			name:  "a missing path alone is not also 'no manifests found'",
			paths: []string{"nope"},
			want:  []string{"nope: no such file or directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Load(tt.paths)
			if ms != nil {
				t.Errorf("got %d manifests along with errors", len(ms))
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v (%T) is not an ErrorList", err, err)
			}
			got := strings.Split(filepath.ToSlash(err.Error()), "\n")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if len(list) != len(tt.want) {
				t.Errorf("ErrorList has %d entries, want %d", len(list), len(tt.want))
			}
		})
	}
}

// TestLoadParallelDeterministic loads enough files to keep every worker busy
// and checks that the result does not depend on scheduling.
func TestLoadParallelDeterministic(t *testing.T) {
	dir := t.TempDir()
	genTree(t, dir, 300, 7)
	first, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 300 {
		t.Fatalf("loaded %d manifests, want 300", len(first))
	}
	for range 3 {
		again, err := Load([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, again); diff != "" {
			t.Fatalf("second load differs:\n%s", diff)
		}
	}
	for i := 1; i < len(first); i++ {
		if first[i-1].File >= first[i].File {
			t.Fatalf("not sorted: %s before %s", first[i-1].File, first[i].File)
		}
	}
}

// genTree writes n small manifests under dir, perDir to a directory, each
// depending on the next and recovered through a shared tool.
func genTree(t testing.TB, dir string, n, perDir int) {
	t.Helper()
	for i := range n {
		d := filepath.Join(dir, fmt.Sprintf("team%03d", i/perDir))
		if i%perDir == 0 {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		src := fmt.Sprintf(`[service]
name = "svc-%d"
owner = "team-%d"
tier = %d

[[dependency]]
on = "svc-%d"
kind = "data"

[[recovery]]
name = "rollback"
via = ["deploy-tool", "dashboard"]
tested = 2024-01-15
`, i, i/perDir, i%4, (i+1)%n)
		if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("svc-%d.toml", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkLoad measures Load over a generated tree of small manifests, the
// shape of a large organisation's architecture repository. Run with
//
//	go test -run '^$' -bench BenchmarkLoad -cpu 2 ./manifest
//
// and divide ns/op by the file count for the per-file cost.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			genTree(b, dir, n, 100)
			b.ReportAllocs()
			for b.Loop() {
				ms, err := Load([]string{dir})
				if err != nil || len(ms) != n {
					b.Fatalf("Load: %d manifests, %v", len(ms), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/file")
		})
	}
}
