package observed

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// seriesKind says which service-graph metric a series belongs to, in the
// order pickCalls prefers them.
type seriesKind int

const (
	notServiceGraph seriesKind = iota
	requestTotal               // requests from client to server
	serverCount                // the _count of the server-side latency histogram
	clientCount                // the _count of the client-side latency histogram
)

// seriesNames are the metrics that count calls, as the OpenTelemetry
// Collector's servicegraph connector and Tempo's metrics-generator name
// them. Exporters may leave out the unit of the histograms.
var seriesNames = []struct {
	name string
	kind seriesKind
}{
	{"traces_service_graph_request_total", requestTotal},
	{"traces_service_graph_request_server_seconds_count", serverCount},
	{"traces_service_graph_request_server_count", serverCount},
	{"traces_service_graph_request_client_seconds_count", clientCount},
	{"traces_service_graph_request_client_count", clientCount},
}

// familyNames are the names that # TYPE and # HELP give those metrics: a
// family declared without samples is a recognised source that saw
// nothing yet.
var familyNames = []string{
	"traces_service_graph_request_total",
	"traces_service_graph_request", // OpenMetrics names a counter family without _total
	"traces_service_graph_request_server_seconds",
	"traces_service_graph_request_server",
	"traces_service_graph_request_client_seconds",
	"traces_service_graph_request_client",
}

// hasName reports whether a metric name is base, under any prefix that
// ends in "_" or ":", as a collector's namespace setting adds one
// (otel_traces_service_graph_request_total).
func hasName(name, base string) bool {
	prefix, ok := strings.CutSuffix(name, base)
	return ok && (prefix == "" || strings.HasSuffix(prefix, "_") || strings.HasSuffix(prefix, ":"))
}

// classify gives the kind of a metric name.
func classify(name string) seriesKind {
	for _, s := range seriesNames {
		if hasName(name, s.name) {
			return s.kind
		}
	}
	return notServiceGraph
}

// series is one service-graph series read from a file.
type series struct {
	kind seriesKind
	call Call
}

// pickCalls keeps the series of the most preferred kind present. The
// request counter and the histograms' _count count the same paired
// requests, so adding them up would count every call twice; the
// histograms serve only a file without the counter. The server's comes
// first, as Tempo's documentation queries it for call counts.
func pickCalls(ss []series) []Call {
	best := notServiceGraph
	for _, s := range ss {
		if best == notServiceGraph || s.kind < best {
			best = s.kind
		}
	}
	var calls []Call
	for _, s := range ss {
		if s.kind == best {
			calls = append(calls, s.call)
		}
	}
	return calls
}

// parseText reads the Prometheus text exposition format (OpenMetrics
// too) and keeps the service-graph series; other metrics must be well
// formed but are skipped. A file whose first sample line is no sample is
// not Prometheus text at all, and is reported as unrecognised.
func parseText(in *input) Traffic {
	var ss []series
	recognised := false // a sample or a # TYPE or # HELP line was seen
	family := false     // a service-graph sample or family was seen
	for off := 0; off < len(in.data); {
		end := bytes.IndexByte(in.data[off:], '\n')
		if end < 0 {
			end = len(in.data) - off
		}
		line := strings.TrimRight(string(in.data[off:off+end]), "\r")
		trimmed := strings.TrimLeft(line, " \t")
		at := off + len(line) - len(trimmed)
		off += end + 1
		switch {
		case trimmed == "":
			continue
		case trimmed[0] == '#':
			if name, ok := metadataName(trimmed); ok {
				recognised = true
				family = family || isFamily(name)
			}
			continue
		}
		name, rest := splitName(trimmed)
		kind := notServiceGraph
		if validName(name) {
			kind = classify(name)
		}
		if kind == notServiceGraph {
			col, msg := checkSample(name, rest)
			switch {
			case msg != "" && !recognised:
				in.unrecognised(at, describeLine(trimmed))
				return Traffic{}
			case msg != "":
				in.errorf(at+col, "%s", msg)
			}
			recognised = true
			continue
		}
		recognised, family = true, true
		c, col, msg := parseServiceGraph(rest)
		if msg != "" {
			in.errorf(at+len(name)+col, "%s: %s", name, msg)
			continue
		}
		ss = append(ss, series{kind: kind, call: c})
	}
	switch {
	case len(in.errs) > 0:
	case !recognised && len(bytes.TrimSpace(in.data)) == 0:
		in.unrecognised(0, "the file is empty")
	case !recognised:
		in.unrecognised(0, "the file holds only comments")
	case !family:
		in.errorf(0, `Prometheus text without service-graph metrics: want traces_service_graph_request_total{client="...",server="..."} `+
			`series (under any prefix), or the _count of traces_service_graph_request_server_seconds`)
	}
	return Traffic{Format: PrometheusText, Calls: pickCalls(ss)}
}

// metadataName is the metric a # TYPE or # HELP line is about.
func metadataName(comment string) (string, bool) {
	f := strings.Fields(comment[1:])
	if len(f) >= 2 && (f[0] == "TYPE" || f[0] == "HELP") {
		return f[1], true
	}
	return "", false
}

