package backstage

import (
	"testing"
)

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		s, defKind, want, err string
	}{
		{"group:team-a", "group", "group:default/team-a", ""},
		{"team-a", "group", "group:default/team-a", ""},
		{"Component:Ops/Payments-API", "", "component:ops/payments-api", ""},
		{"ops/db", "resource", "resource:ops/db", ""},
		{"db", "", "", `no kind (write it as kind:name, e.g. "resource:db")`},
		{"resource:", "", "", "no name"},
		{"a:b:c", "", "", "want [kind:][namespace/]name"},
	} {
		r, err := parseRef(tc.s, tc.defKind, "default")
		switch {
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("parseRef(%q) error = %v, want %s", tc.s, err, tc.err)
		case tc.err == "" && (err != nil || r.String() != tc.want):
			t.Errorf("parseRef(%q) = %v, %v; want %s", tc.s, r, err, tc.want)
		}
	}
}

func TestArticle(t *testing.T) {
	for noun, want := range map[string]string{
		"API": "an API", "api": "an api", "AiResource": "an AiResource", "Component": "a Component",
		"User": "a User", "unknown": "an unknown", "Resource": "a Resource", "": "a ",
	} {
		if got := article(noun); got != want {
			t.Errorf("article(%q) = %q, want %q", noun, got, want)
		}
	}
}
