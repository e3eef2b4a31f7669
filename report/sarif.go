package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/rules"
)

// SARIF limits. GitHub code scanning rejects a run of more than 25,000
// results and stores only the first 1,000 thread-flow locations of a result
// (it rejects more than 10,000); we cut below both so that an upload is
// never rejected and what is shown is what we chose to keep. No limit on
// message length is documented: maxSARIFMessage only keeps one pathological
// message from dominating a file that GitHub caps at 10 MB compressed.
const (
	maxSARIFResults  = 25000
	maxSARIFFlowLocs = 1000
	maxSARIFMessage  = 4096 // bytes, cut at a rune boundary

	sarifSchema       = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifInfoURI      = "https://github.com/catch22/catch22"
	sarifSrcRoot      = "%SRCROOT%"
	sarifFingerprint  = "catch22/v1"
	sarifWaivedReason = "waived in catch22.toml"
)

// The types below are the subset of SARIF 2.1.0 that catch22 writes. They are
// structs rather than maps so that key order, and so the output, is fixed.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  *sarifRunProps    `json:"properties,omitempty"`
}

type sarifRunProps struct {
	Truncated    bool `json:"truncated"`
	TotalResults int  `json:"totalResults"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifHelp       `json:"help"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags            []string `json:"tags"`
	Precision       string   `json:"precision"`
	ProblemSeverity string   `json:"problem.severity"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Descriptor sarifDescriptorRef `json:"descriptor"`
	Level      string             `json:"level"`
	Message    sarifText          `json:"message"`
}

type sarifDescriptorRef struct {
	ID string `json:"id"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	CodeFlows           []sarifCodeFlow    `json:"codeFlows,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifCodeFlow struct {
	Message     *sarifText        `json:"message,omitempty"`
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	Locations []sarifFlowLocation `json:"locations"`
}

type sarifFlowLocation struct {
	Location sarifLocation `json:"location"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

// SARIF writes one SARIF 2.1.0 run shaped for GitHub code scanning: every
// rule of rules.All() as a reportingDescriptor, every finding as a result
// located at its manifest entry with a stable partial fingerprint, and the
// witness as a code flow so the "show paths" view walks the Catch-22 hop by
// hop. Waived findings stay, marked as externally suppressed. Output is
// indented JSON with a fixed key order; results keep the analyzer's order.
func SARIF(w io.Writer, r *analyzer.Result, o Options) error {
	driverRules, index := sarifRules(r.Findings)
	version := o.Version
	if version == "" {
		version = "dev" // GitHub wants a version; an unstamped build has none
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "catch22", Version: version, InformationURI: sarifInfoURI, Rules: driverRules,
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		Results:     []sarifResult{}, // "results": [] means "ran, found nothing"; null would not
	}
	findings := r.Findings
	if n := len(findings); n > maxSARIFResults {
		// Findings are sorted most severe first, so the cut drops the least
		// severe. Say so twice: in the run (machine-readable) and as a
		// notification (shown by viewers).
		findings = findings[:maxSARIFResults]
		run.Properties = &sarifRunProps{Truncated: true, TotalResults: n}
		run.Invocations[0].ToolExecutionNotifications = []sarifNotification{{
			Descriptor: sarifDescriptorRef{ID: "catch22/results-truncated"},
			Level:      "warning",
			Message:    sarifText{Text: fmt.Sprintf("results truncated to %d of %d", maxSARIFResults, n)},
		}}
	}
	for i := range findings {
		run.Results = append(run.Results, sarifResultOf(r, &findings[i], index[findings[i].Rule]))
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifRules describes every rule of rules.All(), in its order, followed by
// any rule a finding names that the catalog does not know (sorted), so that
// every result's ruleIndex points at a descriptor. It returns the index of
// each rule ID.
func sarifRules(fs []rules.Finding) ([]sarifRule, map[string]int) {
	all := rules.All()
	index := make(map[string]int, len(all))
	for i, rl := range all {
		index[rl.ID] = i
	}
	var unknown []string
	for i := range fs {
		if _, ok := index[fs[i].Rule]; !ok && !slices.Contains(unknown, fs[i].Rule) {
			unknown = append(unknown, fs[i].Rule)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		index[id] = len(all)
		sev := rules.Warning
		for i := range fs {
			if fs[i].Rule == id {
				sev = fs[i].Severity
				break
			}
		}
		all = append(all, &rules.Rule{ID: id, Title: id, Severity: sev})
	}
	out := make([]sarifRule, len(all))
	for i, rl := range all {
		out[i] = sarifRule{
			ID:                   rl.ID,
			Name:                 camelCase(rl.ID),
			ShortDescription:     sarifText{Text: rl.Title},
			FullDescription:      sarifText{Text: orDefault(firstParagraph(rl.Doc), rl.Title)},
			Help:                 sarifHelp{Text: helpText(rl), Markdown: helpMarkdown(rl)},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(rl.Severity)},
			Properties: sarifRuleProps{
				Tags: []string{"catch22", "reliability"},
				// Findings are proofs with a witness, not heuristics.
				Precision:       "very-high",
				ProblemSeverity: problemSeverity(rl.Severity),
			},
		}
	}
	return out, index
}

// sarifResultOf converts one finding.
func sarifResultOf(r *analyzer.Result, f *rules.Finding, ruleIndex int) sarifResult {
	loc := sarifPhysicalAt(f.File, f.Line, f.Col)
	if loc == nil {
		// A finding with no file (a configuration finding could lack one)
		// points at its node's manifest rather than nowhere.
		if pos, ok := r.Where(f.Node); ok {
			loc = sarifPhysicalAt(pos.File, pos.Line, pos.Col)
		}
	}
	res := sarifResult{
		RuleID:    f.Rule,
		RuleIndex: ruleIndex,
		Level:     sarifLevel(f.Severity),
		Message:   sarifText{Text: orDefault(truncateBytes(sarifPlain(f.Message), maxSARIFMessage), f.Rule)},
		Locations: []sarifLocation{},
	}
	if loc != nil {
		res.Locations = append(res.Locations, sarifLocation{PhysicalLocation: loc})
	}
	if f.Fingerprint != "" {
		res.PartialFingerprints = map[string]string{sarifFingerprint: f.Fingerprint}
	}
	if rules.HopCount(f.Witness) > 1 {
		res.CodeFlows = []sarifCodeFlow{sarifCodeFlowOf(r, f, loc)}
	}
	if f.Waived {
		why := sarifWaivedReason
		if f.WaivedFor != "" {
			why += ": " + esc(f.WaivedFor)
		}
		res.Suppressions = []sarifSuppression{{Kind: "external", Justification: truncateBytes(why, maxSARIFMessage)}}
	}
	return res
}

// sarifCodeFlowOf draws the witness as a thread flow: one step per hop,
// located at the [service] table of the hop's node, or at the finding itself
// for a node that is not declared (the target of unknown-service). A single
// hop is no path, so callers only ask for witnesses of two hops or more.
func sarifCodeFlowOf(r *analyzer.Result, f *rules.Finding, own *sarifPhysical) sarifCodeFlow {
	hops := f.Witness
	var flowMsg *sarifText
	if len(hops) > maxSARIFFlowLocs {
		flowMsg = &sarifText{Text: fmt.Sprintf("witness truncated to its first %d of %d steps", maxSARIFFlowLocs, len(hops))}
		hops = hops[:maxSARIFFlowLocs]
	}
	steps := make([]sarifFlowLocation, len(hops))
	for i, h := range hops {
		loc := own
		if pos, ok := r.Where(h.Node); ok {
			if p := sarifPhysicalAt(pos.File, pos.Line, pos.Col); p != nil {
				loc = p
			}
		}
		text := Display(h.Node)
		if i > 0 {
			text = Witness([]rules.Hop{{Node: hops[i-1].Node}, h})
		}
		steps[i] = sarifFlowLocation{Location: sarifLocation{
			PhysicalLocation: loc,
			Message:          &sarifText{Text: truncateBytes(sarifPlain(text), maxSARIFMessage)},
		}}
	}
	return sarifCodeFlow{Message: flowMsg, ThreadFlows: []sarifThreadFlow{{Locations: steps}}}
}

// sarifPhysicalAt locates file:line:col, or returns nil when there is no
// file. SARIF lines and columns start at 1: a missing line becomes line 1 of
// the file, a missing column is left out.
func sarifPhysicalAt(file string, line, col int) *sarifPhysical {
	if file == "" {
		return nil
	}
	uri, relative := sarifURI(file)
	p := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}, Region: sarifRegion{StartLine: max(line, 1)}}
	if relative {
		p.ArtifactLocation.URIBaseID = sarifSrcRoot
	}
	if col > 0 {
		p.Region.StartColumn = col
	}
	return p
}

// sarifURI turns a file path into a URI reference. A relative path becomes a
// relative reference (forward slashes, "./" dropped) to be resolved against
// %SRCROOT%, the checkout root, which is what GitHub maps to files in the
// repository. An absolute path becomes a file: URI, which has no base and
// which GitHub cannot map, but which is at least not wrong.
func sarifURI(file string) (uri string, relative bool) {
	p := RepoPath(file)
	switch {
	case strings.HasPrefix(p, "/"):
		return "file://" + escapeURIPath(p), false
	case len(p) >= 3 && p[1] == ':' && p[2] == '/' && isASCIILetter(p[0]): // C:/x, Windows
		return "file:///" + p[:2] + escapeURIPath(p[2:]), false
	}
	if p == "" {
		p = "."
	}
	return escapeURIPath(p), true
}

// escapeURIPath percent-encodes every byte of p except RFC 3986 unreserved
// characters and the "/" separator. Colons are encoded too: in the first
// segment of a relative reference one would read as a scheme.
func escapeURIPath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isASCIILetter(c) || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// sarifLevel is the one mapping from severity to SARIF result level.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

// problemSeverity is GitHub's rule property for sorting and filtering alerts;
// it names "info" "recommendation".
func problemSeverity(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "recommendation"
}

// camelCase spells a kebab-case rule ID as SARIF's rule name:
// "recovery-cycle" → "RecoveryCycle".
func camelCase(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		r, n := utf8.DecodeRuneInString(part)
		b.WriteString(strings.ToUpper(string(r)))
		b.WriteString(part[n:])
	}
	return b.String()
}