// isFamily reports a service-graph metric family name.
func isFamily(name string) bool {
	for _, base := range familyNames {
		if hasName(name, base) {
			return true
		}
	}
	return false
}

// describeLine says what an unrecognised first line is, with advice for
// the two usual mistakes: saving curl -i output, or the web UI's page.
func describeLine(line string) string {
	switch {
	case strings.HasPrefix(line, "HTTP/"):
		return "it starts with HTTP response headers (save the body only: curl without -i)"
	case strings.HasPrefix(line, "<"):
		return "it is markup, such as an HTML page (fetch the API, not the web UI)"
	}
	return fmt.Sprintf("%q is neither JSON nor a Prometheus sample", clip(line, 40))
}

// clip cuts s to at most n bytes, at a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if i > n {
			break
		}
		cut = i
	}
	return s[:cut] + "..."
}

// splitName cuts the metric name off a sample line.
func splitName(s string) (name, rest string) {
	i := strings.IndexAny(s, "{ \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// validName reports a metric name of the classic Prometheus syntax,
// [a-zA-Z_:][a-zA-Z0-9_:]*.
func validName(name string) bool {
	for i, r := range name {
		if !(r == '_' || r == ':' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return name != ""
}

// checkSample checks the syntax of a sample line of some other metric. On
// error it returns the column (0-based, within the line) and the message.
func checkSample(name, rest string) (int, string) {
	if !validName(name) {
		return 0, fmt.Sprintf("%q is neither a Prometheus sample nor a comment", clip(name+rest, 40))
	}
	s, col, msg := parseSample(rest)
	if msg != "" {
		return len(name) + col, name + ": " + msg
	}
	if _, err := strconv.ParseFloat(s.value, 64); err != nil {
		return len(name) + s.valueCol, fmt.Sprintf("%s: value %q is not a number", name, s.value)
	}
	return 0, ""
}

// parseServiceGraph reads the rest of a service-graph sample line. On
// error it returns the column (0-based, within rest) and what is wrong.
func parseServiceGraph(rest string) (Call, int, string) {
	s, col, msg := parseSample(rest)
	switch {
	case msg != "":
		return Call{}, col, msg
	case !s.braced:
		return Call{}, 0, `want labels {client="...",server="..."}`
	case s.labels["client"] == "" || s.labels["server"] == "":
		return Call{}, 0, `series without a "client" and a "server" label`
	}
	v, err := strconv.ParseFloat(s.value, 64)
	if err != nil || !validCount(v) {
		return Call{}, s.valueCol, "value " + strconv.Quote(s.value) + " is not a count of requests"
	}
	return Call{Client: s.labels["client"], Server: s.labels["server"], Count: v}, 0, ""
}

// sample is a sample line after its metric name.
type sample struct {
	labels   map[string]string
	braced   bool   // labels were written, if only as {}
	value    string // as written
	valueCol int    // where value starts, within rest
}

// parseSample reads `{label="value",...} value [timestamp]`; anything
// after the value (a timestamp, an OpenMetrics exemplar) is not read. On
// error it returns the column (0-based, within rest) and what is wrong.
func parseSample(rest string) (sample, int, string) {
	var s sample
	i := 0
	if strings.HasPrefix(rest, "{") {
		s.braced, s.labels = true, map[string]string{}
		n, col, msg := parseLabels(rest, s.labels)
		if msg != "" {
			return s, col, msg
		}
		i = n
	}
	fields := strings.Fields(rest[i:])
	if len(fields) == 0 {
		return s, i, "series without a value"
	}
	s.value = fields[0]
	s.valueCol = i + strings.Index(rest[i:], fields[0])
	return s, 0, ""
}

// parseLabels reads `{label="value",...}` at the start of rest into
// labels and returns the number of bytes it took. On error it returns the
// column (0-based, within rest) and what is wrong.
func parseLabels(rest string, labels map[string]string) (int, int, string) {
	i := 1
	for {
		for i < len(rest) && (rest[i] == ' ' || rest[i] == ',') {
			i++
		}
		if i < len(rest) && rest[i] == '}' {
			return i + 1, 0, ""
		}
		eq := strings.IndexByte(rest[i:], '=')
		if eq < 0 || i+eq+1 >= len(rest) || rest[i+eq+1] != '"' {
			return 0, i, `want label="value"`
		}
		value, n, ok := unquote(rest[i+eq+1:])
		if !ok {
			return 0, i + eq + 1, "unterminated label value"
		}
		labels[strings.TrimSpace(rest[i:i+eq])] = value
		i += eq + 1 + n
	}
}

// unquote reads a quoted label value with Prometheus escapes (\\, \", \n)
// and returns it with the number of bytes it took.
func unquote(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return b.String(), i + 1, true
		case '\\':
			if i+1 == len(s) {
				return "", 0, false
			}
			i++
			if s[i] == 'n' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, false
}
