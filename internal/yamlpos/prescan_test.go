package yamlpos

import (
	"strings"
	"testing"
	"time"
)

// TestPrescanRefusesDeepNesting: nesting that takes the parser minutes is
// refused at once, positioned where it crosses the bound.
func TestPrescanRefusesDeepNesting(t *testing.T) {
	var block strings.Builder
	for i := range 70 {
		block.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	for _, tc := range []struct{ name, src, want string }{
		{"flow", "a: " + strings.Repeat("[", 64*1024) + strings.Repeat("]", 64*1024) + "\n",
			"f.yaml:1:67: bad YAML: nested more than 64 levels deep (refused before parsing)"},
		{"block", block.String(), "f.yaml:65:65: bad YAML: nested more than 64 levels deep (refused before parsing)"},
		{"dashes", strings.Repeat("- ", 70) + "x\n", "f.yaml:1:1: bad YAML: nested more than 64 levels deep (refused before parsing)"},
	} {
		start := time.Now()
		_, errs := Parse("f.yaml", []byte(tc.src))
		if errs.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, errs, tc.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", tc.name, d)
		}
	}
}

// TestPrescanLetsRealFilesThrough: brackets in quotes, comments and block
// scalars, and deep indentation inside a block scalar, are not nesting.
func TestPrescanLetsRealFilesThrough(t *testing.T) {
	var scalar strings.Builder
	for i := range 80 {
		scalar.WriteString("    " + strings.Repeat(" ", i) + "[[[{{{ text\n")
	}
	src := "a: \"" + strings.Repeat("[", 100) + "\"\n" +
		"b: '" + strings.Repeat("{", 100) + "''s'\n" +
		"c: 1 # " + strings.Repeat("[", 100) + "\n" +
		"d: |\n" + scalar.String() +
		"e: [1, [2, {f: 3}]]\n"
	docs, errs := Parse("f.yaml", []byte(src))
	if errs != nil || len(docs) != 1 || len(docs[0].Body.Keys) != 5 {
		t.Fatalf("docs %+v, errs %v", docs, errs)
	}
}
