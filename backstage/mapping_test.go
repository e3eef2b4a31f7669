package backstage_test

import (
	"os"
	"path/filepath"
	"slices"
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

// importFiles writes a catalog directory and imports it.
func importFiles(t *testing.T, files map[string]string) (*importer.Result, string, error) {
	t.Helper()
	cat, out := t.TempDir(), t.TempDir()
	writeFiles(t, cat, files)
	res, err := backstage.Import([]string{cat}, importer.Options{Out: out})
	for i, w := range res.Warnings {
		// Name files relative to the catalog, as a user who ran the
		// import from it would see them.
		res.Warnings[i] = &manifest.Error{Pos: w.Pos, Msg: w.Msg}
		if rel, err := filepath.Rel(cat, w.Pos.File); err == nil {
			res.Warnings[i].Pos.File = filepath.ToSlash(rel)
		}
	}
	return res, out, err
}

// TestSubcomponents: a component depends on its parts, and a part without
// a system of its own is in its parent's (through any number of levels).
func TestSubcomponents(t *testing.T) {
	res, out, err := importFiles(t, map[string]string{"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: archive}
spec: {owner: team-a}
---
` + component("wayback-archive", "  system: archive\n") + `
---
` + component("ingestion", "  subcomponentOf: wayback-archive\n") + `
---
` + component("crawler", "  subcomponentOf: component:default/ingestion\n") + `
---
` + component("storage", "  subcomponentOf: wayback-archive\n  system: storage\n") + `
---
` + component("orphan", "  subcomponentOf: gone\n")})
	if err != nil {
		t.Fatal(err)
	}
	wantWarnings := []string{
		`catalog-info.yaml:54:19: warning: spec.subcomponentOf: no Component "gone" in the imported catalog`,
		`catalog-info.yaml:44:11: warning: spec.system: no System "storage" in the imported catalog`,
	}
	if diff := cmp.Diff(sortedStrings(wantWarnings), sortedStrings(errorStrings(res.Warnings))); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	services, edges := graphOf(t, out)
	wantServices := []string{
		"archive/crawler.toml: crawler@production service, owner team-a, system archive",
		"archive/ingestion.toml: ingestion@production service, owner team-a, system archive",
		"archive/wayback-archive.toml: wayback-archive@production service, owner team-a, system archive",
		"no-system/orphan.toml: orphan@production service, owner team-a",
		"storage/storage.toml: storage@production service, owner team-a, system storage",
	}
	if diff := cmp.Diff(wantServices, services); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
	wantEdges := []string{
		"ingestion -> crawler (runtime, hard)",
		"wayback-archive -> ingestion (runtime, hard)",
		"wayback-archive -> storage (runtime, hard)",
	}
	if diff := cmp.Diff(wantEdges, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(filepath.Join(out, "archive", "wayback-archive.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "[[dependency]] # from catalog: spec.subcomponentOf of component:default/ingestion\non = \"ingestion\"\n"; !strings.Contains(string(data), want) {
		t.Errorf("wayback-archive.toml lacks %q:\n%s", want, data)
	}
}

// TestLibraries: a library is no node. Depending on one is depending on
// what it depends on (its calls run in the dependent's process), through
// chains and cycles of libraries; a library with catch22.dev/kind is a
// node after all.
func TestLibraries(t *testing.T) {
	lib := func(name, spec string) string {
		return strings.Replace(component(name, spec), "type: service", "type: library", 1)
	}
	res, out, err := importFiles(t, map[string]string{"catalog-info.yaml": component("app", "  dependsOn: [component:payments-sdk]\n") + `
---
` + lib("payments-sdk", "  dependsOn: [component:http-client]\n  consumesApis: [stripe]\n") + `
---
` + lib("http-client", "  dependsOn: [component:payments-sdk, resource:dns]\n") + `
---
` + lib("unused-sdk", "  consumesApis: [twilio]\n") + `
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: dns}
spec: {type: dns, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: secrets}
spec:
  type: secrets
  owner: team-a
  dependencyOf: [component:http-client]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: sidecar
  annotations:
    catch22.dev/kind: service
spec: {type: library, owner: team-a}
`})
	if err != nil {
		t.Fatal(err)
	}
	if want := "5 services from 4 entities: 5 created; skipped 3 Component (library)"; res.Summary() != want {
		t.Errorf("summary:\n got %s\nwant %s", res.Summary(), want)
	}
	services, edges := graphOf(t, out)
	wantServices := []string{
		"no-system/app.toml: app@production service, owner team-a",
		"no-system/dns.toml: dns@production network, owner team-a",
		"no-system/secrets.toml: secrets@production datastore, owner team-a",
		"no-system/sidecar.toml: sidecar@production service, owner team-a",
		// Consumed through a library app links; twilio's SDK is linked by
		// nobody, so twilio is no node.
		"no-system/stripe.toml: stripe@production external, owner ",
	}
	if diff := cmp.Diff(wantServices, services); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
	wantEdges := []string{
		"app -> dns (runtime, hard)",
		"app -> secrets (runtime, hard)",
		"app -> stripe (runtime, hard)",
	}
	if diff := cmp.Diff(wantEdges, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(filepath.Join(out, "no-system", "app.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"[[dependency]] # from catalog: spec.dependsOn via library component:default/http-client\non = \"dns\"\n",
		"[[dependency]] # from catalog: spec.consumesApis api:default/stripe via library component:default/payments-sdk\non = \"stripe\"\n",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("app.toml lacks %q:\n%s", want, data)
		}
	}
}

// TestLibraryAnnotations: catch22 annotations on a library, or naming one,
// are errors that say why.
func TestLibraryAnnotations(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, ".", map[string]string{"cat/catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: sdk
  annotations:
    catch22.dev/tier: "1"
spec: {type: library, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: app
  annotations:
    catch22.dev/soft-dependencies: sdk
spec:
  type: service
  owner: team-a
  dependsOn: [component:sdk]
`})
	_, err := backstage.Import([]string{"cat"}, importer.Options{Out: "out"})
	want := `cat/catalog-info.yaml:6:5: catch22.dev/tier: a library (spec.type library) is no node: it runs inside the services that depend on it; set catch22.dev/kind to make it one` + "\n" +
		`cat/catalog-info.yaml:14:36: catch22.dev/soft-dependencies: "sdk" is a library, no node: it runs inside the services that depend on it (name what it depends on)`
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
}

