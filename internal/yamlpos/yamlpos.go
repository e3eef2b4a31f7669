// Package yamlpos reads YAML (multi-document streams included) into plain
// values that each carry the file:line:col they are written at, so that
// importers can point at the offending value of any input. It wraps
// goccy/go-yaml and works around its dropped-document bug; see Parse.
package yamlpos

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/catch22/catch22/manifest"
)

// Kind is the YAML type of a value, as far as importers care.
type Kind int

const (
	Null Kind = iota
	String
	Int
	Float
	Bool
	Map
	Seq
)

// Value is one YAML Value with the position it is written at: the AST
// reduced to what importers need, so that every check can point at
// the line and column of the offending Value.
type Value struct {
	Kind   Kind
	Str    string       // a scalar's value (strings) or its source text (others)
	Pos    manifest.Pos // where the value starts; for a mapping, its first key
	Keys   []string     // mapping keys, in document order
	KeyPos []manifest.Pos
	Vals   []*Value
	Items  []*Value // sequence elements
}

// TypeName names the value's type in error messages: "want a string, got a
// list".
func (v *Value) TypeName() string {
	switch v.Kind {
	case String:
		return "a string"
	case Int:
		return "an integer"
	case Float:
		return "a number"
	case Bool:
		return "a boolean"
	case Map:
		return "a mapping"
	case Seq:
		return "a list"
	}
	return "null"
}

// Get returns the value of key in a mapping and the position of the key.
func (v *Value) Get(key string) (*Value, manifest.Pos, bool) {
	for i, k := range v.Keys {
		if k == key {
			return v.Vals[i], v.KeyPos[i], true
		}
	}
	return nil, manifest.Pos{}, false
}

// Document is one YAML Document of a file; body is nil for an empty one.
type Document struct {
	Body *Value
	Pos  manifest.Pos // the first line of the document's content
}

// Parse splits a multi-document YAML stream and converts each
// document. It returns the documents it could read and every error.
//
// The stream is split here, at lines starting with "---" or "...", rather
// than by the parser, because goccy/go-yaml v1.19.2 silently drops every
// document that follows an empty or comment-only one
// (github.com/goccy/go-yaml/issues/765 and #870), and an input file whose
// documents vanish without an error is the worst outcome an importer can
// have. YAML forbids those markers inside scalars, so splitting on them is
// exact for the block and flow styles configuration files use.
func Parse(file string, data []byte) ([]Document, manifest.ErrorList) {
	var (
		docs []Document
		errs manifest.ErrorList
	)
	// Editors on Windows may start a file with a byte order mark, which
	// the parser would read as part of the first key.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if err := prescan(file, data); err != nil {
		return nil, manifest.ErrorList{err}
	}
	for _, chunk := range splitDocuments(data) {
		if blank(chunk.text) {
			continue
		}
		f, err := parser.ParseBytes(chunk.text, 0)
		if err != nil {
			errs = append(errs, syntaxError(file, chunk.line, err))
			continue
		}
		c := &converter{file: file, line: chunk.line, anchors: map[string]*Value{}}
		for _, d := range f.Docs {
			if d == nil || d.Body == nil {
				continue
			}
			v := c.convert(d.Body)
			docs = append(docs, Document{Body: v, Pos: v.Pos})
		}
		errs = append(errs, c.errs...)
	}
	return docs, errs
}

// chunk is the text of one document; line is the number of lines before it
// in the file, added to the parser's positions.
type chunk struct {
	text []byte
	line int
}

// splitDocuments cuts data at document markers. A "---" line starts a new
// document and stays in it blanked out (so that content written after the
// marker, as in "--- !tag", keeps its columns); a "..." line ends one.
func splitDocuments(data []byte) []chunk {
	var (
		chunks []chunk
		cur    = chunk{}
		lineNo = 0
	)
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		line := data
		if i >= 0 {
			line = data[:i+1]
		}
		data = data[len(line):]
		switch {
		case isMarker(line, "---"):
			chunks = append(chunks, cur)
			cur = chunk{line: lineNo}
			cur.text = append(cur.text, "   "...)
			cur.text = append(cur.text, line[3:]...)
		case isMarker(line, "..."):
			chunks = append(chunks, cur)
			cur = chunk{line: lineNo + 1}
		default:
			cur.text = append(cur.text, line...)
		}
		lineNo++
	}
	return append(chunks, cur)
}

// isMarker reports whether line starts with the document marker m followed
// by white space or the end of the line.
func isMarker(line []byte, m string) bool {
	if !bytes.HasPrefix(line, []byte(m)) {
		return false
	}
	rest := line[len(m):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r'
}

// blank reports whether a document holds nothing but blank lines and
// comments.
func blank(text []byte) bool {
	for line := range bytes.Lines(text) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

// syntaxError positions a parser error; offset is the line offset of the
// document in the file.
func syntaxError(file string, offset int, err error) *manifest.Error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return &manifest.Error{
				Pos: manifest.Pos{File: file, Line: tk.Position.Line + offset, Col: tk.Position.Column},
				Msg: "bad YAML: " + ye.GetMessage(),
			}
		}
		return &manifest.Error{Pos: manifest.Pos{File: file, Line: offset + 1, Col: 1}, Msg: "bad YAML: " + ye.GetMessage()}
	}
	return &manifest.Error{Pos: manifest.Pos{File: file, Line: offset + 1, Col: 1}, Msg: "bad YAML: " + err.Error()}
}

// converter turns one document's AST into values.
type converter struct {
	file    string
	line    int // added to every line, see chunk
	anchors map[string]*Value
	errs    manifest.ErrorList
	depth   int
}

