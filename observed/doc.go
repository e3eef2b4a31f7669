// Package observed reads service-to-service calls seen in real traffic,
// from the files people fetch from their tracing and metrics systems. It
// knows nothing of manifests beyond their positioned errors; mapping
// observed names to nodes is the analyzer's.
//
// # Accepted formats
//
// Parse tells the formats apart by their shape, never by a file's name.
// A UTF-8 byte-order mark is skipped, and UTF-16 with a byte-order mark
// (what Windows PowerShell writes) is read as well.
//
//   - Jaeger's /api/dependencies answer, {"data": [{"parent": "a",
//     "child": "b", "callCount": 3}], ...}: each link is a call from
//     parent to child.
//   - Jaeger's api_v3 /api/v3/dependencies answer, {"dependencies":
//     [...]}, links whose callCount proto3 JSON writes as a string ("3")
//     and leaves out when it is zero. callCount may be a number or such a
//     string in every Jaeger shape.
//   - A bare JSON array of those links, as `jq .data` leaves. An array is
//     taken for links only if its first element has a "parent" or a
//     "child"; [] is an empty list of links.
//   - Prometheus's HTTP API answer to /api/v1/query (resultType vector)
//     or /api/v1/query_range (matrix, whose last value counts), e.g. for
//     traces_service_graph_request_total: each series' client and server
//     labels are a call, its value the count. A series without __name__
//     (sum by (client, server) (...)) is taken for the request counter;
//     series of other metrics are skipped. The answer may be saved
//     without its "status".
//   - Prometheus text exposition (or OpenMetrics) of the service-graph
//     metrics of the OpenTelemetry Collector's servicegraph connector or
//     Tempo's metrics-generator: traces_service_graph_request_total
//     {client="a",server="b"} series, under any prefix ending in "_" or
//     ":" (otel_traces_service_graph_request_total).
//
// Without the request counter, the _count series of the latency
// histogram traces_service_graph_request_server_seconds (else of
// ..._client_seconds; the unit may be left out, a prefix added) are the
// call counts: the connector records each paired request once in the
// counter and once in each histogram, so these counts are the same
// calls. The counter wins when both are present, as adding them would
// count every call twice.
//
// # Errors and empty sources
//
// Input in none of these formats is an error at file:line:col that lists
// them: an empty file, a manifest, a JSON array or object of another
// shape, Prometheus text without service-graph metrics. So are the errors
// Jaeger and Prometheus answer with, reported at their message. A source
// that is recognised but holds no calls (Jaeger's {"data": []} or
// {"data": null} before its dependencies job has run, a metric family
// declared without samples, a query that matched no series) is not an
// error: Parse returns a Traffic whose Empty method says so, for the
// caller to warn.
//
// Calls between the same two services are added up, and the calls come
// sorted by client, then server, whatever order the file has them in.
package observed
