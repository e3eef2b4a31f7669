package observed

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/catch22/catch22/internal/tomlpos"
	"github.com/catch22/catch22/manifest"
)

// Call is traffic from one service to another, as the source names them.
type Call struct {
	Client, Server string
	Count          float64
}

// Load reads a file of observed calls; see Parse.
func Load(file string) ([]Call, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--observed %s: %s", file, manifest.Describe(err))
	}
	return Parse(file, data)
}

// Parse reads a Jaeger dependencies document (it starts with "{") or
// Prometheus text holding traces_service_graph_request_total series.
// Calls between the same two services are added up; the result is sorted
// by client, then server. Every malformed entry is reported at once, as
// file:line:col, in a manifest.ErrorList.
func Parse(file string, data []byte) ([]Call, error) {
	var calls []Call
	var errs manifest.ErrorList
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		calls, errs = parseJaeger(file, data)
	} else {
		calls, errs = parsePrometheus(file, data)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return merge(calls), nil
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

// errAt builds a positioned error at a byte offset of data.
func errAt(file string, data []byte, off int, format string, args ...any) *manifest.Error {
	line, col := tomlpos.OffsetPos(data, off)
	return &manifest.Error{Pos: manifest.Pos{File: file, Line: line, Col: col}, Msg: fmt.Sprintf(format, args...)}
}
