package observed

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/manifest"
)

func TestParseBothFormatsAlike(t *testing.T) {
	jaeger := `{"other": 1, "data": [
  {"parent": "b", "child": "c", "callCount": 2},
  {"parent": "a", "child": "b", "callCount": 5},
  {"parent": "a", "child": "b", "callCount": 1}
]}`
	prom := `# HELP traces_service_graph_request_total Requests.
traces_service_graph_request_total{client="a",server="b",connection_type=""} 5
traces_service_graph_request_total{server="b", client="a", connection_type="virtual_node"} 1 1700000000000
traces_service_graph_request_total{client="b",server="c"} 2e0
traces_service_graph_request_server_seconds_bucket{client="x",server="y",le="1"} 9
traces_service_graph_request_total{client="quo\"ted",server="back\\slash"} 1
`
	want := []Call{{Client: "a", Server: "b", Count: 6}, {Client: "b", Server: "c", Count: 2}}
	got, err := Parse("deps.json", []byte(jaeger))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jaeger (-want +got):\n%s", diff)
	}
	got, err = Parse("graph.prom", []byte(prom))
	if err != nil {
		t.Fatal(err)
	}
	want = append([]Call{{Client: "a", Server: "b", Count: 6}, {Client: "b", Server: "c", Count: 2}}, Call{Client: `quo"ted`, Server: `back\slash`, Count: 1})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("prometheus (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{"json syntax", "{\"data\": [\n  {\"parent\": \"a\",, }\n]}", []string{"f:2:18: JSON: invalid character ',' looking for beginning of object key string"}},
		{"json truncated", `{"data": [{"parent": "a"`, []string{"f:1:24: JSON: unexpected end of JSON input"}},
		{"json no data", `{"links": []}`, []string{`f:1:1: no "data" array: want {"data": [{"parent", "child", "callCount"}...]}`}},
		{"json data not array", `{"data": {}}`, []string{`f:1:10: "data" must be an array of {"parent", "child", "callCount"}`}},
		{"json wrong type", `{"data": [{"parent": 3, "child": "b", "callCount": 1}]}`, []string{"f:1:22: JSON: parent wants string, got number"}},
		{"prom no labels", "traces_service_graph_request_total 5\n", []string{`f:1:35: traces_service_graph_request_total: want labels {client="...",server="..."}`}},
		{"prom no value", "traces_service_graph_request_total{client=\"a\",server=\"b\"}\n", []string{"f:1:58: traces_service_graph_request_total: series without a value"}},
		{"prom negative", "x 1\ntraces_service_graph_request_total{client=\"a\",server=\"b\"} -2\n", []string{`f:2:59: traces_service_graph_request_total: value "-2" is not a count of requests`}},
		{"prom unterminated", "traces_service_graph_request_total{client=\"a\n", []string{"f:1:43: traces_service_graph_request_total: unterminated label value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f", []byte(tc.data))
			var list manifest.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want positioned errors", err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
