package report

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
)

// htmlPage is the design-review page. Every value it prints comes from
// htmlPageData; names, messages and descriptions are strings, so
// html/template escapes them for the context they land in. Only the CSP
// <meta>, the CSS, the script and the Graphviz SVG are trusted and typed as
// such.
var htmlPage = template.Must(template.New("page").Parse(htmlTemplate))

// htmlCSP allows the page's own script (by hash) and inline styles, and
// nothing else: no fetch of any kind (images, fonts, styles, frames,
// connections), whatever the SVG or a future template change contains.
var htmlCSP = template.HTML(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src '` +
	scriptHash(htmlScript) + `'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`)

// scriptHash is the CSP source expression that allows exactly script s.
func scriptHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{{.CSP}}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="catch22{{with .Version}} {{.}}{{end}}">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<div class="page">
<header class="top">
<h1>{{.Title}}</h1>
<p class="subtitle">Recovery cycles and other findings in the dependency graph, and the recovery status of every service.</p>
{{if .Cyclic -}}
<div class="verdict verdict-bad" id="verdict">
<strong>{{.CyclicTitle}}:</strong>
{{- range $i, $n := .Cyclic}}{{if $i}},{{end}} {{if $n.Anchor}}<a href="#{{$n.Anchor}}">{{$n.Name}}</a>{{else}}{{$n.Name}}{{end}}{{end}}
<p>{{.CyclicWhy}}</p>
<p>{{.StatusSummary}}</p>
</div>
{{- else -}}
<div class="verdict verdict-ok" id="verdict">
<strong>{{.OKTitle}}</strong>
<p>{{.StatusSummary}}</p>
</div>
{{- end}}
<dl class="stats">
<div class="stat"><dt>services</dt><dd>{{.Nodes}}</dd></div>
<div class="stat"><dt>edges</dt><dd>{{.Edges}}</dd></div>
<div class="stat stat-error{{if .Counts.Errors}} nonzero{{end}}"><dt>errors</dt><dd>{{.Counts.Errors}}</dd></div>
<div class="stat stat-warning{{if .Counts.Warnings}} nonzero{{end}}"><dt>warnings</dt><dd>{{.Counts.Warnings}}</dd></div>
<div class="stat stat-info{{if .Counts.Infos}} nonzero{{end}}"><dt>infos</dt><dd>{{.Counts.Infos}}</dd></div>
{{- if .Waived}}
<div class="stat stat-waived"><dt>waived</dt><dd>{{.Waived}}</dd></div>
{{- end}}
</dl>
</header>
<nav id="filters" class="controls" aria-label="Filter the report" hidden></nav>
<main>
<section id="graph">
<h2>Dependency graph</h2>
{{if .HasSVG -}}
<figure class="graph" id="picture">
{{.SVG}}
{{- with .PictureNote}}
<figcaption>Picture: {{.}}. The findings and the table below cover every service.</figcaption>
{{- end}}
</figure>
{{- else -}}
<p class="note">{{.SVGNote}}</p>
{{- end}}
</section>
<section id="findings">
<h2>Findings</h2>
{{- range .Groups}}
<section class="sev-group sev-{{.Severity}}" data-severity="{{.Severity}}">
<h3>{{.Title}} ({{.Count}}{{if .Waived}}, {{.Waived}} waived{{end}})</h3>
{{- range .Findings}}
<article class="finding sev-{{.Severity}}{{if .Waived}} waived{{end}}" data-severity="{{.Severity}}">
<div class="finding-head"><span class="badge">{{.Severity}}</span> <span class="rule">{{.Rule}}</span> <span class="on">on</span> {{if .Node.Anchor}}<a class="node" href="#{{.Node.Anchor}}">{{.Node.Name}}</a>{{else}}<span class="node">{{.Node.Name}}</span>{{end}}
{{- if .Waived}} <span class="waived-badge">waived</span>{{end}}
{{- with .RuleTitle}} <span class="rule-title">{{.}}</span>{{end}}</div>
<p class="msg">{{.Message}}</p>
{{- with .Witness}}
<p class="witness"><code>{{range .}}<span class="{{.Class}}">{{.Text}}</span>{{end}}</code></p>
{{- end}}
{{- if .Waived}}
<p class="waived-reason">waived: {{.WaivedFor}}</p>
{{- end}}
{{- with .Location}}
<p class="loc">{{.}}</p>
{{- end}}
</article>
{{- end}}
</section>
{{- else}}
<p class="note">No findings.</p>
{{- end}}
</section>
<section id="services">
<h2>Services and recovery</h2>
<div class="table-wrap">
<table id="service-table">
<thead><tr><th scope="col">Service</th><th scope="col">Env</th><th scope="col">Kind</th><th scope="col">Tier</th><th scope="col">Owner</th><th scope="col">System</th><th scope="col">Recovery</th><th scope="col" class="num">Blast radius</th></tr></thead>
<tbody>
{{- range .Services}}
<tr id="{{.Anchor}}" class="row-{{.StatusClass}}">
<td class="svc-cell"><span class="svc">{{.Name}}</span>{{with .Description}}<span class="desc">{{.}}</span>{{end}}</td>
<td class="tag">{{.Env}}</td>
<td class="tag">{{.Kind}}</td>
<td class="tier">{{.Tier}}</td>
<td class="tag">{{.Owner}}</td>
<td class="tag">{{.System}}</td>
<td class="rec-cell"><span class="status status-{{.StatusClass}}">{{.Status}}</span>{{with .Partial}} <span class="status status-partial">{{.}}</span>{{end}}
{{- with .Procedures}}
<ul class="procs">
{{- range .}}
<li class="{{if .Blocked}}blocked{{else}}usable{{end}}"><span class="mark">{{if .Blocked}}✗{{else}}✓{{end}}</span> <span class="proc">{{.Name}}</span>{{if .Breakglass}} <span class="bg">breakglass</span>{{end}}
{{- if .Blocked}} <span class="why">blocked: <code>{{range .Witness}}<span class="{{.Class}}">{{.Text}}</span>{{end}}</code></span>
{{- else}} <span class="why">via {{.Via}}</span>{{end}}</li>
{{- end}}
</ul>
{{- end}}</td>
<td class="num">{{.Down}} <span class="pct">({{.Percent}})</span>{{if ge .Bar 0}}<span class="bar"><span style="width: {{.Bar}}%"></span></span>{{end}}</td>
</tr>
{{- end}}
</tbody>
</table>
</div>
</section>
</main>
<footer>Generated by catch22{{with .Version}} {{.}}{{end}}{{with .Date}} on {{.}}{{end}}.</footer>
</div>
<script>{{.Script}}</script>
</body>
</html>
`

const htmlCSS = `
:root {
  --fg: #1b2230; --muted: #5c6677; --line: #e2e6ec; --panel: #f5f7fa; --bg: #fff;
  --err: #c4262e; --err-bg: #fdeced; --warn: #9a5b00; --warn-bg: #fff3dc;
  --info: #1d5fbf; --info-bg: #e9f1fd; --ok: #16733a; --ok-bg: #e6f5eb;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
.page { max-width: 1240px; margin: 0 auto; padding: 32px 28px 40px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 36px 0 14px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 10px; }
a { color: inherit; text-decoration-color: #9aa3b2; text-underline-offset: 2px; }
code { font-family: var(--mono); font-size: 0.92em; }
.subtitle { color: var(--muted); margin: 0 0 20px; }
.verdict { border-left: 6px solid; border-radius: 8px; padding: 14px 20px; margin: 0 0 16px; font-size: 18px; }
.verdict p { margin: 4px 0 0; font-size: 14px; color: var(--muted); }
.verdict-bad { background: var(--err-bg); border-color: var(--err); }
.verdict-bad strong { color: var(--err); }
.verdict-bad a { font-weight: 700; }
.verdict-ok { background: var(--ok-bg); border-color: var(--ok); }
.verdict-ok strong { color: var(--ok); }
.stats { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; }
.stat { border: 1px solid var(--line); border-radius: 8px; padding: 6px 14px; min-width: 100px; background: var(--panel); }
.stat dt { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.stat dd { margin: 0; font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.stat-error.nonzero { border-color: var(--err); background: var(--err-bg); }
.stat-error.nonzero dd { color: var(--err); }
.stat-warning.nonzero dd { color: var(--warn); }
.stat-info.nonzero dd { color: var(--info); }
.controls { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px;
  margin: 20px 0 0; padding: 10px 0; background: rgba(255, 255, 255, 0.96); border-bottom: 1px solid var(--line); }
.controls input[type=search] { font: inherit; padding: 6px 10px; min-width: 300px; border: 1px solid #c4cad4; border-radius: 6px; }
.controls label { white-space: nowrap; cursor: pointer; }
#filter-status { color: var(--muted); font-size: 13px; }
.graph { margin: 0; padding: 12px; border: 1px solid var(--line); border-radius: 10px; overflow: auto; text-align: center; }
.graph svg { max-width: 100%; height: auto; }
.graph figcaption { margin-top: 8px; color: var(--muted); font-size: 13px; }
.graph.zoomable { position: relative; overflow: hidden; }
.graph.zoomable svg { display: block; width: 100%; cursor: grab; touch-action: none; user-select: none; }
.graph.zoomable.dragging svg { cursor: grabbing; }
.graph:focus-visible { outline: 2px solid var(--info); outline-offset: 2px; }
.zoom-tools { position: absolute; top: 10px; right: 10px; z-index: 1; display: flex; gap: 4px; align-items: center; }
.zoom-tools button { font: inherit; font-size: 14px; min-width: 32px; height: 30px; padding: 0 8px; cursor: pointer;
  border: 1px solid #c4cad4; border-radius: 6px; background: rgba(255, 255, 255, 0.94); color: var(--fg); }
.zoom-tools button:hover { background: var(--panel); }
#zoom-level { font-size: 12px; color: var(--muted); min-width: 3.5em; text-align: right; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); background: var(--panel); border: 1px dashed #c4cad4; border-radius: 8px; padding: 12px 16px; }
.finding { --sev: var(--muted); --sev-bg: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--sev);
  border-radius: 8px; padding: 10px 16px; margin: 0 0 10px; }
.sev-error { --sev: var(--err); --sev-bg: var(--err-bg); }
.sev-warning { --sev: var(--warn); --sev-bg: var(--warn-bg); }
.sev-info { --sev: var(--info); --sev-bg: var(--info-bg); }
.sev-group > h3 { color: var(--sev); }
.finding p { margin: 4px 0; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 700;
  text-transform: uppercase; letter-spacing: 0.04em; color: var(--sev); background: var(--sev-bg); }
.rule { font-family: var(--mono); font-weight: 600; font-size: 14px; }
.on { color: var(--muted); }
.node { font-weight: 700; }
.rule-title { color: var(--muted); font-size: 13px; margin-left: 6px; }
.msg { white-space: pre-wrap; overflow-wrap: anywhere; }
.witness code { display: inline-block; padding: 3px 8px; border-radius: 6px; background: var(--panel); overflow-wrap: anywhere; white-space: pre-wrap; }
.edge { color: var(--muted); }
.loc { font-family: var(--mono); font-size: 12.5px; color: var(--muted); }
.finding.waived { border-left-style: dashed; background: #fbfbfc; }
.finding.waived .msg { color: var(--muted); }
.waived-badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; color: var(--muted); border: 1px solid #c4cad4; }
.waived-reason { font-style: italic; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  padding: 8px 10px; border-bottom: 2px solid var(--line); white-space: nowrap; }
td { padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tbody tr:nth-child(even) { background: #fafbfc; }
tr.row-cyclic td:first-child { box-shadow: inset 4px 0 0 var(--err); }
.svc-cell { min-width: 15em; }
.rec-cell { min-width: 18em; }
.svc { font-weight: 600; white-space: pre-wrap; }
.desc { display: block; color: var(--muted); font-size: 12.5px; max-width: 36ch; white-space: pre-wrap; }
.tag { white-space: nowrap; }
.tier { text-align: center; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pct { color: var(--muted); }
.bar { display: block; width: 90px; height: 4px; margin: 6px 0 0 auto; border-radius: 2px; background: var(--line); }
.bar > span { display: block; height: 100%; border-radius: 2px; background: #7b8494; }
.status { display: inline-block; padding: 0 9px; border-radius: 999px; font-size: 12.5px; font-weight: 600; white-space: nowrap;
  color: var(--muted); background: var(--panel); border: 1px solid var(--line); }
.status-cyclic { color: #fff; background: var(--err); border-color: var(--err); }
.status-breakglass, .status-partial { color: var(--warn); background: var(--warn-bg); border-color: #f0d3a0; }
.status-recoverable { color: var(--ok); background: var(--ok-bg); border-color: #b5dfc3; }
.procs { list-style: none; margin: 6px 0 0; padding: 0; font-size: 12.5px; }
.procs li { margin: 2px 0; }
.procs .mark { font-weight: 700; }
.procs .blocked .mark { color: var(--err); }
.procs .usable .mark { color: var(--ok); }
.proc { font-weight: 600; }
.bg { font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--warn); }
.why { display: block; padding-left: 1.2em; color: var(--muted); overflow-wrap: anywhere; }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
@media print {
  @page { margin: 14mm; }
  :root { --fg: #000; --muted: #333; --line: #999; --panel: #fff; --bg: #fff; }
  body { font-size: 10pt; color: #000; background: #fff; }
  .page { max-width: none; padding: 0; }
  .controls, .zoom-tools { display: none !important; }
  a { text-decoration: none; }
  .verdict, .stat, .finding, .finding.waived, tbody tr:nth-child(even) { background: #fff !important; }
  .badge, .status, .waived-badge { background: #fff !important; border: 1px solid currentColor; }
  .status-cyclic { color: var(--err); }
  .graph { overflow: visible; border: none; padding: 0; }
  .graph svg { width: 100% !important; height: auto !important; max-height: 240mm; }
  .table-wrap { overflow: visible; }
  .tag { white-space: normal; }
  thead { display: table-header-group; }
  tr, .finding, .verdict, .stats { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .bar { display: none; }
}
`

// htmlScript adds the filter controls: a text box that keeps the findings
// and table rows containing its text (prefilled from the URL's ?q=), and a
// checkbox per severity and for waived findings; and pans and zooms the
// picture: the wheel zooms about the pointer, dragging pans, buttons (and
// the keys +, - and 0 on the focused picture, arrows to pan) zoom in, out
// and back to the whole picture. Zooming changes only the SVG's viewBox,
// and printing shows the whole picture again. It is the only script the
// page's CSP allows; without it every section and the whole picture stay
// visible and no control shows.
const htmlScript = `
(function () {
  "use strict";
  var bar = document.getElementById("filters");
  if (!bar || !document.querySelectorAll) { return; }
  var all = function (sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); };
  var findings = all(".finding"), groups = all(".sev-group"), rows = all("#service-table tbody tr");
  var text = document.createElement("input");
  text.type = "search";
  text.id = "filter-text";
  text.placeholder = "Filter services and findings";
  text.setAttribute("aria-label", "Filter services and findings by text");
  // report.html?q=team-a opens the page filtered, for links to a part of it.
  text.value = (window.URLSearchParams && new URLSearchParams(window.location.search).get("q")) || "";
  bar.appendChild(text);
  var boxes = [["error", "errors"], ["warning", "warnings"], ["info", "infos"], ["waived", "waived"]].map(function (k) {
    var label = document.createElement("label"), box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = k[0];
    box.id = "filter-" + k[0];
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + k[1]));
    bar.appendChild(label);
    return box;
  });
  var status = document.createElement("span");
  status.id = "filter-status";
  status.setAttribute("aria-live", "polite");
  bar.appendChild(status);
  var has = function (el, q) { return q === "" || el.textContent.toLowerCase().indexOf(q) !== -1; };
  function apply() {
    var q = text.value.trim().toLowerCase(), on = {}, shown = 0, rowsShown = 0;
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    findings.forEach(function (f) {
      var show = on[f.getAttribute("data-severity")] && (on.waived || !f.classList.contains("waived")) && has(f, q);
      f.hidden = !show;
      if (show) { shown++; }
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector(".finding:not([hidden])"); });
    rows.forEach(function (r) {
      r.hidden = !has(r, q);
      if (!r.hidden) { rowsShown++; }
    });
    status.textContent = "showing " + shown + " of " + findings.length + " findings, " + rowsShown + " of " + rows.length + " services";
  }
  text.addEventListener("input", apply);
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  apply();
  bar.hidden = false;
  zoomable(document.getElementById("picture"));

  function zoomable(fig) {
    var svg = fig && fig.querySelector("svg");
    var vb = svg && svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !(vb.width > 0) || !(vb.height > 0) || !svg.getScreenCTM || !svg.createSVGPoint) { return; }
    var home = { x: vb.x, y: vb.y, w: vb.width, h: vb.height }, view = home;
    var naturalHeight = svg.height && svg.height.baseVal ? svg.height.baseVal.value : 0;
    // Enough to read a node of a picture of thousands.
    var maxZoom = Math.max(8, Math.max(home.w, home.h) / 150);
    fig.classList.add("zoomable");
    fig.tabIndex = 0;
    fig.setAttribute("aria-label", "Dependency graph: wheel or + and - zoom, drag or arrow keys pan, 0 shows it whole");
    svg.setAttribute("width", "100%");
    svg.removeAttribute("height");
    var tools = document.createElement("div"), level = document.createElement("span");
    tools.className = "zoom-tools";
    tools.setAttribute("role", "group");
    tools.setAttribute("aria-label", "Zoom the picture");
    [["zoom-in", "+", "Zoom in", function () { zoomBy(1.5); }],
     ["zoom-out", "\u2212", "Zoom out", function () { zoomBy(1 / 1.5); }],
     ["zoom-reset", "Reset", "Show the whole picture", function () { show(home); }]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.id = b[0];
      button.textContent = b[1];
      button.title = b[2];
      button.setAttribute("aria-label", b[2]);
      button.addEventListener("click", b[3]);
      tools.appendChild(button);
    });
    level.id = "zoom-level";
    level.setAttribute("aria-live", "polite");
    tools.appendChild(level);
    fig.insertBefore(tools, svg);

    // The picture's box: as wide as the page, and as tall as the whole
    // picture fits, but at most three quarters of the window.
    function fit() {
      var width = svg.getBoundingClientRect().width || fig.clientWidth;
      var h = Math.min(width * home.h / home.w, window.innerHeight * 0.75);
      if (naturalHeight > 0) { h = Math.min(h, naturalHeight); }
      svg.style.height = Math.max(h, 160) + "px";
    }
    // show draws v, zoomed no further out than the whole picture and no
    // further in than maxZoom, and keeps part of the picture in sight.
    function show(v) {
      var w = Math.min(home.w, Math.max(v.w, home.w / maxZoom)), h = w * home.h / home.w;
      var x = v.x + (v.w - w) / 2, y = v.y + (v.h - h) / 2;
      x = Math.min(Math.max(x, home.x - w * 0.9), home.x + home.w - w * 0.1);
      y = Math.min(Math.max(y, home.y - h * 0.9), home.y + home.h - h * 0.1);
      if (w >= home.w) { x = home.x; y = home.y; }
      view = { x: x, y: y, w: w, h: h };
      svg.setAttribute("viewBox", [x, y, w, h].map(function (n) { return Math.round(n * 100) / 100; }).join(" "));
      level.textContent = Math.round(100 * home.w / w) + "%";
    }
    // zoomBy zooms by f about (cx, cy) in the picture's coordinates, the
    // middle of the view when not given: that point stays where it is.
    function zoomBy(f, cx, cy) {
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      var w = view.w / f, h = view.h / f;
      show({ x: cx - (cx - view.x) / f, y: cy - (cy - view.y) / f, w: w, h: h });
    }
    function toPicture(clientX, clientY) {
      var m = svg.getScreenCTM(), p = svg.createSVGPoint();
      p.x = clientX;
      p.y = clientY;
      return m ? p.matrixTransform(m.inverse()) : { x: view.x + view.w / 2, y: view.y + view.h / 2 };
    }
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1, p = toPicture(e.clientX, e.clientY);
      zoomBy(Math.pow(1.0015, -e.deltaY * unit), p.x, p.y);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (e) {
      var m = svg.getScreenCTM();
      if (e.button !== 0 || !m) { return; }
      drag = { x: e.clientX, y: e.clientY, from: view, scale: m.a };
      try { svg.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic pointer */ }
      fig.classList.add("dragging");
    });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var f = drag.from;
      show({ x: f.x - (e.clientX - drag.x) / drag.scale, y: f.y - (e.clientY - drag.y) / drag.scale, w: f.w, h: f.h });
    });
    var stop = function () { drag = null; fig.classList.remove("dragging"); };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    fig.addEventListener("keydown", function (e) {
      var step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
      if (e.key === "+" || e.key === "=") { zoomBy(1.5); }
      else if (e.key === "-") { zoomBy(1 / 1.5); }
      else if (e.key === "0") { show(home); }
      else if (step) { show({ x: view.x + step[0] * view.w / 10, y: view.y + step[1] * view.h / 10, w: view.w, h: view.h }); }
      else { return; }
      e.preventDefault();
    });
    window.addEventListener("resize", fit);
    window.addEventListener("beforeprint", function () { show(home); });
    fit();
    show(home);
  }
})();
`
