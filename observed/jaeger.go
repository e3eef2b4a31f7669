package observed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/catch22/catch22/manifest"
)

// jaegerLink is one element of a Jaeger dependencies document's data:
// {"parent": caller, "child": callee, "callCount": n}.
type jaegerLink struct {
	Parent    *string  `json:"parent"`
	Child     *string  `json:"child"`
	CallCount *float64 `json:"callCount"`
}

// parseJaeger reads {"data": [links...]} element by element, so that a bad
// link is reported where it is written.
func parseJaeger(file string, data []byte) ([]Call, manifest.ErrorList) {
	var errs manifest.ErrorList
	dec := newDecoder(data)
	fail := func(off int, format string, args ...any) {
		errs = append(errs, errAt(file, data, off, format, args...))
	}
	// syntax reports a decoding error; base is where the value being
	// decoded starts, as the decoder counts offsets from there.
	syntax := func(err error, base int) manifest.ErrorList {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var de *delimError
		switch {
		case errors.As(err, &de):
			fail(de.off, "JSON: %s", de)
		case errors.As(err, &se):
			fail(base+int(se.Offset)-1, "JSON: %s", se.Error())
		case errors.As(err, &te):
			fail(base+int(te.Offset)-1, "JSON: %s wants %s, got %s", te.Field, te.Type, te.Value)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			fail(len(data), "JSON: unexpected end of the document")
		default:
			fail(int(dec.InputOffset()), "JSON: %s", err)
		}
		return errs
	}
	// A syntax error is found on the whole document first: the streaming
	// decoder below counts its offsets from places that vary.
	var whole any
	if err := json.Unmarshal(data, &whole); err != nil {
		return nil, syntax(err, 0)
	}
	if err := dec.expect('{'); err != nil {
		return nil, syntax(err, 0)
	}
	var calls []Call
	seenData := false
	for dec.More() {
		key, err := dec.key()
		if err != nil {
			return nil, syntax(err, 0)
		}
		if key != "data" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, syntax(err, 0)
			}
			continue
		}
		seenData = true
		at := dec.next()
		if err := dec.expect('['); err != nil {
			fail(at, `"data" must be an array of {"parent", "child", "callCount"}`)
			return nil, errs
		}
		for dec.More() {
			at := dec.next()
			var l jaegerLink
			if err := dec.Decode(&l); err != nil {
				return nil, syntax(err, at)
			}
			switch {
			case l.Parent == nil || *l.Parent == "":
				fail(at, `link without "parent"`)
			case l.Child == nil || *l.Child == "":
				fail(at, `link without "child"`)
			case l.CallCount == nil || *l.CallCount < 0 || math.IsNaN(*l.CallCount):
				fail(at, `link %s -> %s: "callCount" must be a number of calls, 0 or more`, *l.Parent, *l.Child)
			default:
				calls = append(calls, Call{Client: *l.Parent, Server: *l.Child, Count: *l.CallCount})
			}
		}
		if err := dec.expect(']'); err != nil {
			return nil, syntax(err, 0)
		}
	}
	if err := dec.expect('}'); err != nil {
		return nil, syntax(err, 0)
	}
	if !seenData {
		fail(0, `no "data" array: want {"data": [{"parent", "child", "callCount"}...]}`)
	}
	return calls, errs
}

// decoder is a json.Decoder that knows where the next value starts.
type decoder struct {
	*json.Decoder
	data []byte
}

func newDecoder(data []byte) *decoder {
	return &decoder{Decoder: json.NewDecoder(bytes.NewReader(data)), data: data}
}

// next is the offset of the next value: past whitespace, commas and colons.
func (d *decoder) next() int {
	off := int(d.InputOffset())
	for off < len(d.data) && (d.data[off] == ' ' || d.data[off] == '\t' || d.data[off] == '\n' || d.data[off] == '\r' || d.data[off] == ',' || d.data[off] == ':') {
		off++
	}
	return off
}

// delimError is a value where a delimiter was due.
type delimError struct {
	off  int
	want json.Delim
}

func (e *delimError) Error() string { return fmt.Sprintf("want %q", string(e.want)) }

// expect reads one delimiter.
func (d *decoder) expect(want json.Delim) error {
	off := d.next()
	t, err := d.Token()
	if err != nil {
		return err
	}
	if got, ok := t.(json.Delim); !ok || got != want {
		return &delimError{off: off, want: want}
	}
	return nil
}

// key reads an object key.
func (d *decoder) key() (string, error) {
	t, err := d.Token()
	if err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", errors.New("want an object key")
	}
	return s, nil
}
