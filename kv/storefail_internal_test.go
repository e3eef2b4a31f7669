package kv

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// failingStore is a store whose writes and reads fail the way a full disk
// or a broken file makes bbolt fail.
type failingStore struct {
	store
	err error
}

func (f failingStore) put(string, string, []write) error                 { return f.err }
func (f failingStore) remove(string, string, []string) error             { return f.err }
func (f failingStore) get(string, string, string, int64) (record, error) { return record{}, f.err }
func (f failingStore) createNamespace(string, string) (Namespace, error) {
	return Namespace{}, f.err
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestStoreFailureLogged: a storage failure answers 500 and logs its cause
// with the request, at error level, so that it shows also when the request
// log is off (kv serve --quiet keeps warnings and errors). The answer does
// not carry the cause: it may name the database file.
func TestStoreFailureLogged(t *testing.T) {
	const cause = "write /data/kv.db: no space left on device"
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelWarn} {
		t.Run(level.String(), func(t *testing.T) {
			sink := &syncBuffer{}
			s, err := New(Options{Memory: true, PurgeInterval: -1,
				Logger: slog.New(slog.NewJSONHandler(sink, &slog.HandlerOptions{Level: level}))})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ns, err := s.store.createNamespace("a", "t")
			if err != nil {
				t.Fatal(err)
			}
			s.store = failingStore{store: s.store, err: errors.New(cause)}
			base := "/client/v4/accounts/a/storage/kv/namespaces/" + ns.ID
			for _, c := range []struct{ method, path, body string }{
				{"PUT", base + "/values/k%20", ""}, // refused before the store: not logged
				{"PUT", base + "/values/k", "v"},
				{"GET", base + "/values/k", ""},
				{"PUT", base + "/bulk", `[{"key":"k","value":"v"}]`},
				{"POST", "/client/v4/accounts/a/storage/kv/namespaces", `{"title":"n"}`},
			} {
				req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
				req.Host = "127.0.0.1:8787"
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				s.Handler().ServeHTTP(rec, req)
				want := http.StatusInternalServerError
				if strings.HasSuffix(c.path, "%20") {
					want = http.StatusBadRequest
				}
				if rec.Code != want {
					t.Fatalf("%s %s: %d %s, want %d", c.method, c.path, rec.Code, rec.Body.String(), want)
				}
				if strings.Contains(rec.Body.String(), "no space") {
					t.Errorf("%s %s: the answer carries the cause: %s", c.method, c.path, rec.Body.String())
				}
			}
			var failures []map[string]any
			for _, line := range strings.Split(strings.TrimSpace(sink.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("log line %q: %v", line, err)
				}
				if m["level"] == "ERROR" {
					failures = append(failures, m)
				}
			}
			want := []string{"PUT " + base + "/values/k", "GET " + base + "/values/k", "PUT " + base + "/bulk",
				"POST /client/v4/accounts/a/storage/kv/namespaces"}
			if len(failures) != len(want) {
				t.Fatalf("%d error records, want %d: %s", len(failures), len(want), sink.String())
			}
			for i, m := range failures {
				if got := m["method"].(string) + " " + m["path"].(string); got != want[i] || m["err"] != cause || m["status"] != float64(500) {
					t.Errorf("error record %v, want %s with err %q and status 500", m, want[i], cause)
				}
			}
		})
	}
}
