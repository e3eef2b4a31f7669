package backstage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/backstage"
	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/manifest"
)

// TestMapping covers the mapping decisions one by one on a small catalog.
func TestMapping(t *testing.T) {
	cat := t.TempDir()
	write := func(name, data string) {
		path := filepath.Join(cat, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("catalog-info.yaml", `apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: Shop}
spec: {owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: Web-App
  title: Web application
  annotations:
    catch22.dev/name: web
spec:
  type: website
  lifecycle: deprecated
  owner: user:jane
  system: shop
  dependsOn: [Resource:DB]
  consumesApis: [orders]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: orders-v1}
spec: {type: service, owner: team-a, providesApis: [orders], consumesApis: [orders]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: orders-v2, namespace: ops}
spec: {type: service, owner: team-b, providesApis: [default/orders]}
---
apiVersion: backstage.io/v1beta1
kind: API
metadata: {name: orders}
spec: {type: openapi, owner: team-a, definition: x, lifecycle: production}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: db
  annotations:
    catch22.dev/env: staging
spec: {type: database, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: cache}
spec:
  type: redis-cluster
  owner: team-a
  dependencyOf: [component:web-app]
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: new-service}
spec: {}
`)
	// Not catalog files: skipped without a word when walked.
	write("docker-compose.yml", "services:\n  web:\n    image: nginx\n")
	write(".github/workflows/ci.yaml", "on: push\n")

	out := t.TempDir()
	res, err := backstage.Import([]string{cat}, importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("5 services from 7 entities: 5 created; skipped 1 Template", res.Summary()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings without any Group imported: %v", res.Warnings)
	}
	ms, err := manifest.Load([]string{out})
	if err != nil {
		t.Fatal(err)
	}
	type dep struct{ On, Kind, Mode string }
	type svc struct {
		File, ID, Owner, System, Kind, Description string
		Deps                                       []dep
	}
	var got []svc
	for _, m := range ms {
		rel, _ := filepath.Rel(out, m.File)
		s := svc{File: filepath.ToSlash(rel), ID: m.ID(), Owner: m.Service.Owner, System: m.Service.System,
			Kind: string(m.Service.Kind), Description: m.Service.Description}
		for _, d := range m.Dependencies {
			s.Deps = append(s.Deps, dep{d.On.ID(), string(d.Kind), string(d.Mode)})
		}
		got = append(got, s)
	}
	want := []svc{
		{File: "no-system/cache.toml", ID: "cache@production", Owner: "team-a", Kind: "service"},
		{File: "no-system/db@staging.toml", ID: "db@staging", Owner: "team-a", Kind: "datastore"},
		{File: "no-system/ops.orders-v2.toml", ID: "ops.orders-v2@production", Owner: "ops.team-b", Kind: "service"},
		// orders-v1 consumes the API it provides: no dependency on itself,
		// one on the other provider.
		{File: "no-system/orders-v1.toml", ID: "orders-v1@production", Owner: "team-a", Kind: "service",
			Deps: []dep{{"ops.orders-v2@production", "runtime", "hard"}}},
		{File: "shop/web.toml", ID: "web@production", Owner: "user:jane", System: "shop", Kind: "service",
			Description: "Web application (lifecycle: deprecated)",
			Deps: []dep{
				{"cache@production", "runtime", "hard"}, // from cache's dependencyOf
				{"db@staging", "runtime", "hard"},
				{"ops.orders-v2@production", "runtime", "hard"}, // both providers of orders
				{"orders-v1@production", "runtime", "hard"},
			}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("manifests (-want +got):\n%s", diff)
	}
	web, err := os.ReadFile(filepath.Join(out, "shop", "web.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, marker := range []string{
		"[[dependency]] # from catalog: spec.dependencyOf of resource:default/cache\non = \"cache\"\n",
		"[[dependency]] # from catalog: spec.dependsOn\non = \"db@staging\"\n",
		"[[dependency]] # from catalog: spec.consumesApis api:default/orders\non = \"ops.orders-v2\"\n",
	} {
		if !strings.Contains(string(web), marker) {
			t.Errorf("web.toml lacks %q:\n%s", marker, web)
		}
	}
}
