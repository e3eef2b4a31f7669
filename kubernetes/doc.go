// Package kubernetes imports Kubernetes manifests (plain YAML, `kustomize
// build` output, `kubectl get -o yaml` Lists) into catch22 manifests:
// `catch22 import kubernetes PATH... --out DIR`.
//
// It owns reading the objects (positioned, through internal/yamlpos), the
// mapping from objects to nodes and edges below, and the choices a
// platform team makes on day one; writing and merging with a previous
// import is package importer's. It knows nothing of graphs, rules or
// reports: the output is checked by manifest.Parse like any hand-written
// file.
//
// # Nodes
//
//   - Each Deployment, StatefulSet, DaemonSet, Job, CronJob and Argo
//     Rollout is one node. Its name is metadata.name in the default
//     namespace and "namespace.name" elsewhere, so that two namespaces
//     never share a node; objects that name no namespace are in
//     Options.Namespace ("default"), as with kubectl apply -n.
//   - Kind: Job and CronJob are tools (batch work, such as a backup);
//     a StatefulSet is a datastore (stable storage is why it exists), and
//     so is any workload whose first container runs a well-known datastore
//     image (redis, postgres, kafka…: hostref.DatastoreImage); everything
//     else is a service.
//   - System: the app.kubernetes.io/part-of label of the workload (or of
//     its pod template), else the namespace unless it is "default".
//     Owner: an "owner" label, else "team", else the same annotations.
//   - A Service without a selector (ExternalName, or endpoints managed by
//     hand) is an external node: the workloads that call it need something
//     these manifests do not run.
//   - The cluster is one node (Options.Cluster, "kubernetes" by default)
//     that every workload hard-depends on at runtime: it is the blast
//     radius of a cluster-wide outage.
//   - Every image registry is an external node ("gcr.io", "docker.io" for
//     images that name none, "localhost-5000" for a registry with a port);
//     a registry that runs in the cluster (its host is a Service's) is the
//     workload behind that Service instead.
//   - A host named in the environment that is no cluster name (it has a
//     dot and is neither *.svc… nor name.namespace of a namespace in the
//     input) is an external node named by the host: "api.stripe.com".
//
// # Edges
//
// Every dependency of a workload is one of:
//
//   - runs on the cluster: hard, runtime, kind runtime;
//   - pulls an image (of any container, init containers included): hard,
//     phase start, kind deploy. A running pod does not need its registry;
//     a restart, a reschedule or a rollout does;
//   - an environment variable whose name ends in _ADDR, _ADDRESS, _HOST,
//     _HOSTNAME, _URL, _URI, _DSN, _ENDPOINT, _SERVER (and their plurals)
//     and whose value names a host: a guess (Dep.Guess), which the
//     manifest marks for a person to review. Hard runtime; kind data when
//     the target is a datastore; soft and kind observability when the
//     name speaks of telemetry (OTEL, JAEGER, METRICS…), since exporters
//     drop data rather than fail; phase start for an init container, which
//     runs to completion before the pod starts. Names about the service's
//     own address (LISTEN_ADDR, BIND_HOST, …ADVERTISED…) are skipped.
//
// A host resolves as cluster DNS does from the pod's namespace: "cart",
// "cart.shop", "cart.shop.svc", "cart.shop.svc.cluster.local" (any
// cluster domain), and "redis-0.redis…" for a pod of a headless Service;
// it names every workload whose pod template labels the Service's
// selector matches. Values are resolved as the kubelet does: envFrom
// ConfigMaps first, then env in order, configMapKeyRef read from the
// ConfigMaps of the input, $(VAR) expanded. Secrets are never read, so
// no credential can reach a generated file, and the source written after
// the "# from kubernetes" marker is only "env NAME=host:port", never the
// value. When several facts link the same two nodes, the strongest is
// written: runtime over start, mechanical over guess, hard over soft.
//
// # Input
//
// A PATH is a file, "-" for standard input, or a directory walked for
// *.yaml and *.yml. A named file must hold Kubernetes objects only; a
// file found by walking is read only when one of its documents has an
// apiVersion and a kind (a values.yaml or a CI workflow is passed over),
// and an unrendered Helm template is skipped with a warning there but is
// an error when named. Kinds not listed above (Ingress, ServiceAccount,
// Secret, RBAC, CRDs, a Knative Service…) are counted in the summary and
// otherwise ignored.
//
// Nothing is written when any input is wrong: every error is reported at
// once as file:line:col. A Service that selects nothing, a missing
// ConfigMap and a cluster name that no Service answers to are warnings.
package kubernetes
