package cli

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/internal/gctune"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/kv"
)

// kvCommand is `catch22 kv serve`.
func kvCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:  "kv",
		Usage: "run the embedded reference KV service (Cloudflare Workers KV API)",
		Description: `catch22 kv serve runs a key-value service speaking the Cloudflare v4 REST API
for Workers KV, so a Workers KV client works when given
http://ADDR/client/v4 as its base URL. Writes are durable in a bbolt file
unless --memory is given: --data, by default kv.db in catch22's directory
of the user's data directory ($XDG_DATA_HOME/catch22, else
~/.local/share/catch22; on macOS ~/Library/Application Support/catch22, on
Windows %LocalAppData%\catch22), created when missing. The default is never
used inside a git work tree (kv serve refuses, so a checkout never collects
a database unasked); a --data inside one is used, with a warning. It listens on 127.0.0.1:8787 by default and
refuses other addresses than loopback without --token. Against cross-site
requests from browsers it answers only requests whose Host is localhost or a
loopback address (add names with --allow-host), refuses any Origin but its
own, and takes JSON bodies only as Content-Type: application/json. --fault
starts it misbehaving (down, error:STATUS, latency:DURATION); POST
/_catch22/faults changes that while it runs. SIGINT or SIGTERM stop it after
in-flight requests.`,
		OnUsageError: onUsageError,
		Action: func(c *ucli.Context) error {
			if c.Args().Present() {
				return usagef("unknown kv command %q (want serve)%s", c.Args().First(), commandHint(c.Args().First(), c.Command.Subcommands))
			}
			return usagef("kv needs a command: serve")
		},
		Subcommands: []*ucli.Command{{
			Name:         "serve",
			Usage:        "serve the KV API until interrupted",
			OnUsageError: onUsageError,
			Flags: []ucli.Flag{
				&ucli.StringFlag{Name: "addr", Value: "127.0.0.1:8787", Usage: "listen on `HOST:PORT` (port 0 picks a free one)"},
				&ucli.StringFlag{Name: "data", DefaultText: kvDataDefaultText(runtime.GOOS), Usage: "bbolt database `PATH`, created when missing; the default is in the user's data directory and never inside a git work tree"},
				&ucli.BoolFlag{Name: "memory", Usage: "keep the data in memory instead (lost on exit)"},
				&ucli.StringFlag{Name: "token", EnvVars: []string{"CATCH22_KV_TOKEN"}, Usage: "require Authorization: Bearer `TOKEN` (needed to listen beyond loopback)"},
				&ucli.StringSliceFlag{Name: "allow-host", Usage: "also answer requests whose Host header is `NAME` (a host name or IP, no port); repeatable, needed when clients reach the service by another name than localhost or a loopback address"},
				&ucli.StringFlag{Name: "fault", Usage: "start with a fault: `MODE[:ARG]`, one of none, down, error[:STATUS], latency:DURATION"},
				&ucli.BoolFlag{Name: "quiet", Usage: "no request log on standard error (warnings and errors still)"},
			},
			Action: func(c *ucli.Context) error { return kvServe(c, env) },
		}},
	}
}

