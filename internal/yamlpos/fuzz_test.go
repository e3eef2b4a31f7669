package yamlpos

import (
	"bytes"
	"testing"
)

// FuzzParse: no input makes Parse panic, every position is inside the
// input, and each document's body is a value.
//
//	go test ./internal/yamlpos -run '^$' -fuzz FuzzParse -fuzztime 1m
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"a: 1\n---\nb: [1, {c: d}]\n...\n--- |\n  text\n",
		"base: &b {x: 1}\nm:\n  <<: [*b, {y: 2}]\n  x: 3\n",
		"? [a]\n: 1\n\"q\": 'r'\n- x\n",
		"a: &x [*x]\n!!str 1: !!int x\n",
		"a:\r\n  - b\r\n\tc\n",
		"\ufeff%YAML 1.2\n--- !t\n{a: b: c}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, errs := Parse("f.yaml", data)
		// YAML breaks lines at \n, \r\n and a lone \r.
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 2
		for _, e := range errs {
			if e.Pos.Line < 1 || e.Pos.Line > lines || e.Pos.Col < 1 {
				t.Errorf("error outside the input: %v", e)
			}
		}
		for _, d := range docs {
			if d.Body == nil || d.Pos.Line < 1 || d.Pos.Line > lines {
				t.Errorf("document %+v", d)
			}
		}
	})
}
