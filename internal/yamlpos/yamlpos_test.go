package yamlpos

import (
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

func TestParseDocumentsErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"a: 1\n---\nb: [1\n", "f.yaml:3:4: bad YAML: sequence end token ']' not found"},
		{"a: 1\na: 2\n", "f.yaml:2:1: bad YAML: mapping key \"a\" already defined at [1:1]"},
		{"a: *nowhere\n", "f.yaml:1:4: bad YAML: alias *nowhere names no anchor before it"},
	} {
		_, errs := Parse("f.yaml", []byte(tc.src))
		if errs.Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.src, errs, tc.want)
		}
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