func kvServe(c *ucli.Context, env environment) error {
	if c.Args().Present() {
		return usagef("kv serve takes no arguments, got %q", c.Args().First())
	}
	addr, token := c.String("addr"), c.String("token")
	if err := kv.CheckBind(addr, token); err != nil {
		return usagef("--addr: %v", err)
	}
	memory, data := c.Bool("memory"), c.String("data")
	switch {
	case memory && c.IsSet("data"):
		return usagef("--memory and --data exclude each other")
	case !memory && c.IsSet("data") && data == "":
		return usagef("--data: want a file path")
	}
	allow := c.StringSlice("allow-host")
	for _, h := range allow {
		if err := kv.CheckAllowHost(h); err != nil {
			return usagef("--allow-host: %v", err)
		}
	}
	var fault kv.Fault
	if c.IsSet("fault") {
		f, err := kv.ParseFault(c.String("fault"))
		if err != nil {
			return usagef("--fault: %v", err)
		}
		fault = f
	}
	// Only now that the command line is known to be good: the default
	// data directory is created, so a refused command leaves nothing.
	switch {
	case memory:
	case c.IsSet("data"):
		// Asked for: served, but said, since a database in a checkout
		// is one `git add .` from being committed.
		if tree, ok := gitWorkTree(data); ok {
			fmt.Fprintf(env.stderr, "catch22 kv: warning: --data %s is inside the git work tree %s; keep it out of commits (.gitignore) or leave --data out to use %s\n",
				safetext.Escape(data), safetext.Escape(tree), kvDataDefaultText(runtime.GOOS))
		}
	default:
		var err error
		if data, err = kvDefaultData(env.getenv, runtime.GOOS); err != nil {
			return err
		}
	}
	// --quiet drops the request log (info) but keeps what needs the
	// operator: a storage failure behind a 500, a failed purge.
	level := slog.LevelInfo
	if c.Bool("quiet") {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: level}))
	serverGC(env)
	srv, err := kv.New(kv.Options{Path: data, Memory: memory, Token: token, AllowHosts: allow, Logger: logger})
	if err != nil {
		return err
	}
	if err := srv.SetFault(fault); err != nil {
		srv.Close()
		return usagef("--fault: %v", err)
	}
	where := "bbolt " + data
	if memory {
		where = "memory"
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return srv.ListenAndServe(ctx, addr, func(a net.Addr) {
		fmt.Fprintf(env.stdout, "catch22 kv: listening on http://%s (%s)\n", a, where)
	})
}

// kvDefaultData returns the data file kv serve uses without --data:
// kv.db in catch22's directory of the user's data directory, created when
// missing. Data, not cache: a cache directory may be emptied at any time,
// and this file holds acknowledged writes. It refuses a location inside a
// git work tree (a HOME that is a dotfiles checkout, an XDG_DATA_HOME
// under a repository) rather than move the file somewhere unexpected:
// the user says where with --data.
func kvDefaultData(getenv func(string) string, goos string) (string, error) {
	dir := ""
	switch home := getenv("HOME"); {
	case filepath.IsAbs(getenv("XDG_DATA_HOME")): // the XDG spec ignores relative values
		dir = getenv("XDG_DATA_HOME")
	case goos == "windows" && getenv("LocalAppData") != "":
		dir = getenv("LocalAppData")
	case goos == "darwin" && filepath.IsAbs(home):
		dir = filepath.Join(home, "Library", "Application Support")
	case goos != "windows" && goos != "darwin" && filepath.IsAbs(home):
		dir = filepath.Join(home, ".local", "share")
	default:
		return "", usagef("--data: no user data directory to keep the database in (HOME and XDG_DATA_HOME are unset); pass --data PATH or --memory")
	}
	path := filepath.Join(dir, "catch22", "kv.db")
	if tree, ok := gitWorkTree(path); ok {
		return "", usagef("the default data file %s is inside the git work tree %s, where a database does not belong; pass --data PATH to choose its place (even there), or --memory", path, tree)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("kv: data directory: %w", err)
	}
	return path, nil
}

// kvDataDefaultText is the default of --data as help text shows it.
func kvDataDefaultText(goos string) string {
	switch goos {
	case "windows":
		return `%LocalAppData%\catch22\kv.db`
	case "darwin":
		return "~/Library/Application Support/catch22/kv.db"
	}
	return "$XDG_DATA_HOME/catch22/kv.db, else ~/.local/share/catch22/kv.db"
}

// gitWorkTree reports whether the file at path would lie inside a git
// work tree, and its top directory: the nearest directory at or above
// path's that holds .git (a directory, or a file in a linked worktree or
// submodule). Directories that do not exist yet are taken as written;
// symbolic links in those that do are resolved first, so a link into a
// checkout counts as the checkout.
func gitWorkTree(path string) (string, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	dir := resolveExisting(filepath.Dir(abs))
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// resolveExisting resolves the symbolic links of the longest prefix of the
// absolute path dir that exists, keeping the rest as written.
func resolveExisting(dir string) string {
	rest := ""
	for d := dir; ; {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		rest = filepath.Join(filepath.Base(d), rest)
		d = parent
	}
}

// serverGC undoes main's tuning for batch runs (internal/gctune: the
// collector waits until 700 MB): a long-running server that sees 25 MiB
// values would otherwise sit on that much garbage. GOGC and GOMEMLIMIT
// still win.
func serverGC(env environment) {
	if env.getenv("GOGC") == "" && env.getenv("GOMEMLIMIT") == "" {
		gctune.Restore()
	}
}
