package rules

import "fmt"

// Severity ranks findings. Lower values are more severe so that sorting by
// severity puts errors first.
type Severity int

const (
	Error Severity = iota
	Warning
	Info
)

// Severities lists every severity, most severe first.
var Severities = []Severity{Error, Warning, Info}

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	for _, v := range Severities {
		if v.String() == s {
			return v, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Hop is one step of a witness path: the node reached and the label of the
// edge that reached it ("auth", "recovery: rollback", "monitored-by"). The
// first hop of a path has no label.
type Hop struct {
	Node  string
	Label string
	// Alternatives, on the last hop of a path, prove that an any_of group
	// of that node fails: one path per alternative that goes down, each
	// starting at the alternative.
	Alternatives [][]Hop
}

// HopCount counts the hops of a witness, its alternatives' included: the
// size by which witnesses are compared.
func HopCount(hops []Hop) int {
	n := len(hops)
	for _, h := range hops {
		for _, a := range h.Alternatives {
			n += HopCount(a)
		}
	}
	return n
}

// Finding is one rule violation with the evidence that proves it.
type Finding struct {
	Rule     string
	Severity Severity
	Node     string // full node ID of the node the finding is about
	Message  string
	Witness  []Hop // the shortest path that proves the finding
	File     string
	Line     int
	Col      int
	// Key tells apart findings of one rule on one node (the entry that
	// causes it, e.g. "dependency workers-kv@staging"); it feeds the
	// fingerprint and never contains a file path.
	Key         string
	Fingerprint string
	Waived      bool
	WaivedFor   string // the waiver's reason, when Waived
}

// Alternatives lists, for a witness that ends at a failing any_of group,
// each alternative's proof as node IDs (nested alternatives' nodes follow
// their path), as the JSON output spells it; nil otherwise.
func (f *Finding) Alternatives() [][]string {
	var out [][]string
	for _, h := range f.Witness {
		for _, a := range h.Alternatives {
			out = append(out, hopIDs(a))
		}
	}
	return out
}

func hopIDs(hops []Hop) []string {
	var ids []string
	for _, h := range hops {
		ids = append(ids, h.Node)
	}
	for _, h := range hops {
		for _, a := range h.Alternatives {
			ids = append(ids, hopIDs(a)...)
		}
	}
	return ids
}

// Path is the witness as node IDs, as the JSON output spells it.
func (f *Finding) Path() []string {
	p := make([]string, len(f.Witness))
	for i, h := range f.Witness {
		p[i] = h.Node
	}
	return p
}
