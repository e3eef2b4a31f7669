package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/internal/parallel"
	"github.com/catch22/catch22/rules"
)

// HTMLOptions tune the design-review page.
type HTMLOptions struct {
	Title string // the page heading; "catch22 design review" when empty
	// SVG is the picture of the graph, as Graphviz writes it. It is trusted
	// and inlined as it is, minus its XML declaration and DOCTYPE; the page's
	// Content-Security-Policy forbids every fetch, so even a reference in it
	// could not reach the network. nil: SVGNote is shown instead.
	SVG     []byte
	SVGNote string // why there is no picture, and what to do about it
	// PictureNote says what the picture leaves out (PictureNote), shown
	// under it; "" when it draws the whole graph.
	PictureNote string
	Now         time.Time // the date in the footer; zero: none
	Version     string    // catch22's version, in the footer
}

// HTML writes one self-contained page for design review: a headline with
// the counts and the services that cannot be recovered, the picture of the
// graph, the findings grouped by severity, and a table of every service
// with its recovery status and blast radius. It fetches nothing: styles and
// the small filter script are inline, and a Content-Security-Policy allows
// only that script. Every name, message and description is data, escaped by
// html/template. The same input gives byte-identical output.
func HTML(w io.Writer, g *graph.Graph, res *analyzer.Result, o HTMLOptions) error {
	page, err := htmlView(g, res, o)
	if err != nil {
		return err
	}
	rows, err := serviceRows(page.Services)
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	page.ServiceRows = rows
	bw := bufio.NewWriter(w)
	if err := htmlPage.Execute(bw, page); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return bw.Flush()
}

// serviceRows renders the table rows of services with the service-rows
// template, slices of them on all cores, in order. The pieces are not
// joined: the page writes them one after the other, so a large estate's
// rows (83 MB at 100,000 services) are not copied once more into one
// string.
func serviceRows(services []htmlService) ([]template.HTML, error) {
	const slice = 1000
	parts := make([]strings.Builder, (len(services)+slice-1)/slice)
	errs := make([]error, len(parts))
	parallel.For(len(services), slice, func(lo, hi int) {
		errs[lo/slice] = htmlPage.ExecuteTemplate(&parts[lo/slice], "service-rows", services[lo:hi])
	})
	rows := make([]template.HTML, len(parts))
	for i := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		rows[i] = template.HTML(parts[i].String())
	}
	return rows, nil
}

// The view model: everything the template shows, computed and ordered here
// so that the template only loops and prints.
type (
	htmlPageData struct {
		Title       string
		CSP         template.HTML // the policy <meta>, built from constants only
		CSS         template.CSS
		Script      template.JS
		Nodes       int
		Edges       int
		Counts      analyzer.Counts
		Waived      int
		Cyclic      []htmlNodeRef // services that cannot be recovered
		CyclicTitle string        // "1 service cannot be recovered"
		CyclicWhy   string
		OKTitle     string // the headline when no service is cyclic
		// StatusSummary counts the services per recovery status.
		StatusSummary string
		HasSVG        bool
		SVG           template.HTML
		SVGNote       string
		PictureNote   string
		Groups        []htmlGroup
		Services      []htmlService
		ServiceRows   []template.HTML // Services rendered by the service-rows template, in pieces
		Version       string
		Date          string
	}
	htmlNodeRef struct {
		Name   string
		Anchor string // "" when the node is not in the graph
	}
	htmlGroup struct {
		Severity string // "error", "warning", "info"
		Title    string // "Errors"
		Count    int    // not waived
		Waived   int
		Findings []htmlFinding
	}
	htmlFinding struct {
		Severity  string
		Rule      string
		RuleTitle string
		Node      htmlNodeRef
		Message   string
		Witness   []htmlPart // its text is Witness(f.Witness); empty for a witness of its node alone
		Location  string
		Waived    bool
		WaivedFor string
	}
	htmlPart struct {
		Class string // "node" or "edge"
		Text  string
	}
	htmlService struct {
		Anchor      string
		Name        string
		Description string
		Env         string
		Kind        string
		Tier        string
		Owner       string
		System      string
		Status      string // RecoveryStatus.String()
		StatusClass string // "none", "cyclic", "breakglass", "recoverable"
		Partial     string // "1 of 2 procedures blocked" when partially blocked
		Procedures  []htmlProcedure
		Down        int // |down({S})| - 1
		Percent     string
		Bar         int // Percent as an integer 0..100 for the bar; -1 when there are no other nodes
	}
	htmlProcedure struct {
		Name       string
		Breakglass bool
		Blocked    bool
		Via        string     // "ci, ci-secrets"
		Witness    []htmlPart // the blocking path from the via node back to S
	}
)