// maxDepth bounds nesting, so that hostile input cannot exhaust the stack;
// catalog entities nest four levels deep, Kubernetes objects about ten,
// CRD schemas in `kustomize build` output thirty or more.
const maxDepth = 64

func (c *converter) pos(tk *token.Token) manifest.Pos {
	if tk == nil || tk.Position == nil {
		return manifest.Pos{File: c.file, Line: c.line + 1, Col: 1}
	}
	return manifest.Pos{File: c.file, Line: tk.Position.Line + c.line, Col: tk.Position.Column}
}

func (c *converter) errorf(pos manifest.Pos, format string, args ...any) {
	c.errs = append(c.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (c *converter) convert(n ast.Node) *Value {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > maxDepth {
		c.errorf(c.pos(n.GetToken()), "bad YAML: nested more than %d levels deep", maxDepth)
		return &Value{Kind: Null, Pos: c.pos(n.GetToken())}
	}
	switch n := n.(type) {
	case *ast.StringNode:
		return &Value{Kind: String, Str: n.Value, Pos: c.pos(n.Token)}
	case *ast.LiteralNode:
		return &Value{Kind: String, Str: n.Value.Value, Pos: c.pos(n.Start)}
	case *ast.IntegerNode:
		return &Value{Kind: Int, Str: n.Token.Value, Pos: c.pos(n.Token)}
	case *ast.FloatNode:
		return &Value{Kind: Float, Str: n.Token.Value, Pos: c.pos(n.Token)}
	case *ast.InfinityNode:
		return &Value{Kind: Float, Str: n.Token.Value, Pos: c.pos(n.Token)}
	case *ast.NanNode:
		return &Value{Kind: Float, Str: n.Token.Value, Pos: c.pos(n.Token)}
	case *ast.BoolNode:
		return &Value{Kind: Bool, Str: n.Token.Value, Pos: c.pos(n.Token)}
	case *ast.NullNode:
		return &Value{Kind: Null, Str: n.Token.Value, Pos: c.pos(n.Token)}
	case *ast.MappingNode:
		m := &Value{Kind: Map, Pos: c.pos(n.GetToken())}
		for _, kv := range n.Values {
			c.pair(m, kv)
		}
		if len(m.KeyPos) > 0 {
			m.Pos = m.KeyPos[0]
		}
		return m
	case *ast.MappingValueNode:
		m := &Value{Kind: Map, Pos: c.pos(n.GetToken())}
		c.pair(m, n)
		if len(m.KeyPos) > 0 {
			m.Pos = m.KeyPos[0]
		}
		return m
	case *ast.SequenceNode:
		s := &Value{Kind: Seq, Pos: c.pos(n.Start)}
		for _, e := range n.Values {
			s.Items = append(s.Items, c.convert(e))
		}
		return s
	case *ast.AnchorNode:
		v := c.convert(n.Value)
		if n.Name != nil {
			c.anchors[n.Name.GetToken().Value] = v
		}
		return v
	case *ast.AliasNode:
		name := ""
		if n.Value != nil {
			name = n.Value.GetToken().Value
		}
		if v, ok := c.anchors[name]; ok {
			return v
		}
		c.errorf(c.pos(n.Start), "bad YAML: alias *%s names no anchor before it", name)
		return &Value{Kind: Null, Pos: c.pos(n.Start)}
	case *ast.TagNode:
		v := c.convert(n.Value)
		if n.Start != nil && (n.Start.Value == "!!str" || n.Start.Value == "!str") && v.Kind != Map && v.Kind != Seq {
			v = &Value{Kind: String, Str: v.Str, Pos: c.pos(n.Start)}
		}
		return v
	case nil:
		return &Value{Kind: Null, Pos: manifest.Pos{File: c.file, Line: c.line + 1, Col: 1}}
	}
	c.errorf(c.pos(n.GetToken()), "bad YAML: unsupported %s node", n.Type())
	return &Value{Kind: Null, Pos: c.pos(n.GetToken())}
}

// pair adds one key/value pair to the mapping m; a merge key ("<<: *x")
// adds the pairs of x that m does not set itself.
func (c *converter) pair(m *Value, kv *ast.MappingValueNode) {
	if kv.Key != nil && kv.Key.IsMergeKey() {
		src := c.convert(kv.Value)
		var maps []*Value
		switch src.Kind {
		case Map:
			maps = []*Value{src}
		case Seq:
			maps = src.Items
		}
		for _, sm := range maps {
			if sm.Kind != Map {
				c.errorf(sm.Pos, "bad YAML: a merge key (<<) wants a mapping, got %s", sm.TypeName())
				continue
			}
			for i, k := range sm.Keys {
				if _, _, dup := m.Get(k); !dup {
					m.Keys, m.KeyPos, m.Vals = append(m.Keys, k), append(m.KeyPos, sm.KeyPos[i]), append(m.Vals, sm.Vals[i])
				}
			}
		}
		return
	}
	var key *Value
	if kv.Key != nil {
		key = c.convert(kv.Key)
	} else {
		key = &Value{Kind: Null, Pos: c.pos(kv.GetToken())}
	}
	if key.Kind == Map || key.Kind == Seq {
		c.errorf(key.Pos, "bad YAML: a mapping key must be a scalar, got %s", key.TypeName())
		return
	}
	val := c.convert(kv.Value)
	// The parser rejects a key written twice, so a key already present
	// came from a merge key, which explicit keys override.
	if i := slices.Index(m.Keys, key.Str); i >= 0 {
		m.KeyPos[i], m.Vals[i] = key.Pos, val
		return
	}
	m.Keys, m.KeyPos, m.Vals = append(m.Keys, key.Str), append(m.KeyPos, key.Pos), append(m.Vals, val)
}
