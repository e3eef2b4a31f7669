package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestServiceRowsJoin: rows rendered in slices on all cores, one piece
// after the other, are the bytes of one pass over every service.
func TestServiceRowsJoin(t *testing.T) {
	var services []htmlService
	for i := range 2500 {
		s := htmlService{Anchor: fmt.Sprintf("svc-%d", i), Name: fmt.Sprintf("s<%d>", i), Env: "production", Status: "none declared",
			StatusClass: "none", Down: i % 7, Percent: fmt.Sprintf("%d%%", i%100), Bar: i%101 - 1}
		if i%3 == 0 {
			s.Procedures = []htmlProcedure{{Name: "redeploy", Blocked: i%2 == 0, Via: "ci", Witness: []htmlPart{{Class: "node", Text: "ci"}}}}
		}
		services = append(services, s)
	}
	pieces, err := serviceRows(services)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, p := range pieces {
		got.WriteString(string(p))
	}
	var want bytes.Buffer
	if err := htmlPage.ExecuteTemplate(&want, "service-rows", services); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Fatalf("rows in pieces (%d bytes) differ from one pass (%d bytes)", got.Len(), want.Len())
	}
	if n := bytes.Count(want.Bytes(), []byte("<tr ")); n != len(services) {
		t.Fatalf("%d rows for %d services", n, len(services))
	}
}
