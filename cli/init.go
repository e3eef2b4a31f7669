package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/internal/safetext"
)

// initCommand is `catch22 init [DIR]`.
func initCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "init",
		Usage:     "write a commented starter estate to begin from",
		ArgsUsage: "[DIR]",
		Description: `Writes a small estate into DIR (default: the current directory): catch22.toml
with every option commented out, and under services/ a _defaults.toml and one
manifest per service (api, db and the deploy tool that repairs them), each key
explained. catch22 check DIR passes on it as written; edit the files to
describe your own services. Files that exist are left alone and nothing is
written, unless --force is given.`,
		OnUsageError: onUsageError,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "force", Usage: "overwrite starter files that already exist"},
		},
		Action: func(c *ucli.Context) error { return runInit(c, env) },
	}
}

// starterFile is one file `catch22 init` writes, relative to DIR.
type starterFile struct {
	name, what, text string
}

// starterEstate is what `catch22 init` writes, in the order it lists them.
// `catch22 check` on it reports nothing: api's rollback and db's restore
// go through deploy, which needs neither.
var starterEstate = []starterFile{
	{"catch22.toml", "configuration: every option, commented out", starterConfig},
	{filepath.Join("services", "_defaults.toml"), "defaults for every service below it, and the rollback template", starterDefaults},
	{filepath.Join("services", "api.toml"), "a service that keeps its data in db", starterAPI},
	{filepath.Join("services", "db.toml"), "the datastore, restored through deploy", starterDB},
	{filepath.Join("services", "deploy.toml"), "the deploy tool that repairs both", starterDeploy},
}

func runInit(c *ucli.Context, env environment) error {
	dir := "."
	switch c.NArg() {
	case 0:
	case 1:
		dir = c.Args().First()
	default:
		return usagef("init takes at most one DIR, got %d arguments", c.NArg())
	}
	if dir == "" {
		return usagef("init: DIR is empty")
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return usagef("init: %s is not a directory", dir)
	}
	force := c.Bool("force")
	// Look before writing anything, so a refusal leaves DIR as it was.
	var exist, odd []string
	for _, f := range starterEstate {
		p := filepath.Join(dir, f.name)
		st, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("init: %w", err)
		case !st.Mode().IsRegular():
			odd = append(odd, p)
		default:
			exist = append(exist, p)
		}
	}
	if len(odd) > 0 {
		return usagef("init: not a regular file, never overwritten: %s", strings.Join(odd, ", "))
	}
	if len(exist) > 0 && !force {
		return usagef("init: already there, nothing written (--force overwrites): %s", strings.Join(exist, ", "))
	}
	if err := os.MkdirAll(filepath.Join(dir, "services"), 0o755); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	width := 0
	for _, f := range starterEstate {
		width = max(width, len(filepath.Join(dir, f.name)))
	}
	for _, f := range starterEstate {
		p := filepath.Join(dir, f.name)
		verb, err := writeStarter(p, f.text, force)
		if err != nil {
			return fmt.Errorf("init: %w", err)
		}
		fmt.Fprintf(env.stdout, "%-9s %-*s  %s\n", verb, width, safetext.Escape(p), f.what)
	}
	d := shellQuote(dir)
	next := [][2]string{
		{"catch22 check " + d, "lint it: no findings yet"},
		{"catch22 what-if --fail db " + d, "what goes down with db, and how it comes back"},
		{"catch22 plan " + d, "the order to start everything from nothing"},
		{"catch22 graph " + d + " --format svg --output estate.svg", "the picture (needs Graphviz)"},
	}
	width = 0
	for _, n := range next {
		width = max(width, len(n[0]))
	}
	fmt.Fprint(env.stdout, "\nNext:\n")
	for _, n := range next {
		fmt.Fprintf(env.stdout, "  %-*s  %s\n", width, safetext.Escape(n[0]), n[1])
	}
	fmt.Fprint(env.stdout, `
Then describe your own services, one file each under services/, with the
tools your recovery procedures go through. catch22 explain RULE tells what
a finding means.
`)
	return nil
}

