package observed

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/manifest"
)

// hotrod is the traffic of Jaeger's HotROD demo that most testdata files
// hold, sorted as Parse sorts it.
var hotrod = []Call{
	{Client: "customer", Server: "mysql", Count: 7},
	{Client: "driver", Server: "redis", Count: 98},
	{Client: "frontend", Server: "customer", Count: 7},
	{Client: "frontend", Server: "driver", Count: 7},
	{Client: "frontend", Server: "route", Count: 70},
}

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
traces_service_graph_request_failed_total{client="x",server="y"} 9
traces_service_graph_request_total{client="quo\"ted",server="back\\slash"} 1
`
	want := []Call{{Client: "a", Server: "b", Count: 6}, {Client: "b", Server: "c", Count: 2}}
	got, err := Parse("deps.json", []byte(jaeger))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got.Calls); diff != "" {
		t.Errorf("jaeger (-want +got):\n%s", diff)
	}
	got, err = Parse("graph.prom", []byte(prom))
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, Call{Client: `quo"ted`, Server: `back\slash`, Count: 1})
	if diff := cmp.Diff(want, got.Calls); diff != "" {
		t.Errorf("prometheus (-want +got):\n%s", diff)
	}
}

// TestReadFiles reads answers shaped as the real services give them.
func TestReadFiles(t *testing.T) {
	for _, tc := range []struct {
		file   string
		format Format
		calls  []Call
	}{
		{"jaeger-dependencies.json", JaegerDependencies, hotrod},
		{"bom.json", JaegerDependencies, hotrod},
		{"utf16.json", JaegerDependencies, hotrod},
		// A uint64 callCount is a string in proto3 JSON, left out when zero.
		{"jaeger-v3-dependencies.json", JaegerAPIv3, []Call{
			{Client: "customer", Server: "mysql", Count: 7},
			{Client: "driver", Server: "redis", Count: 98},
			{Client: "frontend", Server: "customer", Count: 7},
			{Client: "frontend", Server: "driver", Count: 0},
			{Client: "frontend", Server: "route", Count: 70},
		}},
		{"dependency-links.json", DependencyLinks, []Call{
			{Client: "driver", Server: "redis", Count: 98},
			{Client: "frontend", Server: "customer", Count: 7},
			{Client: "frontend", Server: "route", Count: 70},
		}},
		{"prometheus-vector.json", PrometheusQuery, []Call{
			{Client: "customer", Server: "mysql", Count: 7},
			{Client: "frontend", Server: "customer", Count: 7},
			{Client: "frontend", Server: "route", Count: 70},
		}},
		// sum by (client, server) (increase(...)): no __name__, fractions.
		{"prometheus-sum.json", PrometheusQuery, []Call{
			{Client: "driver", Server: "redis", Count: 0},
			{Client: "frontend", Server: "route", Count: 69.99999999999999},
		}},
		// A range query counts with its last value.
		{"prometheus-matrix.json", PrometheusQuery, []Call{
			{Client: "driver", Server: "redis", Count: 98},
			{Client: "frontend", Server: "route", Count: 70},
		}},
		// The counter, not the histograms' counts as well, which would
		// double every call; _failed_total and unpaired spans are no calls.
		{"otelcol-servicegraph.prom", PrometheusText, []Call{
			{Client: "customer", Server: "mysql", Count: 7},
			{Client: "frontend", Server: "customer", Count: 7},
			{Client: "frontend", Server: "driver", Count: 7},
			{Client: "frontend", Server: "route", Count: 70},
		}},
		// Only histograms: the server's _count, not the client's (one more).
		{"histograms-only.prom", PrometheusText, []Call{
			{Client: "customer", Server: "mysql", Count: 7},
			{Client: "frontend", Server: "customer", Count: 7},
		}},
		{"bom-crlf.prom", PrometheusText, []Call{
			{Client: "driver", Server: "redis", Count: 98},
			{Client: "frontend", Server: "route", Count: 70},
		}},
		{"jaeger-empty.json", JaegerDependencies, nil},
		{"jaeger-null.json", JaegerDependencies, nil},
		{"prometheus-empty.json", PrometheusQuery, nil},
		{"servicegraph-no-samples.prom", PrometheusText, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := Read(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != tc.format {
				t.Errorf("format %v, want %v", got.Format, tc.format)
			}
			if diff := cmp.Diff(tc.calls, got.Calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if got.Empty() != (tc.calls == nil) {
				t.Errorf("Empty() = %v with %d calls", got.Empty(), len(got.Calls))
			}
		})
	}
}

// TestReadFileErrors: what is not traffic, or is a failed query, never
// reads as "no traffic".
func TestReadFileErrors(t *testing.T) {
	const want = `; want Jaeger dependencies JSON ({"data": [...]} or {"dependencies": [...]}), ` +
		`a Prometheus query result ({"status": "success", "data": {...}}) ` +
		`or Prometheus text with traces_service_graph_request_total series`
	for _, tc := range []struct {
		file string
		want string
	}{
		{"empty.json", "1:1: unrecognised traffic file: the file is empty" + want},
		{"garbage.png", `1:1: unrecognised traffic file: "\x89PNG" is neither JSON nor a Prometheus sample` + want},
		{"manifest.toml", `2:1: unrecognised traffic file: "[service]" is neither JSON nor a Prometheus sample` + want},
		{"tables.toml", `1:1: unrecognised traffic file: "[[dependency]]" is neither JSON nor a Prometheus sample` + want},
		{"catalog.yaml", `1:1: unrecognised traffic file: "apiVersion: backstage.io/v1alpha1" is neither JSON nor a Prometheus sample` + want},
		{"curl-i.json", "1:1: unrecognised traffic file: it starts with HTTP response headers (save the body only: curl without -i)" + want},
		{"jaeger-ui.html", "1:1: unrecognised traffic file: it is markup, such as an HTML page (fetch the API, not the web UI)" + want},
		{"array-of-strings.json", `1:2: unrecognised traffic file: a JSON array of strings, not of {"parent", "child", "callCount"} links` + want},
		{"otlp-traces.json", `1:1: unrecognised traffic file: a JSON object without "data", "dependencies" or "status"` + want},
		{"jaeger-services.json", `1:10: unrecognised traffic file: "data" holds strings, not {"parent", "child", "callCount"} links` + want},
		{"other-metrics.prom", `1:1: Prometheus text without service-graph metrics: want traces_service_graph_request_total{client="...",server="..."} series (under any prefix), or the _count of traces_service_graph_request_server_seconds`},
		{"jaeger-error.json", `1:73: Jaeger answered with an error (code 500): "elastic: Error 503 (Service Unavailable): all shards failed [type=search_phase_execution_exception]"`},
		{"jaeger-v3-error.json", `1:36: Jaeger answered with an error (HTTP 500): "failed to fetch dependencies: context deadline exceeded"`},
		{"prometheus-error.json", `1:50: Prometheus answered with an error (bad_data): "invalid parameter \"query\": 1:35: parse error: unexpected right bracket ']'"`},
		{"prometheus-scalar.json", `1:42: "resultType" must be "vector" or "matrix" of traces_service_graph_request_total series`},
		{"prometheus-up.json", `1:61: the query result holds "up" series, not traces_service_graph_request_total`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			_, err := Read(path)
			if diff := cmp.Diff([]string{path + ":" + tc.want}, errorLines(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	ab := []Call{{Client: "a", Server: "b", Count: 3}}
	for _, tc := range []struct {
		name, data string
		format     Format
		calls      []Call
	}{
		{"api_v3 proto names", `{"dependencies": [{"parent": "a", "child": "b", "call_count": "3"}]}`, JaegerAPIv3, ab},
		{"api_v3 null", `{"dependencies": null}`, JaegerAPIv3, nil},
		{"string count in v1", `{"data": [{"parent": "a", "child": "b", "callCount": "3"}]}`, JaegerDependencies, ab},
		{"empty errors", `{"data": [{"parent": "a", "child": "b", "callCount": 3}], "errors": []}`, JaegerDependencies, ab},
		{"empty array", " [ ]\n", DependencyLinks, nil},
		{"query result without status", `{"data": {"resultType": "vector", "result": [{"metric": {"client": "a", "server": "b"}, "value": [1, "3"]}]}}`, PrometheusQuery, ab},
		{"query result null", `{"status": "success", "data": {"resultType": "matrix", "result": null}}`, PrometheusQuery, nil},
		{"other series skipped", `{"status": "success", "data": {"resultType": "vector", "result": [
			{"metric": {"__name__": "traces_service_graph_request_failed_total", "client": "a", "server": "b"}, "value": [1, "1"]},
			{"metric": {"__name__": "traces_service_graph_request_total", "client": "a", "server": "b"}, "value": [1, "3"]}]}}`, PrometheusQuery, ab},
		{"colon prefix", `job:traces_service_graph_request_total{client="a",server="b"} 3`, PrometheusText, ab},
		{"counter wins over histograms", `traces_service_graph_request_server_seconds_count{client="a",server="b"} 5
traces_service_graph_request_total{client="a",server="b"} 3
traces_service_graph_request_client_seconds_count{client="a",server="b"} 4
`, PrometheusText, ab},
		{"server histogram without unit", `otel_traces_service_graph_request_client_count{client="a",server="b"} 4
otel_traces_service_graph_request_server_count{client="a",server="b"} 3
`, PrometheusText, ab},
		{"client histogram alone", `traces_service_graph_request_client_seconds_count{client="a",server="b"} 3`, PrometheusText, ab},
		{"openmetrics family without samples", "# TYPE traces_service_graph_request counter\n# EOF\n", PrometheusText, nil},
		{"histogram family without samples", "# TYPE otel_traces_service_graph_request_server_seconds histogram\n", PrometheusText, nil},
		{"exemplar and timestamp", `traces_service_graph_request_total{client="a",server="b"} 3 1700000000 # {trace_id="x"} 1`, PrometheusText, ab},
		{"UTF-16 big-endian", "\xfe\xff\x00[\x00]", DependencyLinks, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse("f", []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != tc.format {
				t.Errorf("format %v, want %v", got.Format, tc.format)
			}
			if diff := cmp.Diff(tc.calls, got.Calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const unrecognised = "unrecognised traffic file: "
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{"json syntax", "{\"data\": [\n  {\"parent\": \"a\",, }\n]}", []string{"f:2:18: JSON: invalid character ',' looking for beginning of object key string"}},
		{"json truncated", `{"data": [{"parent": "a"`, []string{"f:1:24: JSON: unexpected end of JSON input"}},
		{"json after a BOM", "\xef\xbb\xbf{\"data\": [}", []string{"f:1:11: JSON: invalid character '}' looking for beginning of value"}},
		{"empty object", `{}`, []string{`f:1:1: ` + unrecognised + `a JSON object without "data", "dependencies" or "status"; ` + accepted}},
		{"data object", `{"data": {}}`, []string{`f:1:10: ` + unrecognised + `"data" is an object, not an array of {"parent", "child", "callCount"} links; ` + accepted}},
		{"dependencies object", `{"name": "web", "dependencies": {"react": "^18"}}`, []string{`f:1:33: ` + unrecognised + `"dependencies" is an object, not an array of {"parent", "child", "callCount"} links; ` + accepted}},
		{"array of objects", `[{"traceID": "1"}]`, []string{`f:1:2: ` + unrecognised + `a JSON array of objects without "parent" or "child", not of {"parent", "child", "callCount"} links; ` + accepted}},
		{"whitespace only", " \n\t\n", []string{"f:1:1: " + unrecognised + "the file is empty; " + accepted}},
		{"comments only", "# nothing\n", []string{"f:1:1: " + unrecognised + "the file holds only comments; " + accepted}},
		{"garbage after a BOM", "\xef\xbb\xbf  nope!\n", []string{`f:1:3: ` + unrecognised + `"nope!" is neither JSON nor a Prometheus sample; ` + accepted}},
		{"long line clipped", strings.Repeat("é", 30), []string{`f:1:1: ` + unrecognised + `"` + strings.Repeat("é", 20) + `..." is neither JSON nor a Prometheus sample; ` + accepted}},
		{"not a name boundary", `xtraces_service_graph_request_total{client="a",server="b"} 1`, []string{`f:1:1: Prometheus text without service-graph metrics: want traces_service_graph_request_total{client="...",server="..."} series (under any prefix), or the _count of traces_service_graph_request_server_seconds`}},

		{"link parent type", `{"data": [{"parent": 3, "child": "b", "callCount": 1}]}`, []string{`f:1:22: link "parent" must be a service name, not a number`}},
		{"link without child", `{"data": [{"parent": "a", "callCount": 1}, {"parent": "a", "child": "", "callCount": 1}]}`, []string{`f:1:11: link without "child"`, `f:1:44: link without "child"`}},
		{"link count missing", `{"data": [{"parent": "a", "child": "b"}]}`, []string{`f:1:11: link a -> b without "callCount"`}},
		{"link count word", `{"data": [{"parent": "a", "child": "b", "callCount": "many"}]}`, []string{`f:1:54: link a -> b: "callCount" must be a number of calls, 0 or more`}},
		{"link count infinite", `{"data": [{"parent": "a", "child": "b", "callCount": 1e999}]}`, []string{`f:1:54: link a -> b: "callCount" must be a number of calls, 0 or more`}},
		{"v3 count negative", `{"dependencies": [{"parent": "a", "child": "b", "callCount": "-3"}]}`, []string{`f:1:62: link a -> b: "callCount" must be a number of calls, 0 or more`}},
		{"link not an object", `[{"parent": "a", "child": "b", "callCount": 1}, 7]`, []string{`f:1:49: link must be an object {"parent", "child", "callCount"}, not a number`}},
		{"jaeger error without msg", `{"data": null, "errors": [{"code": 502}]}`, []string{"f:1:27: Jaeger answered with an error"}},

		{"query status", `{"status": "maybe"}`, []string{`f:1:12: "status" must be "success" or "error"`}},
		{"query without data", `{"status": "success"}`, []string{`f:1:1: want "data": {"resultType": "vector", "result": [...]}`}},
		{"query without labels", `{"status": "success", "data": {"resultType": "vector", "result": [{"metric": {"client": "a"}, "value": [1, "2"]}]}}`,
			[]string{`f:1:78: series without a "client" and a "server" label`}},
		{"query NaN", `{"status": "success", "data": {"resultType": "vector", "result": [{"metric": {"client": "a", "server": "b"}, "value": [1, "NaN"]}]}}`,
			[]string{`f:1:123: series: value "NaN" is not a count of requests`}},
		{"query native histogram", `{"status": "success", "data": {"resultType": "vector", "result": [{"metric": {"__name__": "traces_service_graph_request_total", "client": "a", "server": "b"}, "histogram": [1, {}]}]}}`,
			[]string{`f:1:67: traces_service_graph_request_total without a value: want "value": [time, "count"]`}},
		{"query label type", `{"status": "success", "data": {"resultType": "vector", "result": [{"metric": {"client": 1}, "value": [1, "2"]}]}}`,
			[]string{`f:1:89: label "client" must be a string, not a number`}},
		{"query error without message", `{"status": "error"}`, []string{"f:1:12: Prometheus answered with an error"}},

		{"prom no labels", "traces_service_graph_request_total 5\n", []string{`f:1:35: traces_service_graph_request_total: want labels {client="...",server="..."}`}},
		{"prom no value", "traces_service_graph_request_total{client=\"a\",server=\"b\"}\n", []string{"f:1:58: traces_service_graph_request_total: series without a value"}},
		{"prom negative", "x 1\ntraces_service_graph_request_total{client=\"a\",server=\"b\"} -2\n", []string{`f:2:59: traces_service_graph_request_total: value "-2" is not a count of requests`}},
		{"prom infinite", "traces_service_graph_request_total{client=\"a\",server=\"b\"} +Inf\n", []string{`f:1:59: traces_service_graph_request_total: value "+Inf" is not a count of requests`}},
		{"prom unterminated", "traces_service_graph_request_total{client=\"a\n", []string{"f:1:43: traces_service_graph_request_total: unterminated label value"}},
		{"prom prefixed", "  otel_traces_service_graph_request_total{client=\"a\"} 1\n", []string{`f:1:42: otel_traces_service_graph_request_total: series without a "client" and a "server" label`}},
		{"prom histogram count", "traces_service_graph_request_server_seconds_count{server=\"b\"} 1\n", []string{`f:1:50: traces_service_graph_request_server_seconds_count: series without a "client" and a "server" label`}},
		{"prom bad line later", "# TYPE up gauge\nup 1\nthis is not\n[x]\nup{a=\"b} 1\n", []string{
			`f:3:6: this: value "is" is not a number`,
			`f:4:1: "[x]" is neither a Prometheus sample nor a comment`,
			`f:5:6: up: unterminated label value`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f", []byte(tc.data))
			if diff := cmp.Diff(tc.want, errorLines(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// errorLines is err as the CLI prints it, one positioned error a line.
func errorLines(t *testing.T, err error) []string {
	t.Helper()
	var list manifest.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v, want positioned errors", err)
	}
	var lines []string
	for _, e := range list {
		lines = append(lines, e.Error())
	}
	return lines
}

func TestEmptyHint(t *testing.T) {
	for _, tc := range []struct {
		data string
		hint string // "" when not empty
	}{
		{`{"data": []}`, "no dependency links: e.g. Jaeger's dependencies job has not run yet, or the lookback holds no traces"},
		{`{"dependencies": []}`, "no dependency links: e.g. Jaeger's dependencies job has not run yet, or the lookback holds no traces"},
		{`{"status": "success", "data": {"resultType": "vector", "result": []}}`, "the query matched no series: e.g. the metric has a prefix, or the time range holds no traffic"},
		{"# TYPE traces_service_graph_request_total counter\n", "the service-graph metrics have no series: e.g. the servicegraph connector has not paired any spans yet"},
		{`[{"parent": "a", "child": "b", "callCount": 0}]`, "every pair was seen 0 times: e.g. a query's window held no requests"},
		{`[{"parent": "a", "child": "b", "callCount": 0}, {"parent": "a", "child": "c", "callCount": 0.5}]`, ""},
	} {
		got, err := Parse("f", []byte(tc.data))
		if err != nil {
			t.Fatalf("%s: %v", tc.data, err)
		}
		if got.Empty() != (tc.hint != "") {
			t.Errorf("%s: Empty() = %v", tc.data, got.Empty())
		}
		if got.Empty() && got.Hint() != tc.hint {
			t.Errorf("%s: Hint() = %q, want %q", tc.data, got.Hint(), tc.hint)
		}
	}
}

// TestLoad keeps the calls-only entry point that test fixtures use.
func TestLoad(t *testing.T) {
	calls, err := Load("testdata/jaeger-dependencies.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(hotrod, calls); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := Load("testdata/nowhere.json"); err == nil || err.Error() != "--observed testdata/nowhere.json: no such file or directory" {
		t.Errorf("missing file: got %v", err)
	}
}
