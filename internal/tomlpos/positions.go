package tomlpos

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BurntSushi/toml decodes values but does not say where keys are written
// (https://github.com/BurntSushi/toml/issues/462), and an input error without
// a line is of little use. The scanner below recovers positions in a second,
// much simpler pass over a file the TOML parser has already accepted: since
// the input is known to be valid it only needs to tell keys, headers, strings
// and brackets apart, never to diagnose anything. On input the parser would
// reject it still terminates and never panics, but its positions are then
// meaningless; Parse never asks.
//
// Loading a large tree parses many small files, so the scanner is frugal:
// nodes come from one pre-sized slab, tables link their keys instead of
// allocating maps, and key names borrow the source bytes.

// LineCol is a 1-based line and byte column; zero means "not recorded".
// Parse adds the file name to make a Pos.
type LineCol struct{ Line, Col int32 }

func (p LineCol) Valid() bool { return p.Line >= 1 && p.Col >= 1 }

// Node records where one TOML value and the key naming it are written.
// The tree mirrors the decoded document: tables have keys, arrays (static
// arrays and arrays of tables alike) have elements, so a path through the
// decoded map, such as dependency → element 2 → on, is a path through the
// tree: root.Child("dependency").Elem(2).Child("on").
type Node struct {
	// key is where the key naming this value is written (its last dotted
	// segment; inside a header, the name in the brackets). Zero for the
	// root and for array elements written inline, which have no key.
	key LineCol
	// val is where the value starts: the '[' of a [table] or [[array]]
	// header, the '{' of an inline table, the '[' of an array, the first byte
	// of a string or other scalar. A table made by a dotted key
	// (service.name = "x") starts at the first key segment naming it.
	val LineCol

	name  []byte // the decoded key; it aliases the source when it can
	next  *Node  // the next key of the same table, in declaration order
	first *Node  // the first key of this table
	last  *Node
	nkeys int
	index map[string]*Node // keys by name, only for tables larger than indexAbove
	elems []*Node          // array elements, in order

	// implicit marks a table that only exists because a header named a
	// sub-table ([a.b] makes a); a later [a] header still defines it and
	// moves its position there.
	implicit bool
}

// indexAbove is the table size from which child lookups use a map rather
// than the key list, so that hostile input with huge tables stays linear.
const indexAbove = 16

// child returns the sub-key k, or nil. Like every accessor of Node it
// accepts a nil receiver, so lookups chain without checks.
func (n *Node) Child(k string) *Node {
	if n == nil {
		return nil
	}
	if n.index != nil {
		return n.index[k]
	}
	for c := n.first; c != nil; c = c.next {
		if string(c.name) == k {
			return c
		}
	}
	return nil
}

// elem returns the i-th (0-based) array element, or nil.
func (n *Node) Elem(i int) *Node {
	if n == nil || i < 0 || i >= len(n.elems) {
		return nil
	}
	return n.elems[i]
}

// keyPos is where the key is written; zero for a nil node.
func (n *Node) KeyPos() LineCol {
	if n == nil {
		return LineCol{}
	}
	return n.key
}

// valPos is where the value is written; zero for a nil node.
func (n *Node) ValPos() LineCol {
	if n == nil {
		return LineCol{}
	}
	return n.val
}

// add appends c as a key of table n. The caller has checked that the name
// is new (valid TOML never defines a key twice).
func (n *Node) add(c *Node) {
	if n.last == nil {
		n.first = c
	} else {
		n.last.next = c
	}
	n.last = c
	n.nkeys++
	switch {
	case n.index != nil:
		n.index[string(c.name)] = c
	case n.nkeys > indexAbove:
		n.index = make(map[string]*Node, 2*n.nkeys)
		for k := n.first; k != nil; k = k.next {
			if _, dup := n.index[string(k.name)]; !dup {
				n.index[string(k.name)] = k
			}
		}
	}
}

// keySeg is one segment of a dotted key, decoded, with its position.
type keySeg struct {
	name []byte
	pos  LineCol
}

// posScanner walks the bytes of a TOML document keeping a line and column.
type posScanner struct {
	src       []byte
	off       int // next byte to read
	line      int // 1-based line of src[off]
	lineStart int // offset of the first byte of the current line
	segs      []keySeg
	slab      []Node
}

