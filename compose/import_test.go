package compose_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/compose"
	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
)

func options(out string) compose.Options {
	o := compose.Options{}
	o.Out = out
	return o
}

// TestVotingApp imports Docker's example voting app: every dependency is
// a depends_on waiting for a healthy service, so every edge is needed to
// start; the three services built from source pull nothing.
func TestVotingApp(t *testing.T) {
	out := t.TempDir()
	res, err := compose.Import([]string{"testdata/voting-app"}, options(out))
	if err != nil {
		t.Fatal(err)
	}
	got, kinds := edges(t, out)
	diffEdges(t, []string{
		"vote -> redis data hard start",
		"result -> db data hard start",
		"worker -> db data hard start",
		"worker -> redis data hard start",
		"redis -> docker.io deploy hard start",
		"db -> docker.io deploy hard start",
	}, got)
	if kinds["redis"] != manifest.KindDatastore || kinds["db"] != manifest.KindDatastore || kinds["vote"] != manifest.KindService {
		t.Errorf("kinds: %v", kinds)
	}
	goldenTree(t, res, out, "testdata/voting-app.txtar", "testdata/voting-app")
}

// TestTemporal imports Temporal's docker-compose with PostgreSQL: list
// depends_on (at runtime), and environment variables naming the server
// that the depends_on entries already state.
func TestTemporal(t *testing.T) {
	out := t.TempDir()
	res, err := compose.Import([]string{"testdata/temporal/docker-compose-postgres.yml"}, options(out))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := edges(t, out)
	diffEdges(t, []string{
		"temporal -> postgresql data hard run",
		"temporal-admin-tools -> temporal runtime hard run",
		"temporal-web -> temporal runtime hard run",
		"postgresql -> docker.io deploy hard start",
		"temporal -> docker.io deploy hard start",
		"temporal-admin-tools -> docker.io deploy hard start",
		"temporal-web -> docker.io deploy hard start",
	}, got)
	if got := res.Summary(); got != "5 services from 4 Compose services: 5 created" {
		t.Errorf("summary %q", got)
	}
	goldenTree(t, res, out, "testdata/temporal.txtar", "testdata/temporal/docker-compose-postgres.yml")
}

// goldenTree compares the import's report, `check` on its output and
// every generated file with a txtar file.
func goldenTree(t *testing.T, res *importer.Result, out, path, input string) {
	t.Helper()
	files := readTree(t, out)
	ms, err := manifest.LoadFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyzer.Run(ms, analyzer.DefaultConfig(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var check bytes.Buffer
	if err := report.Text(&check, r, report.Options{}); err != nil {
		t.Fatal(err)
	}
	arch := &txtar.Archive{Comment: []byte("The import of " + input + " and `catch22 check` on its output\n(--now 2026-11-29). Regenerate with: go test ./compose -update\n")}
	arch.Files = append(arch.Files, txtar.File{Name: "import.stdout", Data: []byte(reportText(res))}, txtar.File{Name: "check.txt", Data: check.Bytes()})
	for _, f := range files {
		arch.Files = append(arch.Files, txtar.File{Name: f.Name, Data: f.Data})
	}
	golden(t, path, txtar.Format(arch))
}

// TestReimport checks idempotence, identical bytes across imports, and
// that --dry-run writes nothing.
func TestReimport(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := compose.Import([]string{"testdata/voting-app"}, options(dir)); err != nil {
			t.Fatal(err)
		}
	}
	again, err := compose.Import([]string{"testdata/voting-app"}, options(a))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again.Changes {
		if c.Action != importer.Unchanged {
			t.Errorf("second import: %s", c)
		}
	}
	if ta, tb := readTree(t, a), readTree(t, b); len(ta) != 6 || !equalTrees(ta, tb) {
		t.Errorf("two imports differ, or not 6 files (%d)", len(ta))
	}
	dry := filepath.Join(t.TempDir(), "dry")
	o := options(dry)
	o.DryRun = true
	res, err := compose.Import([]string{"testdata/voting-app"}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 6 || !strings.HasSuffix(res.Summary(), "(dry run: nothing written)") {
		t.Errorf("dry run reported %s", reportText(res))
	}
	if _, err := os.Stat(dry); !os.IsNotExist(err) {
		t.Errorf("dry run created %s", dry)
	}
}

func equalTrees(a, b []manifest.File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}
