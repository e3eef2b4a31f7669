package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/safetext"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
	"github.com/catch22/catch22/rules"
)

// junitDoc is JUnit XML as CI servers read it.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Cases    []junitCase `xml:"testcase"`
	} `xml:"testsuite"`
}

type junitCase struct {
	Class   string `xml:"classname,attr"`
	Name    string `xml:"name,attr"`
	File    string `xml:"file,attr"`
	Line    string `xml:"line,attr"`
	Failure *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	Skipped *struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	} `xml:"skipped"`
	SystemOut *string `xml:"system-out"`
}

func junitOf(t testing.TB, res *analyzer.Result, o report.Options) []byte {
	t.Helper()
	return render(t, func(b *bytes.Buffer) error { return report.JUnit(b, res, o) })
}

func decodeJUnit(t testing.TB, out []byte) junitDoc {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return doc
}

// failOns are the --fail-on settings the JUnit tests render with.
var failOns = map[string]report.Options{
	"default": {},
	"warning": {FailOn: rules.Warning},
	"info":    {FailOn: rules.Info},
	"none":    {FailNever: true},
}

// junitInputs are the results JUnit is checked on: the shared ones and the
// synthetic estate.
func junitInputs(t *testing.T) map[string]*analyzer.Result {
	in := results(t)
	_, in["estate"] = scaleEstate(t)
	return in
}

