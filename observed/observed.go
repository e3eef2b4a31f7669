package observed

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/internal/tomlpos"
	"github.com/catch22/catch22/manifest"
)

// Call is traffic from one service to another, as the source names them.
type Call struct {
	Client, Server string
	Count          float64
}

// Format is a kind of traffic file that Parse recognises.
type Format int

// The formats, in the order the package documentation lists them.
const (
	JaegerDependencies Format = iota + 1 // Jaeger's /api/dependencies: {"data": [links]}
	JaegerAPIv3                          // Jaeger's /api/v3/dependencies: {"dependencies": [links]}
	DependencyLinks                      // a bare JSON array of links, e.g. `jq .data` of the above
	PrometheusQuery                      // Prometheus's /api/v1/query or /api/v1/query_range answer
	PrometheusText                       // Prometheus text exposition of service-graph metrics
)

func (f Format) String() string {
	switch f {
	case JaegerDependencies:
		return "Jaeger dependencies JSON"
	case JaegerAPIv3:
		return "Jaeger api_v3 dependencies JSON"
	case DependencyLinks:
		return "JSON array of dependency links"
	case PrometheusQuery:
		return "Prometheus query result JSON"
	case PrometheusText:
		return "Prometheus text exposition"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Traffic is what one file says was observed.
type Traffic struct {
	Format Format
	// Calls holds one entry per (client, server) pair, sorted by client,
	// then server.
	Calls []Call
}

// Empty reports a source that was recognised but saw no call: no pair at
// all, or every pair at zero. Parse never returns an empty Traffic for
// input it does not recognise, so Empty means the source answered with
// nothing to say, which deserves a warning: with no caller seen, the
// traffic rules stay silent, and silence must not pass for agreement.
func (t Traffic) Empty() bool {
	return !slices.ContainsFunc(t.Calls, func(c Call) bool { return c.Count > 0 })
}

// Hint says why an Empty traffic may be empty, for that warning.
func (t Traffic) Hint() string {
	if len(t.Calls) > 0 {
		return "every pair was seen 0 times: e.g. a query's window held no requests"
	}
	switch t.Format {
	case PrometheusQuery:
		return "the query matched no series: e.g. the metric has a prefix, or the time range holds no traffic"
	case PrometheusText:
		return "the service-graph metrics have no series: e.g. the servicegraph connector has not paired any spans yet"
	}
	return "no dependency links: e.g. Jaeger's dependencies job has not run yet, or the lookback holds no traces"
}

// Read reads a file of observed calls (a regular file of at most
// safeio.DataLimit bytes); see Parse.
func Read(file string) (Traffic, error) {
	data, err := safeio.ReadFile(file, safeio.DataLimit)
	if err != nil {
		return Traffic{}, fmt.Errorf("--observed %s: %s", file, manifest.Describe(err))
	}
	return Parse(file, data)
}

// Load is Read for callers that want only the calls. It cannot tell a
// source that saw nothing from one that saw every pair at zero; Read can.
func Load(file string) ([]Call, error) {
	t, err := Read(file)
	return t.Calls, err
}

// Parse recognises the format of data by its shape (see the package
// documentation) and reads the calls in it. Calls between the same two
// services are added up. Input that is in none of the formats is an
// error, never an empty Traffic; so is every malformed entry, all
// reported at once as file:line:col in a manifest.ErrorList.
func Parse(file string, data []byte) (Traffic, error) {
	in := &input{file: file, data: toUTF8(data)}
	var t Traffic
	if looksLikeJSON(in.data) {
		t = parseJSON(in)
	} else {
		t = parseText(in)
	}
	if len(in.errs) > 0 {
		return Traffic{}, in.errs
	}
	t.Calls = merge(t.Calls)
	return t, nil
}

// accepted names the formats in every "unrecognised" error, so that the
// user learns what to fetch instead.
const accepted = `want Jaeger dependencies JSON ({"data": [...]} or {"dependencies": [...]}), ` +
	`a Prometheus query result ({"status": "success", "data": {...}}) ` +
	`or Prometheus text with traces_service_graph_request_total series`

// input is a file being parsed: its name, its text (UTF-8, without a
// byte-order mark; offsets count from there) and the errors found so far.
type input struct {
	file string
	data []byte
	errs manifest.ErrorList
}

// errorf records an error at byte offset off.
func (in *input) errorf(off int, format string, args ...any) {
	line, col := tomlpos.OffsetPos(in.data, off)
	in.errs = append(in.errs, &manifest.Error{
		Pos: manifest.Pos{File: in.file, Line: line, Col: col},
		Msg: fmt.Sprintf(format, args...),
	})
}

// unrecognised records that the file is in none of the formats; what says
// what was found at off.
func (in *input) unrecognised(off int, what string) {
	in.errorf(off, "unrecognised traffic file: %s; %s", what, accepted)
}

// show puts a name read from the input into a message: as it is when
// plain, quoted when it holds quotes, spaces or control characters, so
// that every error stays on one line and reads unambiguously.
func show(s string) string {
	odd := func(r rune) bool { return r == '"' || r == '\\' || unicode.IsSpace(r) || !unicode.IsPrint(r) }
	if s != "" && !strings.ContainsFunc(s, odd) {
		return s
	}
	return strconv.Quote(s)
}

// toUTF8 drops a UTF-8 byte-order mark, which Windows editors write, and
// turns UTF-16 with a byte-order mark, which Windows PowerShell writes for
// `curl ... > file`, into UTF-8. Lines stay where an editor shows them.
func toUTF8(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return fromUTF16(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return fromUTF16(data[2:], binary.BigEndian)
	}
	return data
}

// fromUTF16 decodes UTF-16 code units; an odd last byte is dropped and
// unpaired surrogates become U+FFFD.
func fromUTF16(b []byte, order binary.ByteOrder) []byte {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	return []byte(string(utf16.Decode(units)))
}

// validCount reports whether v can be a number of calls. Infinities are
// refused along with NaN: the analyzer turns counts into integers.
func validCount(v float64) bool {
	return v >= 0 && !math.IsInf(v, 1)
}

// merge adds up the calls of each (client, server) pair and sorts them.
func merge(calls []Call) []Call {
	slices.SortStableFunc(calls, func(a, b Call) int {
		if c := strings.Compare(a.Client, b.Client); c != 0 {
			return c
		}
		return strings.Compare(a.Server, b.Server)
	})
	var out []Call
	for _, c := range calls {
		if n := len(out); n > 0 && out[n-1].Client == c.Client && out[n-1].Server == c.Server {
			out[n-1].Count += c.Count
			continue
		}
		out = append(out, c)
	}
	return out
}
