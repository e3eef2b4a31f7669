package kv_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/catch22/catch22/kv"
)

// TestCrossSiteIssue replays the report: without a token, a text/plain
// POST from a foreign page set a fault and bulk-deleted a key. Both are
// refused now, by the Origin check and, without Origin, by the content
// type; neither changes anything.
func TestCrossSiteIssue(t *testing.T) {
	s := newServer(t, "memory", kv.Options{})
	a := api{t: t, h: s.Handler()}
	base := nsBase(account) + "/" + a.createNS(account, "victim")
	ok(t, a.do("PUT", base+"/values/precious", strings.NewReader("v")), nil)

	foreign := []string{"Content-Type", "text/plain", "Origin", "http://evil.example"}
	fails(t, a.do("POST", "/_catch22/faults", strings.NewReader(`{"mode":"down"}`), foreign...), 403, 10000)
	fails(t, a.do("POST", base+"/bulk/delete", strings.NewReader(`["precious"]`), foreign...), 403, 10000)

	plain := []string{"Content-Type", "text/plain"}
	fails(t, a.do("POST", "/_catch22/faults", strings.NewReader(`{"mode":"down"}`), plain...), 400, 6003)
	fails(t, a.do("POST", base+"/bulk/delete", strings.NewReader(`["precious"]`), plain...), 400, 6003)

	if f := s.Fault(); f.Mode != kv.FaultNone {
		t.Fatalf("a refused request set the fault %v", f)
	}
	if rec := a.do("GET", base+"/values/precious", nil); rec.Code != 200 {
		t.Fatalf("a refused request deleted the key: %d", rec.Code)
	}
}

// TestHostCheck: the Host header must name the service by a loopback name;
// a DNS-rebinding page's requests carry the attacker's own name. The port
// is not compared (see doc.go).
func TestHostCheck(t *testing.T) {
	s := newServer(t, "memory", kv.Options{})
	a := api{t: t, h: s.Handler()}
	base := nsBase(account) + "/" + a.createNS(account, "h")
	for _, host := range []string{
		"127.0.0.1:8787", "127.0.0.1:1", "127.0.0.2:8787", "localhost:8787", "LocalHost:8787",
		"localhost", "[::1]:8787", "[::1]",
	} {
		ok(t, a.do("PUT", base+"/values/k", strings.NewReader("v"), "Host", host), nil)
		ok(t, a.do("GET", "/_catch22/faults", nil, "Host", host), nil)
	}
	for _, host := range []string{
		"evil.example:8787", "evil.example", "localhost.evil.example:8787", "127.0.0.1.nip.io:8787",
		"app.localhost:8787", "localhost.:8787", "192.168.1.5:8787", "0.0.0.0:8787", "",
	} {
		t.Run(host, func(t *testing.T) {
			fails(t, a.do("GET", base+"/values/k", nil, "Host", host), 403, 10000)
			fails(t, a.do("PUT", base+"/values/k", strings.NewReader("x"), "Host", host), 403, 10000)
			fails(t, a.do("GET", "/_catch22/faults", nil, "Host", host), 403, 10000)
			fails(t, a.do("POST", "/_catch22/faults", strings.NewReader(`{"mode":"down"}`), "Host", host), 403, 10000)
			fails(t, a.do("GET", "/nowhere", nil, "Host", host), 403, 10000)
			// Health answers anyone: probes come with whatever Host.
			ok(t, a.do("GET", "/_catch22/health", nil, "Host", host), nil)
		})
	}
	if rec := a.do("GET", base+"/values/k", nil); rec.Body.String() != "v" || s.Fault().Mode != kv.FaultNone {
		t.Fatalf("a refused request wrote: %q, fault %v", rec.Body.String(), s.Fault())
	}
}

