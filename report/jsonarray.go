package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/catch22/catch22/internal/parallel"
)

// jsonArrayBlock is how many elements one core converts and marshals at a
// time.
const jsonArrayBlock = 2048

// jsonArray is a large array of a document, marshalled on all cores: its
// elements, converted by conv and marshalled in blocks, are joined with
// commas, which is byte for byte what encoding/json writes for the whole
// converted slice. The document itself holds an empty array under key,
// which encodeJSON replaces with this one. Reflection over tens of
// thousands of findings would otherwise be the serial tail of a large run.
type jsonArray struct {
	key  string
	body []byte // the compact array, brackets included
}

// marshalArray marshals conv of every item for the array under key.
func marshalArray[T, J any](key string, items []T, conv func(*T) J) (jsonArray, error) {
	blocks := make([][]byte, (len(items)+jsonArrayBlock-1)/jsonArrayBlock)
	errs := make([]error, len(blocks))
	parallel.For(len(items), jsonArrayBlock, func(lo, hi int) {
		out := make([]J, hi-lo)
		for i := range out {
			out[i] = conv(&items[lo+i])
		}
		b, err := compactJSON(out)
		// Keep the elements: "[a,b]" less its brackets.
		blocks[lo/jsonArrayBlock], errs[lo/jsonArrayBlock] = b[1:max(len(b)-1, 1)], err
	})
	for _, err := range errs {
		if err != nil {
			return jsonArray{}, err
		}
	}
	body := append([]byte{'['}, bytes.Join(blocks, []byte{','})...)
	return jsonArray{key: key, body: append(body, ']')}, nil
}

// compactJSON is v as encodeJSON's encoder writes it before indenting:
// compact, without HTML escaping, without the final newline.
func compactJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// spliceArrays puts each array in the place of the empty array under its
// key in the compact document doc. A key is found by its first `"key":[]`:
// inside a string the quotes would be escaped, so that is a member of an
// object, and the document's own members come before any nested ones of
// the same name, which the arrays' documents do not have.
func spliceArrays(doc []byte, arrays []jsonArray) ([]byte, error) {
	type cut struct {
		at   int // where the empty array starts
		body []byte
	}
	cuts := make([]cut, 0, len(arrays))
	size := len(doc)
	for _, a := range arrays {
		marker := []byte(`"` + a.key + `":[]`)
		i := bytes.Index(doc, marker)
		if i < 0 {
			return nil, fmt.Errorf("json: no empty array %q to fill", a.key)
		}
		cuts = append(cuts, cut{i + len(marker) - 2, a.body})
		size += len(a.body) - 2
	}
	slices.SortFunc(cuts, func(a, b cut) int { return a.at - b.at })
	out := make([]byte, 0, size)
	done := 0
	for _, c := range cuts {
		out = append(append(out, doc[done:c.at]...), c.body...)
		done = c.at + 2
	}
	return append(out, doc[done:]...), nil
}
