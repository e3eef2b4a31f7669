package rules

import "slices"

// Traffic is service-to-service traffic seen in a real system, mapped to
// node IDs ("name@env"; a callee may be a node nobody declares).
type Traffic struct {
	Calls map[string]map[string]int64 // caller → callee → calls seen
}

// callers lists the callers, sorted.
func (t *Traffic) callers() []string {
	out := make([]string, 0, len(t.Calls))
	for c := range t.Calls {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// callees lists what a caller was seen calling, sorted.
func (t *Traffic) callees(caller string) []string {
	out := make([]string, 0, len(t.Calls[caller]))
	for c := range t.Calls[caller] {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