// writeStarter writes one starter file and says what it did. Without force
// the file is created exclusively, so one that appeared since the check is
// still not overwritten.
func writeStarter(path, text string, force bool) (string, error) {
	flag, verb := os.O_WRONLY|os.O_CREATE|os.O_EXCL, "wrote"
	if force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if _, err := os.Lstat(path); err == nil {
			verb = "overwrote"
		}
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return verb, err
}

// shellQuote quotes s for a POSIX shell when it needs it, so the commands
// init suggests can be pasted as they are.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// The starter files. Keys in use carry a comment on what they mean; the
// others are commented out with their default or an example, so that
// uncommenting a line gives a valid file (cli/init_test.go checks it).

const starterConfig = `# catch22.toml: how catch22 judges this estate.
#
# catch22 check DIR reads DIR/catch22.toml (also ./catch22.toml, or the file
# given with --config). Every option is commented out and shows its built-in
# default or an example: uncomment what you want to change.
# catch22 rules prints the configuration in effect.

# Exit status 1 when a finding at or above this severity remains:
# error | warning | info | none.
# fail_on = "error"

# Environments from the most to the least critical. A node that depends on,
# is repaired through or is monitored by a lower environment is an
# env-crossing error.
# [environments]
# order = ["production", "staging", "development"]

# Per rule: enabled, severity (error | warning | info) and parameters.
# catch22 rules lists the rules; catch22 explain RULE explains one.
# [rules.blast-radius]
# severity = "info"
# threshold = 0.25             # share of all other nodes that go down with a node
# min_dependents = 3           # and at least this many of them
#
# [rules.stale-breakglass]
# max_age_days = 90            # a breakglass drill older than this is stale
#
# [rules.tier-inversion]
# enabled = true

# A waiver accepts one finding for a while: it is listed as waived and not
# counted. From the day after expires it stops hiding anything and is itself
# reported, as is a waiver that matches no finding.
# [[waiver]]
# rule = "missing-recovery"
# node = "db"                  # a node, or a glob: "kv-*", "*@staging"
# reason = "restore runbook being written, tracked in INC-123"
# expires = 2027-06-30         # the last day the waiver applies

# Defaults for every service, under each directory's _defaults.toml; they
# may hold what services/_defaults.toml holds.
# [defaults.service]
# monitored_by = ["alerting@production"]

# Names seen in traffic (catch22 check --observed FILE) mapped to nodes.
# [observed.aliases]
# "api-server" = "api"
`

const starterDefaults = `# _defaults.toml: defaults for every manifest in this directory and the
# directories below it; it is never a manifest itself.
#
# A service's own value wins over a default; a nearer _defaults.toml wins
# over a farther one, and catch22.toml's [defaults] comes last.

[service]
owner = "platform-team"        # who answers for the services: reports group by it
system = "starter"             # grouping for reports (catch22 graph --cluster system)
# env = "production"           # the default; "staging", "development" or any name
# tier = 2                     # 0 = most critical .. 3
# kind = "service"             # service | tool | datastore | network | external | human
# monitored_by = ["alerting"]  # a service's own list, even empty, replaces this one

# A dependency written here is added to every service below, except the
# target itself and services that list it in [service] skip_inherited.
# [[dependency]]
# on = "dns"
# kind = "network"

# A procedure template: a manifest's [[recovery]] takes it by its name
# (use = "rollback") and overrides the keys it writes itself.
[[template]]
name = "rollback"
via = ["deploy"]               # the nodes an operator needs to roll back
runbook = "https://wiki.example/runbooks/rollback"
# breakglass = false
# tested = 2026-01-15          # the date of the last drill
`