var htmlStatusClass = [...]string{NoRecovery: "none", Cyclic: "cyclic", BreakglassOnly: "breakglass", Recoverable: "recoverable"}

func htmlView(g *graph.Graph, res *analyzer.Result, o HTMLOptions) (*htmlPageData, error) {
	if g == nil || res == nil {
		return nil, errors.New("html report: no graph or no result")
	}
	p := &htmlPageData{
		Title:   o.Title,
		CSP:     htmlCSP,
		CSS:     template.CSS(htmlCSS),
		Script:  template.JS(htmlScript),
		Nodes:   res.Nodes,
		Edges:   res.Edges,
		Counts:  res.Counts(),
		SVGNote: o.SVGNote,
		Version: o.Version,
		// The note is the picture's own; the page adds that the rest of
		// it is whole.
		PictureNote: o.PictureNote,
	}
	if p.Title == "" {
		p.Title = "catch22 design review"
	}
	if p.SVGNote == "" {
		p.SVGNote = "No picture of the graph was rendered."
	}
	if !o.Now.IsZero() {
		p.Date = o.Now.Format(time.DateOnly)
	}
	p.Waived = len(res.Findings) - p.Counts.Errors - p.Counts.Warnings - p.Counts.Infos
	if len(o.SVG) > 0 {
		svg, err := inlineSVG(o.SVG)
		if err != nil {
			return nil, err
		}
		p.HasSVG, p.SVG = true, template.HTML(svg)
	}

	anchor := func(id string) string {
		if i, ok := g.Lookup(id); ok {
			return fmt.Sprintf("svc-%d", i)
		}
		return ""
	}

	facts := res.Facts
	if facts == nil { // a Result not made by the analyzer
		facts = rules.ComputeFacts(g)
	}
	others := len(g.Nodes) - 1
	// byStatus counts every service once, by its status; partial counts
	// those of each status that have a blocked procedure besides a usable
	// one, which are a part of byStatus, not more services.
	var byStatus, partial [len(htmlStatusClass)]int
	for u, n := range g.Nodes {
		s := &n.Manifest.Service
		rec := RecoveryOf(g, facts, u)
		row := htmlService{
			Anchor:      fmt.Sprintf("svc-%d", u),
			Name:        Display(n.ID),
			Description: s.Description,
			Env:         s.Env,
			Kind:        string(s.Kind),
			Tier:        "—",
			Owner:       s.Owner,
			System:      s.System,
			Status:      rec.Status.String(),
			StatusClass: htmlStatusClass[rec.Status],
			Down:        facts.DownSize[u] - 1,
			Percent:     "—",
			Bar:         -1,
		}
		if s.HasTier {
			row.Tier = fmt.Sprint(s.Tier)
		}
		if others > 0 {
			// Rounded as the blast-radius finding rounds it.
			pct := fmt.Sprintf("%.0f", 100*float64(row.Down)/float64(others))
			row.Percent = pct + "%"
			row.Bar, _ = strconv.Atoi(pct)
		}
		if rec.Partial() {
			row.Partial = fmt.Sprintf("%d of %d procedures blocked", rec.Blocked, len(rec.Procedures))
		}
		for _, pr := range rec.Procedures {
			hp := htmlProcedure{Name: pr.Name, Breakglass: pr.Breakglass, Blocked: pr.Blocked}
			for i, v := range pr.Via {
				if i > 0 {
					hp.Via += ", "
				}
				hp.Via += Display(v)
			}
			if pr.Blocked {
				hp.Witness = witnessParts(pr.Witness[1:])
			}
			row.Procedures = append(row.Procedures, hp)
		}
		byStatus[rec.Status]++
		if rec.Partial() {
			partial[rec.Status]++
		}
		if rec.Status == Cyclic {
			p.Cyclic = append(p.Cyclic, htmlNodeRef{Name: row.Name, Anchor: row.Anchor})
		}
		p.Services = append(p.Services, row)
	}
	p.headline(byStatus, partial, len(g.Nodes))

	for _, sev := range rules.Severities {
		name := sev.String()
		grp := htmlGroup{Severity: name, Title: strings.ToUpper(name[:1]) + name[1:] + "s"}
		// Waived findings follow the counted ones of their severity, in the
		// analyzer's order, so what needs attention comes first.
		for _, waived := range []bool{false, true} {
			for i := range res.Findings {
				f := &res.Findings[i]
				if f.Severity != sev || f.Waived != waived {
					continue
				}
				hf := htmlFinding{
					Severity:  name,
					Rule:      f.Rule,
					Node:      htmlNodeRef{Name: Display(f.Node), Anchor: anchor(f.Node)},
					Message:   f.Message,
					Waived:    f.Waived,
					WaivedFor: f.WaivedFor,
				}
				if r, ok := rules.Lookup(f.Rule); ok {
					hf.RuleTitle = r.Title
				}
				if rules.HopCount(f.Witness) > 1 {
					hf.Witness = witnessParts(f.Witness)
				}
				if f.File != "" {
					hf.Location = location(f)
				}
				if waived {
					grp.Waived++
				} else {
					grp.Count++
				}
				grp.Findings = append(grp.Findings, hf)
			}
		}
		if len(grp.Findings) > 0 {
			p.Groups = append(p.Groups, grp)
		}
	}
	return p, nil
}