// TestExternalAPIs: a consumed API nobody imported provides becomes an
// external node, named after the API (with "-api" when a component has
// that name), owned and described as the API entity says; one whose
// entity is not imported either is named from the reference. Consumer
// annotations can name it as api:<name>.
func TestExternalAPIs(t *testing.T) {
	res, out, err := importFiles(t, map[string]string{"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
  annotations:
    catch22.dev/soft-dependencies: "api:payments"
spec:
  type: website
  owner: team-a
  consumesApis: [payments, ledger, ops/geo-lookup, orders]
---
` + component("ledger", "") + `
---
` + component("orders-service", "  providesApis: [orders]\n") + `
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: payments, title: Payment provider}
spec: {type: openapi, owner: group:finance, system: billing, lifecycle: experimental, definition: x}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: ledger, description: The ledger's REST API}
spec: {type: openapi, owner: team-a, definition: x}
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: billing}
spec: {owner: finance}
`})
	if err != nil {
		t.Fatal(err)
	}
	wantWarnings := []string{
		`catalog-info.yaml:10:18: warning: spec.consumesApis: no imported component provides API "payments" (spec.providesApis): the dependency goes to the external node "payments"`,
		`catalog-info.yaml:10:28: warning: spec.consumesApis: no imported component provides API "ledger" (spec.providesApis): the dependency goes to the external node "ledger-api"`,
		`catalog-info.yaml:10:36: warning: spec.consumesApis: no API "ops/geo-lookup" in the imported catalog, and no imported component provides it: the dependency goes to the external node "ops.geo-lookup"`,
		// The component provides an API that is not imported: its
		// consumers are linked all the same.
		`catalog-info.yaml:28:18: warning: spec.providesApis: no API "orders" in the imported catalog`,
	}
	if diff := cmp.Diff(wantWarnings, errorStrings(res.Warnings)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	services, edges := graphOf(t, out)
	wantServices := []string{
		"billing/payments.toml: payments@production external, owner finance, system billing",
		"no-system/ledger-api.toml: ledger-api@production external, owner team-a",
		"no-system/ledger.toml: ledger@production service, owner team-a",
		"no-system/ops.geo-lookup.toml: ops.geo-lookup@production external, owner ",
		"no-system/orders-service.toml: orders-service@production service, owner team-a",
		"no-system/shop.toml: shop@production service, owner team-a",
	}
	if diff := cmp.Diff(wantServices, services); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
	wantEdges := []string{
		"shop -> ledger-api (runtime, hard)",
		"shop -> ops.geo-lookup (runtime, hard)",
		"shop -> orders-service (runtime, hard)",
		"shop -> payments (runtime, soft)",
	}
	if diff := cmp.Diff(wantEdges, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(filepath.Join(out, "billing", "payments.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "# Generated by `catch22 import backstage` from api:default/payments.\n"; !strings.HasPrefix(string(data), want) {
		t.Errorf("payments.toml does not start with %q:\n%s", want, data)
	}
	if want := "description = \"Payment provider (lifecycle: experimental)\"\n"; !strings.Contains(string(data), want) {
		t.Errorf("payments.toml lacks %q:\n%s", want, data)
	}
}

// TestReferenceMessages: a reference to the wrong kind of entity is told
// with the right article ("an API").
func TestReferenceMessages(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, ".", map[string]string{"cat/catalog-info.yaml": component("www-artist", "  consumesApis: ['component:artist-lookup']\n  dependsOn: [api:artists]\n")})
	_, err := backstage.Import([]string{"cat"}, importer.Options{Out: "out"})
	want := `cat/catalog-info.yaml:8:18: spec.consumesApis: "component:artist-lookup" is a Component; want a reference to an API` + "\n" +
		`cat/catalog-info.yaml:9:15: spec.dependsOn: "api:artists" is an API; want a reference to a Component or a Resource`
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
}

func sortedStrings(l []string) []string {
	l = slices.Clone(l)
	slices.Sort(l)
	return l
}

// TestAPIAnnotationErrors: "api:<name>" in an annotation names an external
// node only; a provided API, or one nobody consumes, is an error saying
// what to write instead.
func TestAPIAnnotationErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, ".", map[string]string{"cat/catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
  annotations:
    catch22.dev/soft-dependencies: "api:orders, api:unused"
spec:
  type: service
  owner: team-a
  consumesApis: [orders]
---
` + component("orders-service", "  providesApis: [orders]\n")})
	_, err := backstage.Import([]string{"cat"}, importer.Options{Out: "out"})
	want := `cat/catalog-info.yaml:6:36: catch22.dev/soft-dependencies: API "api:orders" is provided in the catalog: name the component that provides it` + "\n" +
		`cat/catalog-info.yaml:6:36: catch22.dev/soft-dependencies: API "api:unused" is no external node: only an API that a service consumes and no imported component provides becomes one`
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
}
