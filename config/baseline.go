package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/internal/tomlpos"
	"github.com/catch22/catch22/manifest"
)

// LoadBaseline reads an earlier `check --format json` output. Each entry
// keeps the line its fingerprint is written on, so that a stale entry can
// be pointed at.
func LoadBaseline(file string) (*analyzer.Baseline, error) {
	data, err := safeio.ReadFile(file, safeio.DataLimit)
	if err != nil {
		return nil, manifest.ErrorList{{Pos: manifest.Pos{File: file}, Msg: "baseline: " + manifest.Describe(err)}}
	}
	return ParseBaseline(file, data)
}

// ParseBaseline reads a baseline from data; file names it in positions.
// It runs in time linear in len(data): a decoding, then one scan that
// points every entry at its line (see findingSpans).
func ParseBaseline(file string, data []byte) (*analyzer.Baseline, error) {
	var doc struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule        string `json:"rule"`
			Node        string `json:"node"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		pos := manifest.Pos{File: file, Line: 1, Col: 1}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			pos.Line, pos.Col = tomlpos.OffsetPos(data, int(se.Offset)-1) // Offset is just past the bad byte
		case errors.As(err, &te):
			pos.Line, pos.Col = tomlpos.OffsetPos(data, int(te.Offset)-1)
		}
		return nil, manifest.ErrorList{{Pos: pos, Msg: "baseline is not catch22 JSON output: " + err.Error()}}
	}
	if doc.Version != 1 || doc.Findings == nil {
		return nil, manifest.ErrorList{{Pos: manifest.Pos{File: file, Line: 1, Col: 1},
			Msg: "baseline is not the output of check --format json (want \"version\": 1 and a \"findings\" array)"}}
	}
	lines := fingerprintLines(data, len(doc.Findings))
	b := &analyzer.Baseline{File: file, Entries: make([]analyzer.BaselineEntry, len(doc.Findings))}
	for i, f := range doc.Findings {
		if f.Fingerprint == "" {
			return nil, manifest.ErrorList{{Pos: manifest.Pos{File: file, Line: 1, Col: 1},
				Msg: fmt.Sprintf("baseline finding %d has no fingerprint", i+1)}}
		}
		b.Entries[i] = analyzer.BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Node: f.Node, Line: lines.of(i, f.Fingerprint)}
	}
	return b, nil
}

// findingSpans points each baseline entry at its line without searching
// the whole file for it: each entry is searched for only inside its own
// element of "findings", and lines are counted on from the previous entry,
// which keeps reading a baseline linear in its size (searching and counting
// from the top for every entry made 40k entries take seconds and 500k take
// minutes).
type findingSpans struct {
	data  []byte
	spans [][2]int // byte offsets [start, end) of each element, in order
	// off and line are where the last lookup ended: entries are looked up
	// in order, so counting newlines from there is enough.
	off, line int
}

// fingerprintLines finds the elements of the top-level "findings" array in
// data, which json.Unmarshal has accepted, so a scan that only tracks
// strings and nesting is enough; it is a small fraction of the time of a
// second decoding. Like json.Unmarshal, it matches the key without regard
// to case or escapes and lets the last "findings" win; should it disagree
// with the decoded document anyway, the entries it misses are put on line
// 1, as a fingerprint that could not be found always was.
func fingerprintLines(data []byte, n int) *findingSpans {
	s := &findingSpans{data: data, line: 1}
	var spans [][2]int
	var key []byte // the last string seen at depth 1: the key of the next array there
	depth, start, inFindings := 0, 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			j := i + 1
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			if depth == 1 {
				key = data[i:min(j+1, len(data))]
			}
			i = j
		case '{', '[':
			depth++
			switch {
			case depth == 2 && c == '[':
				if inFindings = isFindingsKey(key); inFindings {
					spans = make([][2]int, 0, n)
				}
			case depth == 3 && inFindings:
				start = i
			}
		case '}', ']':
			if depth == 3 && inFindings {
				spans = append(spans, [2]int{start, i + 1})
			}
			if depth--; depth < 2 {
				if inFindings {
					s.spans = spans
				}
				inFindings = false
			}
		}
	}
	return s
}

// isFindingsKey reports whether the quoted JSON string key names
// "findings" as json.Unmarshal matches field names.
func isFindingsKey(key []byte) bool {
	var k string
	if json.Unmarshal(key, &k) != nil {
		return false
	}
	return strings.EqualFold(k, "findings")
}

// of returns the line of entry i's fingerprint: where the quoted
// fingerprint is written inside the entry's own element, else (it is
// written with escapes) where the element starts. Calls must come in
// order of i.
func (s *findingSpans) of(i int, fingerprint string) int {
	if i >= len(s.spans) {
		return 1
	}
	span := s.data[s.spans[i][0]:s.spans[i][1]]
	at := bytes.Index(span, []byte(`"`+fingerprint+`"`))
	off := s.spans[i][0] + max(at, 0) // an element starts with its '{'

	if off < s.off { // out of order: count from the top again
		s.off, s.line = 0, 1
	}
	s.line += bytes.Count(s.data[s.off:off], []byte{'\n'})
	s.off = off
	return s.line
}
