package yamlpos

import (
	"bytes"
	"fmt"

	"github.com/catch22/catch22/manifest"
)

// prescan refuses, before parsing, YAML nested deeper than maxDepth, and
// points at where the nesting crosses it. The builder checks the same
// bound exactly as it reads; the scan makes refusing a deeply nested file
// cost one linear pass and no parsing. (It was written when the parser,
// goccy/go-yaml, took a minute and gigabytes for 128 KB of nested flow
// sequences.) It counts flow brackets outside quotes and comments, and
// block levels by indentation, with each "- " that opens a sequence on the
// line; it may overcount a plain scalar full of unbalanced brackets, which
// no real file has.
func prescan(file string, data []byte) *manifest.Error {
	var indents []int // open block levels, by indentation
	flow := 0
	line := 0
	scalar := -1 // the indentation of the line that opened a block scalar (| or >), -1 outside one
	for len(data) > 0 {
		line++
		text, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		if scalar >= 0 {
			if indentOf(text) > scalar || len(bytes.TrimSpace(text)) == 0 {
				continue // the scalar's text: nothing in it nests
			}
			scalar = -1
		}
		if flow == 0 && opensBlockScalar(text) {
			scalar = indentOf(text)
		}
		col, ok := blockDepth(text, &indents, flow)
		if !ok {
			return depthError(file, line, col)
		}
		for i := 0; i < len(text); i++ {
			switch text[i] {
			case '#':
				if i == 0 || text[i-1] == ' ' || text[i-1] == '\t' {
					i = len(text)
				}
			case '"':
				i = skipQuoted(text, i, '"')
			case '\'':
				i = skipQuoted(text, i, '\'')
			case '[', '{':
				if flow++; flow+len(indents) > maxDepth {
					return depthError(file, line, i+1)
				}
			case ']', '}':
				flow = max(flow-1, 0)
			}
		}
	}
	return nil
}

// blockDepth updates the stack of block indentation levels with one line
// and reports whether the nesting stays within maxDepth; col is where it
// does not. Blank and comment-only lines and lines inside flow collections
// leave the stack alone.
func blockDepth(text []byte, indents *[]int, flow int) (col int, ok bool) {
	n := 0
	for n < len(text) && text[n] == ' ' {
		n++
	}
	if flow > 0 || n == len(text) || text[n] == '#' || text[n] == '\r' {
		return 0, true
	}
	for len(*indents) > 0 && (*indents)[len(*indents)-1] >= n {
		*indents = (*indents)[:len(*indents)-1]
	}
	*indents = append(*indents, n)
	// "- - - x" opens a sequence per dash on one line.
	for i := n; i+1 < len(text) && text[i] == '-' && (text[i+1] == ' ' || text[i+1] == '\t'); {
		*indents = append(*indents, i+1)
		if i += 2; i < len(text) && text[i] == ' ' {
			i++
		}
	}
	if len(*indents) > maxDepth {
		return n + 1, false
	}
	return 0, true
}

func indentOf(text []byte) int {
	n := 0
	for n < len(text) && text[n] == ' ' {
		n++
	}
	return n
}

// opensBlockScalar reports whether a line ends with a block scalar
// indicator ("key: |", "- >-", "key: |2+"), comments aside.
func opensBlockScalar(text []byte) bool {
	if i := bytes.Index(text, []byte(" #")); i >= 0 {
		text = text[:i]
	}
	text = bytes.TrimRight(text, " \t\r")
	text = bytes.TrimRight(text, "+-0123456789")
	return len(text) >= 2 && (text[len(text)-1] == '|' || text[len(text)-1] == '>') &&
		(text[len(text)-2] == ' ' || text[len(text)-2] == ':' || text[len(text)-2] == '-')
}

// skipQuoted returns the index of the quote closing the scalar opened at
// text[i], or the end of the line; a quoted scalar running over several
// lines is rare in configuration and only makes the scan count brackets of
// its later lines.
func skipQuoted(text []byte, i int, q byte) int {
	for j := i + 1; j < len(text); j++ {
		switch {
		case q == '"' && text[j] == '\\':
			j++
		case text[j] == q:
			if q == '\'' && j+1 < len(text) && text[j+1] == '\'' {
				j++ // '' is an escaped quote
				continue
			}
			return j
		}
	}
	return len(text)
}

func depthError(file string, line, col int) *manifest.Error {
	return &manifest.Error{Pos: manifest.Pos{File: file, Line: line, Col: col},
		Msg: fmt.Sprintf("bad YAML: nested more than %d levels deep (refused before parsing)", maxDepth)}
}