// TestJUnitShape parses JUnit output back and checks it against the
// findings, matched independently of the reporter: a suite per rule of the
// catalog and per other rule with findings, sorted; one testcase per
// finding, in order, pointing at its file and line; a failure exactly for
// the findings that fail the run under --fail-on (as Result.Fails decides),
// a skip for a waived finding, the text in <system-out> for the rest; a
// single "no findings" pass for a rule that ran quietly and a single skipped
// "not run" test for a rule that did not run.
func TestJUnitShape(t *testing.T) {
	for name, res := range junitInputs(t) {
		for failOn, o := range failOns {
			doc := decodeJUnit(t, junitOf(t, res, o))
			byRule := map[string][]rules.Finding{}
			for _, f := range res.Findings {
				byRule[f.Rule] = append(byRule[f.Rule], f)
			}
			var wantSuites []string
			for _, r := range rules.Catalog() {
				wantSuites = append(wantSuites, r.ID)
			}
			for id := range byRule {
				if !slices.Contains(wantSuites, id) {
					wantSuites = append(wantSuites, id)
				}
			}
			slices.Sort(wantSuites)
			var gotSuites []string
			tests, failures := 0, 0
			for _, s := range doc.Suites {
				rule := strings.TrimPrefix(s.Name, "catch22.")
				gotSuites = append(gotSuites, rule)
				fs := byRule[rule]
				where := fmt.Sprintf("%s, --fail-on %s, suite %s", name, failOn, s.Name)
				for _, c := range s.Cases {
					if c.Class != s.Name {
						t.Errorf("%s: testcase %q has class %q", where, c.Name, c.Class)
					}
				}
				wantFailures, wantSkipped := 0, 0
				switch {
				case len(fs) == 0 && slices.Contains(res.Checked, rule):
					if len(s.Cases) != 1 || s.Cases[0].Name != "no findings" || s.Cases[0].Failure != nil || s.Cases[0].Skipped != nil {
						t.Errorf("%s: a rule that ran and found nothing must be one passing test \"no findings\", got %+v", where, s.Cases)
					}
				case len(fs) == 0:
					if len(s.Cases) != 1 || s.Cases[0].Name != "not run" || s.Cases[0].Skipped == nil || s.Cases[0].Failure != nil {
						t.Errorf("%s: a rule that did not run must be one skipped test \"not run\", got %+v", where, s.Cases)
					}
					wantSkipped = 1
				case len(s.Cases) != len(fs):
					t.Errorf("%s: %d testcases for %d findings", where, len(s.Cases), len(fs))
				default:
					for i, f := range fs {
						c := s.Cases[i]
						fails := (&analyzer.Result{Findings: []rules.Finding{f}}).Fails(o.FailOn) && !o.FailNever
						if fails {
							wantFailures++
						}
						if f.Waived {
							wantSkipped++
						}
						if node := junitNodeName(f); c.Name != node && !strings.HasPrefix(c.Name, node+" (") {
							t.Errorf("%s: testcase %d is named %q, want the node %q", where, i, c.Name, node)
						}
						if c.File != report.RepoPath(f.File) || (f.Line > 0) != (c.Line == strconv.Itoa(f.Line)) {
							t.Errorf("%s: testcase %q at file %q line %q, want %q line %d", where, c.Name, c.File, c.Line, report.RepoPath(f.File), f.Line)
						}
						if (c.Failure != nil) != fails || (c.Skipped != nil) != f.Waived || (c.SystemOut != nil) != (!fails && !f.Waived) {
							t.Errorf("%s: %q (%s, waived %v): failure %v, skipped %v, system-out %v", where, c.Name, f.Severity, f.Waived, c.Failure != nil, c.Skipped != nil, c.SystemOut != nil)
							continue
						}
						var text string
						switch {
						case fails:
							text = c.Failure.Text
							if c.Failure.Type != f.Severity.String() || c.Failure.Message != safetext.Escape(f.Message) {
								t.Errorf("%s: %q: failure type %q message %q", where, c.Name, c.Failure.Type, c.Failure.Message)
							}
						case f.Waived:
							text = c.Skipped.Text
						default:
							text = *c.SystemOut
						}
						// Text for people carries the values escaped as text output does.
						loc := safetext.Escape(fmt.Sprintf("%s:%d", f.File, f.Line))
						if !strings.HasPrefix(text, f.Severity.String()) || !strings.Contains(text, safetext.Escape(f.Message)) || !strings.Contains(text, loc) {
							t.Errorf("%s: %q does not carry finding %q at %s:\n%s", where, c.Name, f.Message, loc, text)
						}
					}
				}
				seen := map[string]bool{}
				for _, c := range s.Cases {
					if seen[c.Name] {
						t.Errorf("%s: two testcases are named %q: a CI server would merge their histories", where, c.Name)
					}
					seen[c.Name] = true
				}
				if s.Tests != len(s.Cases) || s.Failures != wantFailures || s.Skipped != wantSkipped {
					t.Errorf("%s: tests %d (%d cases), failures %d, skipped %d; want %d failures, %d skipped",
						where, s.Tests, len(s.Cases), s.Failures, s.Skipped, wantFailures, wantSkipped)
				}
				tests += len(s.Cases)
				failures += wantFailures
			}
			if !slices.Equal(gotSuites, wantSuites) {
				t.Errorf("%s, --fail-on %s: suites %v, want %v", name, failOn, gotSuites, wantSuites)
			}
			if doc.Name != "catch22" || doc.Tests != tests || doc.Failures != failures {
				t.Errorf("%s, --fail-on %s: testsuites name %q tests %d failures %d; want catch22, %d, %d", name, failOn, doc.Name, doc.Tests, doc.Failures, tests, failures)
			}
			// The document fails exactly when the run does.
			if (failures > 0) != (!o.FailNever && res.Fails(o.FailOn)) {
				t.Errorf("%s, --fail-on %s: %d failures, but the run fails: %v", name, failOn, failures, res.Fails(o.FailOn))
			}
		}
	}
}

