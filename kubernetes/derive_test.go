package kubernetes_test

import (
	"os"
	"strings"
	"testing"

	"github.com/catch22/catch22/kubernetes"
	"github.com/catch22/catch22/manifest"
)

// TestKustomizeBuild imports a kustomize-shaped stream and checks each
// mapping rule on its edges: namespaces in names, systems from
// app.kubernetes.io/part-of, ConfigMaps through envFrom, $(VAR)
// expansion, headless pod names, ExternalName Services, an in-cluster
// registry, outside hosts, telemetry as soft, init containers at start,
// CronJobs as tools, a List, and what is skipped.
func TestKustomizeBuild(t *testing.T) {
	out := t.TempDir()
	o := options(out)
	o.Cluster = "prod-eu"
	res, err := kubernetes.Import([]string{"testdata/shop-kustomize-build.yaml"}, o)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	wantSummary := "11 services from 12 Kubernetes objects: 11 created; skipped 1 Ingress, 1 Namespace, 1 Secret, 1 Service (serving.knative.dev), 1 ServiceAccount"
	if got := res.Summary(); got != wantSummary {
		t.Errorf("summary\n%s\nwant\n%s", got, wantSummary)
	}
	wantWarnings := []string{
		"testdata/shop-kustomize-build.yaml:82:9: warning: Service shop/orphan selects no workload in the input",
		`testdata/shop-kustomize-build.yaml:127:18: warning: SEARCH_URL: no Service in the input answers to "search.shop.svc" from namespace shop: no dependency derived`,
		`testdata/shop-kustomize-build.yaml:129:18: warning: OTEL_EXPORTER_OTLP_ENDPOINT: no Service in the input answers to "otel-collector.observability.svc.cluster.local" from namespace shop: no dependency derived`,
	}
	if got := strings.Split(strings.TrimSpace(errorLines(res.Warnings)), "\n"); !equal(got, wantWarnings) {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantWarnings, "\n"))
	}
	got, kinds := edges(t, out)
	want := []string{
		"shop.api -> prod-eu runtime hard run",
		"shop.api -> ghcr.io deploy hard start",
		// The init container's DB_HOST names a pod of the headless
		// Service: needed to start.
		"shop.api -> shop.orders-db data hard start guess",
		// From the generated ConfigMap, through envFrom; and through
		// $(CATALOG_HOST).
		"shop.api -> shop.catalog runtime hard run guess",
		"shop.api -> api.stripe.com runtime hard run guess",
		"shop.api -> shop.legacy-billing runtime hard run guess",
		"shop.catalog -> prod-eu runtime hard run",
		// The registry runs in the cluster, behind a Service.
		"shop.catalog -> shop.registry deploy hard start",
		"shop.orders-db -> prod-eu runtime hard run",
		"shop.orders-db -> docker.io deploy hard start",
		"shop.registry -> prod-eu runtime hard run",
		"shop.registry -> docker.io deploy hard start",
		"shop.nightly-export -> prod-eu runtime hard run",
		"shop.nightly-export -> quay.io deploy hard start",
		"shop.nightly-export -> shop.api runtime hard run guess",
	}
	diffEdges(t, want, got)
	for name, kind := range map[string]manifest.Kind{
		"shop.orders-db": manifest.KindDatastore, "shop.nightly-export": manifest.KindTool, "shop.api": manifest.KindService,
		"shop.legacy-billing": manifest.KindExternal, "api.stripe.com": manifest.KindExternal, "prod-eu": manifest.KindService,
	} {
		if kinds[name] != kind {
			t.Errorf("%s is a %s, want %s", name, kinds[name], kind)
		}
	}
	api, err := os.ReadFile(out + "/storefront/shop.api.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`system = "storefront"`, `owner = "checkout-team"`,
		"# from kubernetes: env PAYMENTS_ENDPOINT=api.stripe.com from ConfigMap api-config-8t5hm2c7b4\n",
		"# from kubernetes: env DB_HOST=orders-db-0.orders-db in init container migrate\n",
		"# from kubernetes: image ghcr.io/acme/api\n"} {
		if !strings.Contains(string(api), want) {
			t.Errorf("storefront/shop.api.toml lacks %q:\n%s", want, api)
		}
	}
	// Secrets are never read: nothing of the database URL (and its
	// password) may reach a generated file.
	for _, f := range readTree(t, out) {
		if strings.Contains(string(f.Data), "hunter2") || strings.Contains(string(f.Data), "orders-db:5432") {
			t.Errorf("%s holds a secret's value", f.Name)
		}
	}
	if _, err := os.Stat(out + "/shop/shop.orders-db.toml"); err != nil {
		t.Errorf("a workload without part-of is not in its namespace's system: %v", err)
	}
}

// TestTelemetrySoft checks that a telemetry endpoint that resolves
// becomes a soft observability guess, and --env and --namespace.
func TestTelemetrySoft(t *testing.T) {
	dir := t.TempDir()
	write(t, dir+"/app.yaml", `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: web
        env:
        - {name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://collector:4317"}
        - {name: REDIS_URL, value: "redis://:secret@cache:6379/0"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: collector}
spec:
  template:
    metadata: {labels: {app: collector}}
    spec: {containers: [{name: c, image: otel/opentelemetry-collector}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache}
spec:
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: c, image: bitnami/redis:7.2}]}
---
{apiVersion: v1, kind: Service, metadata: {name: collector}, spec: {selector: {app: collector}}}
---
{apiVersion: v1, kind: Service, metadata: {name: cache}, spec: {selector: {app: cache}}}
`)
	out := t.TempDir()
	o := options(out)
	o.Env, o.Namespace = "staging", "team-a"
	if _, err := kubernetes.Import([]string{dir}, o); err != nil {
		t.Fatal(err)
	}
	got, kinds := edges(t, out)
	for _, want := range []string{"team-a.web -> team-a.collector observability soft run guess", "team-a.web -> team-a.cache data hard run guess"} {
		if !contains(got, want) {
			t.Errorf("no edge %q in %v", want, got)
		}
	}
	if kinds["team-a.cache"] != manifest.KindDatastore {
		t.Errorf("bitnami/redis is a %s", kinds["team-a.cache"])
	}
	if _, err := os.Stat(out + "/team-a/team-a.web@staging.toml"); err != nil {
		t.Error(err)
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
