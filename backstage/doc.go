// Package backstage imports a Backstage software catalog (catalog-info.yaml
// files, or what the catalog API returns) into catch22 manifests: `catch22
// import backstage FILE|DIR... --out DIR`.
//
// It owns reading the catalog (multi-document YAML through internal/yamlpos,
// with file:line:col positions for every error), the mapping from entities
// to manifests and the catch22.dev/ annotations that carry what Backstage
// lacks; package importer writes the manifests. It depends on manifest,
// importer and internal packages alone: it knows
// nothing of graphs, rules or reports, and its output is checked by
// manifest.Parse like any hand-written file.
//
// # Reading
//
// A FILE named on the command line must hold Backstage entities: YAML
// (multi-document), or the JSON the catalog API returns. A DIR is walked
// for *.yaml, *.yml and *.json (hidden directories skipped); a file found
// there is a catalog file only when a line of it sets an apiVersion of
// backstage.io (or a plugin's <x>.backstage.io), checked before parsing,
// so that Helm templates, Grafana provisioning, Kubernetes manifests,
// workflows and Compose files are skipped silently, even when they are
// not YAML until rendered.
//
// Location entities are followed: spec.target and every spec.targets
// item, resolved against the directory of the Location's file whatever
// spec.type says (Backstage resolves a relative target against the
// Location's own address). A target may climb out ("../") and may be a
// glob (filepath.Glob: "*", "?", "[…]", no "**"); one that names no file,
// a glob that matches none and a directory are errors at the target,
// unless spec.presence is optional. A URL cannot be fetched: a warning.
// Every file is read once however it is reached (walked, named, through
// a symbolic link, by a Location that includes itself), so cycles end.
//
// The catalog API's output is read as it comes: a .json file, or one
// starting with "[" or "{", holding an array of entities (GET
// /api/catalog/entities) or {"items": [...]} (/entities/by-query). The
// fields the catalog adds (metadata.uid, etag, relations, status, the
// backstage.io/managed-by-location annotations) are ignored, and so are
// its Location entities: what they produced is already in the output.
//
// # Mapping
//
// Each Component and Resource becomes one manifest, written to
// <out>/<system>/<name>.toml (<out>/no-system/ without a system;
// <name>@<env>.toml outside production). System entities give the system
// label, API entities link consumers to providers, Group entities check
// owners; Location entities are followed (see Reading). Other kinds
// (User, Domain, Template…), Locations and documents of other API groups
// are skipped and counted in the summary.
//
// A reference to an entity outside the import is an error only when the
// graph would silently lose a dependency of an imported node (dependsOn).
// It is a warning when nothing is lost, because the other end is not a
// node either (dependencyOf, subcomponentOf, providesApis) or its label
// is kept (system), and when a stand-in keeps the dependency
// (consumesApis).
//
//   - metadata.name, lower-cased, is the service name. Outside the
//     "default" namespace the name is prefixed with the namespace and a dot
//     ("security.auth"); the same goes for system and owner labels.
//     catch22.dev/name overrides the whole name.
//   - spec.owner (default kind Group) is the owner: "team-a" for
//     group:team-a, "user:jane" for a user. An owner group missing from the
//     imported Groups is a warning, and only when some Group is imported:
//     organisations often load groups from LDAP or GitHub instead.
//   - spec.system (default kind System) is the system label. A System
//     missing from the import is a warning and the label is still used:
//     Systems often live in another repository, and dropping the label
//     would move the file on the day that repository is imported too.
//   - spec.type gives the kind through typeKinds (database, cache,
//     s3-bucket, kafka-topic… are datastores; tool, cli, pipeline are tools;
//     dns, cdn, load-balancer are network; saas, external are external;
//     on-call is human; anything else is a service); catch22.dev/kind
//     overrides it.
//   - spec.type library is no node: a library is linked into the services
//     that depend on it, not called. It is counted as skipped ("Component
//     (library)"); a dependency on it becomes dependencies on what it
//     depends on (its dependsOn, consumesApis, and the dependencyOf and
//     subcomponentOf that name it), transitively, since its calls run in
//     the dependent's process. catch22.dev/kind on a library makes it a
//     node (a library that is also deployed); other catch22.dev/
//     annotations on one are errors.
//   - spec.lifecycle other than production is appended to the description
//     ("(lifecycle: experimental)"); metadata.description, or else
//     metadata.title, is the description.
//   - spec.dependsOn and spec.dependencyOf (kind required, as in Backstage;
//     namespace defaults to the referrer's) become hard runtime
//     dependencies. dependsOn must name an imported entity;
//     dependencyOf naming one outside the import is a warning.
//   - spec.subcomponentOf (default kind Component): the parent depends on
//     its subcomponent, hard, at runtime, as on what it dependsOn: a part
//     serves some of the component's requests, so the component is down
//     or partly down when the part is; the part does not depend on its
//     parent. Soften it with catch22.dev/soft-dependencies on the parent
//     where a part only degrades the whole. A subcomponent without a
//     system of its own is in its parent's (through every level). A parent
//     outside the import is a warning.
//   - spec.consumesApis (default kind API) becomes a dependency on every
//     component whose spec.providesApis lists the API (the API entity
//     itself need not be imported). An API no imported component provides
//     becomes an external node, with a warning: named after the API's
//     label ("<label>-api" when a component or resource has that name),
//     kind external, with the API entity's owner, system and description
//     when it is imported; the node exists only when some service depends
//     on it. Annotations name it "api:<name>".
//   - spec.providesApis naming an API outside the import is a warning; the
//     consumers are linked all the same.
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