// Scanner scans documents one after another, reusing the storage of its
// nodes: a load of many files then allocates node storage once per worker,
// not once per file. The tree a Scan returns is valid until the next Scan.
// The zero value is ready to use; a Scanner is not safe for concurrent use.
type Scanner struct {
	slab []Node
	segs []keySeg
}

// Scan returns the position tree of src, which must be a document
// that BurntSushi/toml parsed without error. It runs in time linear in
// len(src) and does a handful of allocations for a typical manifest.
func Scan(src []byte) *Node { return new(Scanner).Scan(src) }

// Scan is the package's Scan, with the node storage of the previous scan
// reused.
func (sc *Scanner) Scan(src []byte) *Node {
	src = stripBOM(src)
	// Every node starts at a '=', '[', ',' or '.' (or is the root), so
	// their count bounds the nodes needed; strings containing them only
	// make the slab a little larger than necessary.
	est := 1
	for _, c := range []byte("=[,.") {
		est += bytes.Count(src, []byte{c})
	}
	est = min(est, 4096)
	if cap(sc.slab) < est {
		sc.slab = make([]Node, 0, est)
	}
	// The previous tree is not cleared: every node is written whole when
	// allocated, and what the rest still references is one document's worth.
	s := &posScanner{src: src, line: 1, slab: sc.slab[:0], segs: sc.segs[:0]}
	defer func() { sc.segs = s.segs[:0] }()
	root := s.node(Node{val: LineCol{1, 1}})
	cur := root
	for {
		s.skipTrivia()
		if s.eof() {
			return root
		}
		start := s.off
		if s.peek() == '[' {
			cur = s.header(root)
		} else {
			s.keyValue(cur)
		}
		if s.off == start { // invalid input: make progress anyway
			s.next()
		}
	}
}

// node allocates a Node from the slab. A full slab is replaced, never
// grown in place, so pointers to earlier nodes stay valid.
func (s *posScanner) node(n Node) *Node {
	if len(s.slab) == cap(s.slab) {
		s.slab = make([]Node, 0, 256)
	}
	s.slab = append(s.slab, n)
	return &s.slab[len(s.slab)-1]
}

// stripBOM drops a leading byte order mark exactly as BurntSushi/toml does,
// so that columns on the first line agree with its error positions.
func stripBOM(src []byte) []byte {
	switch {
	case bytes.HasPrefix(src, []byte("\xff\xfe")), bytes.HasPrefix(src, []byte("\xfe\xff")):
		return src[2:]
	case bytes.HasPrefix(src, []byte("\xef\xbb\xbf")):
		return src[3:]
	}
	return src
}

func (s *posScanner) eof() bool { return s.off >= len(s.src) }

// peek returns the next byte, or 0 at the end of input.
func (s *posScanner) peek() byte { return s.peekAt(0) }

// peekAt returns the byte n places ahead, or 0 past the end of input.
func (s *posScanner) peekAt(n int) byte {
	if s.off+n >= len(s.src) {
		return 0
	}
	return s.src[s.off+n]
}

// next consumes one byte, counting lines.
func (s *posScanner) next() {
	if s.eof() {
		return
	}
	if s.src[s.off] == '\n' {
		s.line++
		s.lineStart = s.off + 1
	}
	s.off++
}

func (s *posScanner) advance(n int) {
	for range n {
		s.next()
	}
}

// pos is the position of the next byte; columns count bytes.
func (s *posScanner) pos() LineCol {
	return LineCol{Line: int32(s.line), Col: int32(s.off - s.lineStart + 1)}
}

// skipBlank skips spaces and tabs, the only whitespace allowed within a line.
func (s *posScanner) skipBlank() {
	for c := s.peek(); c == ' ' || c == '\t'; c = s.peek() {
		s.off++
	}
}

