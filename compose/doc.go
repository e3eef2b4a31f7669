// Package compose imports a Compose project into catch22 manifests:
// `catch22 import compose FILE|DIR... --out DIR`.
//
// It owns reading the project (positioned, through internal/yamlpos; the
// .env file and env_file entries; variable interpolation) and the mapping
// below; writing and merging with a previous import is package
// importer's, and the address heuristics are shared with package
// kubernetes through kubernetes/hostref. It knows nothing of graphs,
// rules or reports.
//
// # Input
//
// A FILE is read as is; a DIR stands for the first of compose.yaml,
// compose.yml, docker-compose.yaml and docker-compose.yml in it, followed
// by its override file, as `docker compose` picks them. Several files
// merge in order, as `docker compose -f a -f b` does: scalars are
// replaced, environment, labels and depends_on merged by key. Variables
// (${VAR}, ${VAR:-default}, ${VAR:?error}…) come from the .env file
// beside the first file and only from it: the process environment is
// never read, so that the same files always give the same manifests. An
// unset variable is a warning, a ${VAR:?…} one an error. `extends` is not
// followed (a warning says so).
//
// # Nodes
//
// Each service is one node named by its key, lower-cased. The system is
// the project name: COMPOSE_PROJECT_NAME in .env, else the top-level
// name, else the directory's name. Kind datastore for a well-known
// datastore image (hostref.DatastoreImage), service otherwise; owner from
// an "owner" or "team" label; a service under profiles says so in its
// description. Image registries and outside hosts become external nodes,
// as in package kubernetes. Compose runs on one Docker host, which is not
// modelled: it is no more visible in a Compose file than the machine is.
//
// # Edges
//
//   - depends_on (list form, or condition service_started): hard,
//     runtime, mechanical. condition service_healthy or
//     service_completed_successfully: Compose waits for it before starting
//     the service, which is all the file says: phase start. required:
//     false makes it soft.
//   - links: hard runtime; a link alias also resolves host names.
//   - image: a start-time dependency on the registry, unless the service
//     has a build section (it is built, not pulled).
//   - environment and env_file: a variable whose name ends in _ADDR,
//     _HOST, _URL, _ENDPOINT… and whose value names another service (by
//     name, container_name, network alias, or Compose's default container
//     name) is a guess, marked in the manifest for review: hard runtime,
//     or soft observability for telemetry names. A bare "- NAME" takes its
//     value from .env. A single-label host no service answers to is a
//     warning; a host with a dot is an outside host.
//
// Kind data when the target is a datastore. When several facts link the
// same two nodes, the strongest is written: runtime over start,
// mechanical over guess, hard over soft.
package compose
