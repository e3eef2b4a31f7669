package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/catch22/catch22/cli"
)

// serveKV runs `catch22 kv serve ARGS` until it says it listens, then
// stops it as SIGINT would; a command line it refuses returns at once.
// It gives up after a minute, so a server that never says so fails the
// test instead of hanging it.
func serveKV(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := &untilWriter{mark: "listening on", reached: cancel}
	var errs lockedBuffer
	argv := append([]string{"catch22", "kv", "serve", "--addr", "127.0.0.1:0"}, args...)
	code = cli.Run(ctx, argv, nil, out, &errs)
	if ctx.Err() == context.DeadlineExceeded {
		t.Fatalf("kv serve %v neither listened nor stopped within a minute", args)
	}
	return code, out.String(), errs.String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// untilWriter calls reached once what was written contains mark.
type untilWriter struct {
	lockedBuffer
	mark    string
	reached func()
}

func (u *untilWriter) Write(p []byte) (int, error) {
	n, err := u.lockedBuffer.Write(p)
	if strings.Contains(u.String(), u.mark) {
		u.reached()
	}
	return n, err
}

// kvHome gives the test a fresh HOME, no XDG_DATA_HOME and a fresh working
// directory, and returns HOME and the working directory.
func kvHome(t *testing.T) (home, wd string) {
	home, wd = t.TempDir(), t.TempDir()
	for d := home; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			t.Skipf("the temporary directory %s is inside the git work tree %s", home, d)
		}
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	t.Chdir(wd)
	return home, wd
}

// TestKVServeDefaultData: without --data, the database goes to the user's
// data directory, which is created, and never to the working directory.
func TestKVServeDefaultData(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the default on Windows is under %LocalAppData%, not HOME")
	}
	home, wd := kvHome(t)
	want := filepath.Join(home, ".local", "share", "catch22", "kv.db")
	if runtime.GOOS == "darwin" {
		want = filepath.Join(home, "Library", "Application Support", "catch22", "kv.db")
	}
	code, stdout, stderr := serveKV(t, "--quiet")
	if code != cli.ExitOK {
		t.Fatalf("kv serve exited %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "(bbolt "+want+")") {
		t.Errorf("kv serve says %q, want it to name %s", stdout, want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Errorf("no database at %s: %v", want, err)
	}
	if left, _ := os.ReadDir(wd); len(left) > 0 {
		t.Errorf("kv serve wrote %s into the working directory", left[0].Name())
	}

	// XDG_DATA_HOME, when absolute, says where the user's data goes.
	xdg := filepath.Join(t.TempDir(), "data")
	t.Setenv("XDG_DATA_HOME", xdg)
	if code, stdout, stderr := serveKV(t, "--quiet"); code != cli.ExitOK || !strings.Contains(stdout, filepath.Join(xdg, "catch22", "kv.db")) {
		t.Errorf("with XDG_DATA_HOME: exit %d, %q %q", code, stdout, stderr)
	}
}

// TestKVServeDefaultDataNotInCheckout: when the default location lies in
// a git work tree (a HOME kept in git, an XDG_DATA_HOME under a checkout,
// a linked worktree whose .git is a file), kv serve refuses before
// creating anything, and says how to choose.
func TestKVServeDefaultDataNotInCheckout(t *testing.T) {
	for _, c := range []struct {
		name   string
		gitDir bool // .git is a directory, else a file
		xdg    bool // the checkout is XDG_DATA_HOME's parent, else HOME
	}{
		{"home is a checkout", true, false},
		{"xdg_data_home in a linked worktree", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			home, _ := kvHome(t)
			repo := home
			if c.xdg {
				repo = t.TempDir()
				t.Setenv("XDG_DATA_HOME", filepath.Join(repo, "data"))
			}
			var err error
			if c.gitDir {
				err = os.Mkdir(filepath.Join(repo, ".git"), 0o755)
			} else {
				err = os.WriteFile(filepath.Join(repo, ".git"), []byte("gitdir: /elsewhere\n"), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := serveKV(t, "--quiet")
			if r, err := filepath.EvalSymlinks(repo); err == nil {
				repo = r // as kv serve names it (macOS's /var is /private/var)
			}
			if code != cli.ExitInput {
				t.Fatalf("kv serve exited %d, want %d; stdout %q", code, cli.ExitInput, stdout)
			}
			if !strings.Contains(stderr, "is inside the git work tree "+repo) || !strings.Contains(stderr, "pass --data PATH") {
				t.Errorf("stderr does not explain the refusal: %q", stderr)
			}
			if left, _ := os.ReadDir(repo); len(left) != 1 { // .git alone
				t.Errorf("kv serve created something in the checkout: %v", left)
			}
		})
	}
}

// TestKVServeExplicitDataInCheckout: --data inside a checkout is what the
// user asked for: served, with a warning.
func TestKVServeExplicitDataInCheckout(t *testing.T) {
	_, wd := kvHome(t)
	if err := os.Mkdir(filepath.Join(wd, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(wd, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := serveKV(t, "--quiet", "--data", filepath.Join("sub", "kv.db"))
	if code != cli.ExitOK {
		t.Fatalf("kv serve exited %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "warning: --data sub/kv.db is inside the git work tree ") {
		t.Errorf("no warning on stderr: %q", stderr)
	}
	if _, err := os.Stat(filepath.Join(wd, "sub", "kv.db")); err != nil {
		t.Error(err)
	}

	// Outside a checkout, not a word.
	elsewhere := filepath.Join(t.TempDir(), "kv.db")
	if code, _, stderr := serveKV(t, "--quiet", "--data", elsewhere); code != cli.ExitOK || stderr != "" {
		t.Errorf("--data outside a checkout: exit %d, stderr %q", code, stderr)
	}
}
