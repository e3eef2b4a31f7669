package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/tomlpos"
	"github.com/catch22/catch22/manifest"
)

// LoadBaseline reads an earlier `check --format json` output. Each entry
// keeps the line its fingerprint is written on, so that a stale entry can
// be pointed at.
func LoadBaseline(file string) (*analyzer.Baseline, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, manifest.ErrorList{{Pos: manifest.Pos{File: file}, Msg: "baseline: " + manifest.Describe(err)}}
	}
	return ParseBaseline(file, data)
}

// ParseBaseline reads a baseline from data; file names it in positions.
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
	b := &analyzer.Baseline{File: file}
	from := 0
	for i, f := range doc.Findings {
		if f.Fingerprint == "" {
			return nil, manifest.ErrorList{{Pos: manifest.Pos{File: file, Line: 1, Col: 1},
				Msg: fmt.Sprintf("baseline finding %d has no fingerprint", i+1)}}
		}
		// Entries are written in order, so each fingerprint is found after
		// the previous one.
		at := bytes.Index(data[from:], []byte(`"`+f.Fingerprint+`"`))
		line := 1
		if at >= 0 {
			from += at
			line, _ = tomlpos.OffsetPos(data, from)
		}
		b.Entries = append(b.Entries, analyzer.BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Node: f.Node, Line: line})
	}
	return b, nil
}
