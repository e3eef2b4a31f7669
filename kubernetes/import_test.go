package kubernetes_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/kubernetes"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
)

const example = "../examples/online-boutique"

func options(out string) kubernetes.Options {
	o := kubernetes.Options{}
	o.Out = out
	return o
}

// TestOnlineBoutique imports the release manifests of Google's Online
// Boutique (11 services, a Redis and a load generator) and checks every
// edge the import derives, then the generated tree and `check` on it
// against testdata/online-boutique.txtar.
func TestOnlineBoutique(t *testing.T) {
	out := t.TempDir()
	res, err := kubernetes.Import([]string{example}, options(out))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	if got, want := res.Summary(), "15 services from 24 Kubernetes objects: 15 created"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}

	got, kinds := edges(t, out)
	var want []string
	// The addresses in the Deployments' env: guesses, hard, at runtime.
	for from, tos := range map[string][]string{
		"frontend":              {"adservice", "cartservice", "checkoutservice", "currencyservice", "productcatalogservice", "recommendationservice", "shippingservice"},
		"checkoutservice":       {"cartservice", "currencyservice", "emailservice", "paymentservice", "productcatalogservice", "shippingservice"},
		"recommendationservice": {"productcatalogservice"},
		// The init container waits for the frontend too, but the main
		// container's runtime need is the stronger evidence.
		"loadgenerator": {"frontend"},
	} {
		for _, to := range tos {
			want = append(want, from+" -> "+to+" runtime hard run guess")
		}
	}
	want = append(want, "cartservice -> redis-cart data hard run guess") // a Redis: a datastore
	workloads := []string{"adservice", "cartservice", "checkoutservice", "currencyservice", "emailservice", "frontend",
		"loadgenerator", "paymentservice", "productcatalogservice", "recommendationservice", "redis-cart", "shippingservice"}
	for _, w := range workloads {
		want = append(want, w+" -> kubernetes runtime hard run")
		reg := "gcr.io"
		if w == "redis-cart" {
			reg = "docker.io" // redis:alpine
		}
		want = append(want, w+" -> "+reg+" deploy hard start")
	}
	want = append(want, "loadgenerator -> docker.io deploy hard start") // busybox, the init container
	diffEdges(t, want, got)
	for name, kind := range map[string]manifest.Kind{"redis-cart": manifest.KindDatastore, "frontend": manifest.KindService,
		"kubernetes": manifest.KindService, "gcr.io": manifest.KindExternal, "docker.io": manifest.KindExternal} {
		if kinds[name] != kind {
			t.Errorf("%s is a %s, want %s", name, kinds[name], kind)
		}
	}

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
	arch := &txtar.Archive{Comment: []byte("The import of ../examples/online-boutique and `catch22 check` on its output\n(--now 2026-11-29). Regenerate with: go test ./kubernetes -update\n")}
	arch.Files = append(arch.Files, txtar.File{Name: "import.stdout", Data: []byte(reportText(res))}, txtar.File{Name: "check.txt", Data: check.Bytes()})
	for _, f := range files {
		arch.Files = append(arch.Files, txtar.File{Name: f.Name, Data: f.Data})
	}
	golden(t, "testdata/online-boutique.txtar", txtar.Format(arch))
}

// TestReimport checks that a second import changes nothing, that two
// imports write the same bytes, that --dry-run writes nothing, and that a
// hand-written dependency settles a guess and survives.
func TestReimport(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := kubernetes.Import([]string{example}, options(dir)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := kubernetes.Import([]string{example}, options(a))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		if c.Action != importer.Unchanged {
			t.Errorf("second import: %s", c)
		}
	}
	if ta, tb := readTree(t, a), readTree(t, b); len(ta) != 15 || !equalTrees(ta, tb) {
		t.Errorf("two imports differ, or not 15 files (%d)", len(ta))
	}

	dry := filepath.Join(t.TempDir(), "dry")
	o := options(dry)
	o.DryRun = true
	res, err = kubernetes.Import([]string{example}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 15 || res.Changes[0].Action != importer.Created || !strings.HasSuffix(res.Summary(), "(dry run: nothing written)") {
		t.Errorf("dry run reported %s", reportText(res))
	}
	if _, err := os.Stat(dry); !os.IsNotExist(err) {
		t.Errorf("dry run created %s", dry)
	}

	// Someone settles the guess that the frontend hard-depends on the ad
	// service: it is soft, the page renders without ads.
	path := filepath.Join(a, "no-system", "frontend.toml")
	data, _ := os.ReadFile(path)
	settled := string(data) + "\n# The page renders without ads.\n[[dependency]]\non = \"adservice\"\nmode = \"soft\"\n"
	if err := os.WriteFile(path, []byte(settled), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := kubernetes.Import([]string{example}, options(a)); err != nil {
		t.Fatal(err)
	}
	got, _ := edges(t, a)
	if !contains(got, "frontend -> adservice runtime soft run") || contains(got, "frontend -> adservice runtime hard run guess") {
		t.Errorf("the hand-written dependency did not replace the guess: %v", got)
	}
	after, _ := os.ReadFile(path)
	if !strings.Contains(string(after), "# The page renders without ads.") {
		t.Errorf("re-import lost the hand-written comment:\n%s", after)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
