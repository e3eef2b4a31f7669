package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// baselineJSON is a check --format json document of n findings, indented as
// the JSON reporter writes it, so that line numbers are realistic.
func baselineJSON(tb testing.TB, n int) []byte {
	tb.Helper()
	type finding struct {
		Rule        string   `json:"rule"`
		Severity    string   `json:"severity"`
		Node        string   `json:"node"`
		Message     string   `json:"message"`
		Path        []string `json:"path"`
		File        string   `json:"file"`
		Line        int      `json:"line"`
		Fingerprint string   `json:"fingerprint"`
	}
	doc := struct {
		Version  int       `json:"version"`
		Findings []finding `json:"findings"`
	}{Version: 1, Findings: make([]finding, n)}
	for i := range doc.Findings {
		node := fmt.Sprintf("svc-%d@production", i)
		sum := sha256.Sum256([]byte(node))
		doc.Findings[i] = finding{
			Rule: "env-crossing", Severity: "error", Node: node,
			Message: node + " depends on db@staging", Path: []string{node, "db@staging"},
			File: fmt.Sprintf("svc/svc-%d.toml", i), Line: 4, Fingerprint: hex.EncodeToString(sum[:16]),
		}
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// BenchmarkParseBaseline times reading a baseline of 40k and 500k findings;
// the time per finding must not grow with the size of the file.
//
//	go test ./config -run '^$' -bench ParseBaseline -benchtime 3x
func BenchmarkParseBaseline(b *testing.B) {
	for _, n := range []int{40_000, 500_000} {
		b.Run(fmt.Sprintf("fingerprints=%d", n), func(b *testing.B) {
			data := baselineJSON(b, n)
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for range b.N {
				bl, err := ParseBaseline("base.json", data)
				if err != nil {
					b.Fatal(err)
				}
				if len(bl.Entries) != n {
					b.Fatalf("%d entries, want %d", len(bl.Entries), n)
				}
			}
		})
	}
}

// TestParseBaselineLines checks that every entry points at the line of its
// own fingerprint in a file as the JSON reporter writes it, where a
// search that lost its place would point at another entry's.
func TestParseBaselineLines(t *testing.T) {
	data := baselineJSON(t, 50)
	b, err := ParseBaseline("base.json", data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for _, e := range b.Entries {
		if got := lines[e.Line-1]; !strings.Contains(got, `"fingerprint": "`+e.Fingerprint+`"`) {
			t.Errorf("entry %s on line %d, which reads %q", e.Fingerprint, e.Line, got)
		}
	}
}

// TestParseBaselineHostile checks lines in documents that try to mislead
// the scan: brackets, braces and escaped quotes inside strings, a key
// spelled with escapes and another case, an earlier "findings" that the
// later one replaces, and a fingerprint written with an escape, which
// cannot be found as written and is pointed at by its element.
func TestParseBaselineHostile(t *testing.T) {
	src := `{"summary": {"note": "[{\"findings\": [\"x\"]}]"},
"findings": [{"fingerprint": "old"}],
"version": 1,
"FIND\u0069NGS": [
  {"message": "a ] } [ { \" \\", "path": [["]"], {"}": "["}],
   "fingerprint": "aaa"},
  {"rule": "aaa",
   "fingerprint": "b\u0062b"},

  {"node": "\u2028",
   "fingerprint": "ccc"}
]}`
	b, err := ParseBaseline("base.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Fingerprint string
		Line        int
	}
	var got []entry
	for _, e := range b.Entries {
		got = append(got, entry{e.Fingerprint, e.Line})
	}
	want := []entry{{"aaa", 6}, {"bbb", 7}, {"ccc", 11}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
