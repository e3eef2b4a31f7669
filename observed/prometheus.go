package observed

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/catch22/catch22/manifest"
)

// serviceGraphMetric is the OpenTelemetry service-graph counter of requests
// from a client service to a server service.
const serviceGraphMetric = "traces_service_graph_request_total"

// parsePrometheus reads the Prometheus text exposition format and keeps
// the series of serviceGraphMetric; other metrics and comments are skipped.
func parsePrometheus(file string, data []byte) ([]Call, manifest.ErrorList) {
	var calls []Call
	var errs manifest.ErrorList
	off := 0
	for len(data[off:]) > 0 {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		line := string(data[off : off+end])
		start := off
		off += end + 1
		if off > len(data) {
			off = len(data)
		}
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		lead := len(line) - len(trimmed)
		name, rest := splitName(trimmed)
		if name != serviceGraphMetric {
			continue
		}
		c, col, msg := parseSeries(rest)
		if msg != "" {
			errs = append(errs, errAt(file, data, start+lead+len(name)+col, "%s: %s", serviceGraphMetric, msg))
			continue
		}
		calls = append(calls, c)
	}
	return calls, errs
}

// splitName cuts the metric name off a series line.
func splitName(s string) (name, rest string) {
	i := strings.IndexAny(s, "{ \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// parseSeries reads `{label="value",...} count [timestamp]`. On error it
// returns the column (0-based, within rest) and what is wrong.
func parseSeries(rest string) (Call, int, string) {
	var c Call
	if !strings.HasPrefix(rest, "{") {
		return c, 0, `want labels {client="...",server="..."}`
	}
	i := 1
	for {
		for i < len(rest) && (rest[i] == ' ' || rest[i] == ',') {
			i++
		}
		if i < len(rest) && rest[i] == '}' {
			i++
			break
		}
		eq := strings.IndexByte(rest[i:], '=')
		if eq < 0 || i+eq+1 >= len(rest) || rest[i+eq+1] != '"' {
			return c, i, `want label="value"`
		}
		label := strings.TrimSpace(rest[i : i+eq])
		value, n, ok := unquote(rest[i+eq+1:])
		if !ok {
			return c, i + eq + 1, "unterminated label value"
		}
		switch label {
		case "client":
			c.Client = value
		case "server":
			c.Server = value
		}
		i += eq + 1 + n
	}
	if c.Client == "" || c.Server == "" {
		return c, 0, `series without a "client" and a "server" label`
	}
	fields := strings.Fields(rest[i:])
	if len(fields) == 0 {
		return c, i, "series without a value"
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil || v < 0 || math.IsNaN(v) {
		return c, i + strings.Index(rest[i:], fields[0]), "value " + strconv.Quote(fields[0]) + " is not a count of requests"
	}
	c.Count = v
	return c, 0, ""
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