// skipTrivia skips whitespace, line ends (LF or CRLF) and comments, which
// may appear between statements and, inside arrays and inline tables, between
// elements.
func (s *posScanner) skipTrivia() {
	for !s.eof() {
		switch s.src[s.off] {
		case ' ', '\t', '\r', '\n':
			s.next()
		case '#':
			// A comment runs to the end of the line; it holds no newline
			// to count, so jump over it.
			if i := bytes.IndexByte(s.src[s.off:], '\n'); i >= 0 {
				s.off += i
			} else {
				s.off = len(s.src)
			}
		default:
			return
		}
	}
}

// header consumes a [table] or [[array]] header and returns the table that
// the following key/value pairs belong to.
func (s *posScanner) header(root *Node) *Node {
	start := s.pos()
	s.next() // '['
	array := s.peek() == '['
	if array {
		s.next()
	}
	segs := s.keyPath()
	s.skipBlank()
	if s.peek() == ']' {
		s.next()
		if array && s.peek() == ']' {
			s.next()
		}
	}
	if len(segs) == 0 {
		return root
	}
	t := root
	for _, seg := range segs[:len(segs)-1] {
		t = s.descend(t, seg)
	}
	last := segs[len(segs)-1]
	n := t.Child(string(last.name))
	if array {
		if n == nil {
			n = s.node(Node{name: last.name, key: last.pos, val: start})
			t.add(n)
		}
		e := s.node(Node{key: last.pos, val: start})
		n.elems = append(n.elems, e)
		return e
	}
	switch {
	case n == nil:
		n = s.node(Node{name: last.name, key: last.pos, val: start})
		t.add(n)
	case n.implicit:
		n.key, n.val, n.implicit = last.pos, start, false
	}
	return n
}

// descend follows one non-final segment of a header: into the table of that
// name, creating it implicitly, or into the last element of an array of
// tables, since [a.b] after [[a]] belongs to the latest a.
func (s *posScanner) descend(t *Node, seg keySeg) *Node {
	n := t.Child(string(seg.name))
	if n == nil {
		n = s.node(Node{name: seg.name, key: seg.pos, val: seg.pos, implicit: true})
		t.add(n)
	}
	if len(n.elems) > 0 {
		return n.elems[len(n.elems)-1]
	}
	return n
}

// keyValue consumes one `key = value` pair into table t. Dotted keys make or
// extend sub-tables.
func (s *posScanner) keyValue(t *Node) {
	segs := s.keyPath()
	if len(segs) == 0 {
		return
	}
	s.skipBlank()
	if s.peek() != '=' {
		return
	}
	s.next()
	s.skipBlank()
	for _, seg := range segs[:len(segs)-1] {
		n := t.Child(string(seg.name))
		if n == nil {
			n = s.node(Node{name: seg.name, key: seg.pos, val: seg.pos})
			t.add(n)
		}
		t = n
	}
	last := segs[len(segs)-1]
	leaf := t.Child(string(last.name))
	if leaf == nil { // always, unless the input is invalid
		leaf = s.node(Node{name: last.name, key: last.pos})
		t.add(leaf)
	}
	s.value(leaf) // segs is dead from here on: value may reuse the buffer
}

// keyPath consumes a possibly dotted key (a.b, "quoted".'literal', a . b)
// and returns its decoded segments. The slice is reused by the next call.
func (s *posScanner) keyPath() []keySeg {
	s.segs = s.segs[:0]
	for {
		s.skipBlank()
		p := s.pos()
		var name []byte
		switch s.peek() {
		case '"':
			body, _ := s.str()
			name = unescape(body)
		case '\'':
			name, _ = s.str()
		default:
			start := s.off
			for !s.eof() && isBareKeyByte(s.src[s.off]) {
				s.off++
			}
			if s.off == start {
				return s.segs
			}
			name = s.src[start:s.off:s.off]
		}
		s.segs = append(s.segs, keySeg{name: name, pos: p})
		s.skipBlank()
		if s.peek() != '.' {
			return s.segs
		}
		s.next()
	}
}

func isBareKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// value consumes one value and records its position and structure in n.
func (s *posScanner) value(n *Node) {
	n.val = s.pos()
	switch s.peek() {
	case '"', '\'':
		s.str()
	case '[':
		s.array(n)
	case '{':
		s.inlineTable(n)
	default:
		s.bare()
	}
}

