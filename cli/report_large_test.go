package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catch22/catch22/internal/testenv"
)

// writeEstate writes n one-service manifests into a new directory, the
// i-th in the system that system(i) names.
func writeEstate(t *testing.T, n int, system func(int) string) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		body := fmt.Sprintf("[service]\nname = \"svc-%04d\"\nsystem = %q\n", i, system(i))
		if i > 0 {
			body += fmt.Sprintf("\n[[dependency]]\non = \"svc-%04d\"\n", i/2)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("svc-%04d.toml", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runReport runs catch22 report on dir with extra flags and returns the page.
func runReport(t *testing.T, dir string, extra ...string) string {
	t.Helper()
	page := filepath.Join(t.TempDir(), "report.html")
	var out, errs bytes.Buffer
	args := append([]string{"catch22", "report", "--now", "2024-03-01", "-o", page, dir}, extra...)
	if code := Run(context.Background(), args, nil, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReportCollapsesLargeEstate: above 1,000 services the report draws one
// box per system and says so; the table still lists every service.
func TestReportCollapsesLargeEstate(t *testing.T) {
	testenv.Need(t, testenv.Graphviz)
	dir := writeEstate(t, 1001, func(i int) string { return fmt.Sprintf("sys-%d", i%3) })
	page := runReport(t, dir)
	if !strings.Contains(page, "1001 services, drawn one box per system (--collapse none draws every one).") {
		t.Errorf("no note of the collapsed picture")
	}
	if !strings.Contains(page, "<svg") {
		t.Errorf("no picture")
	}
	if n := strings.Count(page, `<tr id="svc-`); n != 1001 {
		t.Errorf("%d rows in the table, want 1001", n)
	}
}

// TestReportTooLargeToDraw: when even one box per system is more than
// 1,000 boxes there is no picture, and the page says how to draw part of
// the estate. No Graphviz is needed to find that out.
func TestReportTooLargeToDraw(t *testing.T) {
	dir := writeEstate(t, 1001, func(i int) string { return fmt.Sprintf("sys-%d", i) })
	page := runReport(t, dir)
	if !strings.Contains(page, "1001 services in 1001 systems, with 1000 lines between them, are too many to draw legibly, so there is no picture: draw part of the estate with --focus NODE or --findings-only.") {
		t.Errorf("no note that the estate is too large to draw")
	}
	if strings.Contains(page, "<svg") {
		t.Errorf("a picture was drawn")
	}
}

// TestReportSmallEstateNotCollapsed: at 1,000 services and below the
// report draws every node, as before.
func TestReportSmallEstateNotCollapsed(t *testing.T) {
	testenv.Need(t, testenv.Graphviz)
	dir := writeEstate(t, 40, func(i int) string { return fmt.Sprintf("sys-%d", i%3) })
	page := runReport(t, dir)
	if strings.Contains(page, "box per system") || strings.Contains(page, "too many to draw") {
		t.Errorf("a small estate was collapsed")
	}
	if !strings.Contains(page, "<svg") || !strings.Contains(page, "svc-0039") {
		t.Errorf("no picture of every node")
	}
}
