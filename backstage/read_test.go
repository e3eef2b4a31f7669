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

// writeFiles writes files (slash-separated names relative to dir).
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// component is a catalog file of one Component.
func component(name, spec string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
		"\nspec:\n  type: service\n  owner: team-a\n" + spec
}

// TestOtherYAML walks a repository that holds, beside its catalog files,
// the YAML of other tools: a Helm chart (whose templates are not YAML
// until rendered), Grafana provisioning (apiVersion: 1), a Kubernetes
// Deployment (apiVersion: apps/v1), a CI workflow, a Compose file and a
// package.json. They are not catalog files and are skipped without a
// word; named on the command line, each is an error.
func TestOtherYAML(t *testing.T) {
	dir := copyTree(t, real+"/demo")
	for _, f := range readTree(t, real+"/charts") {
		writeFiles(t, dir, map[string]string{"charts/" + f.Name: string(f.Data)})
	}
	writeFiles(t, dir, map[string]string{
		"deploy/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: backstage\nspec:\n  replicas: 2\n",
		"workflows/ci.yml":       "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
		"package.json":           "{\"name\": \"demo\", \"version\": \"1.0.0\"}\n",
	})
	out := t.TempDir()
	res, err := backstage.Import([]string{dir}, importer.Options{Out: out})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if want := "2 services from 3 entities: 2 created; skipped 6 AiResource, 1 Template"; res.Summary() != want {
		t.Errorf("summary:\n got %s\nwant %s", res.Summary(), want)
	}

	t.Chdir(dir)
	for _, tc := range []struct{ file, want string }{
		{"open-telemetry/datasources/prometheus-datasource.yml", `open-telemetry/datasources/prometheus-datasource.yml:1:1: no Backstage entity here: no document has an apiVersion of backstage.io (found "1")`},
		{"deploy/deployment.yaml", `deploy/deployment.yaml:1:1: no Backstage entity here: no document has an apiVersion of backstage.io (found "apps/v1")`},
		{"workflows/ci.yml", `workflows/ci.yml:1:1: no Backstage entity here: no document has an apiVersion`},
		// Not YAML until rendered: the parser's complaint.
		{"charts/charts/backstage/templates/hpa.yaml", "charts/charts/backstage/templates/hpa.yaml:"},
	} {
		_, err := backstage.Import([]string{tc.file}, importer.Options{Out: out})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("import %s: %v\nwant one error starting with %s", tc.file, err, tc.want)
		}
	}
}

// TestBrokenTemplateOfAnEntity: a file that sets a Backstage apiVersion is
// a catalog file even when found by walking, so a Helm template of a
// catalog entity is reported, not skipped: its entities would be missing.
func TestBrokenTemplateOfAnEntity(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, ".", map[string]string{
		"cat/catalog-info.yaml":           component("web", ""),
		"cat/templates/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {{ .Values.name }}\n",
	})
	_, err := backstage.Import([]string{"cat"}, importer.Options{Out: "out"})
	if err == nil || !strings.HasPrefix(err.Error(), "cat/templates/catalog-info.yaml:4:") {
		t.Errorf("err = %v, want an error in cat/templates/catalog-info.yaml at line 4", err)
	}
}