// array consumes [v, v, ...]; elements may be separated by newlines and
// comments, and a trailing comma is allowed.
func (s *posScanner) array(n *Node) {
	s.next() // '['
	for {
		s.skipTrivia()
		switch s.peek() {
		case 0:
			if s.eof() {
				return
			}
		case ']':
			s.next()
			return
		case ',':
			s.next()
			continue
		}
		start := s.off
		e := s.node(Node{})
		n.elems = append(n.elems, e)
		s.value(e)
		if s.off == start {
			s.next()
		}
	}
}

// inlineTable consumes {k = v, ...}. TOML 1.1, which BurntSushi/toml
// accepts, allows newlines, comments and a trailing comma inside.
func (s *posScanner) inlineTable(n *Node) {
	s.next() // '{'
	for {
		s.skipTrivia()
		switch s.peek() {
		case 0:
			if s.eof() {
				return
			}
		case '}':
			s.next()
			return
		case ',':
			s.next()
			continue
		}
		start := s.off
		s.keyValue(n)
		if s.off == start {
			s.next()
		}
	}
}

// bare consumes an unquoted scalar: a number, boolean or date-time.
func (s *posScanner) bare() {
	start := s.off
	s.skipBareValue()
	// A date-time may separate date and time by a space (1979-05-27 07:32:00);
	// after a valid value nothing else can be a digit following a space.
	if s.off-start == 10 && s.src[start+4] == '-' && s.peek() == ' ' && isDigit(s.peekAt(1)) {
		s.off++
		s.skipBareValue()
	}
}

func (s *posScanner) skipBareValue() {
	for !s.eof() {
		switch s.src[s.off] {
		case ' ', '\t', '\r', '\n', ',', ']', '}', '#':
			return
		}
		s.off++
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// str consumes a string in any of its four forms, starting at its opening
// quote, and returns its body as written (escapes undecoded) and whether it
// is a basic string, where backslash escapes apply.
func (s *posScanner) str() (body []byte, basic bool) {
	q := s.peek()
	basic = q == '"'
	if s.peekAt(1) == q && s.peekAt(2) == q {
		s.advance(3)
		start := s.off
		for !s.eof() {
			c := s.src[s.off]
			if basic && c == '\\' {
				s.next()
				s.next() // the escaped byte, possibly a line-ending newline
				continue
			}
			if c == q && s.peekAt(1) == q && s.peekAt(2) == q {
				// Up to two more quotes belong to the body: """a""""" is `a""`.
				run := 3
				for run < 5 && s.peekAt(run) == q {
					run++
				}
				end := s.off + run - 3
				s.advance(run)
				return s.src[start:end:end], basic
			}
			s.next()
		}
		return s.src[start:len(s.src):len(s.src)], basic
	}
	s.next()
	start := s.off
	for !s.eof() {
		switch c := s.src[s.off]; {
		case c == q:
			s.next()
			return s.src[start : s.off-1 : s.off-1], basic
		case c == '\n':
			return s.src[start:s.off:s.off], basic // unterminated; invalid input
		case basic && c == '\\':
			s.next()
			if s.peek() != '\n' {
				s.next()
			}
		default:
			s.next()
		}
	}
	return s.src[start:len(s.src):len(s.src)], basic
}

// unescape decodes the escapes of a basic string as BurntSushi/toml does
// (TOML 1.1, including \e and \xHH), so that a quoted key such as "o\u006e"
// finds the same map entry as the decoder made. Malformed escapes, which
// valid input does not contain, are kept as written. Without escapes the
// body itself is returned.
func unescape(body []byte) []byte {
	if bytes.IndexByte(body, '\\') < 0 {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch body[i] {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case '"':
			b.WriteByte('"')
		case '\\':
			b.WriteByte('\\')
		case 'x', 'u', 'U':
			n := 2
			switch body[i] {
			case 'u':
				n = 4
			case 'U':
				n = 8
			}
			if i+1+n <= len(body) {
				if r, err := strconv.ParseUint(string(body[i+1:i+1+n]), 16, 32); err == nil && utf8.ValidRune(rune(r)) {
					b.WriteRune(rune(r))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(body[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(body[i])
		}
	}
	return []byte(b.String())
}
