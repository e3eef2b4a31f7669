// Package yamlpos reads YAML (multi-document streams included) into plain
// values that each carry the file:line:col they are written at, so that
// importers can point at the offending value of any input.
//
// It builds the values straight from the events of a YAML parser
// (internal/libyaml, the parser of gopkg.in/yaml.v2), with no syntax tree
// in between, and bounds what a file may hold (maxDepth, maxValues), so
// that reading any file within the bounds costs less than 80 MB and a
// fraction of a second. It knows YAML and positions, not what importers
// make of the values.
package yamlpos

import (
	"bytes"
	"cmp"
	"fmt"
	"iter"
	"slices"

	"github.com/catch22/catch22/internal/yamlpos/internal/libyaml"
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

// Value is one YAML Value with the position it is written at: the
// document reduced to what importers need, so that every check can point
// at the line and column of the offending Value.
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

// maxDepth bounds nesting, so that hostile input cannot exhaust the stack;
// catalog entities nest four levels deep, Kubernetes objects about ten,
// CRD schemas in `kustomize build` output thirty or more.
const maxDepth = 64

// maxValues bounds what one file holds, counted in values: each scalar
// and collection, each alias and each key a merge key copies counts one,
// an anchor or a tag one more, a document three (the parser's work for it
// and what importers do with it). The mapping keys written in the file
// are not counted: each comes with its value.
//
// What a file costs to read is its values: 152 bytes for a Value, up to
// about 300 with a short key and the parser's garbage, whatever the shape
// of the file. The bound keeps the costliest file under 80 MB and a
// fraction of a second of Parse (`go test -bench Parse`), and the whole
// catch22 process under 100 MB, as internal/cmd/hostile measures it
// (cmd/catch22 lets garbage pile up to 700 MB before collecting, so what
// it measures is what is allocated). A `kustomize build` stream of the
// 4 MiB size limit counts about 200,000; a large CRD (Argo CD's
// ApplicationSet, 1.4 MB) a few tens of thousands.
const maxValues = 1 << 18

// Parse reads a YAML stream and returns the documents it could read and
// every error (up to maxErrors). Its time and memory are linear in the
// values read (n log n for the keys of a large mapping), and bounded by
// maxValues: past it, and past maxDepth, the rest of the file is refused.
//
// The stream is split here, at lines starting with "---" or "...", and
// each document parsed on its own, so that a syntax error in one document
// (which stops a YAML parser) does not hide the others. YAML forbids those
// markers inside scalars, so splitting on them is exact for the block and
// flow styles configuration files use.
func Parse(file string, data []byte) ([]Document, manifest.ErrorList) {
	// Editors on Windows may start a file with a byte order mark, which
	// would shift the columns of the first line.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if err := prescan(file, data); err != nil {
		return nil, manifest.ErrorList{err}
	}
	b := &builder{file: file, left: maxValues}
	for line, text := range documents(data) {
		if blank(text) {
			continue
		}
		b.document(line, text)
		if b.stop {
			break
		}
	}
	return b.docs, b.errs
}

// documents yields the text of each document of data, and the number of
// lines before it. A "---" line starts a new document and stays in it (it
// is the document's start marker); a "..." line ends one.
func documents(data []byte) iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		start, startLine, lineNo := 0, 0, 0
		for i := 0; i < len(data); lineNo++ {
			next := len(data)
			if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
				next = i + j + 1
			}
			switch line := data[i:next]; {
			case isMarker(line, "---"):
				if !yield(startLine, data[start:i]) {
					return
				}
				start, startLine = i, lineNo
			case isMarker(line, "..."):
				if !yield(startLine, data[start:i]) {
					return
				}
				start, startLine = next, lineNo+1
			}
			i = next
		}
		yield(startLine, data[start:])
	}
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