// TestOriginCheck: a request that carries Origin must come from the
// service's own origin; Sec-Fetch-Site, when sent, must say same-origin or
// none. Requests without either (curl, Go, SDKs) pass.
func TestOriginCheck(t *testing.T) {
	s := newServer(t, "memory", kv.Options{})
	a := api{t: t, h: s.Handler()}
	base := nsBase(account) + "/" + a.createNS(account, "o")
	for _, h := range [][]string{
		{"Origin", "http://127.0.0.1:8787"},
		{"Origin", "https://127.0.0.1:8787"},
		{"Origin", "HTTP://127.0.0.1:8787"},
		{"Origin", "http://localhost:8787", "Host", "localhost:8787"},
		{"Sec-Fetch-Site", "same-origin"},
		{"Sec-Fetch-Site", "none"},
		{"Origin", "http://127.0.0.1:8787", "Sec-Fetch-Site", "same-origin"},
	} {
		ok(t, a.do("PUT", base+"/values/k", strings.NewReader("v"), h...), nil)
	}
	for _, h := range [][]string{
		{"Origin", "http://evil.example"},
		{"Origin", "http://127.0.0.1:3000"}, // another local app: same site, other origin
		{"Origin", "http://localhost:8787"}, // Host is 127.0.0.1:8787
		{"Origin", "null"},
		{"Origin", "file://"},
		{"Origin", "ftp://127.0.0.1:8787"},
		{"Origin", "http://127.0.0.1:8787/path"},
		{"Origin", "http://user@127.0.0.1:8787"},
		{"Origin", "::not a url"},
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Origin", "http://127.0.0.1:8787", "Sec-Fetch-Site", "cross-site"},
	} {
		t.Run(strings.Join(h, "="), func(t *testing.T) {
			fails(t, a.do("PUT", base+"/values/k", strings.NewReader("x"), h...), 403, 10000)
			fails(t, a.do("GET", base+"/values/k", nil, h...), 403, 10000)
			fails(t, a.do("POST", "/_catch22/faults", strings.NewReader(`{"mode":"down"}`), h...), 403, 10000)
		})
	}
	if rec := a.do("GET", base+"/values/k", nil); rec.Body.String() != "v" || s.Fault().Mode != kv.FaultNone {
		t.Fatalf("a refused request wrote: %q, fault %v", rec.Body.String(), s.Fault())
	}
}

// TestCrossSiteBeforeToken: the checks hold with a token too, and come
// first: a foreign page is refused even with the right token.
func TestCrossSiteBeforeToken(t *testing.T) {
	s := newServer(t, "memory", kv.Options{Token: "s3cret"})
	a := api{t: t, h: s.Handler(), token: "s3cret"}
	id := a.createNS(account, "t")
	fails(t, a.do("GET", nsBase(account)+"/"+id, nil, "Origin", "http://evil.example"), 403, 10000)
	fails(t, a.do("GET", nsBase(account)+"/"+id, nil, "Host", "evil.example:8787"), 403, 10000)
	ok(t, a.do("GET", nsBase(account)+"/"+id, nil), nil)
}

// TestContentTypes: JSON bodies must be declared application/json, as the
// Cloudflare API wants them (400 with its code 6003 otherwise); a value
// PUT takes any type, as its body is the value.
func TestContentTypes(t *testing.T) {
	s := newServer(t, "memory", kv.Options{})
	a := api{t: t, h: s.Handler()}
	id := a.createNS(account, "ct")
	base := nsBase(account) + "/" + id
	ok(t, a.do("PUT", base+"/values/keep", strings.NewReader("v")), nil)
	jsonCalls := []struct{ method, path, body string }{
		{"POST", nsBase(account), `{"title":"new"}`},
		{"PUT", base, `{"title":"renamed"}`},
		{"PUT", base + "/bulk", `[{"key":"new","value":"v"}]`},
		{"DELETE", base + "/bulk", `["keep"]`},
		{"POST", base + "/bulk/delete", `["keep"]`},
		{"POST", "/_catch22/faults", `{"mode":"down"}`},
	}
	for _, ct := range []string{"", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
		"multipart/form-data; boundary=x", "application/octet-stream", "application/jsonx", "json", ";"} {
		for _, c := range jsonCalls {
			fails(t, a.do(c.method, c.path, strings.NewReader(c.body), "Content-Type", ct), 400, 6003)
		}
	}
	var ns kv.Namespace
	ok(t, a.do("GET", base, nil), &ns)
	if ns.Title != "ct" || s.Fault().Mode != kv.FaultNone {
		t.Fatalf("a refused request changed something: %+v, fault %v", ns, s.Fault())
	}
	if rec := a.do("GET", base+"/values/keep", nil); rec.Code != 200 {
		t.Fatal("a refused bulk delete deleted keep")
	}
	fails(t, a.do("GET", base+"/values/new", nil), 404, 10009)

	// Parameters and case do not matter.
	for i, ct := range []string{"application/json; charset=utf-8", "Application/JSON"} {
		ok(t, a.do("PUT", base+"/bulk", strings.NewReader(`[{"key":"j`+itoa(i)+`","value":"v"}]`), "Content-Type", ct), nil)
	}
	// A value is raw bytes whatever its declared type (a PUT is never a
	// browser's simple request), except multipart/form-data.
	for i, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream", "application/json"} {
		k := "raw" + itoa(i)
		ok(t, a.do("PUT", base+"/values/"+k, strings.NewReader("a=b"), "Content-Type", ct), nil)
		if rec := a.do("GET", base+"/values/"+k, nil); rec.Body.String() != "a=b" {
			t.Fatalf("value sent as %q read back %q", ct, rec.Body.String())
		}
	}
}

