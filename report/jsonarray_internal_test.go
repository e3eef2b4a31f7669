package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestArraysMatchEncoder: a document whose large arrays are marshalled in
// blocks and spliced in is byte for byte the encoder's, for arrays empty,
// shorter than a block, and across several blocks, with a nested member of
// the same name that must stay as it is.
func TestArraysMatchEncoder(t *testing.T) {
	type item struct {
		Name string   `json:"name"`
		N    int      `json:"n"`
		Tags []string `json:"tags,omitempty"`
	}
	type doc struct {
		Version int    `json:"version"`
		First   []item `json:"first"`
		Nested  struct {
			First []item `json:"first"`
		} `json:"nested"`
		Second []item `json:"second"`
	}
	rng := rand.New(rand.NewPCG(5, 6))
	items := func(n int) []item {
		out := make([]item, n)
		for i := range out {
			out[i] = item{Name: fmt.Sprintf("<s%d> \"q\"", rng.IntN(1000)), N: rng.IntN(100)}
			if rng.IntN(3) == 0 {
				out[i].Tags = []string{"a", "&b"}
			}
		}
		return out
	}
	same := func(it *item) item { return *it }
	for _, sizes := range [][2]int{{0, 0}, {1, 0}, {0, 3}, {jsonArrayBlock - 1, 1}, {jsonArrayBlock, jsonArrayBlock + 1}, {3*jsonArrayBlock + 7, 2}} {
		full := doc{Version: 1, First: items(sizes[0]), Second: items(sizes[1])}
		full.Nested.First = []item{} // "first":[] once more, after the one to fill
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(full); err != nil {
			t.Fatal(err)
		}

		skeleton := full
		skeleton.First, skeleton.Second = []item{}, []item{}
		first, err := marshalArray("first", full.First, same)
		if err != nil {
			t.Fatal(err)
		}
		second, err := marshalArray("second", full.Second, same)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := encodeJSON(&got, skeleton, second, first); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), jsonSafe(want.Bytes())) {
			t.Fatalf("sizes %v: spliced document differs from the encoder's:\n%s\nwant\n%s", sizes, got.Bytes(), want.Bytes())
		}
	}
	if err := encodeJSON(&bytes.Buffer{}, doc{}, jsonArray{key: "third", body: []byte("[1]")}); err == nil {
		t.Fatal("a key with no empty array to fill was accepted")
	}
}
