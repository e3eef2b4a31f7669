package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/validate"
)

func validateCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "validate",
		Usage:     "replay a failure live on loopback and check what-if's prediction",
		ArgsUsage: "--fail NODE[,NODE] PATH...",
		Description: `Starts one HTTP server per node on 127.0.0.1 (nodes with emulate = "kv" are
played by the reference KV, one namespace per environment), each with a
/health that calls its dependencies as the manifest says: hard ones must
answer, soft ones only degrade it; a dependency on a KV node is a real read
of a key in the namespace of that KV node's environment. It fails the nodes
named by --fail (and --fault), probes every node and every procedure of the
failed nodes, recovers wave by wave as the live answers allow, and prints
each node's predicted and observed outcome.

--endpoint NODE=URL puts a real service on loopback in place of the
emulation (URL is its health check: 2xx is up); --addr NODE=HOST:PORT pins an
emulated node's address so a real service can be pointed at it.

Exit status: 0 when every observation matches the prediction, 1 when any
differs, 2 for bad input. Everything started is stopped at the end, also on
Ctrl-C.`,
		Flags: append([]ucli.Flag{
			&ucli.StringSliceFlag{Name: "fail", Usage: "fail `NODE[,NODE]` (or system=X, owner=X, env=X): their servers close connections; repeat --fail for more"},
			&ucli.StringSliceFlag{Name: "fault", Usage: "fail `NODE=error` (answers 503) or slow it down, NODE=latency:DUR (failed when DUR ≥ --timeout); repeatable"},
			&ucli.StringSliceFlag{Name: "endpoint", Usage: "use the real service at `NODE=URL` (its health check, on loopback) instead of emulating NODE; repeatable"},
			&ucli.StringSliceFlag{Name: "addr", Usage: "emulate NODE on `NODE=HOST:PORT` (loopback) instead of a free port; repeatable"},
			&ucli.DurationFlag{Name: "timeout", Value: validate.DefaultTimeout, Usage: "bound on every health call and KV read"},
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: text|json"},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
		}, settingsFlags()...),
		Action: func(c *ucli.Context) error {
			format := c.String("format")
			if err := oneOf("format", format, textOrJSON); err != nil {
				return err
			}
			if !c.IsSet("fail") && len(c.StringSlice("fault")) == 0 {
				return usagef("validate needs --fail NODE[,NODE] or --fault NODE=MODE")
			}
			if c.Duration("timeout") <= 0 {
				return usagef("--timeout: want a positive duration")
			}
			g, _, err := loadGraph(c, "validate")
			if err != nil {
				return err
			}
			o, err := validateOptions(c, g)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, err := validate.Run(ctx, g, o)
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return errors.New("interrupted; everything started was stopped")
				}
				return err
			}
			err = writeOutput(env, c.String("output"), func(w io.Writer, ro report.Options) error {
				if format == "json" {
					return report.ValidateJSON(w, res, ro)
				}
				return report.ValidateText(w, res, ro)
			})
			if err != nil {
				return err
			}
			if res.Mismatches() > 0 {
				return errFindings
			}
			return nil
		},
	}
}

// validateOptions reads --fail, --fault, --endpoint, --addr and --timeout.
func validateOptions(c *ucli.Context, g *graph.Graph) (validate.Options, error) {
	o := validate.Options{Faults: map[int]validate.Fault{}, Endpoints: map[int]string{}, Addrs: map[int]string{}, Timeout: c.Duration("timeout")}
	if c.IsSet("fail") {
		failed, err := failedNodes(g, c.StringSlice("fail"))
		if err != nil {
			return o, err
		}
		for _, v := range failed {
			o.Faults[v] = validate.Fault{Mode: validate.FaultDown}
		}
	}
	pairs := func(flag string, each func(v int, value string) error) error {
		for _, item := range c.StringSlice(flag) {
			name, value, ok := strings.Cut(item, "=")
			if !ok || value == "" {
				return usagef("--%s: want NODE=VALUE, got %q", flag, item)
			}
			v, err := lookupNode(g, name)
			if err != nil {
				return fmt.Errorf("--%s: %w", flag, err)
			}
			if err := each(v, value); err != nil {
				return usagef("--%s %s: %s", flag, item, err)
			}
		}
		return nil
	}
	err := pairs("fault", func(v int, value string) error {
		f, err := parseFault(value)
		o.Faults[v] = f
		return err
	})
	if err == nil {
		err = pairs("endpoint", func(v int, value string) error {
			u, err := url.Parse(value)
			if err != nil || u.Scheme != "http" || !loopback(u.Hostname()) {
				return errors.New("want an http:// URL on 127.0.0.1, [::1] or localhost")
			}
			o.Endpoints[v] = value
			return nil
		})
	}
	if err == nil {
		err = pairs("addr", func(v int, value string) error {
			host, _, err := net.SplitHostPort(value)
			if err != nil || !loopback(host) {
				return errors.New("want HOST:PORT on 127.0.0.1, [::1] or localhost")
			}
			o.Addrs[v] = value
			return nil
		})
	}
	return o, err
}

// parseFault reads error or latency:DUR.
func parseFault(s string) (validate.Fault, error) {
	mode, arg, _ := strings.Cut(s, ":")
	switch mode {
	case "error", "down":
		if arg != "" {
			return validate.Fault{}, fmt.Errorf("%s takes no argument", mode)
		}
		return validate.Fault{Mode: validate.FaultMode(mode)}, nil
	case "latency":
		d, err := time.ParseDuration(arg)
		if err != nil || d <= 0 {
			return validate.Fault{}, errors.New("want latency:DURATION, e.g. latency:2s")
		}
		return validate.Fault{Mode: validate.FaultLatency, Latency: d}, nil
	}
	return validate.Fault{}, errors.New("want error, down or latency:DURATION")
}

// loopback reports whether a host names this machine's loopback.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
