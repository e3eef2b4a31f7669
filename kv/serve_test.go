package kv_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/catch22/catch22/kv"
)

func TestCheckBind(t *testing.T) {
	for _, c := range []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8787", "", true},
		{"127.0.0.2:0", "", true},
		{"[::1]:8787", "", true},
		{"localhost:8787", "", true},
		{"0.0.0.0:8787", "", false},
		{":8787", "", false},
		{"[::]:8787", "", false},
		{"192.168.1.5:8787", "", false},
		{"example.com:80", "", false},
		{"0.0.0.0:8787", "t", true},
		{"127.0.0.1", "", false},
		{"", "t", false},
	} {
		err := kv.CheckBind(c.addr, c.token)
		if (err == nil) != c.ok {
			t.Errorf("CheckBind(%q, %q) = %v, want ok=%v", c.addr, c.token, err, c.ok)
		}
	}
	s := newServer(t, "memory", kv.Options{})
	err := s.ListenAndServe(context.Background(), "0.0.0.0:0", func(net.Addr) { t.Error("listened") })
	if err == nil || !strings.Contains(err.Error(), "without a token") {
		t.Fatalf("ListenAndServe on 0.0.0.0 without a token: %v", err)
	}
}

// logSink collects the service's log records.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logSink) records(t *testing.T) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// TestServeShutdown: cancelling Serve's context lets an in-flight upload
// finish, then closes the database (another server can open it at once)
// with the write in it.
func TestServeShutdown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kv.db")
	sink := &logSink{}
	s, err := kv.New(kv.Options{Path: path, Logger: slog.New(slog.NewJSONHandler(sink, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() { served <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }) }()
	addr := (<-addrc).String()
	if !strings.HasPrefix(addr, "127.0.0.1:") || strings.HasSuffix(addr, ":0") {
		t.Fatalf("ready got %s", addr)
	}
	a := api{t: t, h: s.Handler()}
	id := a.createNS(account, "shutdown")
	u := "http://" + addr + nsBase(account) + "/" + id + "/values/slow"

	// An upload that is half sent when the context is cancelled.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("PUT", u, pr)
	req.ContentLength = 10
	answered := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	pw.Write([]byte("01234"))
	time.Sleep(50 * time.Millisecond) // let the server start the handler
	cancel()
	select {
	case err := <-served:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	pw.Write([]byte("56789"))
	pw.Close()
	if code := <-answered; code != 200 {
		t.Fatalf("in-flight upload answered %d", code)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/_catch22/health"); err == nil {
		t.Fatal("still serving after Serve returned")
	}

	s2 := newServer(t, "bbolt", kv.Options{Path: path}) // the file lock is free
	if rec := (api{t: t, h: s2.Handler()}).do("GET", nsBase(account)+"/"+id+"/values/slow", nil); rec.Body.String() != "0123456789" {
		t.Fatalf("after restart: %d %q", rec.Code, rec.Body.String())
	}

	var logged bool
	for _, r := range sink.records(t) {
		if r["msg"] == "request" && r["method"] == "PUT" && r["path"] == nsBase(account)+"/"+id+"/values/slow" {
			if r["status"] != float64(200) || r["duration"] == nil {
				t.Fatalf("request log %v", r)
			}
			logged = true
		}
	}
	if !logged {
		t.Fatalf("no request log for the upload: %s", sink.buf.String())
	}
}

// TestShutdownCutsLatency: a latency fault does not hold shutdown up.
func TestShutdownCutsLatency(t *testing.T) {
	s, err := kv.New(kv.Options{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	must(t, s.SetFault(kv.Fault{Mode: kv.FaultLatency, Latency: time.Minute}))
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() { served <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }) }()
	addr := (<-addrc).String()
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + addr + nsBase(account))
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case code := <-answered:
		if code != 200 {
			t.Fatalf("delayed request answered %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown waited for the latency fault")
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
}
