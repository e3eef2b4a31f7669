package kv_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/catch22/catch22/kv"
)

func TestParseFault(t *testing.T) {
	for _, c := range []struct {
		in   string
		want kv.Fault
		err  string
	}{
		{in: "none", want: kv.Fault{Mode: kv.FaultNone}},
		{in: "down", want: kv.Fault{Mode: kv.FaultDown}},
		{in: "error", want: kv.Fault{Mode: kv.FaultError, Status: 503}},
		{in: "error:500", want: kv.Fault{Mode: kv.FaultError, Status: 500}},
		{in: "latency:200ms", want: kv.Fault{Mode: kv.FaultLatency, Latency: 200 * time.Millisecond}},
		{in: "error:404", err: "want a 5xx status"},
		{in: "error:x", err: "error takes a status"},
		{in: "latency", err: "latency takes a duration"},
		{in: "latency:fast", err: "latency takes a duration"},
		{in: "latency:0s", err: "above 0"},
		{in: "latency:11m", err: "at most 10m0s"},
		{in: "down:1", err: "takes no argument"},
		{in: "slow", err: "want none, down"},
		{in: "", err: "want none, down"},
	} {
		got, err := kv.ParseFault(c.in)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseFault(%q) = %v, %v; want error containing %q", c.in, got, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

// faultAPI posts a fault as JSON and returns the answer.
func (a api) setFault(body string) *httptest.ResponseRecorder {
	return a.do("POST", "/_catch22/faults", strings.NewReader(body))
}

func TestFaultEndpoints(t *testing.T) {
	s := newServer(t, "memory", kv.Options{})
	a := api{t: t, h: s.Handler()}
	var f json.RawMessage
	ok(t, a.do("GET", "/_catch22/faults", nil), &f)
	if string(f) != `{"mode":"none"}` {
		t.Fatalf("initial fault %s", f)
	}
	ns := strings.Repeat("ab", 16)
	for _, c := range []struct{ body, want string }{
		{`{"mode":"error"}`, `{"mode":"error","status":503}`},
		{`{"mode":"error","status":502,"latency":"1s"}`, `{"mode":"error","status":502}`},
		{`{"mode":"latency","latency":"250ms","namespace":"` + ns + `"}`, `{"mode":"latency","latency":"250ms","namespace":"` + ns + `"}`},
		{`{"mode":"down"}`, `{"mode":"down"}`},
		{`{"mode":"none","status":500}`, `{"mode":"none"}`},
		{`{}`, `{"mode":"none"}`},
	} {
		ok(t, a.setFault(c.body), &f)
		if string(f) != c.want {
			t.Errorf("POST %s answered %s, want %s", c.body, f, c.want)
		}
		ok(t, a.do("GET", "/_catch22/faults", nil), &f)
		if string(f) != c.want {
			t.Errorf("after POST %s, GET answered %s, want %s", c.body, f, c.want)
		}
	}
	ok(t, a.setFault(`{"mode":"error","status":500}`), nil)
	for _, body := range []string{
		`{"mode":"sideways"}`, `{"mode":"error","status":404}`, `{"mode":"latency"}`,
		`{"mode":"latency","latency":"soon"}`, `{"mode":"down","namespace":"nope"}`, `[`, `{"mode":1}`,
	} {
		fails(t, a.setFault(body), 400, 10029)
	}
	if got := s.Fault(); got != (kv.Fault{Mode: kv.FaultError, Status: 500}) {
		t.Fatalf("a refused fault changed the fault: %+v", got)
	}
	if err := s.SetFault(kv.Fault{Mode: "bogus"}); err == nil {
		t.Fatal("SetFault took a bogus mode")
	}
}

func TestFaultModes(t *testing.T) {
	s := newServer(t, "memory", kv.Options{})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	a := api{t: t, h: s.Handler()}
	nsA, nsB := a.createNS(account, "a"), a.createNS(account, "b")
	urlA := srv.URL + nsBase(account) + "/" + nsA + "/values/k"
	urlB := srv.URL + nsBase(account) + "/" + nsB + "/values/k"
	for _, u := range []string{urlA, urlB} {
		put(t, u, "v")
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(u string) (*http.Response, error) {
		resp, err := client.Get(u)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			resp.Body = io.NopCloser(strings.NewReader(string(body)))
		}
		return resp, err
	}
	served := func(u string) {
		t.Helper()
		resp, err := get(u)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", u, resp, err)
		}
	}
	unfaulted := func() {
		t.Helper()
		for _, p := range []string{"/_catch22/health", "/_catch22/faults"} {
			served(srv.URL + p)
		}
	}

	// down: the connection closes without an answer.
	must(t, s.SetFault(kv.Fault{Mode: kv.FaultDown}))
	if resp, err := get(urlA); err == nil {
		t.Fatalf("down: got an answer %d", resp.StatusCode)
	}
	if resp, err := get(srv.URL + nsBase(account)); err == nil {
		t.Fatalf("down: listing got an answer %d", resp.StatusCode)
	}
	unfaulted()

	// error: the envelope with the chosen status.
	must(t, s.SetFault(kv.Fault{Mode: kv.FaultError, Status: 502}))
	resp, err := get(urlA)
	if err != nil {
		t.Fatal(err)
	}
	var e envelope
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 502 || e.Success || len(e.Errors) != 1 || e.Errors[0].Code != 10001 {
		t.Fatalf("error fault: %d %+v", resp.StatusCode, e)
	}
	unfaulted()

	// latency: served, late.
	must(t, s.SetFault(kv.Fault{Mode: kv.FaultLatency, Latency: 150 * time.Millisecond}))
	start := time.Now()
	served(urlA)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("latency fault answered after %v", d)
	}
	start = time.Now()
	unfaulted()
	if d := time.Since(start); d >= 150*time.Millisecond {
		t.Fatalf("fault endpoints were delayed: %v", d)
	}

	// Scoped to namespace a: b is untouched.
	must(t, s.SetFault(kv.Fault{Mode: kv.FaultError, Namespace: nsA}))
	if resp, _ := get(urlA); resp == nil || resp.StatusCode != 503 {
		t.Fatalf("scoped fault missed its namespace: %v", resp)
	}
	served(urlB)
	served(srv.URL + nsBase(account))
	must(t, s.SetFault(kv.Fault{Mode: kv.FaultDown, Namespace: nsA}))
	if _, err := get(urlA); err == nil {
		t.Fatal("scoped down fault answered")
	}
	served(urlB)

	must(t, s.SetFault(kv.Fault{}))
	served(urlA)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func put(t testing.TB, u, v string) {
	t.Helper()
	req, _ := http.NewRequest("PUT", u, strings.NewReader(v))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT %s: %d", u, resp.StatusCode)
	}
}
