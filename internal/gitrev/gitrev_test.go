package gitrev_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/internal/gitrev"
	"github.com/catch22/catch22/manifest"
)

// repo is a temporary git repository.
type repo struct {
	t   *testing.T
	dir string
}

// newRepo creates an empty repository, isolated from the user's and the
// system's git configuration. It skips the test when git is not installed.
func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = r.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (r *repo) write(files map[string]string) {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

func (r *repo) symlink(target, name string) {
	r.t.Helper()
	if err := os.Symlink(target, filepath.Join(r.dir, filepath.FromSlash(name))); err != nil {
		r.t.Skipf("symbolic links unavailable: %v", err)
	}
}

func (r *repo) commit(msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
}

// files lists "name=contents" sorted.
func files(fs []manifest.File) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, filepath.ToSlash(f.Name)+"="+string(f.Data))
	}
	slices.Sort(out)
	return out
}

// history builds two commits: the second edits, deletes and adds
// manifests. The work tree and index then get changes of their own.
func history(t *testing.T) *repo {
	r := newRepo(t)
	r.write(map[string]string{
		"svc/a.toml":            "a1",
		"svc/sub/b.toml":        "b1",
		"svc/catch22.toml":      "config", // configuration, never a manifest
		"svc/.hidden/x.toml":    "hidden", // hidden directories are skipped
		"svc/notes.md":          "notes",  // not *.toml
		"svc/a.toml.bak":        "backup", // not *.toml
		"svc2/z.toml":           "z",      // shares a prefix with svc, not under it
		"other/c.toml":          "c1",     // outside the paths asked for
		"explicit/e.manifest":   "e1",     // named explicitly: any name
		"explicit/catch22.toml": "config", // named explicitly, still configuration
	})
	r.symlink("a.toml", "svc/link.toml")            // followed inside the tree
	r.symlink("nowhere.toml", "svc/dangling.toml")  // skipped
	r.symlink("sub", "svc/dirlink.toml")            // a directory: skipped
	r.symlink("../../../etc/hosts", "svc/out.toml") // outside the repository: skipped
	r.commit("one")
	r.write(map[string]string{"svc/a.toml": "a2", "svc/new.toml": "new"})
	if err := os.Remove(filepath.Join(r.dir, "svc/sub/b.toml")); err != nil {
		t.Fatal(err)
	}
	r.commit("two")
	// Uncommitted work: one change staged, one not.
	r.write(map[string]string{"svc/a.toml": "a3-staged"})
	r.git("add", "svc/a.toml")
	r.write(map[string]string{"svc/a.toml": "a3-worktree", "svc/untracked.toml": "u"})
	return r
}

func TestRead(t *testing.T) {
	r := history(t)
	ctx := context.Background()
	paths := []string{"svc", "explicit/e.manifest", "explicit/catch22.toml", "svc/a.toml"}
	for _, tc := range []struct {
		rev  string
		want []string
	}{
		{"HEAD~1", []string{"explicit/e.manifest=e1", "svc/a.toml=a1", "svc/link.toml=a1", "svc/sub/b.toml=b1"}},
		{"HEAD", []string{"explicit/e.manifest=e1", "svc/a.toml=a2", "svc/link.toml=a2", "svc/new.toml=new"}},
	} {
		got, err := gitrev.Read(ctx, r.dir, tc.rev, paths)
		if err != nil {
			t.Fatalf("Read(%s): %v", tc.rev, err)
		}
		if diff := cmp.Diff(tc.want, files(got)); diff != "" {
			t.Errorf("Read(%s) (-want +got):\n%s", tc.rev, diff)
		}
	}
}

// Reading a revision leaves the work tree, the index and HEAD as they were.
func TestReadTouchesNothing(t *testing.T) {
	r := history(t)
	index := filepath.Join(r.dir, ".git", "index")
	snapshot := func() []string {
		// The index first, and status without its optional index refresh,
		// so that taking the snapshot changes nothing itself.
		idx, err := os.ReadFile(index)
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(index)
		if err != nil {
			t.Fatal(err)
		}
		a, err := os.ReadFile(filepath.Join(r.dir, "svc/a.toml"))
		if err != nil {
			t.Fatal(err)
		}
		return []string{string(idx), st.ModTime().String(), string(a),
			r.git("--no-optional-locks", "status", "--porcelain"), r.git("rev-parse", "HEAD"), r.git("symbolic-ref", "HEAD")}
	}
	before := snapshot()
	if _, err := gitrev.Read(context.Background(), r.dir, "HEAD~1", []string{"."}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, snapshot()); diff != "" {
		t.Errorf("Read changed the repository (-before +after):\n%s", diff)
	}
}