// blank reports whether a document holds nothing but its start marker,
// blank lines and comments.
func blank(text []byte) bool {
	first := true
	for line := range bytes.Lines(text) {
		if first && isMarker(line, "---") {
			line = line[3:]
		}
		first = false
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

// builder turns parser events into values, one document at a time. The
// elements of the collections being read wait on a shared stack and are
// copied into slices of their exact size when the collection ends, so that
// building a value allocates the value and little else: the stack is
// reused, and its high-water mark is what the largest collection costs.
type builder struct {
	file string
	line int // lines of the file before the current document
	left int // values still allowed, see maxValues
	stop bool

	parser libyaml.Parser
	ev     libyaml.Event
	text   []byte // of the current document

	docs    []Document
	errs    manifest.ErrorList
	anchors map[string]*Value // of the current document
	body    *Value

	open  []frame // the collections being read, innermost last
	elems stack   // their elements, innermost last
	order []int32 // scratch for finishing a mapping

	slab []Value // values are allocated from here, see value
}

// frame is a collection being read; its elements are elems[start:].
type frame struct {
	v      *Value
	anchor string
	start  int
	// A mapping alternates keys and values: next tells what the next node
	// is, and key and keyPos hold the key read.
	next   next
	key    string
	keyPos manifest.Pos
	merges bool // some entry came from a merge key
}

type next int8

const (
	aKey      next = iota
	aValue         // of key
	aMerge         // the value of a merge key ("<<")
	aSkipped       // the value of a key that cannot be one
	anElement      // of a sequence
)

// elem is an element of a sequence, or an entry of a mapping (key, its
// position and where it came from).
type elem struct {
	v         *Value
	key       string
	line, col int32
	from      entry
}

// entry tells where a mapping entry came from.
type entry uint8

const (
	explicit entry = iota
	merged
	dropped // overridden or duplicated
)

// document builds the values of one document, whose text has line lines
// before it in the file.
func (b *builder) document(line int, text []byte) {
	b.line, b.text = line, text
	errs := len(b.errs)
	b.open = b.open[:0]
	b.elems.truncate(0)
	b.parser.Reset(text)
	ev := &b.ev
	for !b.stop {
		if err := b.parser.Next(ev); err != nil {
			// What was wrong in the document before the syntax error
			// may be a consequence of it: report the cause alone.
			b.errs = b.errs[:errs]
			b.syntaxError(err.(*libyaml.Error))
			return
		}
		pos := manifest.Pos{File: b.file, Line: ev.Line + b.line, Col: ev.Column}
		switch ev.Type {
		case libyaml.StreamEnd, libyaml.NoEvent:
			return
		case libyaml.DocumentStart:
			// A document costs about three values: the parser's state
			// for it, its place in the result, and what importers do
			// with each document.
			if !b.spend(3, pos) {
				return
			}
			b.body = nil
			clear(b.anchors)
		case libyaml.DocumentEnd:
			if b.body != nil {
				if len(b.docs) == cap(b.docs) {
					b.docs = slices.Grow(b.docs, max(cap(b.docs), 4))
				}
				b.docs = append(b.docs, Document{Body: b.body, Pos: b.body.Pos})
			}
		case libyaml.Scalar:
			b.scalar(ev, pos)
		case libyaml.Alias:
			b.alias(ev, pos)
		case libyaml.SequenceStart, libyaml.MappingStart:
			kind, n := Seq, anElement
			if ev.Type == libyaml.MappingStart {
				kind, n = Map, aKey
			}
			if !b.deep(pos) {
				v := b.value(ev, pos)
				if v == nil {
					return
				}
				v.Kind = kind
				b.open = append(b.open, frame{v: v, anchor: string(ev.Anchor), start: b.elems.len(), next: n})
			}
		case libyaml.SequenceEnd, libyaml.MappingEnd:
			f := &b.open[len(b.open)-1]
			if f.v.Kind == Map {
				b.finishMap(f)
			} else {
				if n := b.elems.len() - f.start; n > 0 {
					f.v.Items = make([]*Value, n)
					for i := range n {
						f.v.Items[i] = b.elems.at(f.start + i).v
					}
				}
				b.elems.truncate(f.start)
			}
			v, anchor := f.v, f.anchor
			b.open = b.open[:len(b.open)-1]
			if anchor != "" {
				b.anchor(anchor, v)
			}
			b.add(v)
		}
	}
}

// value returns a new value at pos for an event, or nil once the file
// holds maxValues. An anchor or a tag counts as a value more: each costs
// about as much.
func (b *builder) value(ev *libyaml.Event, pos manifest.Pos) *Value {
	n := 1
	if len(ev.Anchor) > 0 && ev.Type != libyaml.Alias {
		n++
	}
	if len(ev.Tag) > 0 {
		n++
	}
	if !b.spend(n, pos) {
		return nil
	}
	if len(b.slab) == cap(b.slab) {
		// Slabs grow with the file, so that a small file allocates
		// little and a large one makes few allocations.
		b.slab = make([]Value, 0, min(max(2*cap(b.slab), 16), 1024))
	}
	b.slab = b.slab[:len(b.slab)+1]
	v := &b.slab[len(b.slab)-1]
	v.Pos = pos
	return v
}

// spend counts n more values, and reports whether they stay within
// maxValues; the first time they do not, it says so and stops the parse.
func (b *builder) spend(n int, pos manifest.Pos) bool {
	if b.left -= n; b.left >= 0 {
		return true
	}
	b.errorf(pos, "bad YAML: more than %d values in one file (refused at this one)", maxValues)
	b.stop = true
	return false
}

// deep reports whether a node starting at pos would nest deeper than
// maxDepth, and if so says so and stops the parse.
func (b *builder) deep(pos manifest.Pos) bool {
	if len(b.open) < maxDepth {
		return false
	}
	b.errorf(pos, "bad YAML: nested more than %d levels deep", maxDepth)
	b.stop = true
	return true
}

func (b *builder) errorf(pos manifest.Pos, format string, args ...any) {
	b.error(&manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// maxErrors bounds the errors of one file: a file of a million duplicate
// keys would otherwise make a million errors, and nobody reads past the
// first screenful.
const maxErrors = 100

func (b *builder) error(e *manifest.Error) {
	switch {
	case len(b.errs) < maxErrors:
		b.errs = append(b.errs, e)
	case len(b.errs) == maxErrors:
		e.Msg = fmt.Sprintf("bad YAML: more than %d errors; the rest of the file is not read", maxErrors)
		b.errs = append(b.errs, e)
		b.stop = true
	}
}

// tabAt reports whether the document has a tab at line:col.
func (b *builder) tabAt(line, col int) bool {
	for l := range bytes.Lines(b.text) {
		if line--; line == 0 {
			r := []rune(string(l))
			return col >= 1 && col <= len(r) && r[col-1] == '\t'
		}
	}
	return false
}

// syntaxError positions a parser error. When the parser ran into the end of
// the document, what is wrong is that something was never closed: the
// error points at where it was opened. A tab where a token should start
// is said to be one: the parser's message does not tell.
func (b *builder) syntaxError(e *libyaml.Error) {
	pos := manifest.Pos{File: b.file, Line: e.Line + b.line, Col: e.Column}
	msg := "bad YAML: " + e.Problem
	switch {
	case e.Context != "" && e.AtEnd:
		pos = manifest.Pos{File: b.file, Line: e.ContextLine + b.line, Col: e.ContextColumn}
		msg += " (" + e.Context + " that starts here)"
	case e.Context != "" && (e.ContextLine != e.Line || e.ContextColumn != e.Column):
		msg += fmt.Sprintf(" (%s that starts at %d:%d)", e.Context, e.ContextLine+b.line, e.ContextColumn)
	case b.tabAt(e.Line, e.Column):
		msg += " (a tab: YAML indents with spaces)"
	}
	b.error(&manifest.Error{Pos: pos, Msg: msg})
}

// scalar reads a scalar: a mapping key, or a value.
func (b *builder) scalar(ev *libyaml.Event, pos manifest.Pos) {
	// A key is read without making a value of it, unless it has an anchor
	// or a tag (then add reads it off the value).
	if f := b.top(); f != nil && f.next == aKey && len(ev.Anchor) == 0 && len(ev.Tag) == 0 {
		f.key, f.keyPos, f.next = ev.Text(), pos, aValue
		if ev.Style == libyaml.Plain && f.key == "<<" {
			f.next = aMerge
		}
		return
	}
	if b.deep(pos) {
		return
	}
	v := b.value(ev, pos)
	if v == nil {
		return
	}
	v.Str = ev.Text()
	switch {
	case string(ev.Tag) == libyaml.StrTag || string(ev.Tag) == "!str" || ev.Style != libyaml.Plain:
		v.Kind = String
	case len(ev.Value) == 0:
		v.Kind, v.Str = Null, "null" // a value left out, as in "key:"
	default:
		v.Kind = resolve(v.Str)
	}
	if len(ev.Anchor) > 0 {
		b.anchor(string(ev.Anchor), v)
	}
	b.add(v)
}

// alias reads an alias: the value of its anchor, shared. It counts as a
// value (it costs a place in a collection).
func (b *builder) alias(ev *libyaml.Event, pos manifest.Pos) {
	v, ok := b.anchors[string(ev.Anchor)]
	if !b.spend(1, pos) {
		return
	}
	if !ok {
		what := "names no anchor before it"
		for _, f := range b.open {
			if f.anchor == string(ev.Anchor) {
				what = "is inside the collection it names"
			}
		}
		b.errorf(pos, "bad YAML: alias *%s %s", ev.Anchor, what)
		if v = b.value(ev, pos); v == nil {
			return
		}
	}
	if f := b.top(); f != nil && f.next == aKey && v.Kind != Map && v.Kind != Seq {
		f.key, f.keyPos, f.next = v.Str, pos, aValue
		return
	}
	b.add(v)
}

func (b *builder) anchor(name string, v *Value) {
	if b.anchors == nil {
		b.anchors = map[string]*Value{}
	}
	b.anchors[name] = v
}

func (b *builder) top() *frame {
	if len(b.open) == 0 {
		return nil
	}
	return &b.open[len(b.open)-1]
}

// add puts a finished value where it belongs: the document's body, the
// next element of a sequence, or a key or value of a mapping.
func (b *builder) add(v *Value) {
	f := b.top()
	if f == nil {
		b.body = v
		return
	}
	switch f.next {
	case anElement:
		b.elems.push(elem{v: v})
	case aKey:
		if v.Kind == Map || v.Kind == Seq {
			b.errorf(v.Pos, "bad YAML: a mapping key must be a scalar, got %s", v.TypeName())
			f.next = aSkipped
			break
		}
		f.key, f.keyPos, f.next = v.Str, v.Pos, aValue
	case aValue:
		b.entry(f.key, f.keyPos, v, explicit)
		f.next = aKey
	case aMerge:
		b.merge(f, v)
		f.next = aKey
	case aSkipped:
		f.next = aKey
	}
}

func (b *builder) entry(key string, pos manifest.Pos, v *Value, from entry) {
	b.elems.push(elem{v: v, key: key, line: int32(pos.Line), col: int32(pos.Col), from: from})
}

// stack is a stack of elements in blocks, so that all it ever allocates is
// its high-water mark: a slice grown by append would allocate up to five
// times that (large slices grow by a quarter), and hold it all at once
// while copying.
type stack struct {
	blocks [][]elem
	n      int
}

const blockSize = 1024

func (s *stack) len() int { return s.n }

func (s *stack) at(i int) *elem { return &s.blocks[i/blockSize][i%blockSize] }

func (s *stack) push(e elem) {
	b, i := s.n/blockSize, s.n%blockSize
	if b == len(s.blocks) {
		// The first block grows like a slice, so that a small file
		// allocates little; the others are allocated whole.
		size := 0
		if b > 0 {
			size = blockSize
		}
		s.blocks = append(s.blocks, make([]elem, 0, size))
	}
	if blk := &s.blocks[b]; i < len(*blk) {
		(*blk)[i] = e
	} else {
		*blk = append(*blk, e)
	}
	s.n++
}

func (s *stack) truncate(n int) { s.n = n }

// merge adds the entries of a merge key's value (a mapping, or a list of
// them) to the mapping f. Which of them the mapping keeps is settled in
// finishMap; each counts as a value, so merging a large mapping many times
// stays within maxValues.
func (b *builder) merge(f *frame, src *Value) {
	maps := []*Value{src}
	if src.Kind == Seq {
		maps = src.Items
	}
	for _, m := range maps {
		if m.Kind != Map {
			b.errorf(m.Pos, "bad YAML: a merge key (<<) wants a mapping, got %s", m.TypeName())
			continue
		}
		if !b.spend(len(m.Keys), m.Pos) {
			return
		}
		for i, k := range m.Keys {
			b.entry(k, m.KeyPos[i], m.Vals[i], merged)
		}
		f.merges = true
	}
}

// finishMap copies the entries of the mapping f into it. A key written
// twice is an error; a key written once overrides the same key from a
// merge key, and of merged keys the first wins. Each key stays at its
// first place. It takes O(n log n) time for n entries.
func (b *builder) finishMap(f *frame) {
	n := b.elems.len() - f.start
	e := func(i int32) *elem { return b.elems.at(f.start + int(i)) }
	switch {
	case n < 2:
	case n <= 8 && !f.merges:
		for i := int32(1); i < int32(n); i++ {
			for j := range i {
				if e(j).key == e(i).key && e(j).from != dropped {
					b.duplicate(e(i), e(j))
					e(i).from = dropped
					break
				}
			}
		}
	default:
		order := slices.Grow(b.order[:0], n)
		for i := range int32(n) {
			order = append(order, i)
		}
		slices.SortStableFunc(order, func(i, j int32) int { return cmp.Compare(e(i).key, e(j).key) })
		for g := 0; g < n; {
			first, win := order[g], int32(-1)
			end := g
			for ; end < n && e(order[end]).key == e(first).key; end++ {
				i := order[end]
				switch {
				case e(i).from == merged && win < 0:
					win = i
				case e(i).from == explicit && (win < 0 || e(win).from == merged):
					win = i
				case e(i).from == explicit:
					b.duplicate(e(i), e(win))
				}
			}
			w := *e(win)
			for _, i := range order[g:end] {
				e(i).from = dropped
			}
			// The winner takes the place of the first.
			*e(first) = w
			e(first).from = explicit
			g = end
		}
		b.order = order
	}
	kept := 0
	for i := range int32(n) {
		if e(i).from != dropped {
			kept++
		}
	}
	if kept > 0 {
		m := f.v
		m.Keys, m.KeyPos, m.Vals = make([]string, 0, kept), make([]manifest.Pos, 0, kept), make([]*Value, 0, kept)
		for i := range int32(n) {
			if x := e(i); x.from != dropped {
				m.Keys = append(m.Keys, x.key)
				m.KeyPos = append(m.KeyPos, manifest.Pos{File: b.file, Line: int(x.line), Col: int(x.col)})
				m.Vals = append(m.Vals, x.v)
			}
		}
		m.Pos = m.KeyPos[0]
	}
	b.elems.truncate(f.start)
}

func (b *builder) duplicate(e, first *elem) {
	b.errorf(manifest.Pos{File: b.file, Line: int(e.line), Col: int(e.col)},
		"bad YAML: mapping key %q already defined at %d:%d", e.key, first.line, first.col)
}
