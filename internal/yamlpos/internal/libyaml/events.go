package libyaml

import (
	"bytes"
	"fmt"
	"unicode/utf8"
	"unsafe"
)

// EventType is the kind of a parser event.
type EventType int8

const (
	NoEvent EventType = iota
	StreamStart
	StreamEnd
	DocumentStart
	DocumentEnd
	Alias
	Scalar
	SequenceStart
	SequenceEnd
	MappingStart
	MappingEnd
)

var eventTypes = [...]EventType{
	yaml_NO_EVENT:             NoEvent,
	yaml_STREAM_START_EVENT:   StreamStart,
	yaml_STREAM_END_EVENT:     StreamEnd,
	yaml_DOCUMENT_START_EVENT: DocumentStart,
	yaml_DOCUMENT_END_EVENT:   DocumentEnd,
	yaml_ALIAS_EVENT:          Alias,
	yaml_SCALAR_EVENT:         Scalar,
	yaml_SEQUENCE_START_EVENT: SequenceStart,
	yaml_SEQUENCE_END_EVENT:   SequenceEnd,
	yaml_MAPPING_START_EVENT:  MappingStart,
	yaml_MAPPING_END_EVENT:    MappingEnd,
}

// ScalarStyle is how a scalar is written.
type ScalarStyle int8

const (
	Plain ScalarStyle = iota
	SingleQuoted
	DoubleQuoted
	Literal
	Folded
)

// StrTag is the resolved tag of "!!str".
const StrTag = yaml_STR_TAG

// Event is one parser event. Its byte slices belong to the event: the
// parser allocates them afresh and never writes to them again.
type Event struct {
	Type EventType
	// Line and Column are where the event starts, both from 1; a column
	// counts characters. A node with an anchor or a tag starts at the
	// first of them.
	Line, Column int
	// Anchor is the anchor of a scalar or collection, or the name an alias
	// refers to.
	Anchor []byte
	// Tag is a scalar's or collection's explicit tag, resolved ("!!str" is
	// "tag:yaml.org,2002:str"); empty when there is none.
	Tag   []byte
	Value []byte // a scalar's text
	Style ScalarStyle
}

// Text returns Value as a string without copying it. That is safe because
// the scanner builds each scalar in a slice of its own (scan_plain_scalar,
// scan_flow_scalar and scan_block_scalar start from a nil slice), which
// nothing writes to once the token is made; a change to those functions
// must keep it so.
func (e *Event) Text() string {
	return unsafe.String(unsafe.SliceData(e.Value), len(e.Value))
}

// Error is a syntax error, positioned like an Event.
type Error struct {
	Line, Column int
	Problem      string
	// Context names the construct being read ("while parsing a flow
	// sequence"), which starts at ContextLine and ContextColumn; empty
	// when the problem has no such context.
	Context                    string
	ContextLine, ContextColumn int
	// AtEnd tells that the problem is the end of the input: something
	// opened at the context's position is never closed.
	AtEnd bool
}

func (e *Error) Error() string {
	if e.Context != "" {
		return fmt.Sprintf("%d:%d: %s (%s started at %d:%d)", e.Line, e.Column, e.Problem, e.Context, e.ContextLine, e.ContextColumn)
	}
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Problem)
}

// Parser reads the events of one YAML stream. Its memory is the scanner's
// look-ahead (a few tokens, bounded by the nesting) and buffers of a few
// kilobytes, whatever the size of the input.
type Parser struct {
	p     yaml_parser_t
	input []byte
	ev    yaml_event_t
}

// Reset makes the parser read input from the start, reusing its buffers
// and stacks, so that reading many small documents allocates them once.
func (p *Parser) Reset(input []byte) {
	if p.p.raw_buffer == nil {
		yaml_parser_initialize(&p.p)
	}
	old := p.p
	p.p = yaml_parser_t{
		raw_buffer:  old.raw_buffer[:0],
		buffer:      old.buffer[:0],
		tokens:      old.tokens[:0],
		indents:     old.indents[:0],
		simple_keys: old.simple_keys[:0],
		states:      old.states[:0],
		marks:       old.marks[:0],
	}
	p.input = input
	yaml_parser_set_input_string(&p.p, input)
}

// Next reads the next event into ev. After StreamEnd or an error there are
// no more events.
func (p *Parser) Next(ev *Event) error {
	p.ev = yaml_event_t{}
	if p.p.error != yaml_NO_ERROR || !yaml_parser_parse(&p.p, &p.ev) {
		return p.err()
	}
	*ev = Event{
		Type:   eventTypes[p.ev.typ],
		Line:   p.ev.start_mark.line + 1,
		Column: p.ev.start_mark.column + 1,
		Anchor: p.ev.anchor,
		Tag:    p.ev.tag,
		Value:  p.ev.value,
	}
	switch yaml_scalar_style_t(p.ev.style) {
	case yaml_SINGLE_QUOTED_SCALAR_STYLE:
		ev.Style = SingleQuoted
	case yaml_DOUBLE_QUOTED_SCALAR_STYLE:
		ev.Style = DoubleQuoted
	case yaml_LITERAL_SCALAR_STYLE:
		ev.Style = Literal
	case yaml_FOLDED_SCALAR_STYLE:
		ev.Style = Folded
	}
	return nil
}

func (p *Parser) err() *Error {
	e := &Error{
		Line:    p.p.problem_mark.line + 1,
		Column:  p.p.problem_mark.column + 1,
		Problem: p.p.problem,
	}
	if e.Problem == "" {
		e.Problem = "unknown problem parsing YAML content"
	}
	switch p.p.error {
	case yaml_READER_ERROR:
		// The reader knows a byte offset only.
		off := min(max(p.p.problem_offset, 0), len(p.input))
		before := p.input[:off]
		e.Line = bytes.Count(before, []byte("\n")) + 1
		e.Column = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	case yaml_SCANNER_ERROR, yaml_PARSER_ERROR:
		if p.p.context != "" {
			e.Context = p.p.context
			e.ContextLine = p.p.context_mark.line + 1
			e.ContextColumn = p.p.context_mark.column + 1
		}
		if h := p.p.tokens_head; h < len(p.p.tokens) {
			tk := &p.p.tokens[h]
			e.AtEnd = tk.typ == yaml_STREAM_END_TOKEN && tk.start_mark == p.p.problem_mark
		}
		e.AtEnd = e.AtEnd || p.p.problem == "found unexpected end of stream"
	}
	return e
}