// Names are spelled from the paths as typed, relative to the directory,
// like manifest.Load's; a file reached twice keeps its first name.
func TestReadNames(t *testing.T) {
	r := history(t)
	sub := filepath.Join(r.dir, "svc")
	abs := filepath.Join(r.dir, "explicit", "e.manifest")
	got, err := gitrev.Read(context.Background(), sub, "HEAD~1", []string{"./sub/", "../other", abs, "sub/b.toml", "."})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"../other/c.toml=c1",
		"a.toml=a1", // through "."
		filepath.ToSlash(abs) + "=e1",
		"link.toml=a1",
		"sub/b.toml=b1", // first reached through "./sub/"
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, files(got)); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

// The top of the repository, named as ".", is always there, even in a
// revision with no manifests; its files are named without "./".
func TestReadTop(t *testing.T) {
	r := newRepo(t)
	r.write(map[string]string{"README.md": "x"})
	r.commit("one")
	r.write(map[string]string{"a.toml": "a", ".github/w.toml": "hidden"})
	r.commit("two")
	got, err := gitrev.Read(context.Background(), r.dir, "HEAD~1", []string{"."})
	if err != nil || len(got) != 0 {
		t.Errorf("Read(HEAD~1, .) = %v, %v; want nothing and no error", files(got), err)
	}
	got, err = gitrev.Read(context.Background(), r.dir, "HEAD", []string{"."})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a.toml=a"}, files(got)); diff != "" {
		t.Errorf("Read(HEAD, .) (-want +got):\n%s", diff)
	}
}

func TestReadErrors(t *testing.T) {
	r := history(t)
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(filepath.Dir(r.dir)))
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		dir    string
		rev    string
		paths  []string
		is     error  // errors.Is target, or nil for an input error
		output string // the error message
	}{
		{"unknown revision", r.dir, "nope", []string{"svc"}, gitrev.ErrUnknownRevision, `unknown revision "nope"`},
		{"before the first commit", r.dir, "HEAD~2", []string{"svc"}, gitrev.ErrUnknownRevision, `unknown revision "HEAD~2"`},
		{"looks like an option", r.dir, "--all", []string{"svc"}, gitrev.ErrUnknownRevision, `unknown revision "--all"`},
		{"empty revision", r.dir, "", []string{"svc"}, gitrev.ErrUnknownRevision, `unknown revision ""`},
		{"outside the repository", r.dir, "HEAD", []string{"../elsewhere"}, gitrev.ErrNotRepository,
			"not a git repository: " + filepath.Dir(r.dir)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gitrev.Read(ctx, tc.dir, tc.rev, tc.paths)
			if err == nil {
				t.Fatalf("Read = %v, want an error", files(got))
			}
			var list manifest.ErrorList
			if tc.is != nil && !errors.Is(err, tc.is) || tc.is == nil && !errors.As(err, &list) {
				t.Errorf("error %v (%T), want %v (nil: a manifest.ErrorList)", err, err, tc.is)
			}
			if err.Error() != tc.output {
				t.Errorf("error %q, want %q", err, tc.output)
			}
		})
	}
}

