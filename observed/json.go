package observed

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// looksLikeJSON reports whether data opens like a JSON object or array:
// "{" then a key or "}", or "[" (any depth) then a value that can start
// an element. A TOML table header such as [service] or [[dependency]]
// opens with "[" too, and must be told it is unrecognised, not be given
// a JSON syntax error.
func looksLikeJSON(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) < 2 || (data[0] != '{' && data[0] != '[') {
		return false
	}
	if data[0] == '{' {
		rest := bytes.TrimLeft(data[1:], " \t\r\n")
		return len(rest) > 0 && (rest[0] == '"' || rest[0] == '}')
	}
	rest := bytes.TrimLeft(data, "[ \t\r\n")
	return len(rest) > 0 && bytes.IndexByte([]byte(`{"]-0123456789`), rest[0]) >= 0
}

// parseJSON recognises a JSON document by its top-level keys and reads
// it; see the package documentation for the shapes.
func parseJSON(in *input) Traffic {
	doc := decodeJSON(in)
	switch {
	case doc == nil:
		return Traffic{}
	case doc.kind == jsonArray:
		return parseLinkList(in, doc)
	case doc.kind != jsonObject:
		in.unrecognised(doc.off, "JSON "+doc.kind.String())
	case doc.field("status") != nil, isPromData(doc.field("data")):
		return parsePromQuery(in, doc)
	case doc.field("data") != nil:
		return parseJaegerV1(in, doc)
	case doc.field("dependencies") != nil:
		return parseJaegerV3(in, doc)
	case doc.field("error") != nil:
		jaegerV3Error(in, doc.field("error"))
	default:
		in.unrecognised(doc.off, `a JSON object without "data", "dependencies" or "status"`)
	}
	return Traffic{}
}

// jsonValue is a decoded JSON value that remembers where it starts, so
// that whatever is wrong with it is reported at file:line:col.
type jsonValue struct {
	off    int
	kind   jsonKind
	text   string // a string's contents, a number as written
	elems  []*jsonValue
	fields []jsonField // in document order
}

type jsonField struct {
	key   string
	value *jsonValue
}

type jsonKind int

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// String names the kind as an error message says it: "not a number".
func (k jsonKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// field returns the value of key in an object, or nil. A repeated key
// gives its last value, as encoding/json does.
func (v *jsonValue) field(key string) *jsonValue {
	if v == nil {
		return nil
	}
	for i := len(v.fields) - 1; i >= 0; i-- {
		if v.fields[i].key == key {
			return v.fields[i].value
		}
	}
	return nil
}

// decodeJSON decodes the whole document, or records its syntax error and
// returns nil. The syntax is checked on the whole document first because
// the standard library positions a syntax error precisely there, and the
// tree is built only from valid input.
func decodeJSON(in *input) *jsonValue {
	if err := json.Unmarshal(in.data, new(json.RawMessage)); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			in.errorf(int(se.Offset)-1, "JSON: %s", se)
		} else {
			in.errorf(0, "JSON: %s", err)
		}
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(in.data))
	d.UseNumber()
	v, err := buildJSON(d, in.data)
	if err != nil {
		in.errorf(int(d.InputOffset()), "JSON: %s", err)
		return nil
	}
	return v
}

// buildJSON reads one value with its children. Nesting is bounded by the
// standard library's depth limit, checked by decodeJSON beforehand.
func buildJSON(d *json.Decoder, data []byte) (*jsonValue, error) {
	v := &jsonValue{off: nextValue(d, data)}
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			v.kind = jsonObject
			for d.More() {
				key, err := d.Token()
				if err != nil {
					return nil, err
				}
				k, _ := key.(string)
				val, err := buildJSON(d, data)
				if err != nil {
					return nil, err
				}
				v.fields = append(v.fields, jsonField{k, val})
			}
		} else {
			v.kind = jsonArray
			for d.More() {
				e, err := buildJSON(d, data)
				if err != nil {
					return nil, err
				}
				v.elems = append(v.elems, e)
			}
		}
		if _, err := d.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		v.kind, v.text = jsonString, t
	case json.Number:
		v.kind, v.text = jsonNumber, t.String()
	case bool:
		v.kind, v.text = jsonBool, strconv.FormatBool(t)
	default:
		v.kind = jsonNull
	}
	return v, nil
}

// nextValue is the offset of the next value: past whitespace, and the
// commas and colons the decoder has not consumed yet.
func nextValue(d *json.Decoder, data []byte) int {
	off := int(d.InputOffset())
	for off < len(data) && bytes.IndexByte([]byte(" \t\r\n,:"), data[off]) >= 0 {
		off++
	}
	return off
}

// count reads a number of calls written as a JSON number or, as proto3
// JSON writes 64-bit integers, as a string holding one.
func (v *jsonValue) count() (float64, bool) {
	if v.kind != jsonNumber && v.kind != jsonString {
		return 0, false
	}
	n, err := strconv.ParseFloat(v.text, 64)
	return n, err == nil && validCount(n)
}
