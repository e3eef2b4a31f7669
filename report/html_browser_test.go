//go:build linux || darwin

package report_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"html"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/catch22/catch22/internal/testenv"
	"github.com/catch22/catch22/report"
)

var htmlScreenshot = flag.String("html-screenshot", "", "copy the browser test's screenshot of the report to this file")

// htmlBrowserTimeout bounds every external program the browser test runs.
const htmlBrowserTimeout = 60 * time.Second

// htmlDOT is a small picture of the founding cycle, for `dot -Tsvg`.
const htmlDOT = `digraph catch22 {
  rankdir=LR;
  node [shape=box, style=rounded, fontname="Helvetica"];
  "workers-kv" [color=red];
  "access" -> "workers-kv" [label="auth", color=red];
  "ci" -> "access" [label="auth", color=red];
  "workers-kv" -> "ci" [label="recovery: ci-rollback", style=dashed, color=red];
}
`

// htmlRun runs a program in its own process group with a deadline, writing
// its output to files in dir. On timeout the whole group is killed; after a
// normal exit, helpers left in the group (Chromium forks several) are
// killed too, so the test never leaves processes behind.
func htmlRun(t *testing.T, dir, name string, stdin []byte, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), htmlBrowserTimeout)
	defer cancel()
	stdout, err := os.CreateTemp(dir, "stdout-*")
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	// Chromium writes its profile, crash reports and caches under these, not
	// under the user's home.
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s did not finish within %v; stderr ends with:\n%s", filepath.Base(name), htmlBrowserTimeout, htmlTail(stderr.Bytes()))
	}
	if err != nil {
		t.Fatalf("%s: %v; stderr ends with:\n%s", filepath.Base(name), err, htmlTail(stderr.Bytes()))
	}
	out, err := os.ReadFile(stdout.Name())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func htmlTail(b []byte) []byte { return b[max(0, len(b)-2000):] }

// htmlChromiumArgs are the flags of every run: headless, no profile state,
// no background traffic, and a resolver that resolves no host at all.
func htmlChromiumArgs(t *testing.T, dir string, extra ...string) []string {
	t.Helper()
	profile, err := os.MkdirTemp(dir, "profile-*")
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
		"--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND",
	}, extra...)
}

// htmlPageRequests reads a Chromium net log and returns the network
// requests the page made. Chromium itself contacts update and account
// servers even with background networking disabled; those requests have no
// initiator origin ("not an origin") and a network isolation key outside
// the file:// site, and are not the page's doing.
func htmlPageRequests(t *testing.T, logFile string) []string {
	t.Helper()
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int            `json:"type"`
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("net log %s: %v", logFile, err)
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatal("net log has no URL_REQUEST_START_JOB event type")
	}
	var reqs []string
	for _, e := range log.Events {
		if e.Type != start {
			continue
		}
		u, _ := e.Params["url"].(string)
		if u == "" { // the end of a job repeats no parameters
			continue
		}
		initiator, _ := e.Params["initiator"].(string)
		nik, _ := e.Params["network_isolation_key"].(string)
		if initiator == "not an origin" && !strings.Contains(nik, "file:") {
			continue
		}
		if p, err := url.Parse(u); err == nil && (p.Scheme == "file" || p.Scheme == "data" || p.Scheme == "about") {
			continue
		}
		reqs = append(reqs, u)
	}
	return reqs
}