// A path that did not exist at the revision selects nothing, so that the
// pull request that adds it compares it with an empty set; the others are
// read as usual. Before, this was an input error, and diff --since failed on
// exactly the pull request that adds a directory of manifests.
func TestReadAbsentAtRevision(t *testing.T) {
	r := history(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		rev   string
		paths []string
		want  []string
	}{
		{"added since", "HEAD~1", []string{"svc/new.toml", "svc", "gone", "gone/deeper/x.toml"},
			[]string{"svc/a.toml=a1", "svc/link.toml=a1", "svc/sub/b.toml=b1"}},
		{"only added since", "HEAD~1", []string{"svc/new.toml"}, []string{}},
		{"prefix of a directory is not the directory", "HEAD", []string{"sv"}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gitrev.Read(ctx, r.dir, tc.rev, tc.paths)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if diff := cmp.Diff(tc.want, files(got)); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

// The repository is the one that holds the paths, wherever catch22 runs.
func TestReadFindsRepositoryFromPaths(t *testing.T) {
	r := history(t)
	ctx := context.Background()
	outside := t.TempDir() // not in any repository
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(outside)+string(os.PathListSeparator)+filepath.Dir(r.dir))
	abs := filepath.Join(r.dir, "svc")
	rel, err := filepath.Rel(outside, abs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.toml=a1", "link.toml=a1", "sub/b.toml=b1"}
	for _, tc := range []struct {
		name, dir, path string
	}{
		{"absolute path from outside", outside, abs},
		{"relative path from outside", outside, rel},
		{"from a sibling directory inside", filepath.Join(r.dir, "other"), "../svc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gitrev.Read(ctx, tc.dir, "HEAD~1", []string{tc.path})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			var names []string
			for _, f := range files(got) {
				names = append(names, strings.TrimPrefix(f, filepath.ToSlash(tc.path)+"/"))
			}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}

	// A path added since the revision, in a directory added since too,
	// still finds its repository through the nearest directory that exists.
	t.Run("added directory from outside", func(t *testing.T) {
		got, err := gitrev.Read(ctx, outside, "HEAD", []string{filepath.Join(r.dir, "svc", "brand", "new")})
		if err != nil || len(got) != 0 {
			t.Errorf("Read = %v, %v; want nothing and no error", files(got), err)
		}
	})

	// Paths in two repositories cannot be compared at one revision.
	t.Run("two repositories", func(t *testing.T) {
		other := newRepo(t)
		other.write(map[string]string{"x.toml": "x"})
		other.commit("x")
		_, err := gitrev.Read(ctx, outside, "HEAD", []string{abs, other.dir})
		var list manifest.ErrorList
		if !errors.As(err, &list) || !strings.HasPrefix(err.Error(), other.dir+": in another git repository than "+abs) {
			t.Errorf("error %v (%T), want an input error about two repositories", err, err)
		}
	})
}

func TestReadNotRepository(t *testing.T) {
	newRepo(t) // for the skip and the isolated configuration
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	_, err := gitrev.Read(context.Background(), dir, "HEAD", []string{"."})
	if !errors.Is(err, gitrev.ErrNotRepository) || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %v, want ErrNotRepository naming %s", err, dir)
	}
}

func TestReadNoGit(t *testing.T) {
	r := newRepo(t)
	t.Setenv("PATH", t.TempDir())
	_, err := gitrev.Read(context.Background(), r.dir, "HEAD", []string{"."})
	if !errors.Is(err, gitrev.ErrNoGit) {
		t.Errorf("error %v, want ErrNoGit", err)
	}
}

// Many files are read through one cat-file process, and contents survive
// byte for byte, including ones without a final newline or with NULs.
func TestReadManyFiles(t *testing.T) {
	r := newRepo(t)
	want := map[string]string{}
	for i := range 300 {
		name := filepath.ToSlash(filepath.Join("m", string(rune('a'+i%26)), strings.Repeat("x", i%7)+string(rune('a'+i/26))+".toml"))
		want[name] = strings.Repeat("line\n", i) + "\x00end"
	}
	r.write(want)
	r.commit("many")
	got, err := gitrev.Read(context.Background(), r.dir, "HEAD", []string{"m"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d files, want %d", len(got), len(want))
	}
	for _, f := range got {
		if w := want[filepath.ToSlash(f.Name)]; !bytes.Equal(f.Data, []byte(w)) {
			t.Errorf("%s: %d bytes, want %d", f.Name, len(f.Data), len(w))
		}
	}
}

// A manifest over the size limit at the revision is refused before it is
// read, as one on disk is.
func TestReadRefusesHugeBlob(t *testing.T) {
	r := newRepo(t)
	r.write(map[string]string{"svc/huge.toml": "[service]\nname = \"a\"\n" + strings.Repeat("# padding\n", 20_000)})
	r.commit("huge")
	_, err := gitrev.Read(context.Background(), r.dir, "HEAD", []string{"svc"})
	if err == nil || !strings.Contains(err.Error(), "larger than the 128 KiB limit") {
		t.Fatalf("err = %v", err)
	}
}
