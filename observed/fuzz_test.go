package observed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catch22/catch22/manifest"
)

// FuzzLoad feeds arbitrary bytes through Parse: whatever the input, it
// never panics, and either recognises a format and returns well-formed
// calls or returns one-line errors at file:line:col; never both, never
// neither.
//
//	go test ./observed -run '^$' -fuzz FuzzLoad -fuzztime 1m
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"data": [{"parent": "a\nb", "child": "c", "callCount": -1}]}`))
	f.Add([]byte("{\"status\": \"success\", \"data\": {\"resultType\": \"matrix\", \"result\": [{\"metric\": {\"__name__\": \"x\\n_traces_service_graph_request_total\"}, \"values\": []}]}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := Parse("f", data)
		if err != nil {
			var list manifest.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is not a positioned error list", err)
			}
			for _, e := range list {
				if e.Pos.File != "f" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" || strings.ContainsAny(e.Msg, "\r\n") {
					t.Fatalf("malformed error %q", e.Error())
				}
			}
			return
		}
		if tr.Format < JaegerDependencies || tr.Format > PrometheusText {
			t.Fatalf("no error, and no format recognised: %v", tr.Format)
		}
		for i, c := range tr.Calls {
			if c.Client == "" || c.Server == "" || !(c.Count >= 0) {
				t.Fatalf("malformed call %+v", c)
			}
			if i > 0 && (tr.Calls[i-1].Client > c.Client || tr.Calls[i-1].Client == c.Client && tr.Calls[i-1].Server >= c.Server) {
				t.Fatalf("calls not sorted and merged: %+v then %+v", tr.Calls[i-1], c)
			}
		}
	})
}
