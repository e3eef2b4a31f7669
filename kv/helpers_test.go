package kv_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/catch22/catch22/kv"
)

const account = "acct1"

// clock is a settable Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1_800_000_000, 0)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Unix() int64 { return c.Now().Unix() }

// stores are the engines every API test runs against.
var stores = []string{"memory", "bbolt"}

// newServer starts a server on a fresh store of the given kind.
func newServer(t testing.TB, kind string, o kv.Options) *kv.Server {
	t.Helper()
	if kind == "memory" {
		o.Memory = true
	} else if o.Path == "" {
		o.Path = filepath.Join(t.TempDir(), "kv.db")
	}
	if o.PurgeInterval == 0 {
		o.PurgeInterval = -1
	}
	s, err := kv.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// api drives a handler in-process, the way a Workers KV client would.
type api struct {
	t     testing.TB
	h     http.Handler
	token string
}

func nsBase(acct string) string {
	return "/client/v4/accounts/" + acct + "/storage/kv/namespaces"
}

// localHost is the Host a local client sends; httptest's default,
// example.com, is a foreign name the service refuses.
const localHost = "127.0.0.1:8787"

// do sends one request; path is the raw (escaped) target. A body goes as
// application/json, as a Workers KV client sends its JSON bodies (a value
// PUT takes any type); header pairs override that and the Host, and an
// empty value removes a header.
func (a api) do(method, path string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Host = localHost
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		switch name, v := header[i], header[i+1]; {
		case name == "Host":
			req.Host = v
		case v == "":
			req.Header.Del(name)
		default:
			req.Header.Set(name, v)
		}
	}
	if a.token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

// envelope is kv.Envelope with the result kept raw.
type envelope struct {
	Success    bool             `json:"success"`
	Errors     []kv.ErrorItem   `json:"errors"`
	Messages   []string         `json:"messages"`
	Result     json.RawMessage  `json:"result"`
	ResultInfo *json.RawMessage `json:"result_info"`
}

// env decodes rec as an envelope and checks its shape: the four fields,
// arrays never null, success agreeing with the status and the errors.
func env(t testing.TB, rec *httptest.ResponseRecorder) envelope {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q, want application/json; body %q", ct, rec.Body.String())
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &fields); err != nil {
		t.Fatalf("body is not a JSON object: %v: %q", err, rec.Body.String())
	}
	for _, f := range []string{"success", "errors", "messages", "result"} {
		if _, ok := fields[f]; !ok {
			t.Fatalf("envelope lacks %q: %s", f, rec.Body.String())
		}
	}
	for f := range fields {
		if !slices.Contains([]string{"success", "errors", "messages", "result", "result_info"}, f) {
			t.Fatalf("envelope has unexpected field %q: %s", f, rec.Body.String())
		}
	}
	for _, f := range []string{"errors", "messages"} {
		if !bytes.HasPrefix(fields[f], []byte("[")) {
			t.Fatalf("%s is %s, want an array", f, fields[f])
		}
	}
	var e envelope
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	ok := rec.Code == http.StatusOK
	if e.Success != ok || (len(e.Errors) == 0) != ok {
		t.Fatalf("status %d with success=%v and %d errors: %s", rec.Code, e.Success, len(e.Errors), rec.Body.String())
	}
	if !ok && string(e.Result) != "null" {
		t.Fatalf("error answer with result %s", e.Result)
	}
	return e
}

// ok checks a 200 envelope and decodes its result into v (unless nil).
func ok(t testing.TB, rec *httptest.ResponseRecorder, v any) envelope {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", rec.Code, rec.Body.String())
	}
	e := env(t, rec)
	if v != nil {
		if err := json.Unmarshal(e.Result, v); err != nil {
			t.Fatalf("result %s: %v", e.Result, err)
		}
	}
	return e
}

// fails checks an error envelope with the given status and code.
func fails(t testing.TB, rec *httptest.ResponseRecorder, status, code int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body.String())
	}
	e := env(t, rec)
	if len(e.Errors) != 1 || e.Errors[0].Code != code || e.Errors[0].Message == "" {
		t.Fatalf("errors %+v, want one with code %d", e.Errors, code)
	}
}

// createNS creates a namespace and returns its id.
func (a api) createNS(acct, title string) string {
	a.t.Helper()
	var ns kv.Namespace
	ok(a.t, a.do("POST", nsBase(acct), strings.NewReader(`{"title":`+quote(title)+`}`)), &ns)
	if ns.Title != title || len(ns.ID) != 32 {
		a.t.Fatalf("created %+v", ns)
	}
	return ns.ID
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// keyItem is one entry of a key listing.
type keyItem struct {
	Name       string          `json:"name"`
	Expiration int64           `json:"expiration"`
	Metadata   json.RawMessage `json:"metadata"`
}

type cursorInfo struct {
	Count  int    `json:"count"`
	Cursor string `json:"cursor"`
}

// listAll lists every key of a namespace with the given prefix, page by page.
func (a api) listAll(base, prefix string, limit int) []keyItem {
	a.t.Helper()
	var all []keyItem
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10000 {
			a.t.Fatal("listing does not end")
		}
		q := "?prefix=" + urlQuery(prefix) + "&limit=" + itoa(limit)
		if cursor != "" {
			q += "&cursor=" + urlQuery(cursor)
		}
		var items []keyItem
		e := ok(a.t, a.do("GET", base+"/keys"+q, nil), &items)
		var info cursorInfo
		if e.ResultInfo == nil {
			a.t.Fatal("listing without result_info")
		}
		if err := json.Unmarshal(*e.ResultInfo, &info); err != nil {
			a.t.Fatal(err)
		}
		if info.Count != len(items) {
			a.t.Fatalf("result_info.count %d for %d items", info.Count, len(items))
		}
		all = append(all, items...)
		if info.Cursor == "" {
			return all
		}
		if len(items) != limit {
			a.t.Fatalf("a page of %d items (limit %d) with a cursor", len(items), limit)
		}
		cursor = info.Cursor
	}
}

func urlQuery(s string) string { return url.QueryEscape(s) }

func itoa(n int) string { return strconv.Itoa(n) }