// junitNodeName is what a testcase of f is named after.
func junitNodeName(f rules.Finding) string {
	if f.Node != "" {
		return f.Node
	}
	if f.Col > 0 {
		return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Col)
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// TestJUnitFailOn: a warning fails the JUnit report only when --fail-on
// says warnings fail the run; an info finding only with --fail-on info;
// nothing with --fail-on none.
func TestJUnitFailOn(t *testing.T) {
	res := &analyzer.Result{
		Checked: []string{"blast-radius", "missing-recovery", "recovery-cycle"},
		Findings: []rules.Finding{
			{Rule: "recovery-cycle", Severity: rules.Error, Node: "a@production", Message: "e", File: "a.toml", Line: 3},
			{Rule: "missing-recovery", Severity: rules.Warning, Node: "b@production", Message: "w", File: "b.toml", Line: 1},
			{Rule: "blast-radius", Severity: rules.Info, Node: "c@production", Message: "i", File: "c.toml", Line: 1},
		},
	}
	for name, want := range map[string][]string{"default": {"e"}, "warning": {"e", "w"}, "info": {"e", "w", "i"}, "none": nil} {
		var failed []string
		for _, s := range decodeJUnit(t, junitOf(t, res, failOns[name])).Suites {
			for _, c := range s.Cases {
				if c.Failure != nil {
					failed = append(failed, c.Failure.Message)
				}
			}
		}
		slices.Sort(failed)
		slices.Sort(want)
		if !slices.Equal(failed, want) {
			t.Errorf("--fail-on %s: failures %q, want %q", name, failed, want)
		}
	}
	out := string(junitOf(t, res, report.Options{}))
	if !strings.Contains(out, "<system-out>warning (below --fail-on error): w\n") {
		t.Errorf("a warning below --fail-on must pass, saying why:\n%s", out)
	}
}

// TestJUnitRulesNotRun: a rule that did not run (disabled in the
// configuration) is a skipped test, never a pass; one that ran and found
// nothing is one pass.
func TestJUnitRulesNotRun(t *testing.T) {
	var checked []string
	for _, r := range rules.Catalog() {
		if r.ID != "tier-inversion" {
			checked = append(checked, r.ID)
		}
	}
	doc := decodeJUnit(t, junitOf(t, &analyzer.Result{Checked: checked}, report.Options{}))
	if len(doc.Suites) != len(rules.Catalog()) || doc.Tests != len(rules.Catalog()) || doc.Failures != 0 {
		t.Fatalf("want one suite of one test per rule of the catalog, got %d suites, %d tests", len(doc.Suites), doc.Tests)
	}
	for _, s := range doc.Suites {
		c := s.Cases[0]
		if s.Name == "catch22.tier-inversion" {
			if c.Skipped == nil || s.Skipped != 1 || !strings.Contains(c.Skipped.Message, "disabled") {
				t.Errorf("the disabled rule is not skipped: %+v", s)
			}
		} else if c.Skipped != nil || c.Failure != nil || c.Name != "no findings" || s.Skipped != 0 {
			t.Errorf("%s ran and found nothing: want one passing test, got %+v", s.Name, s)
		}
	}
}

// TestJUnitScale: on a 2,000-service estate the report has one testcase per
// finding (plus one per quiet rule), not one per rule and node, and every
// finding's testcase names its file.
func TestJUnitScale(t *testing.T) {
	_, res := scaleEstate(t)
	doc := decodeJUnit(t, junitOf(t, res, report.Options{}))
	quiet := 0
	for _, id := range res.Checked {
		if !slices.ContainsFunc(res.Findings, func(f rules.Finding) bool { return f.Rule == id }) {
			quiet++
		}
	}
	if want := len(res.Findings) + quiet; doc.Tests != want {
		t.Errorf("%d tests for %d findings and %d quiet rules, want %d (rules × nodes would be %d)",
			doc.Tests, len(res.Findings), quiet, want, len(res.Checked)*len(res.Declared))
	}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Name != "no findings" && c.Name != "not run" && (c.File == "" || c.Line == "") {
				t.Fatalf("%s %q has no file and line", s.Name, c.Name)
			}
		}
	}
}

