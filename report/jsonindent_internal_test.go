package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIndentJSONMatchesEncoder: on random documents, cut into pieces of
// every size down to a few bytes, indentJSON gives the bytes of
// encoding/json's Encoder with SetIndent("", "  "), which it replaces.
func TestIndentJSONMatchesEncoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	texts := []string{"", "a", `q"uote`, `back\slash`, "new\nline", "tab\t", "ünï", "{[,:]}", `\"`, "<&>", "\u2028", "##[x"}
	var value func(depth int) any
	value = func(depth int) any {
		switch n := rng.IntN(9); {
		case n == 0 || depth > 4:
			return texts[rng.IntN(len(texts))]
		case n == 1:
			return rng.IntN(2000) - 1000
		case n == 2:
			return rng.Float64()
		case n == 3:
			return rng.IntN(2) == 0
		case n == 4:
			return nil
		case n < 7:
			var xs []any
			for range rng.IntN(5) {
				xs = append(xs, value(depth+1))
			}
			return xs
		default:
			m := map[string]any{}
			for range rng.IntN(5) {
				m[texts[rng.IntN(len(texts))]+strings.Repeat("k", rng.IntN(3))] = value(depth + 1)
			}
			return m
		}
	}
	for round := range 500 {
		doc := value(0)
		var want, compact bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		enc = json.NewEncoder(&compact)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		src := bytes.TrimSuffix(compact.Bytes(), []byte("\n"))
		for _, slice := range []int{1, 2, 7, 64, indentSlice} {
			if got := append(indentJSON(src, slice), '\n'); !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("round %d, slices of %d: got\n%s\nwant\n%s", round, slice, got, want.Bytes())
			}
		}
	}
}
