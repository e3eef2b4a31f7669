package yamlpos

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/manifest"
)

// TestParseDocuments checks the document split that works around
// goccy/go-yaml dropping every document after an empty or comment-only
// one, and that positions stay those of the whole file.
func TestParseDocuments(t *testing.T) {
	src := "# leading comment\n" +
		"---\n" +
		"a: 1\n" +
		"---\n" +
		"---\n" + // empty document
		"# only a comment\n" +
		"---\n" +
		"b: \"two\"\n" +
		"c: [x, y]\n" +
		"...\n" +
		"---\r\n" +
		"d:\r\n" +
		"  e: |\r\n" +
		"    text\r\n" +
		"--- # a comment after the marker\n" +
		"f: true\n"
	docs, errs := Parse("f.yaml", []byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	type key struct {
		Key  string
		Line int
		Col  int
	}
	var got []key
	for _, d := range docs {
		for i, k := range d.Body.Keys {
			got = append(got, key{k, d.Body.KeyPos[i].Line, d.Body.KeyPos[i].Col})
		}
	}
	want := []key{{"a", 3, 1}, {"b", 8, 1}, {"c", 9, 1}, {"d", 12, 1}, {"f", 16, 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	c, _, _ := docs[1].Body.Get("c")
	if c.Kind != Seq || len(c.Items) != 2 || c.Items[1].Pos != (manifest.Pos{File: "f.yaml", Line: 9, Col: 8}) {
		t.Errorf("c = %+v", c)
	}
	d, _, _ := docs[2].Body.Get("d")
	if e, _, _ := d.Get("e"); e == nil || e.Kind != String || e.Str != "text\n" {
		t.Errorf("d.e = %+v", e)
	}
}

// TestParseDocumentsErrors: errors point at their cause, in the file's
// lines, and say what is wrong.
func TestParseDocumentsErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		// Something never closed is reported where it opens.
		{"a: 1\n---\nb: [1\n", "f.yaml:3:4: bad YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts here)"},
		{"a: 1\n---\nb: 'x\n", "f.yaml:3:4: bad YAML: found unexpected end of stream (while scanning a quoted scalar that starts here)"},
		// Anything else where the parser stops, with the construct it was in.
		{"a:\n  - b\n  c: d\n", "f.yaml:3:3: bad YAML: did not find expected '-' indicator (while parsing a block collection that starts at 2:3)"},
		{"key: value\n  bad: indent\n", "f.yaml:2:6: bad YAML: mapping values are not allowed in this context"},
		{"a:\n\tb: 1\n", "f.yaml:2:1: bad YAML: found character that cannot start any token (a tab: YAML indents with spaces)"},
		{"a: \xff\n", "f.yaml:1:4: bad YAML: invalid leading UTF-8 octet"},
		{"a: 1\na: 2\n", "f.yaml:2:1: bad YAML: mapping key \"a\" already defined at 1:1"},
		{"a: *nowhere\n", "f.yaml:1:4: bad YAML: alias *nowhere names no anchor before it"},
		{"a: &x [*x]\n", "f.yaml:1:8: bad YAML: alias *x is inside the collection it names"},
		{"[a]: 1\n", "f.yaml:1:1: bad YAML: a mapping key must be a scalar, got a list"},
		{"a: {<<: 1}\n", "f.yaml:1:9: bad YAML: a merge key (<<) wants a mapping, got an integer"},
		// A syntax error is the document's only error: what came before
		// it may be its consequence.
		{"{a: 1}: 2\nb: [1\n", "f.yaml:2:4: bad YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts here)"},
	} {
		_, errs := Parse("f.yaml", []byte(tc.src))
		if errs.Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.src, errs, tc.want)
		}
	}
}