// TestJUnitSchema validates every JUnit output against junit-10.xsd, the
// schema Jenkins' xUnit plugin checks JUnit reports with (a report it
// rejects is not imported): with xmllint when it is installed, and always
// with junitSchemaCheck, which reads the same schema file.
func TestJUnitSchema(t *testing.T) {
	xsd := filepath.Join("testdata", "junit-10.xsd")
	check := junitSchemaCheck(t, xsd)
	docs := map[string][]byte{}
	for name, res := range junitInputs(t) {
		for failOn, o := range failOns {
			docs[name+", --fail-on "+failOn] = junitOf(t, res, o)
		}
	}
	names := slices.Sorted(maps.Keys(docs))
	for _, name := range names {
		if err := check(docs[name]); err != nil {
			t.Errorf("%s: not valid against junit-10.xsd: %v", name, err)
		}
	}
	// The check must be able to say no: junit-10.xsd has no skipped
	// attribute on <testsuites>, no properties in a testcase, and requires
	// tests on a testsuite.
	bad := []string{
		`<testsuites skipped="0"></testsuites>`,
		`<testsuites><testsuite tests="1"><testcase name="x"><properties/></testcase></testsuite></testsuites>`,
		`<testsuites><testsuite name="x"></testsuite></testsuites>`,
		`<testsuites><testsuite tests="1"><testcase name="x">text</testcase></testsuite></testsuites>`,
	}
	for _, b := range bad {
		if check([]byte(b)) == nil {
			t.Errorf("the structural check accepts %s", b)
		}
	}

	t.Run("xmllint", func(t *testing.T) {
		xmllint, err := exec.LookPath("xmllint")
		if err != nil {
			msg := "xmllint is not installed (apt-get install libxml2-utils, brew install libxml2): JUnit output was validated by the structural check only"
			if os.Getenv("CATCH22_REQUIRE_TOOLS") != "" {
				t.Fatal(msg)
			}
			t.Skip("SKIPPED: " + msg)
		}
		for _, name := range names {
			cmd := exec.Command(xmllint, "--noout", "--schema", xsd, "-")
			cmd.Stdin = bytes.NewReader(docs[name])
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: xmllint: %v\n%s", name, err, out)
			}
		}
		cmd := exec.Command(xmllint, "--noout", "--schema", xsd, "-")
		cmd.Stdin = strings.NewReader(bad[0])
		if cmd.Run() == nil {
			t.Errorf("xmllint accepts %s", bad[0])
		}
	})
}

// TestJUnitSchemaCopy: the schema in testdata is the Jenkins xUnit plugin's
// junit-10.xsd (see testdata/junit-10.xsd.source.txt): its MIT notice, and
// the testcase file attribute of its current version.
func TestJUnitSchemaCopy(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "junit-10.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Copyright (c) 2014, Gregory Boissinot", `<xs:attribute name="file" type="xs:string" use="optional"/>`, `<xs:element name="testsuites">`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("testdata/junit-10.xsd lacks %q: it is not the xUnit plugin's junit-10.xsd", want)
		}
	}
}

// xsdElement is what junit-10.xsd allows of one element.
type xsdElement struct {
	attrs    map[string]bool // attribute → required
	children map[string]bool
	text     bool // character data allowed (mixed content or a simple type)
}

