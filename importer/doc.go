// Package importer writes the manifests an import derives from another
// source (a Backstage catalog, Kubernetes objects, a Compose file) and
// merges them with what a previous import wrote, so that every importer
// behaves the same on re-import.
//
// An importer derives []*Service and calls Write. Each service becomes one
// manifest, <out>/<system>/<name>.toml (<out>/no-system/ without a system;
// <name>@<env>.toml outside production), whose first line names the tool
// and the source it came from.
//
// # Re-import
//
// The source owns [service] and every entry whose header carries the tool's
// marker ("# from catalog", "# from kubernetes"); it rewrites them.
// Hand-written [[dependency]] and [[recovery]] entries (no marker) are kept
// verbatim with the comments above them, and the note of any dependency is
// kept. A hand-written dependency on a node the source now names is taken
// over by the source (its note kept), unless the source's entry is a guess
// (Dep.Guess): then the hand-written entry wins, which is how a person
// settles a guess. A hand-written procedure named like a generated one is
// an error. Files are matched to services by the source in their first
// line, then by node ID; a file whose source is gone is reported stale and
// removed only with Options.Prune. Files without this tool's header (hand-
// written ones, and those of another importer) are never written to.
//
// Nothing is written unless every service and every generated file in the
// output directory are valid; files are written through a temporary file
// and a rename. Output is deterministic: dependencies sorted by target,
// procedures by name, changes by path.
package importer