// TestLocations follows Location entities: a glob, a relative path that
// climbs out of the catalog directory, a Location that includes itself
// (and one that includes it back, and a symbolic link to it): every file
// is read once.
func TestLocations(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, ".", map[string]string{
		"cat/catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: root}
spec:
  targets:
    - ./catalog-info.yaml
    - ./services/*.yaml
    - ../shared/db.yaml
    - ./more.yaml
---
` + component("web", "  dependsOn: [component:api, resource:db]\n"),
		"cat/more.yaml": `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: more}
spec:
  type: url
  target: catalog-info.yaml
`,
		"cat/services/api.yaml":       component("api", "  dependsOn: [resource:db]\n"),
		"cat/services/worker.yaml":    component("worker", ""),
		"cat/services/notes.txt":      "not a catalog file",
		"cat/services/deep/job.yaml":  component("job", ""), // * does not descend
		"shared/db.yaml":              "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: db}\nspec: {type: database, owner: team-a}\n",
		"shared/not-named-by-any.yml": component("stray", ""),
	})
	if err := os.Symlink("catalog-info.yaml", filepath.Join("cat", "link.yaml")); err != nil {
		t.Logf("no symbolic link: %v", err)
	} else {
		writeFiles(t, ".", map[string]string{"cat/services/loop.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: loop}\nspec:\n  targets: [../link.yaml]\n"})
	}
	out := t.TempDir()
	res, err := backstage.Import([]string{"cat/catalog-info.yaml"}, importer.Options{Out: out})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	services, edges := graphOf(t, out)
	wantServices := []string{
		"no-system/api.toml: api@production service, owner team-a",
		"no-system/db.toml: db@production datastore, owner team-a",
		"no-system/web.toml: web@production service, owner team-a",
		"no-system/worker.toml: worker@production service, owner team-a",
	}
	if diff := cmp.Diff(wantServices, services); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
	wantEdges := []string{"api -> db (runtime, hard)", "web -> api (runtime, hard)", "web -> db (runtime, hard)"}
	if diff := cmp.Diff(wantEdges, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}

	// Walking the directory reaches the same files, and the Location
	// still brings the one outside it.
	res, err = backstage.Import([]string{"cat"}, importer.Options{Out: out})
	if err != nil {
		t.Fatalf("import of the directory: %v", err)
	}
	if got := changes(res); !slices.Contains(got, "created no-system/job.toml") || len(got) != 5 {
		t.Errorf("import of the directory: %q, want the four services unchanged and job created", got)
	}
}

// TestLocationErrors: a target that names no file is an error at the
// target, and so are a glob that matches nothing and a directory; a URL
// is a warning; presence: optional silences a missing target. Nothing is
// written.
func TestLocationErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, ".", map[string]string{
		"cat/catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: root}
spec:
  targets:
    - ./missing.yaml
    - ./components/*.yml
    - ./components
    - ""
    - https://github.com/acme/catalog/blob/main/catalog-info.yaml
    - [./nested.yaml]
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: optional}
spec:
  presence: optional
  target: ./maybe.yaml
---
` + component("web", ""),
		"cat/components/api.yaml": component("api", ""),
	})
	_, err := backstage.Import([]string{"cat"}, importer.Options{Out: "out"})
	want := strings.Join([]string{
		`cat/catalog-info.yaml:6:7: spec.targets: "./missing.yaml": no such file (looked for cat/missing.yaml)`,
		`cat/catalog-info.yaml:7:7: spec.targets: "./components/*.yml" matches no file (looked for cat/components/*.yml)`,
		`cat/catalog-info.yaml:8:7: spec.targets: "./components" is a directory; want a file, or a glob such as "./components/*.yaml"`,
		`cat/catalog-info.yaml:9:7: spec.targets: empty target: want a file path, relative to this file`,
		`cat/catalog-info.yaml:11:7: spec.targets: want a file path (a string), got a list`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
	if _, err := os.Stat("out"); !os.IsNotExist(err) {
		t.Errorf("out was created (%v)", err)
	}

	// The URL alone is a warning.
	writeFiles(t, ".", map[string]string{"cat/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec:\n  type: url\n  target: https://github.com/acme/catalog/blob/main/catalog-info.yaml\n---\n" + component("web", "")})
	res, err := backstage.Import([]string{"cat"}, importer.Options{Out: "out"})
	if err != nil {
		t.Fatal(err)
	}
	wantWarnings := []string{`cat/catalog-info.yaml:6:11: warning: spec.target: cannot read "https://github.com/acme/catalog/blob/main/catalog-info.yaml": catch22 reads local files only (download it and name it on the command line)`}
	if diff := cmp.Diff(wantWarnings, errorStrings(res.Warnings)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// TestCatalogAPI reads what the catalog API returns: an array of entities
// (GET /api/catalog/entities) and the paginated {"items": [...]} of
// /entities/by-query, with the fields the catalog adds (uid, etag,
// relations, managed-by-location annotations). Both give the same
// manifests; the Locations in them are not followed, since the entities
// they produced are already there.
func TestCatalogAPI(t *testing.T) {
	var trees [][]manifest.File
	for _, file := range []string{"testdata/catalog-api/entities.json", "testdata/catalog-api/by-query.json"} {
		out := t.TempDir()
		res, err := backstage.Import([]string{file}, importer.Options{Out: out})
		if err != nil {
			t.Fatalf("import %s: %v", file, err)
		}
		if want := "6 services from 9 entities: 6 created; skipped 2 Location, 1 User"; res.Summary() != want {
			t.Errorf("%s: summary:\n got %s\nwant %s", file, res.Summary(), want)
		}
		var consumes []string
		for _, w := range errorStrings(res.Warnings) {
			if strings.Contains(w, "spec.consumesApis") {
				consumes = append(consumes, w)
			}
		}
		// Positions point into the JSON.
		wantLine := map[string]string{
			"testdata/catalog-api/entities.json": "testdata/catalog-api/entities.json:220:9: ",
			"testdata/catalog-api/by-query.json": "testdata/catalog-api/by-query.json:11:654: ",
		}[file]
		if want := wantLine + `warning: spec.consumesApis: no imported component provides API "demo-graphql" (spec.providesApis): the dependency goes to the external node "demo-graphql"`; len(consumes) != 1 || consumes[0] != want {
			t.Errorf("%s: consumesApis warnings %q, want %q", file, consumes, want)
		}
		services, edges := graphOf(t, out)
		wantEdges := []string{
			"backstage-demo -> demo-graphql (runtime, hard)",
			"wayback-archive -> wayback-archive-ingestion (runtime, hard)",
			"wayback-archive -> wayback-archive-storage (runtime, hard)",
			"wayback-search -> wayback-archive (runtime, hard)",
		}
		if diff := cmp.Diff(wantEdges, edges); diff != "" {
			t.Errorf("%s: edges (-want +got):\n%s", file, diff)
		}
		if !slices.Contains(services, "no-system/demo-graphql.toml: demo-graphql@production external, owner backstage.maintainers") {
			t.Errorf("%s: services lack the external demo-graphql:\n%s", file, strings.Join(services, "\n"))
		}
		trees = append(trees, readTree(t, out))
	}
	if diff := cmp.Diff(trees[0], trees[1]); diff != "" {
		t.Errorf("the two forms give different manifests (-array +items):\n%s", diff)
	}
}

// TestCatalogAPIShapes: JSON is recognised by its first character too
// (after a byte order mark), whatever the file is called; an item that is
// not an entity is an error at the item.
func TestCatalogAPIShapes(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, ".", map[string]string{
		"dump.txt": "\ufeff  [{\"apiVersion\": \"backstage.io/v1alpha1\", \"kind\": \"Component\",\n" +
			"    \"metadata\": {\"name\": \"web\", \"namespace\": \"default\", \"uid\": \"1\"},\n" +
			"    \"spec\": {\"type\": \"service\", \"owner\": \"team-a\"}}]\n",
		"bad.json": "{\"items\": [\n  {\"apiVersion\": \"backstage.io/v1alpha1\", \"kind\": \"User\", \"metadata\": {\"name\": \"jane\"}},\n  \"web\"\n]}\n",
	})
	res, err := backstage.Import([]string{"dump.txt"}, importer.Options{Out: "out"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "1 service from 1 entity: 1 created"; res.Summary() != want {
		t.Errorf("summary %q, want %q", res.Summary(), want)
	}
	_, err = backstage.Import([]string{"bad.json"}, importer.Options{Out: "out"})
	if want := "bad.json:3:3: want a Backstage entity (a mapping with apiVersion, kind, metadata and spec), got a string"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}