// TestHTMLInChromium opens the Cloudflare report in headless Chromium: the
// DOM must hold the findings, the table and the picture, the script must
// have run, the page must make no request, and its screenshot must not be
// blank.
func TestHTMLInChromium(t *testing.T) {
	bin := testenv.Need(t, testenv.Chromium)
	dir := t.TempDir()

	svg := htmlPicture(t)
	if dot, err := exec.LookPath("dot"); err == nil {
		svg = htmlRun(t, dir, dot, []byte(htmlDOT), "-Tsvg")
	}
	g, res := htmlExample(t, "cloudflare-2023")
	var page bytes.Buffer
	if err := report.HTML(&page, g, res, report.HTMLOptions{SVG: svg, Now: htmlNow, Version: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	htmlCheckSelfContained(t, page.String())
	reportFile := filepath.Join(dir, "report.html")
	if err := os.WriteFile(reportFile, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	reportURL := (&url.URL{Scheme: "file", Path: reportFile}).String()

	t.Run("dom", func(t *testing.T) {
		netLog := filepath.Join(dir, "report.netlog.json")
		dom := string(htmlRun(t, dir, bin, nil, htmlChromiumArgs(t, dir, "--log-net-log="+netLog, "--dump-dom", reportURL)...))
		kv, _ := g.Lookup("workers-kv@production")
		for _, want := range []string{
			`<span class="rule">recovery-cycle</span> <span class="on">on</span> <a class="node" href="#svc-` + strconv.Itoa(kv) + `">workers-kv</a>`,
			`<span class="node">workers-kv</span><span class="edge"> -[recovery: ci-rollback]-&gt; </span>`,
			`<span class="status status-cyclic">cyclic</span>`,
			// The script made the picture zoomable: the buttons come
			// before the picture, which now fills the figure's width.
			`<figure class="graph zoomable" id="picture" tabindex="0"`,
			`<div class="zoom-tools" role="group" aria-label="Zoom the picture"><button type="button" id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>`,
			`<span id="zoom-level" aria-live="polite">100%</span></div><svg `,
			"</svg>",
			// Inserted by the script, with the counts it computed.
			`<input type="search" id="filter-text"`,
			`<input type="checkbox" value="error" id="filter-error">`,
			`<span id="filter-status" aria-live="polite">showing 4 of 4 findings, 19 of 19 services</span>`,
		} {
			if !strings.Contains(dom, want) {
				t.Errorf("DOM lacks %q", want)
			}
		}
		if n := strings.Count(dom, `<tr id="svc-`); n != len(g.Nodes) {
			t.Errorf("DOM has %d service rows, want %d", n, len(g.Nodes))
		}
		if nav := regexp.MustCompile(`<nav [^>]*>`).FindString(dom); nav == "" || strings.Contains(nav, "hidden") {
			t.Errorf("the script did not reveal the controls: %q", nav)
		}
		if reqs := htmlPageRequests(t, netLog); len(reqs) > 0 {
			t.Errorf("the page made network requests: %q", reqs)
		}
	})

	// ?q= prefills the filter: only workers-kv's row says "cyclic", and no
	// finding does, so both severity groups hide.
	t.Run("filter", func(t *testing.T) {
		dom := string(htmlRun(t, dir, bin, nil, htmlChromiumArgs(t, dir, "--dump-dom", reportURL+"?q=Cyclic")...))
		kv, _ := g.Lookup("workers-kv@production")
		access, _ := g.Lookup("access@production")
		for _, want := range []string{
			`<span id="filter-status" aria-live="polite">showing 0 of 4 findings, 1 of 19 services</span>`,
			`<tr id="svc-` + strconv.Itoa(kv) + `" class="row-cyclic">`,
			`<tr id="svc-` + strconv.Itoa(access) + `" class="row-none" hidden="">`,
			`<section class="sev-group sev-error" data-severity="error" hidden="">`,
			`<section class="sev-group sev-info" data-severity="info" hidden="">`,
		} {
			if !strings.Contains(dom, want) {
				t.Errorf("filtered DOM lacks %q", want)
			}
		}
	})

	// Pan and zoom, driven by a test script added to a copy of the page
	// (and to its policy): it turns the wheel over the middle of the
	// picture, clicks the buttons and drags, and writes each viewBox.
	t.Run("zoom", func(t *testing.T) {
		got := htmlZoom(t, dir, bin, page.String())
		home := got["home"]
		t.Logf("viewBox after each step: %v", got)
		if home[2] <= 0 || home[3] <= 0 {
			t.Fatalf("no viewBox: %v", got)
		}
		near := func(a, b float64) bool { return a-b < 0.5 && b-a < 0.5 }
		centre := func(v [4]float64) (float64, float64) { return v[0] + v[2]/2, v[1] + v[3]/2 }
		// The wheel zooms in by 1.0015^300 about the pointer, here the
		// middle, which stays where it was.
		w := got["wheel"]
		hx, hy := centre(home)
		wx, wy := centre(w)
		if f := home[2] / w[2]; f < 1.5 || f > 1.65 || !near(w[3]/w[2], home[3]/home[2]) || !near(hx, wx) || !near(hy, wy) {
			t.Errorf("wheel: viewBox %v from %v, want 1.57 times closer about the same middle", w, home)
		}
		if in := got["in"]; !near(w[2]/in[2], 1.5) {
			t.Errorf("zoom in: width %v from %v, want 1.5 times closer", in[2], w[2])
		}
		// Dragging right and down moves the picture with the pointer: the
		// view moves left and up, by the drag in picture units.
		in, d := got["in"], got["drag"]
		if !(d[0] < in[0]) || !(d[1] < in[1]) || d[2] != in[2] || d[3] != in[3] {
			t.Errorf("drag: viewBox %v from %v, want it moved left and up at the same zoom", d, in)
		}
		if got["reset"] != home || got["out"] != home {
			t.Errorf("reset: %v, zoom out from the whole picture: %v; want both %v", got["reset"], got["out"], home)
		}
		if l := got["level"]; l[0] != 100 {
			t.Errorf("the zoom level after reset reads %v%%, want 100%%", l[0])
		}
	})

	// The net-log check must be able to fail: a page that loads an image
	// from the network is caught.
	t.Run("netlog-control", func(t *testing.T) {
		probe := filepath.Join(dir, "probe.html")
		if err := os.WriteFile(probe, []byte(`<!DOCTYPE html><title>probe</title><img src="https://catch22-probe.example/x.png">`), 0o644); err != nil {
			t.Fatal(err)
		}
		netLog := filepath.Join(dir, "probe.netlog.json")
		htmlRun(t, dir, bin, nil, htmlChromiumArgs(t, dir, "--log-net-log="+netLog, "--dump-dom", (&url.URL{Scheme: "file", Path: probe}).String())...)
		reqs := htmlPageRequests(t, netLog)
		if len(reqs) != 1 || reqs[0] != "https://catch22-probe.example/x.png" {
			t.Errorf("page requests of the probe = %q, want its one image", reqs)
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(dir, "report.png")
		htmlRun(t, dir, bin, nil, htmlChromiumArgs(t, dir, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars", reportURL)...)
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		ink, red := 0, 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				r, g, bl = r>>8, g>>8, bl>>8
				if r < 240 || g < 240 || bl < 240 {
					ink++
				}
				if r > 150 && g < 90 && bl < 90 {
					red++
				}
			}
		}
		total := b.Dx() * b.Dy()
		t.Logf("screenshot %dx%d: %d non-white pixels (%.1f%%), %d red", b.Dx(), b.Dy(), ink, 100*float64(ink)/float64(total), red)
		if b.Dx() != 1280 || b.Dy() != 2000 {
			t.Errorf("screenshot is %dx%d, want 1280x2000", b.Dx(), b.Dy())
		}
		// Text, table rules and the picture cover well over 3% of a page
		// this full; the red of the verdict, the error badges and the
		// cycle in the picture is there when the styles applied.
		if ink < total*3/100 {
			t.Errorf("screenshot is nearly blank: %d of %d pixels are not white", ink, total)
		}
		if red < 2000 {
			t.Errorf("screenshot has %d red pixels, want the errors in red", red)
		}
		if *htmlScreenshot != "" {
			data, err := os.ReadFile(shot)
			if err == nil {
				err = os.WriteFile(*htmlScreenshot, data, 0o644)
			}
			if err != nil {
				t.Error(err)
			}
		}
	})
}

// htmlZoomScript drives the picture of the page as a reader would, with
// synthetic events, and writes the viewBox after each step as JSON.
const htmlZoomScript = `
(function () {
  var svg = document.querySelector("#picture svg"), out = {};
  var vb = function () { return svg.getAttribute("viewBox").split(/[ ,]+/).map(Number); };
  var r = svg.getBoundingClientRect(), cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  out.home = vb();
  svg.dispatchEvent(new WheelEvent("wheel", { deltaY: -300, deltaMode: 0, clientX: cx, clientY: cy, bubbles: true, cancelable: true }));
  out.wheel = vb();
  document.getElementById("zoom-in").click();
  out["in"] = vb();
  var pointer = function (type, x, y) {
    svg.dispatchEvent(new PointerEvent(type, { pointerId: 7, button: 0, buttons: 1, clientX: x, clientY: y, bubbles: true, cancelable: true }));
  };
  pointer("pointerdown", cx, cy);
  pointer("pointermove", cx + 40, cy + 30);
  pointer("pointerup", cx + 40, cy + 30);
  out.drag = vb();
  document.getElementById("zoom-reset").click();
  out.reset = vb();
  document.getElementById("zoom-out").click();
  out.out = vb();
  out.level = [parseInt(document.getElementById("zoom-level").textContent, 10), 0, 0, 0];
  var pre = document.createElement("pre");
  pre.id = "zoom-test";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
`

// htmlZoom opens a copy of page with htmlZoomScript added, and returns the
// viewBoxes it wrote, by step.
func htmlZoom(t *testing.T, dir, bin, page string) map[string][4]float64 {
	t.Helper()
	policy := regexp.MustCompile(`script-src '(sha256-[^']+)'`)
	if !policy.MatchString(page) {
		t.Fatal("the page has no script-src policy")
	}
	sum := sha256.Sum256([]byte(htmlZoomScript))
	page = policy.ReplaceAllString(page, "script-src '$1' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	page = strings.Replace(page, "</body>", "<script>"+htmlZoomScript+"</script>\n</body>", 1)
	file := filepath.Join(dir, "zoom.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(htmlRun(t, dir, bin, nil, htmlChromiumArgs(t, dir, "--window-size=1280,1000", "--dump-dom", (&url.URL{Scheme: "file", Path: file}).String())...))
	m := regexp.MustCompile(`<pre id="zoom-test">([^<]*)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the test script wrote nothing; the DOM ends with:\n%s", htmlTail([]byte(dom)))
	}
	var got map[string][4]float64
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("%v: %s", err, m[1])
	}
	return got
}
