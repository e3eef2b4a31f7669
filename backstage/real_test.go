package backstage_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/catch22/catch22/backstage"
	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/manifest"
)

// real is a copy of Backstage's own example catalog, of its demo
// deployment and of its Helm chart: see testdata/real/README.md.
const real = "testdata/real"

// TestRealCatalog imports real catalogs as they are, with the other YAML
// of their repositories beside them (Helm templates, Grafana provisioning,
// a Compose file, an OpenAPI document): it must succeed, with warnings
// for what lies outside the import, and give the same bytes when run
// again.
func TestRealCatalog(t *testing.T) {
	out := t.TempDir()
	res, err := backstage.Import([]string{real}, importer.Options{Out: out})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	wantWarnings := []string{
		"testdata/real/backstage/catalog-info.yaml:22:10: warning: spec.owner: no Group \"CNCF\" in the imported catalog",
		"testdata/real/backstage/packages/catalog-model/examples/components/playback-order-component.yaml:12:10: warning: spec.owner: no Group \"guest\" in the imported catalog",
		"testdata/real/backstage/plugins/catalog-backend/catalog-info.yaml:10:10: warning: spec.owner: no Group \"catalog-maintainers\" in the imported catalog",
		"testdata/real/backstage/plugins/catalog-backend/examples/example-location.yaml:8:11: warning: spec.target: cannot read \"https://github.com/spotify/backstage/blob/master/plugins/catalog-backend/examples/example-components.yaml\": catch22 reads local files only (download it and name it on the command line)",
		"testdata/real/demo/catalog-info.yaml:10:10: warning: spec.owner: no Group \"backstage/maintainers\" in the imported catalog",
		"testdata/real/demo/catalog-info.yaml:13:7: warning: spec.consumesApis: no imported component provides API \"demo-graphql\" (spec.providesApis): the dependency goes to the external node \"demo-graphql\"",
		"testdata/real/demo/catalog-info.yaml:23:10: warning: spec.owner: no Group \"backstage/maintainers\" in the imported catalog",
		"testdata/real/demo/examples/mcp-server-api.yaml:17:10: warning: spec.owner: no Group \"backstage/maintainers\" in the imported catalog",
	}
	if diff := cmp.Diff(wantWarnings, errorStrings(res.Warnings)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// Two libraries (backstage itself, playback-sdk) become no node; the
	// Locations were followed, and the AiResources, Domains, Users and the
	// scaffolder Template are skipped.
	wantSummary := "16 services from 37 entities: 16 created; skipped 6 AiResource, 2 Component (library), 3 Domain, 7 Location, 1 Template, 17 User"
	if got := res.Summary(); got != wantSummary {
		t.Errorf("summary:\n got %s\nwant %s", got, wantSummary)
	}

	services, edges := graphOf(t, out)
	wantServices := []string{
		"artist-engagement-portal/artist-lookup.toml: artist-lookup@production service, owner team-a, system artist-engagement-portal",
		"artist-engagement-portal/artists-db.toml: artists-db@production datastore, owner team-a, system artist-engagement-portal",
		"artist-engagement-portal/www-artist.toml: www-artist@production service, owner team-a, system artist-engagement-portal",
		"audio-playback/shuffle-api.toml: shuffle-api@production service, owner user:guest, system audio-playback",
		"no-system/backstage-demo.toml: backstage-demo@production service, owner backstage.maintainers",
		"no-system/backstage-plugin-catalog-backend.toml: backstage-plugin-catalog-backend@production service, owner catalog-maintainers",
		"no-system/demo-graphql.toml: demo-graphql@production external, owner backstage.maintainers",
		"no-system/petstore.toml: petstore@production service, owner team-c",
		"no-system/playback-order.toml: playback-order@production service, owner guest",
		"no-system/searcher.toml: searcher@production service, owner user:guest",
		"no-system/wayback-archive-ingestion.toml: wayback-archive-ingestion@production service, owner team-d",
		"no-system/wayback-archive-storage.toml: wayback-archive-storage@production service, owner team-a",
		"no-system/wayback-archive.toml: wayback-archive@production service, owner team-a",
		"no-system/wayback-search.toml: wayback-search@production service, owner team-a",
		"podcast/podcast-api.toml: podcast-api@production service, owner team-b, system podcast",
		"podcast/queue-proxy.toml: queue-proxy@production service, owner team-b, system podcast",
	}
	if diff := cmp.Diff(wantServices, services); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
	wantEdges := []string{
		// The demo consumes an API nobody in the catalog provides.
		"backstage-demo -> demo-graphql (runtime, hard)",
		// A component depends on its parts.
		"wayback-archive -> wayback-archive-ingestion (runtime, hard)",
		"wayback-archive -> wayback-archive-storage (runtime, hard)",
		// The archive provides the API the search consumes.
		"wayback-search -> wayback-archive (runtime, hard)",
	}
	if diff := cmp.Diff(wantEdges, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}

	got := &txtar.Archive{Comment: []byte("The import of testdata/real (see testdata/real/README.md).\nRegenerate with: go test ./backstage -update\n")}
	got.Files = append(got.Files, txtar.File{Name: "import.stdout", Data: []byte(reportText(res))})
	got.Files = append(got.Files, txtar.File{Name: "import.stderr", Data: []byte(strings.Join(errorStrings(res.Warnings), "\n") + "\n")})
	for _, f := range readTree(t, out) {
		got.Files = append(got.Files, txtar.File{Name: f.Name, Data: f.Data})
	}
	golden(t, "testdata/real.txtar", txtar.Format(got))

	// Importing again changes nothing, byte for byte.
	before := readTree(t, out)
	res, err = backstage.Import([]string{real}, importer.Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		if c.Action != importer.Unchanged {
			t.Errorf("second import: %s, want unchanged", c)
		}
	}
	if len(res.Changes) != 16 {
		t.Errorf("second import reported %d files, want 16", len(res.Changes))
	}
	if diff := cmp.Diff(before, readTree(t, out)); diff != "" {
		t.Errorf("second import changed the files:\n%s", diff)
	}
}

// TestRealComponentsLocation names one Location of the example catalog,
// as Backstage's demo deployment does in its app-config: its thirteen
// targets are read, and what they name outside them (Systems, APIs) gives
// warnings, not errors. This is the import that used to fail.
func TestRealComponentsLocation(t *testing.T) {
	const dir = real + "/backstage/packages/catalog-model/examples/"
	out := t.TempDir()
	res, err := backstage.Import([]string{dir + "all-components.yaml"}, importer.Options{Out: out})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if want := "12 services from 12 entities: 12 created; skipped 1 Component (library), 1 Location"; res.Summary() != want {
		t.Errorf("summary:\n got %s\nwant %s", res.Summary(), want)
	}
	c := dir + "components/"
	want := []string{
		c + "artist-lookup-component.yaml:35:11: warning: spec.system: no System \"artist-engagement-portal\" in the imported catalog",
		c + "petstore-component.yaml:16:7: warning: spec.providesApis: no API \"petstore\" in the imported catalog",
		c + "petstore-component.yaml:17:7: warning: spec.providesApis: no API \"streetlights\" in the imported catalog",
		c + "petstore-component.yaml:18:7: warning: spec.providesApis: no API \"hello-world\" in the imported catalog",
		c + "playback-lib-component.yaml:10:11: warning: spec.system: no System \"audio-playback\" in the imported catalog",
		c + "podcast-api-component.yaml:12:11: warning: spec.system: no System \"podcast\" in the imported catalog",
		c + "queue-proxy-component.yaml:13:11: warning: spec.system: no System \"podcast\" in the imported catalog",
		c + "shuffle-api-component.yaml:15:11: warning: spec.system: no System \"audio-playback\" in the imported catalog",
		c + "wayback-archive-component.yaml:11:7: warning: spec.providesApis: no API \"wayback-archive\" in the imported catalog",
		c + "wayback-search-component.yaml:11:7: warning: spec.providesApis: no API \"wayback-search\" in the imported catalog",
		c + "www-artist-component.yaml:10:11: warning: spec.system: no System \"artist-engagement-portal\" in the imported catalog",
	}
	if diff := cmp.Diff(want, errorStrings(res.Warnings)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	services, edges := graphOf(t, out)
	// The system labels are kept without their System entities, so the
	// files do not move when the Systems are imported too.
	for _, s := range []string{
		"podcast/podcast-api.toml: podcast-api@production service, owner team-b, system podcast",
		"artist-engagement-portal/www-artist.toml: www-artist@production service, owner team-a, system artist-engagement-portal",
	} {
		if !slices.Contains(services, s) {
			t.Errorf("services lack %q:\n%s", s, strings.Join(services, "\n"))
		}
	}
	// The API entity is not needed to link a consumer to its provider.
	if !slices.Contains(edges, "wayback-search -> wayback-archive (runtime, hard)") {
		t.Errorf("edges lack wayback-search -> wayback-archive:\n%s", strings.Join(edges, "\n"))
	}
}

// graphOf loads the manifests under out and describes each service and
// each dependency in one sorted line.
func graphOf(t *testing.T, out string) (services, edges []string) {
	t.Helper()
	ms, err := manifest.Load([]string{out})
	if err != nil {
		t.Fatalf("the generated manifests do not load: %v", err)
	}
	for _, m := range ms {
		rel, _ := filepath.Rel(out, m.File)
		s := fmt.Sprintf("%s: %s %s, owner %s", filepath.ToSlash(rel), m.ID(), m.Service.Kind, m.Service.Owner)
		if m.Service.System != "" {
			s += ", system " + m.Service.System
		}
		services = append(services, s)
		for _, d := range m.Dependencies {
			edges = append(edges, fmt.Sprintf("%s -> %s (%s, %s)", m.Service.Name, d.On.Name, d.Kind, d.Mode))
		}
	}
	slices.Sort(services)
	slices.Sort(edges)
	return services, edges
}

func errorStrings(l manifest.ErrorList) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.Error())
	}
	return out
}