// TestMergeKeys: a key written in a mapping overrides the same key from a
// merge key wherever it is written, the first merged mapping wins over
// later ones, and each key keeps its first place; a key written twice is
// an error, in small mappings and large ones alike.
func TestMergeKeys(t *testing.T) {
	src := "a: &a {x: a, y: a}\n" +
		"b: &b {y: b, z: b}\n" +
		"c:\n  x: c\n  <<: [*a, *b]\n  z: c\n"
	docs, errs := Parse("f.yaml", []byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	c, _, _ := docs[0].Body.Get("c")
	var got []string
	for i, k := range c.Keys {
		got = append(got, fmt.Sprintf("%s=%s@%d:%d", k, c.Vals[i].Str, c.KeyPos[i].Line, c.KeyPos[i].Col))
	}
	want := []string{"x=c@4:3", "y=a@1:14", "z=c@6:3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("c (-want +got):\n%s", diff)
	}

	var large strings.Builder
	large.WriteString("base: &b {k0: merged}\nm:\n  <<: *b\n")
	for i := range 20 {
		fmt.Fprintf(&large, "  k%d: %d\n", i, i)
	}
	large.WriteString("  k7: again\n")
	docs, errs = Parse("f.yaml", []byte(large.String()))
	if errs.Error() != `f.yaml:24:3: bad YAML: mapping key "k7" already defined at 11:3` {
		t.Errorf("errors: %v", errs)
	}
	m, _, _ := docs[0].Body.Get("m")
	if k0, pos, _ := m.Get("k0"); len(m.Keys) != 20 || m.Keys[0] != "k0" || k0.Str != "0" || pos.Line != 4 {
		t.Errorf("m = %v, k0 = %+v at %v", m.Keys, k0, pos)
	}
}

// TestScalarKinds: plain scalars read as goccy/go-yaml read them (see
// resolve), so that importers see the kinds they always saw.
func TestScalarKinds(t *testing.T) {
	want := map[Kind][]string{
		Null:   {"~", "null", "Null", "NULL", ""},
		Bool:   {"true", "True", "TRUE", "false", "FALSE"},
		Int:    {"0", "12", "-3", "+4", "1_000", "0x1F", "-0x10", "0o17", "017", "0b101", "18446744073709551615"},
		Float:  {"1.5", "-0.5", ".5", "1.", "1.5e3", "1.0e+3", ".inf", "-.Inf", ".nan"},
		String: {"yes", "no", "on", "off", "y", "1e3", "08", "0o8", "0x", "_1", "1.2.3", "+.inf", "inf", "Infinity", "18446744073709551616", "2001-12-14", "12:30", "v1", "100m", "64Mi"},
	}
	for kind, values := range want {
		for _, s := range values {
			docs, errs := Parse("f.yaml", []byte("v: "+s+"\n"))
			if errs != nil {
				t.Fatal(errs)
			}
			if v, _, _ := docs[0].Body.Get("v"); v.Kind != kind {
				t.Errorf("%q: %s, want %s", s, v.TypeName(), (&Value{Kind: kind}).TypeName())
			}
		}
	}
	docs, _ := Parse("f.yaml", []byte("a: !!str 1\nb: '2'\nc: |\n  3\nd:\n"))
	for i, want := range []struct {
		kind Kind
		str  string
		col  int
	}{{String, "1", 4}, {String, "2", 4}, {String, "3\n", 4}, {Null, "null", 3}} {
		if v := docs[0].Body.Vals[i]; v.Kind != want.kind || v.Str != want.str || v.Pos.Col != want.col {
			t.Errorf("%s: %+v, want %+v", docs[0].Body.Keys[i], v, want)
		}
	}
}

// TestBounds: a file may hold maxValues values; past that, and past
// maxErrors errors, the rest of the file is refused at once.
func TestBounds(t *testing.T) {
	line := strings.Repeat("1, ", 1023) + "1"
	var src strings.Builder
	for range maxValues / 1024 {
		src.WriteString("- [" + line + "]\n")
	}
	// The document counts 3 and its sequence 1; each line is a sequence
	// and 1024 values: 255 lines make 261,379, and on line 256 the 765th
	// value, at column 4+3*764, is one too many.
	if docs, errs := Parse("f.yaml", []byte(src.String())); errs.Error() != "f.yaml:256:2296: bad YAML: more than 262144 values in one file (refused at this one)" || docs != nil {
		t.Errorf("%d documents, errors %v", len(docs), errs)
	}

	var dups strings.Builder
	for range 1000 {
		dups.WriteString("a: 1\n")
	}
	_, errs := Parse("f.yaml", []byte(dups.String()))
	if len(errs) != maxErrors+1 || errs[maxErrors].Error() != "f.yaml:102:1: bad YAML: more than 100 errors; the rest of the file is not read" {
		t.Errorf("%d errors, the last %v", len(errs), errs[len(errs)-1])
	}
}

// TestAnchors: anchors, aliases and merge keys read as YAML defines them.
func TestAnchors(t *testing.T) {
	src := "base: &b {owner: team-a, system: shop}\nspec:\n  <<: *b\n  system: other\n"
	docs, errs := Parse("f.yaml", []byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	spec, _, _ := docs[0].Body.Get("spec")
	owner, _, _ := spec.Get("owner")
	system, _, _ := spec.Get("system")
	if owner == nil || owner.Str != "team-a" || system == nil || system.Str != "other" {
		t.Errorf("spec = %+v", spec)
	}
}

// TestByteOrderMark: a UTF-8 byte order mark is not part of the first key.
func TestByteOrderMark(t *testing.T) {
	docs, errs := Parse("f.yaml", []byte("\ufeffapiVersion: backstage.io/v1alpha1\n"))
	if errs != nil || len(docs) != 1 || docs[0].Body.Keys[0] != "apiVersion" || docs[0].Body.KeyPos[0].Col != 1 {
		t.Errorf("docs = %+v, errs = %v", docs, errs)
	}
}