const starterAPI = `# api: one manifest per service. Every key is shown: those in use with what
# they mean, the others commented out with their default or an example.
# A reference to another node is its name ("db", in api's env) or
# "name@env".

[service]
name = "api"                       # required; [a-z0-9][a-z0-9._-]*
description = "Public HTTP API"
tier = 1                           # 0 = most critical .. 3; tiers 0 and 1 need a [[recovery]]
kind = "service"                   # service | tool | datastore | network | external | human
# env = "production"               # the default
# owner = "api-team"               # here from _defaults.toml unless written
# system = "starter"               # here from _defaults.toml unless written
# monitored_by = ["alerting"]      # nodes that detect api's failure; they must not fail with it
# emulate = ""                     # "kv": played by the reference KV in catch22 validate
# skip_inherited = ["dns"]         # inherited dependencies api does without

# When db fails, api fails with it.
[[dependency]]
on = "db"                          # required (or any_of): "name" or "name@env"
kind = "data"                      # runtime | data | config | auth | network | observability | deploy
mode = "hard"                      # hard (the default): its failure fails api | soft: api degrades
phase = "run"                      # run (the default): needed to serve | start: only to (re)start
note = "orders and accounts"

# Its image comes from deploy: needed only to start or restart api, so a
# deploy outage does not take a running api down, but holds it back once
# it is down.
[[dependency]]
on = "deploy"
kind = "deploy"
phase = "start"

# Redundant alternatives: the dependency holds while quorum of them are up.
# [[dependency]]
# any_of = ["cache-a", "cache-b", "cache-c"]
# quorum = 2                       # 1 to their number; the default is 1
# kind = "data"
# mode = "soft"

# How an operator repairs or rolls back api. use takes the template of
# services/_defaults.toml; a key written here replaces the template's.
[[recovery]]
use = "rollback"
# name = "rollback"                # required without use; unique within api
# via = ["deploy"]                 # every node the operator needs; required without use
# breakglass = false               # true: an emergency path, to be drilled every max_age_days
# tested = 2026-01-15              # the date of the last drill
# runbook = "https://wiki.example/runbooks/api-rollback"
`

const starterDB = `# db: the datastore api keeps its data in.

[service]
name = "db"                        # required; [a-z0-9][a-z0-9._-]*
description = "Primary database"
tier = 0                           # the most critical tier
kind = "datastore"                 # service | tool | datastore | network | external | human
# env = "production"               # the default
# owner = "data-team"              # here from _defaults.toml unless written
# system = "starter"               # here from _defaults.toml unless written
# monitored_by = ["alerting"]      # nodes that detect db's failure; they must not fail with it
# emulate = "kv"                   # catch22 validate plays db with the reference KV
# skip_inherited = ["dns"]         # inherited dependencies db does without

# db needs nothing to run here. A disk, a network or a cluster it runs on
# would be declared like this:
# [[dependency]]
# on = "storage"
# kind = "runtime"
# mode = "hard"
# phase = "run"
# note = "volumes"

# Restored from backup through deploy. Were the restore to need api (an
# admin endpoint, say), db could not be restored while it is down, and
# catch22 check would report a recovery-cycle.
[[recovery]]
name = "restore"                   # required; unique within db
via = ["deploy"]                   # every node the operator needs while db is down
breakglass = false                 # true: an emergency path, to be drilled every max_age_days
runbook = "https://wiki.example/runbooks/db-restore"
# tested = 2026-01-15              # the date of the last drill
# use = "rollback"                 # or take a template from a _defaults.toml
`

const starterDeploy = `# deploy: the pipeline that builds, deploys and rolls back; the recovery
# procedures of api and db go through it.

[service]
name = "deploy"
description = "CI/CD pipeline"
kind = "tool"
# tier = 1                         # tiers 0 and 1 need a [[recovery]] (missing-recovery)

# If the pipeline logged in through a single sign-on that runs on api, api
# could not be rolled back while it is down: the Catch-22 catch22 finds.
# Declare what deploy really needs:
# [[dependency]]
# on = "sso"
# kind = "auth"
`