// TestCrossSiteOverHTTP: through a real listener, a DNS-rebinding request
// (the attacker's name in Host) and a foreign Origin are refused, while a
// reverse proxy that keeps its own Host, port included (as validate's
// node fronts do), still gets through.
func TestCrossSiteOverHTTP(t *testing.T) {
	s, err := kv.New(kv.Options{Memory: true, PurgeInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	addrc := make(chan net.Addr, 1)
	go func() { served <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	}()
	srvURL := "http://" + (<-addrc).String()
	id := createNamespaceHTTP(t, srvURL, "http")
	valueURL := srvURL + nsBase(account) + "/" + id + "/values/k"

	send := func(method, u, host, origin string) int {
		t.Helper()
		req, _ := http.NewRequest(method, u, strings.NewReader("v"))
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send("PUT", valueURL, "", ""); code != 200 {
		t.Fatalf("plain PUT: %d", code)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srvURL, "http://"))
	if code := send("PUT", valueURL, "rebound.evil.example:"+port, ""); code != 403 {
		t.Fatalf("rebinding PUT: %d, want 403", code)
	}
	if code := send("PUT", valueURL, "", "http://evil.example"); code != 403 {
		t.Fatalf("foreign Origin PUT: %d, want 403", code)
	}

	target, _ := url.Parse(srvURL)
	proxy := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	defer proxy.Close()
	if code := send("PUT", proxy.URL+nsBase(account)+"/"+id+"/values/k", "", ""); code != 200 {
		t.Fatalf("PUT through a reverse proxy: %d", code)
	}
}

// TestAllowHosts: the operator's names are accepted besides the loopback
// ones, in any case and with any port; their own origin too. Nothing else
// is, and a malformed entry stops New.
func TestAllowHosts(t *testing.T) {
	s := newServer(t, "memory", kv.Options{AllowHosts: []string{"KV.internal", "192.0.2.7", "[2001:db8::7]"}})
	a := api{t: t, h: s.Handler()}
	base := nsBase(account) + "/" + a.createNS(account, "allow")
	for _, h := range [][]string{
		{"Host", "kv.internal:8787"},
		{"Host", "kv.INTERNAL"},
		{"Host", "192.0.2.7:80"},
		{"Host", "[2001:db8::7]:8787"},
		{"Host", "[2001:0DB8:0::7]:8787"},
		{"Host", "127.0.0.1:8787"},
		{"Host", "kv.internal:8787", "Origin", "https://kv.internal:8787"},
	} {
		ok(t, a.do("PUT", base+"/values/k", strings.NewReader("v"), h...), nil)
	}
	for _, h := range [][]string{
		{"Host", "other.internal:8787"},
		{"Host", "sub.kv.internal:8787"},
		{"Host", "192.0.2.8:8787"},
		{"Host", "kv.internal:8787", "Origin", "http://127.0.0.1:8787"},
	} {
		fails(t, a.do("PUT", base+"/values/k", strings.NewReader("x"), h...), 403, 10000)
	}
	for _, bad := range []string{"", "kv.internal:8787", "http://kv.internal", "kv.internal/x", "a b", "user@kv.internal", "[kv]"} {
		if err := kv.CheckAllowHost(bad); err == nil {
			t.Errorf("CheckAllowHost(%q) accepted it", bad)
		}
		if _, err := kv.New(kv.Options{Memory: true, AllowHosts: []string{bad}}); err == nil {
			t.Errorf("New with AllowHosts %q succeeded", bad)
		}
	}
}
