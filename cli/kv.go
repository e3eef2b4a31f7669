package cli

import (
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	ucli "github.com/urfave/cli/v2"

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
(--data) unless --memory is given. It listens on 127.0.0.1:8787 by default and
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
				return usagef("unknown kv command %q (want serve)", c.Args().First())
			}
			return usagef("kv needs a command: serve")
		},
		Subcommands: []*ucli.Command{{
			Name:         "serve",
			Usage:        "serve the KV API until interrupted",
			OnUsageError: onUsageError,
			Flags: []ucli.Flag{
				&ucli.StringFlag{Name: "addr", Value: "127.0.0.1:8787", Usage: "listen on `HOST:PORT` (port 0 picks a free one)"},
				&ucli.StringFlag{Name: "data", Value: "catch22-kv.db", Usage: "bbolt database `PATH`, created when missing"},
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
	case !memory && data == "":
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

// serverGC undoes main's tuning for batch runs (collector off until a
// 1.2 GB soft limit): a long-running server that sees 25 MiB values would
// otherwise sit on a gigabyte of garbage. GOGC and GOMEMLIMIT still win.
func serverGC(env environment) {
	if env.getenv("GOGC") == "" && env.getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
}