// paragraphs splits a rule's documentation at blank lines and unwraps each
// paragraph onto one line.
func paragraphs(doc string) []string {
	var ps []string
	for _, p := range strings.Split(strings.ReplaceAll(doc, "\r\n", "\n"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

func firstParagraph(doc string) string {
	if ps := paragraphs(doc); len(ps) > 0 {
		return ps[0]
	}
	return ""
}

// helpText is a rule's documentation, remediation and parameters as plain
// text, for viewers that do not render Markdown.
func helpText(rl *rules.Rule) string {
	parts := paragraphs(rl.Doc)
	if rl.Remediation != "" {
		parts = append(parts, "Remediation: "+strings.Join(strings.Fields(rl.Remediation), " "))
	}
	if len(rl.Params) > 0 {
		var ls []string
		for _, p := range rl.Params {
			ls = append(ls, fmt.Sprintf("  %s (default %g): %s", p.Name, p.Default, p.Doc))
		}
		parts = append(parts, fmt.Sprintf("Parameters ([rules.%s] in catch22.toml):\n%s", rl.ID, strings.Join(ls, "\n")))
	}
	return orDefault(strings.Join(parts, "\n\n"), rl.Title)
}

// helpMarkdown is the same as helpText for GitHub's rule help panel. The
// documentation is prose, escaped like any other text.
func helpMarkdown(rl *rules.Rule) string {
	var parts []string
	for _, p := range paragraphs(rl.Doc) {
		parts = append(parts, mdText(p))
	}
	if rl.Remediation != "" {
		parts = append(parts, "**Remediation:** "+mdText(strings.Join(strings.Fields(rl.Remediation), " ")))
	}
	if len(rl.Params) > 0 {
		ls := []string{fmt.Sprintf("**Parameters** (%s in `catch22.toml`):", mdCode("[rules."+rl.ID+"]"))}
		for _, p := range rl.Params {
			ls = append(ls, fmt.Sprintf("- %s (default %g): %s", mdCode(p.Name), p.Default, mdText(p.Doc)))
		}
		parts = append(parts, strings.Join(ls, "\n"))
	}
	return orDefault(strings.Join(parts, "\n\n"), mdText(rl.Title))
}

// sarifPlain makes data fit for a SARIF plain-text message, which viewers
// such as GitHub code scanning show to people: esc first, as in every text
// format (the JSON encoding alone would hand the viewer the raw characters
// back). Then, when the text holds "](", which SARIF §3.11.6 reads as an
// embedded link "[text](target)" a viewer makes clickable, every square
// bracket is escaped with a backslash as that section prescribes for
// literal brackets, so a name cannot plant a link. Text without "](" is
// left as it is, so witnesses keep their -[label]-> arrows unescaped.
func sarifPlain(s string) string {
	s = esc(s)
	if !strings.Contains(s, "](") {
		return s
	}
	return strings.NewReplacer("[", `\[`, "]", `\]`).Replace(s)
}

// truncateBytes cuts s to at most n bytes at a rune boundary, marking the cut.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "… (truncated)"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