// headline words the verdict: which services cannot be recovered, or that
// none is stuck, and how many services are in each recovery status. The
// counts add up to services: the partially blocked ones are said within
// their status ("4 recoverable (1 of them partially blocked)").
func (p *htmlPageData) headline(byStatus, partial [len(htmlStatusClass)]int, services int) {
	switch n := len(p.Cyclic); {
	case n == 1:
		p.CyclicTitle = "1 service cannot be recovered"
		p.CyclicWhy = "Every recovery procedure it declares needs a service that goes down with it: a recovery cycle."
	case n > 1:
		p.CyclicTitle = fmt.Sprintf("%d services cannot be recovered", n)
		p.CyclicWhy = "Every recovery procedure each of them declares needs a service that goes down with it: recovery cycles."
	case byStatus[NoRecovery] == services:
		p.OKTitle = "No service declares a recovery procedure."
	default:
		p.OKTitle = "No recovery cycle: every service that declares recovery procedures can be repaired while it is down."
	}
	var parts []string
	for _, st := range []struct {
		status RecoveryStatus
		words  string
	}{{Cyclic, "cyclic"}, {BreakglassOnly, "recoverable only via breakglass"}, {Recoverable, "recoverable"}, {NoRecovery, "with no recovery declared"}} {
		n := byStatus[st.status]
		if n == 0 {
			continue
		}
		part := fmt.Sprintf("%d %s", n, st.words)
		switch k := partial[st.status]; {
		case k == 0:
		case k == n && n == 1:
			part += " (partially blocked)"
		case k == n:
			part += " (all partially blocked)"
		default:
			part += fmt.Sprintf(" (%d of them partially blocked)", k)
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		p.StatusSummary = "No services."
		return
	}
	p.StatusSummary = "Recovery status of " + plural(services, "service") + ": " + strings.Join(parts, ", ") + "."
}

// witnessParts splits a witness into the pieces Witness draws, so that the
// page can style nodes and edges apart while its text stays the same.
func witnessParts(hops []rules.Hop) []htmlPart {
	var parts []htmlPart
	for i, h := range hops {
		if i > 0 {
			edge := " -> "
			if h.Label != "" {
				edge = " -[" + h.Label + "]-> "
			}
			parts = append(parts, htmlPart{Class: "edge", Text: edge})
		}
		parts = append(parts, htmlPart{Class: "node", Text: Display(h.Node)})
	}
	return parts
}

// inlineSVG prepares Graphviz output for inlining in HTML: it drops what
// comes before the <svg> element (XML declaration, DOCTYPE with its
// external DTD URL, comments, whitespace). The element itself is kept as it
// is.
func inlineSVG(svg []byte) ([]byte, error) {
	rest := svg
	for {
		rest = bytes.TrimLeft(rest, " \t\r\n\ufeff")
		var end []byte
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			end = []byte("?>")
		case bytes.HasPrefix(rest, []byte("<!--")):
			end = []byte("-->")
		case len(rest) >= 9 && bytes.EqualFold(rest[:9], []byte("<!DOCTYPE")):
			n, ok := doctypeEnd(rest)
			if !ok {
				return nil, errors.New("html report: svg: unterminated DOCTYPE")
			}
			rest = rest[n:]
			continue
		case bytes.HasPrefix(rest, []byte("<svg")):
			return bytes.TrimRight(rest, " \t\r\n"), nil
		default:
			return nil, errors.New("html report: svg: want an <svg> element")
		}
		i := bytes.Index(rest, end)
		if i < 0 {
			return nil, errors.New("html report: svg: unterminated prolog")
		}
		rest = rest[i+len(end):]
	}
}

// doctypeEnd returns the length of the DOCTYPE declaration at the start of
// b: up to the first '>' outside quotes and outside an internal subset.
func doctypeEnd(b []byte) (int, bool) {
	var quote byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return i + 1, true
		}
	}
	return 0, false
}
