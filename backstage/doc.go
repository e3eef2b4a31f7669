// Package backstage imports a Backstage software catalog (catalog-info.yaml
// files) into catch22 manifests: `catch22 import backstage FILE|DIR... --out
// DIR`.
//
// It owns reading the catalog (multi-document YAML through internal/yamlpos,
// with file:line:col positions for every error), the mapping from entities
// to manifests and the catch22.dev/ annotations that carry what Backstage
// lacks; package importer writes the manifests. It depends on manifest,
// importer and internal packages alone: it knows
// nothing of graphs, rules or reports, and its output is checked by
// manifest.Parse like any hand-written file.
//
// # Mapping
//
// Each Component and Resource becomes one manifest, written to
// <out>/<system>/<name>.toml (<out>/no-system/ without a system;
// <name>@<env>.toml outside production). System entities give the system
// label, API entities link consumers to providers, Group entities check
// owners; other kinds (User, Domain, Location, Template…) and documents of
// other API groups are skipped and counted in the summary.
//
//   - metadata.name, lower-cased, is the service name. Outside the
//     "default" namespace the name is prefixed with the namespace and a dot
//     ("security.auth"); the same goes for system and owner labels.
//     catch22.dev/name overrides the whole name.
//   - spec.owner (default kind Group) is the owner: "team-a" for
//     group:team-a, "user:jane" for a user. An owner group missing from the
//     imported Groups is a warning, and only when some Group is imported:
//     organisations often load groups from LDAP or GitHub instead.
//   - spec.system (default kind System) must name an imported System.
//   - spec.type gives the kind through typeKinds (database, cache,
//     s3-bucket, kafka-topic… are datastores; tool, cli, pipeline are tools;
//     dns, cdn, load-balancer are network; saas, external are external;
//     on-call is human; anything else is a service); catch22.dev/kind
//     overrides it.
//   - spec.lifecycle other than production is appended to the description
//     ("(lifecycle: experimental)"); metadata.description, or else
//     metadata.title, is the description.
//   - spec.dependsOn and spec.dependencyOf (kind required, as in Backstage;
//     namespace defaults to the referrer's) become hard runtime
//     dependencies; spec.consumesApis (default kind API) becomes a
//     dependency on every component whose spec.providesApis lists the API.
//     An API nobody provides is an error.
//
// # Annotations
//
//	catch22.dev/name: payments           service name (default: metadata.name)
//	catch22.dev/env: staging             env (default production)
//	catch22.dev/tier: "0"                "0".."3"
//	catch22.dev/kind: datastore          overrides the spec.type mapping
//	catch22.dev/monitored-by: "alerting, pager"
//	catch22.dev/emulate: kv
//	catch22.dev/soft-dependencies: "feature-flags, cache"
//	catch22.dev/dependency-kinds: "auth=auth, ledger-db=data"
//	catch22.dev/recovery.<name>: "via=ci, deploy-api; breakglass=true; tested=2026-10-01; runbook=https://…"
//
// Entity references in annotations may leave out the kind when the name is
// unique among the components and resources of the namespace. Lists are
// single annotations rather than one annotation per target because
// Backstage limits annotation key names to 63 characters. Every value is
// validated; an unknown catch22.dev/ key is an error, and so is a
// catch22.dev/ annotation on an entity other than a Component or Resource.
//
// # Re-import
//
// Writing and merging are package importer's: the catalog owns [service]
// and every entry whose header carries the "# from catalog" marker;
// hand-written entries and dependency notes are kept; a file whose entity
// left the catalog is reported stale and removed only with --prune.
// Nothing is written unless the whole catalog and every generated file in
// the output directory are valid.
package backstage