// junitSchemaCheck reads the global elements of an XSD written as
// junit-10.xsd is (every element global, children by ref, attributes of
// simple types) and returns a check of a document against it: the root
// and every child is an element the schema allows where it is, every
// attribute is declared, required ones are present, and text appears only
// where the schema allows it. Order and counts of children are not
// checked: the schema constrains neither (it refuses to load a schema with
// a bounded choice or a sequence of several particles, which would).
func junitSchemaCheck(t *testing.T, xsd string) func([]byte) error {
	t.Helper()
	b, err := os.ReadFile(xsd)
	if err != nil {
		t.Fatal(err)
	}
	const xs = "http://www.w3.org/2001/XMLSchema"
	schema := map[string]*xsdElement{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var cur *xsdElement
	depth, curDepth := 0, 0
	attr := func(se xml.StartElement, name string) string {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if tok.Name.Space != xs {
				t.Fatalf("%s: unexpected element %v", xsd, tok.Name)
			}
			switch tok.Name.Local {
			case "element":
				if depth == 2 { // a global element
					cur = &xsdElement{attrs: map[string]bool{}, children: map[string]bool{}, text: attr(tok, "type") == "xs:string"}
					schema[attr(tok, "name")] = cur
					curDepth = depth
				} else if ref := attr(tok, "ref"); ref != "" && cur != nil {
					cur.children[ref] = true
				} else {
					t.Fatalf("%s: a local element declaration is beyond this check", xsd)
				}
			case "complexType":
				if cur != nil && attr(tok, "mixed") == "true" {
					cur.text = true
				}
			case "attribute":
				cur.attrs[attr(tok, "name")] = attr(tok, "use") == "required"
				if ty := attr(tok, "type"); ty != "xs:string" {
					t.Fatalf("%s: attribute type %q is beyond this check", xsd, ty)
				}
			case "choice":
				if attr(tok, "maxOccurs") != "unbounded" {
					t.Fatalf("%s: a bounded choice is beyond this check", xsd)
				}
			case "sequence":
				// Only a sequence of one unbounded particle leaves order and
				// counts free; checked on its children below.
			case "schema":
			default:
				t.Fatalf("%s: xs:%s is beyond this check", xsd, tok.Name.Local)
			}
		case xml.EndElement:
			if depth == curDepth {
				cur = nil
			}
			depth--
		}
	}
	if err := xsdSequencesFree(b); err != nil {
		t.Fatalf("%s: %v", xsd, err)
	}

	return func(doc []byte) error {
		dec := xml.NewDecoder(bytes.NewReader(doc))
		var stack []string
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				if len(stack) > 0 {
					return errors.New("unexpected end of document")
				}
				return nil
			}
			if err != nil {
				return err
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				name := tok.Name.Local
				el := schema[name]
				if el == nil {
					return fmt.Errorf("element <%s> is not in the schema", name)
				}
				if len(stack) > 0 {
					if parent := schema[stack[len(stack)-1]]; !parent.children[name] {
						return fmt.Errorf("<%s> may not hold <%s>", stack[len(stack)-1], name)
					}
				} else if name != "testsuites" && name != "testsuite" {
					return fmt.Errorf("root <%s>", name)
				}
				seen := map[string]bool{}
				for _, a := range tok.Attr {
					if _, ok := el.attrs[a.Name.Local]; !ok || a.Name.Space != "" {
						return fmt.Errorf("<%s> has no attribute %q", name, a.Name.Local)
					}
					seen[a.Name.Local] = true
				}
				for a, required := range el.attrs {
					if required && !seen[a] {
						return fmt.Errorf("<%s> lacks the required attribute %q", name, a)
					}
				}
				stack = append(stack, name)
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			case xml.CharData:
				if len(stack) > 0 && !schema[stack[len(stack)-1]].text && len(bytes.TrimSpace(tok)) > 0 {
					return fmt.Errorf("<%s> holds text %q", stack[len(stack)-1], tok)
				}
			}
		}
	}
}

// xsdSequencesFree checks that every xs:sequence of the schema holds one
// particle, unbounded: then it constrains neither order nor counts.
func xsdSequencesFree(schema []byte) error {
	type particle struct {
		XMLName   xml.Name
		MaxOccurs string     `xml:"maxOccurs,attr"`
		Children  []particle `xml:",any"`
	}
	var root particle
	if err := xml.Unmarshal(schema, &root); err != nil {
		return err
	}
	var walk func(p particle) error
	walk = func(p particle) error {
		if p.XMLName.Local == "sequence" {
			if len(p.Children) != 1 || p.Children[0].MaxOccurs != "unbounded" {
				return errors.New("an xs:sequence that orders or counts its particles is beyond this check")
			}
		}
		for _, c := range p.Children {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(root)
}

// benchmarkResult is 100,000 declared nodes, every rule run and a finding
// on every 100th node: the scale JUnit must stream.
func benchmarkResult() *analyzer.Result {
	const n = 100000
	r := &analyzer.Result{Nodes: n}
	for _, rl := range rules.Catalog() {
		r.Checked = append(r.Checked, rl.ID)
	}
	for i := range n {
		id := fmt.Sprintf("svc-%06d@production", i)
		r.Declared = append(r.Declared, analyzer.Declared{ID: id, Pos: manifest.Pos{File: "m/" + id + ".toml", Line: 1, Col: 1}})
		if i%100 == 0 {
			r.Findings = append(r.Findings, rules.Finding{Rule: "recovery-cycle", Severity: rules.Error, Node: id, Message: "blocked",
				Witness: []rules.Hop{{Node: id}, {Node: "ci@production", Label: "recovery: rollback"}, {Node: id, Label: "auth"}},
				File:    "m/" + id + ".toml", Line: 9, Col: 3, Fingerprint: id})
		}
	}
	return r
}

// BenchmarkJUnit renders 1,000 findings among 100,000 nodes:
//
//	go test ./report -run '^$' -bench JUnit -benchmem
func BenchmarkJUnit(b *testing.B) {
	res := benchmarkResult()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := report.JUnit(&buf, res, report.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
