// Package manifest owns the catch22 manifest format: the TOML schema of a
// service file, the shared defaults that apply to many of them, loading
// files and directories, and input errors positioned as file:line:col.
//
// Everything a user can get wrong in a manifest is reported here, all at
// once, so that later stages receive only valid, defaulted data. The package
// knows nothing of graphs, rules or reports: references to other services are
// checked for shape only, never resolved (an unknown service is a finding of
// the rules, not an input error).
//
// # Shared defaults
//
// A file named _defaults.toml holds the defaults of its directory and every
// directory below it; it is never a manifest. The [defaults] table of
// catch22.toml (read by package config, parsed here by ParseDefaults and
// passed in Options) holds the same for the whole run, below every
// _defaults.toml. Both may hold:
//
//   - [service] with env, owner, system, tier, kind and monitored_by (never
//     name, description or emulate, which belong to one service);
//   - [[dependency]] entries added to every service they cover (the cluster
//     they run on, the DNS);
//   - [[template]] procedures, named, which a manifest's [[recovery]] entry
//     expands with use = "NAME".
//
// Precedence, per [service] key: the service's own value, else the nearest
// _defaults.toml that sets it (the deepest directory), else farther ones,
// else catch22.toml's, else the built-in default. A list (monitored_by) is
// one value: the nearest one wins whole, and a service's own list, even
// empty, replaces the inherited one. A written key always wins, even when
// empty (owner = "").
//
// Dependencies accumulate instead: a service gets its own, then those of
// catch22.toml, then of each _defaults.toml from the outermost to the
// nearest, each in declaration order. An inherited dependency is left out
// when its target is the service itself (the cluster's own manifest does
// not depend on the cluster), when the service or a nearer layer declares
// a dependency on the same target (which replaces it: to make it soft, say),
// and when the service lists the target in [service] skip_inherited. A
// skip_inherited entry that matches no inherited dependency is an input
// error, so that opt-outs do not outlive the defaults they opt out of.
// Inherited monitored_by entries naming the service itself are left out too.
//
// A [[recovery]] entry with use = "NAME" takes the template of that name
// from the nearest layer that declares one (a nearer template replaces a
// farther one whole) and overrides it with the keys it writes itself: name
// (by default the template's), via (replaced, never merged), breakglass,
// rebuilds, tested and runbook. An unknown template is an input error at `use`, with
// a "did you mean" among the templates in scope. A template's via may name
// the service that uses it, and then the procedure is blocked by design:
// that is a finding, not something to hide.
//
// References written without "@env" in defaults and templates are resolved
// in the env of each service that inherits them, its own env or an
// inherited one: a staging service's "ci" is ci@staging. Shared tooling
// that serves every env is written with its env ("alerting@production").
//
// Positions point at the line a person edits: an inherited dependency or
// monitor at its entry in the _defaults.toml (or catch22.toml) that declares
// it; an expanded procedure at the manifest's [[recovery]] header, its via
// elements and tested date at the template's unless the entry writes its
// own. Findings about an inherited entry therefore name the defaults file.
//
// Only the _defaults.toml files a run reads apply: those in the directories
// it walks and those named as paths. Defaults are applied after every file
// is parsed, so the result does not depend on the order files are found in,
// and a _defaults.toml with errors is reported without the errors it would
// cause below it (unknown templates, unmatched skip_inherited).
package manifest
