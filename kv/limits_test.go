package kv_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/catch22/catch22/kv"
)

// endless is a body that never ends and fails the test when more than max
// bytes are read from it: proof that an oversized body is not buffered.
type endless struct {
	t    testing.TB
	max  int64
	read atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := e.read.Add(int64(len(p)))
	if n > e.max {
		e.t.Errorf("read %d bytes of an oversized body, limit %d", n, e.max)
		return 0, errors.New("read past the limit")
	}
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// slack is how far past a limit a reader may be asked to read: one buffer.
const slack = 64 << 10

// TestBodyLimits: every body limit holds while reading, streamed (no
// Content-Length) and declared. Reading happens before the store is
// touched, so one store suffices; TestValueLimits stores at the limit in
// both.
func TestBodyLimits(t *testing.T) {
	s := newServer(t, "memory", kv.Options{})
	a := api{t: t, h: s.Handler()}
	base := nsBase(account) + "/" + a.createNS(account, "limits")
	multipartHead := "--b\r\nContent-Disposition: form-data; name=\"value\"\r\n\r\n"
	for _, c := range []struct {
		name, method, path, ctype string
		prefix                    string // sent before the endless part
		limit                     int64
		code                      int
	}{
		{"raw value", "PUT", "/values/big", "", "", kv.MaxValueBytes, 10024},
		{"multipart value", "PUT", "/values/big", "multipart/form-data; boundary=b", multipartHead, kv.MaxValueBytes + 100<<10, 10024},
		{"bulk write", "PUT", "/bulk", "application/json", `[{"key":"k","value":"`, kv.MaxBulkBodyBytes, 10024},
		{"bulk delete", "POST", "/bulk/delete", "application/json", `["`, kv.MaxBulkBodyBytes, 10024},
		{"namespace title", "POST", "", "application/json", `{"title":"`, 64 << 10, 10024},
		{"rename", "PUT", "", "application/json", `{"title":"`, 64 << 10, 10024},
	} {
		path := base + c.path
		if c.name == "namespace title" {
			path = nsBase(account)
		}
		t.Run(c.name+" streamed", func(t *testing.T) {
			if raceDetector && c.limit == kv.MaxBulkBodyBytes {
				t.Skip("100 MiB of JSON is too slow under -race; runs without it")
			}
			body := &endless{t: t, max: c.limit + slack}
			req := httptest.NewRequest(c.method, path, io.MultiReader(strings.NewReader(c.prefix), body))
			req.Host = localHost
			req.ContentLength = -1 // chunked: the limit must hold while reading
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			rec := httptest.NewRecorder()
			a.h.ServeHTTP(rec, req)
			fails(t, rec, 413, c.code)
		})
		t.Run(c.name+" declared", func(t *testing.T) {
			body := &endless{t: t, max: 0} // not one byte may be read
			req := httptest.NewRequest(c.method, path, body)
			req.Host = localHost
			req.ContentLength = c.limit + 1
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			rec := httptest.NewRecorder()
			a.h.ServeHTTP(rec, req)
			fails(t, rec, 413, c.code)
		})
	}
	fails(t, a.do("GET", base+"/values/big", nil), 404, 10009)
}

// TestValueLimits: a value of exactly 25 MiB is stored whole, one byte more
// is refused in each of the three ways to write it.
func TestValueLimits(t *testing.T) {
	each(t, kv.Options{}, func(t *testing.T, a api, _ *kv.Server) {
		base := nsBase(account) + "/" + a.createNS(account, "limits")
		// Exactly at the limit is accepted, streamed or declared.
		exact := bytes.Repeat([]byte{'v'}, kv.MaxValueBytes)
		ok(t, a.do("PUT", base+"/values/exact", bytes.NewReader(exact)), nil)
		req := httptest.NewRequest("PUT", base+"/values/exact2", io.MultiReader(bytes.NewReader(exact)))
		req.Host = localHost
		req.ContentLength = -1
		rec := httptest.NewRecorder()
		a.h.ServeHTTP(rec, req)
		ok(t, rec, nil)
		for _, k := range []string{"exact", "exact2"} {
			if got := a.do("GET", base+"/values/"+k, nil); !bytes.Equal(got.Body.Bytes(), exact) {
				t.Fatalf("%s: %d bytes back", k, got.Body.Len())
			}
		}
		// One byte over, in the multipart and bulk forms too.
		over := append(exact, 'v')
		fails(t, a.do("PUT", base+"/values/over", bytes.NewReader(over)), 413, 10024)
		mb, ct := multipartBody(t, map[string]string{"value": string(over)})
		fails(t, a.do("PUT", base+"/values/over", mb, "Content-Type", ct), 413, 10024)
		bulk := fmt.Sprintf(`[{"key":"over","value":"%s"}]`, over)
		fails(t, a.do("PUT", base+"/bulk", strings.NewReader(bulk)), 413, 10024)
		fails(t, a.do("GET", base+"/values/over", nil), 404, 10009)
	})
}

// TestLimitsOverHTTP: through a real server, an oversized upload gets its
// 413 envelope and the server does not read the rest.
func TestLimitsOverHTTP(t *testing.T) {
	s := newServer(t, "memory", kv.Options{})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	a := api{t: t, h: s.Handler()}
	base := srv.URL + nsBase(account) + "/" + a.createNS(account, "h")
	body := &endless{t: t, max: 1 << 40} // the network stops it, not this reader
	req, _ := http.NewRequest("PUT", base+"/values/big", io.LimitReader(body, kv.MaxValueBytes*4))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		// The server may close before the client finished sending; that
		// is a refusal too, as long as nothing was stored.
		t.Logf("upload: %v", err)
	} else {
		defer resp.Body.Close()
		if resp.StatusCode != 413 {
			t.Fatalf("status %d, want 413", resp.StatusCode)
		}
	}
	if got := body.read.Load(); got >= kv.MaxValueBytes*4 {
		t.Fatalf("the server let the client send all %d bytes", got)
	}
	if rec := a.do("GET", nsBase(account)+base[len(srv.URL+nsBase(account)):]+"/values/big", nil); rec.Code != 404 {
		t.Fatalf("oversized value stored: %d", rec.Code)
	}
}
