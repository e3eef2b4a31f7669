package kv_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/catch22/catch22/kv"
)

// each runs f on a fresh server of every store kind.
func each(t *testing.T, o kv.Options, f func(t *testing.T, a api, s *kv.Server)) {
	for _, kind := range stores {
		t.Run(kind, func(t *testing.T) {
			s := newServer(t, kind, o)
			f(t, api{t: t, h: s.Handler(), token: o.Token}, s)
		})
	}
}

type pageInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
}

func TestNamespaces(t *testing.T) {
	each(t, kv.Options{}, func(t *testing.T, a api, _ *kv.Server) {
		base := nsBase(account)
		ids := map[string]string{}
		for _, title := range []string{"g", "c", "a", "f", "b", "e", "d"} {
			ids[title] = a.createNS(account, title)
		}
		fails(t, a.do("POST", base, strings.NewReader(`{"title":"c"}`)), 400, 10014)
		fails(t, a.do("POST", base, strings.NewReader(`{"title":""}`)), 400, 10019)
		fails(t, a.do("POST", base, strings.NewReader(`{}`)), 400, 10019)
		fails(t, a.do("POST", base, strings.NewReader(`{"title":`)), 400, 10029)
		fails(t, a.do("POST", base, strings.NewReader(``)), 400, 10029)
		fails(t, a.do("POST", base, strings.NewReader(`{"title":"x"} {}`)), 400, 10029)
		fails(t, a.do("POST", base, strings.NewReader(`{"title":"`+strings.Repeat("t", kv.MaxTitleBytes+1)+`"}`)), 400, 10029)

		// The same title in another account is another namespace.
		other := a.createNS("acct2", "c")
		if other == ids["c"] {
			t.Fatal("two accounts got the same namespace id")
		}

		var page []kv.Namespace
		e := ok(t, a.do("GET", base+"?per_page=5&page=2", nil), &page)
		var info pageInfo
		json.Unmarshal(*e.ResultInfo, &info)
		if got := titles(page); !slices.Equal(got, []string{"f", "g"}) || info != (pageInfo{2, 5, 2, 7}) {
			t.Fatalf("page 2: %v %+v", got, info)
		}
		ok(t, a.do("GET", base, nil), &page)
		if got := titles(page); !slices.Equal(got, []string{"a", "b", "c", "d", "e", "f", "g"}) {
			t.Fatalf("default listing %v", got)
		}
		ok(t, a.do("GET", base+"?direction=desc&per_page=5", nil), &page)
		if got := titles(page); !slices.Equal(got, []string{"g", "f", "e", "d", "c"}) {
			t.Fatalf("desc listing %v", got)
		}
		ok(t, a.do("GET", base+"?order=id", nil), &page)
		if !slices.IsSortedFunc(page, func(x, y kv.Namespace) int { return strings.Compare(x.ID, y.ID) }) {
			t.Fatalf("order=id listing not sorted by id: %v", page)
		}
		ok(t, a.do("GET", base+"?page=3&per_page=5", nil), &page)
		if len(page) != 0 {
			t.Fatalf("page past the end: %v", page)
		}
		for _, q := range []struct {
			query string
			code  int
		}{
			{"page=0", 10007}, {"page=x", 10007}, {"per_page=4", 10008}, {"per_page=101", 10008},
			{"order=size", 10043}, {"direction=up", 10044},
		} {
			fails(t, a.do("GET", base+"?"+q.query, nil), 400, q.code)
		}

		// Get, rename, delete.
		var ns kv.Namespace
		ok(t, a.do("GET", base+"/"+ids["a"], nil), &ns)
		if ns != (kv.Namespace{ID: ids["a"], Title: "a", SupportsURLEncoding: true}) {
			t.Fatalf("get: %+v", ns)
		}
		fails(t, a.do("PUT", base+"/"+ids["a"], strings.NewReader(`{"title":"b"}`)), 400, 10014)
		ok(t, a.do("PUT", base+"/"+ids["a"], strings.NewReader(`{"title":"a"}`)), nil)
		ok(t, a.do("PUT", base+"/"+ids["a"], strings.NewReader(`{"title":"z"}`)), &ns)
		if ns.Title != "z" {
			t.Fatalf("rename: %+v", ns)
		}
		a.createNS(account, "a") // the old title is free again
		fails(t, a.do("POST", base, strings.NewReader(`{"title":"z"}`)), 400, 10014)

		ok(t, a.do("PUT", base+"/"+ids["b"]+"/values/k", strings.NewReader("v")), nil)
		ok(t, a.do("DELETE", base+"/"+ids["b"], nil), nil)
		fails(t, a.do("GET", base+"/"+ids["b"], nil), 404, 10013)
		fails(t, a.do("GET", base+"/"+ids["b"]+"/values/k", nil), 404, 10013)
		fails(t, a.do("DELETE", base+"/"+ids["b"], nil), 404, 10013)
		fails(t, a.do("PUT", base+"/"+ids["b"], strings.NewReader(`{"title":"q"}`)), 404, 10013)
		a.createNS(account, "b") // and so is a deleted namespace's

		// A namespace is invisible from another account.
		for _, m := range []string{"GET", "DELETE"} {
			fails(t, a.do(m, nsBase("acct2")+"/"+ids["c"], nil), 404, 10013)
		}
		fails(t, a.do("GET", nsBase("acct2")+"/"+ids["c"]+"/keys", nil), 404, 10013)
		fails(t, a.do("PUT", nsBase("acct2")+"/"+ids["c"]+"/values/k", strings.NewReader("v")), 404, 10013)
		ok(t, a.do("GET", nsBase("acct2"), nil), &page)
		if len(page) != 1 || page[0].ID != other {
			t.Fatalf("acct2 sees %v", page)
		}
		// Any account string is an account, escapes decoded once.
		sp := a.createNS("with%20space", "x")
		ok(t, a.do("GET", nsBase("with%20space")+"/"+sp, nil), nil)
		fails(t, a.do("GET", nsBase("with%2520space")+"/"+sp, nil), 404, 10013)
		fails(t, a.do("GET", nsBase("%FF"), nil), 400, 10006)
		fails(t, a.do("GET", nsBase(""), nil), 400, 10006)

		// Malformed and unknown namespace ids.
		fails(t, a.do("GET", base+"/nothex", nil), 400, 10011)
		fails(t, a.do("GET", base+"/"+strings.ToUpper(ids["c"]), nil), 400, 10011)
		fails(t, a.do("GET", base+"/"+strings.Repeat("0", 32), nil), 404, 10013)
	})
}

func titles(ns []kv.Namespace) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Title)
	}
	return out
}

func TestValues(t *testing.T) {
	each(t, kv.Options{}, func(t *testing.T, a api, _ *kv.Server) {
		base := nsBase(account) + "/" + a.createNS(account, "v")
		fails(t, a.do("GET", base+"/values/k", nil), 404, 10009)
		fails(t, a.do("GET", base+"/metadata/k", nil), 404, 10009)

		bin := []byte{0, 1, 2, 255, '\n', 0}
		ok(t, a.do("PUT", base+"/values/k", bytes.NewReader(bin), "Content-Type", "application/octet-stream"), nil)
		rec := a.do("GET", base+"/values/k", nil)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), bin) || rec.Header().Get("Content-Type") != "application/octet-stream" {
			t.Fatalf("get: %d %q %q", rec.Code, rec.Body.Bytes(), rec.Header().Get("Content-Type"))
		}
		var meta json.RawMessage
		ok(t, a.do("GET", base+"/metadata/k", nil), &meta)
		if string(meta) != "null" {
			t.Fatalf("metadata of a key without: %s", meta)
		}

		// An empty value is a value.
		ok(t, a.do("PUT", base+"/values/empty", strings.NewReader("")), nil)
		if rec := a.do("GET", base+"/values/empty", nil); rec.Code != 200 || rec.Body.Len() != 0 {
			t.Fatalf("empty value: %d %q", rec.Code, rec.Body.String())
		}

		// Multipart with metadata; the metadata is kept compact.
		body, ct := multipartBody(t, map[string]string{"value": "hello", "metadata": `{ "a" : [1, 2] }`})
		ok(t, a.do("PUT", base+"/values/m", body, "Content-Type", ct), nil)
		if rec := a.do("GET", base+"/values/m", nil); rec.Body.String() != "hello" {
			t.Fatalf("multipart value: %q", rec.Body.String())
		}
		ok(t, a.do("GET", base+"/metadata/m", nil), &meta)
		if string(meta) != `{"a":[1,2]}` {
			t.Fatalf("metadata %s", meta)
		}
		items := a.listAll(base, "", 1000)
		if len(items) != 3 || items[2].Name != "m" || string(items[2].Metadata) != `{"a":[1,2]}` || items[0].Metadata != nil {
			t.Fatalf("listing %+v", items)
		}

		// Overwrite drops the metadata; delete is idempotent.
		ok(t, a.do("PUT", base+"/values/m", strings.NewReader("v2")), nil)
		ok(t, a.do("GET", base+"/metadata/m", nil), &meta)
		if string(meta) != "null" {
			t.Fatalf("metadata after overwrite: %s", meta)
		}
		ok(t, a.do("DELETE", base+"/values/m", nil), nil)
		ok(t, a.do("DELETE", base+"/values/m", nil), nil)
		fails(t, a.do("GET", base+"/values/m", nil), 404, 10009)

		for _, c := range []struct {
			name   string
			parts  map[string]string
			status int
			code   int
		}{
			{"no value part", map[string]string{"metadata": "{}"}, 400, 10029},
			{"metadata not JSON", map[string]string{"value": "v", "metadata": "{"}, 400, 10047},
			{"metadata too large", map[string]string{"value": "v", "metadata": `{"m":"` + strings.Repeat("m", kv.MaxMetadataBytes-7) + `"}`}, 413, 10047},
			{"metadata a string", map[string]string{"value": "v", "metadata": `"m"`}, 400, 10047},
			{"metadata a number", map[string]string{"value": "v", "metadata": `5`}, 400, 10047},
			{"metadata an array", map[string]string{"value": "v", "metadata": `[{"a":1}]`}, 400, 10047},
		} {
			t.Run(c.name, func(t *testing.T) {
				body, ct := multipartBody(t, c.parts)
				fails(t, a.do("PUT", base+"/values/bad", body, "Content-Type", ct), c.status, c.code)
				fails(t, a.do("GET", base+"/values/bad", nil), 404, 10009)
			})
		}
		// Exactly the limit is fine: 1024 bytes serialised.
		body, ct = multipartBody(t, map[string]string{"value": "v", "metadata": `{"m":"` + strings.Repeat("m", kv.MaxMetadataBytes-8) + `"}`})
		ok(t, a.do("PUT", base+"/values/max", body, "Content-Type", ct), nil)
		// A broken multipart body is a 400.
		fails(t, a.do("PUT", base+"/values/bad", strings.NewReader("--x\r\nnot a part"), "Content-Type", "multipart/form-data; boundary=x"), 400, 10029)
		fails(t, a.do("PUT", base+"/values/bad", strings.NewReader("v"), "Content-Type", "multipart/form-data"), 400, 10029)
	})
}

func multipartBody(_ testing.TB, parts map[string]string) (*bytes.Buffer, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, n := range slices.Sorted(maps.Keys(parts)) {
		w.WriteField(n, parts[n]) // writes to a bytes.Buffer do not fail
	}
	w.Close()
	return &b, w.FormDataContentType()
}

// TestHostileKeys: keys come from the escaped path, decoded once; nothing a
// key holds can reach outside its namespace.
func TestHostileKeys(t *testing.T) {
	each(t, kv.Options{}, func(t *testing.T, a api, _ *kv.Server) {
		nsA := a.createNS(account, "a")
		nsB := a.createNS(account, "b")
		base := nsBase(account) + "/" + nsA
		for _, c := range []struct {
			raw    string // as sent in the path
			key    string // the key it names, when accepted
			status int
			code   int
		}{
			{raw: "a%2Fb", key: "a/b"},
			{raw: "a/b/c", key: "a/b/c"},
			{raw: "..%2F..%2F" + nsB + "%2Fvalues%2Fx", key: "../../" + nsB + "/values/x"},
			{raw: "../../" + nsB + "/values/y", key: "../../" + nsB + "/values/y"},
			{raw: "./x", key: "./x"},
			{raw: "%2E%2E%2Fz", key: "../z"},
			{raw: "%252F", key: "%2F"},
			{raw: "a+b", key: "a+b"},
			{raw: "%E2%82%AC", key: "€"},
			{raw: "%F0%9F%91%A8%E2%80%8D%F0%9F%91%A9", key: "👨\u200d👩"}, // a joiner is no whitespace
			{raw: strings.Repeat("k", 512), key: strings.Repeat("k", 512)},
			{raw: "", status: 400, code: 10042},
			{raw: ".", status: 400, code: 10042},
			{raw: "..", status: 400, code: 10042},
			{raw: "%2E", status: 400, code: 10042},
			{raw: "%2E%2E", status: 400, code: 10042},
			{raw: "%FF", status: 400, code: 10042},
			{raw: "a%C3%28", status: 400, code: 10042},
			{raw: "%ED%A0%80", status: 400, code: 10042}, // a UTF-16 surrogate
			// Printable, non-whitespace characters only, as Cloudflare's API
			// reference says: no NUL, controls or whitespace of any kind.
			{raw: "a%00b", status: 400, code: 10042},
			{raw: "a%20b+c", status: 400, code: 10042},
			{raw: "%20", status: 400, code: 10042},
			{raw: "a%09b", status: 400, code: 10042},
			{raw: "a%0Ab", status: 400, code: 10042},
			{raw: "a%0D", status: 400, code: 10042},
			{raw: "%01", status: 400, code: 10042},
			{raw: "a%7Fb", status: 400, code: 10042},
			{raw: "a%C2%85b", status: 400, code: 10042},    // NEL
			{raw: "a%C2%A0b", status: 400, code: 10042},    // no-break space
			{raw: "a%E2%80%A8b", status: 400, code: 10042}, // line separator
			{raw: "a%E3%80%80b", status: 400, code: 10042}, // ideographic space
			{raw: strings.Repeat("k", 513), status: 414, code: 10030},
			{raw: strings.Repeat("%E2%82%AC", 171), status: 414, code: 10030}, // 513 bytes decoded, 1539 sent
			{raw: strings.Repeat("k", 512) + "%2F", status: 414, code: 10030},
		} {
			t.Run(c.raw[:min(len(c.raw), 30)], func(t *testing.T) {
				if c.status != 0 {
					for _, m := range []string{"PUT", "GET", "DELETE"} {
						fails(t, a.do(m, base+"/values/"+c.raw, strings.NewReader("v")), c.status, c.code)
					}
					fails(t, a.do("GET", base+"/metadata/"+c.raw, nil), c.status, c.code)
					return
				}
				ok(t, a.do("PUT", base+"/values/"+c.raw, strings.NewReader("v:"+c.key)), nil)
				if rec := a.do("GET", base+"/values/"+c.raw, nil); rec.Body.String() != "v:"+c.key {
					t.Fatalf("get %q: %d %q", c.raw, rec.Code, rec.Body.String())
				}
				items := a.listAll(base, c.key, 10)
				if len(items) == 0 || items[0].Name != c.key {
					t.Fatalf("listing for %q: %+v", c.key, items)
				}
			})
		}
		// Nothing reached namespace b, and its keys are unaffected.
		if items := a.listAll(nsBase(account)+"/"+nsB, "", 1000); len(items) != 0 {
			t.Fatalf("namespace b got %+v", items)
		}
		// "a/b" sent with a literal slash and with %2F is one key.
		if rec := a.do("GET", base+"/values/a/b", nil); rec.Body.String() != "v:a/b" {
			t.Fatalf("a/b: %q", rec.Body.String())
		}
	})
}

func TestExpiration(t *testing.T) {
	clk := newClock()
	each(t, kv.Options{Now: clk.Now}, func(t *testing.T, a api, _ *kv.Server) {
		base := nsBase(account) + "/" + a.createNS(account, "e")
		now := clk.Unix()
		for _, c := range []struct {
			query  string
			status int
			code   int
			exp    int64
		}{
			{query: "expiration_ttl=60", exp: now + 60},
			{query: "expiration_ttl=3600", exp: now + 3600},
			{query: fmt.Sprintf("expiration=%d", now+60), exp: now + 60},
			{query: fmt.Sprintf("expiration=%d&expiration_ttl=120", now+600), exp: now + 120}, // TTL wins
			// Cloudflare types both as numbers: a whole number in any
			// decimal form is that number of seconds.
			{query: "expiration_ttl=300.0", exp: now + 300},
			{query: "expiration_ttl=3e2", exp: now + 300},
			{query: "expiration_ttl=6.0E1", exp: now + 60},
			{query: fmt.Sprintf("expiration=%d.000", now+90), exp: now + 90},
			{query: "expiration_ttl=300.5", status: 400, code: 10034},
			{query: "expiration_ttl=1e400", status: 400, code: 10034},
			{query: "expiration_ttl=0x12C", status: 400, code: 10034},
			{query: "expiration_ttl=Inf", status: 400, code: 10034},
			{query: "expiration_ttl=300.", status: 400, code: 10034},
			{query: "expiration_ttl=9007199254740993.0", status: 400, code: 10034}, // beyond exact float64
			{query: fmt.Sprintf("expiration=%d.5", now+90), status: 400, code: 10033},
			{query: "expiration_ttl=59", status: 400, code: 10034},
			{query: "expiration_ttl=0", status: 400, code: 10034},
			{query: "expiration_ttl=-5", status: 400, code: 10034},
			{query: "expiration_ttl=1.5", status: 400, code: 10034},
			{query: "expiration_ttl=", status: 400, code: 10034},
			{query: "expiration_ttl=9223372036854775807", status: 400, code: 10034},
			{query: fmt.Sprintf("expiration=%d", now+59), status: 400, code: 10033},
			{query: fmt.Sprintf("expiration=%d", now-1), status: 400, code: 10033},
			{query: "expiration=soon", status: 400, code: 10033},
		} {
			key := "k-" + strings.NewReplacer("=", "-", "&", "-", "+", "-").Replace(c.query)
			rec := a.do("PUT", base+"/values/"+key+"?"+c.query, strings.NewReader("v"))
			if c.status != 0 {
				fails(t, rec, c.status, c.code)
				fails(t, a.do("GET", base+"/values/"+key, nil), 404, 10009)
				continue
			}
			ok(t, rec, nil)
			items := a.listAll(base, key, 10)
			if len(items) != 1 || items[0].Expiration != c.exp {
				t.Fatalf("%s: listing %+v, want expiration %d", c.query, items, c.exp)
			}
		}
		// A key is there up to the second before its expiration and gone at
		// it, from every read.
		ok(t, a.do("PUT", base+"/values/short?expiration_ttl=60", strings.NewReader("s")), nil)
		ok(t, a.do("PUT", base+"/values/renewed?expiration_ttl=60", strings.NewReader("r")), nil)
		ok(t, a.do("PUT", base+"/values/renewed", strings.NewReader("r2")), nil) // no expiry any more
		clk.Add(59 * time.Second)
		if rec := a.do("GET", base+"/values/short", nil); rec.Code != 200 {
			t.Fatalf("expired early: %d", rec.Code)
		}
		clk.Add(time.Second)
		fails(t, a.do("GET", base+"/values/short", nil), 404, 10009)
		fails(t, a.do("GET", base+"/metadata/short", nil), 404, 10009)
		names := map[string]bool{}
		for _, it := range a.listAll(base, "", 10) {
			names[it.Name] = true
		}
		if names["short"] || names["k-expiration_ttl-60"] || !names["renewed"] || !names["k-expiration_ttl-3600"] {
			t.Fatalf("listing after expiry: %v", names)
		}
		if rec := a.do("GET", base+"/values/renewed", nil); rec.Body.String() != "r2" {
			t.Fatalf("renewed key: %d %q", rec.Code, rec.Body.String())
		}
		// An expired key can be written again.
		ok(t, a.do("PUT", base+"/values/short", strings.NewReader("again")), nil)
		if rec := a.do("GET", base+"/values/short", nil); rec.Body.String() != "again" {
			t.Fatalf("rewritten: %q", rec.Body.String())
		}
	})
}

func TestListKeys(t *testing.T) {
	each(t, kv.Options{}, func(t *testing.T, a api, _ *kv.Server) {
		base := nsBase(account) + "/" + a.createNS(account, "l")
		var want []string
		var pairs []map[string]any
		for i := range 1005 {
			k := fmt.Sprintf("k%04d", i)
			if i%2 == 1 {
				k = fmt.Sprintf("odd/%04d", i)
			}
			want = append(want, k)
			pairs = append(pairs, map[string]any{"key": k, "value": "v", "metadata": map[string]int{"i": i}})
		}
		slices.Sort(want)
		body, _ := json.Marshal(pairs)
		ok(t, a.do("PUT", base+"/bulk", bytes.NewReader(body)), nil)

		// Default limit 1000, then the rest.
		var items []keyItem
		e := ok(t, a.do("GET", base+"/keys", nil), &items)
		var info cursorInfo
		json.Unmarshal(*e.ResultInfo, &info)
		if len(items) != 1000 || info.Count != 1000 || info.Cursor == "" {
			t.Fatalf("first page: %d items, %+v", len(items), info)
		}
		e = ok(t, a.do("GET", base+"/keys?cursor="+info.Cursor, nil), &items)
		json.Unmarshal(*e.ResultInfo, &info)
		if len(items) != 5 || info.Cursor != "" || items[4].Name != want[1004] {
			t.Fatalf("second page: %+v %+v", items, info)
		}
		for _, limit := range []int{10, 17, 1000} {
			got := names(a.listAll(base, "", limit))
			if !slices.Equal(got, want) {
				t.Fatalf("limit %d: %d keys, want %d", limit, len(got), len(want))
			}
		}
		odd := names(a.listAll(base, "odd/", 10))
		if len(odd) != 502 || !slices.IsSorted(odd) || !strings.HasPrefix(odd[0], "odd/") {
			t.Fatalf("prefix odd/: %d keys", len(odd))
		}
		if got := a.listAll(base, "nothing", 10); len(got) != 0 {
			t.Fatalf("prefix nothing: %v", got)
		}
		// Exactly a full last page: no cursor after it.
		e = ok(t, a.do("GET", base+"/keys?prefix=k00&limit=50", nil), &items)
		json.Unmarshal(*e.ResultInfo, &info)
		if len(items) != 50 || info.Cursor != "" {
			t.Fatalf("prefix k00: %d items, cursor %q", len(items), info.Cursor)
		}
		// Metadata comes along.
		items = a.listAll(base, "k0002", 10)
		if len(items) != 1 || string(items[0].Metadata) != `{"i":2}` {
			t.Fatalf("metadata in listing: %+v", items)
		}
		for _, q := range []struct {
			query string
			code  int
		}{
			{"limit=9", 10028}, {"limit=1001", 10028}, {"limit=0", 10028}, {"limit=ten", 10028},
			{"cursor=!!!", 10041}, {"cursor=" + base64.RawURLEncoding.EncodeToString([]byte{0xff}), 10041},
		} {
			fails(t, a.do("GET", base+"/keys?"+q.query, nil), 400, q.code)
		}
		fails(t, a.do("GET", nsBase(account)+"/"+strings.Repeat("a", 32)+"/keys", nil), 404, 10013)
	})
}

func names(items []keyItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Name)
	}
	return out
}

type bulkResult struct {
	SuccessfulKeyCount int      `json:"successful_key_count"`
	UnsuccessfulKeys   []string `json:"unsuccessful_keys"`
}

func TestBulk(t *testing.T) {
	clk := newClock()
	each(t, kv.Options{Now: clk.Now}, func(t *testing.T, a api, _ *kv.Server) {
		base := nsBase(account) + "/" + a.createNS(account, "b")
		now := clk.Unix()
		var res bulkResult
		ok(t, a.do("PUT", base+"/bulk", strings.NewReader(`[
			{"key":"plain","value":"p"},
			{"key":"bin","value":"`+base64.StdEncoding.EncodeToString([]byte{0, 255})+`","base64":true},
			{"key":"ttl","value":"t","expiration_ttl":60,"metadata":{"m":1}},
			{"key":"exp","value":"e","expiration":`+fmt.Sprint(now+100)+`},
			{"key":"both","value":"b","expiration":`+fmt.Sprint(now+1000)+`,"expiration_ttl":70},
			{"key":"dup","value":"first"},
			{"key":"dup","value":"second"},
			{"key":"float-ttl","value":"f","expiration_ttl":300.0,"metadata":null},
			{"key":"float-exp","value":"g","expiration":`+fmt.Sprint(now+200)+`.0,"expiration_ttl":null},
			{"key":"empty","value":"","metadata":{}}
		]`)), &res)
		if res.SuccessfulKeyCount != 10 || res.UnsuccessfulKeys == nil || len(res.UnsuccessfulKeys) != 0 {
			t.Fatalf("bulk write result %+v", res)
		}
		for k, v := range map[string]string{"plain": "p", "bin": "\x00\xff", "ttl": "t", "exp": "e", "dup": "second"} {
			if rec := a.do("GET", base+"/values/"+k, nil); rec.Body.String() != v {
				t.Errorf("%s = %q, want %q", k, rec.Body.String(), v)
			}
		}
		exp := map[string]int64{}
		for _, it := range a.listAll(base, "", 10) {
			exp[it.Name] = it.Expiration
		}
		if exp["ttl"] != now+60 || exp["exp"] != now+100 || exp["both"] != now+70 || exp["plain"] != 0 ||
			exp["float-ttl"] != now+300 || exp["float-exp"] != now+200 {
			t.Fatalf("expirations %v", exp)
		}
		var meta json.RawMessage
		ok(t, a.do("GET", base+"/metadata/empty", nil), &meta)
		if string(meta) != "{}" {
			t.Fatalf("metadata of empty: %s", meta)
		}
		ok(t, a.do("POST", base+"/bulk/delete", strings.NewReader(`["float-ttl","float-exp","empty"]`)), nil)

		// Both delete forms.
		ok(t, a.do("DELETE", base+"/bulk", strings.NewReader(`["plain","missing"]`)), &res)
		if res.SuccessfulKeyCount != 2 {
			t.Fatalf("bulk delete result %+v", res)
		}
		ok(t, a.do("POST", base+"/bulk/delete", strings.NewReader(`["bin","ttl"]`)), nil)
		if got := names(a.listAll(base, "", 10)); !slices.Equal(got, []string{"both", "dup", "exp"}) {
			t.Fatalf("after deletes: %v", got)
		}
		ok(t, a.do("POST", base+"/bulk/delete", strings.NewReader(`[]`)), nil)
		ok(t, a.do("PUT", base+"/bulk", strings.NewReader(`[]`)), nil)

		// Exactly the pair limit is fine, one more is refused.
		ok(t, a.do("PUT", base+"/bulk", bytes.NewReader(bulkOf(kv.MaxBulkPairs))), &res)
		if res.SuccessfulKeyCount != kv.MaxBulkPairs {
			t.Fatalf("bulk of %d: %+v", kv.MaxBulkPairs, res)
		}
		fails(t, a.do("PUT", base+"/bulk", bytes.NewReader(bulkOf(kv.MaxBulkPairs+1))), 413, 10024)
		fails(t, a.do("POST", base+"/bulk/delete", bytes.NewReader(keysOf(kv.MaxBulkPairs+1))), 413, 10024)
		ok(t, a.do("POST", base+"/bulk/delete", bytes.NewReader(keysOf(kv.MaxBulkPairs))), &res)
		if got := a.listAll(base, "n", 1000); len(got) != 0 {
			t.Fatalf("%d keys left after deleting them all", len(got))
		}

		// A bad element refuses the whole request and writes nothing.
		bigMeta := `{"m":"` + strings.Repeat("m", kv.MaxMetadataBytes-7) + `"}`
		for _, c := range []struct {
			name, body string
			status     int
			code       int
		}{
			{"not an array", `{"key":"a","value":"b"}`, 400, 10029},
			{"malformed", `[{"key":"a","value":"b"}`, 400, 10029},
			{"trailing", `[] []`, 400, 10029},
			{"wrong type", `[{"key":1,"value":"b"}]`, 400, 10029},
			{"empty key", `[{"key":"new1","value":"a"},{"key":"","value":"b"}]`, 400, 10042},
			{"dot key", `[{"key":"new1","value":"a"},{"key":"..","value":"b"}]`, 400, 10042},
			{"long key", `[{"key":"new1","value":"a"},{"key":"` + strings.Repeat("k", 513) + `","value":"b"}]`, 400, 10030},
			{"bad base64", `[{"key":"new1","value":"a"},{"key":"x","value":"!!","base64":true}]`, 400, 10012},
			{"short ttl", `[{"key":"new1","value":"a"},{"key":"x","value":"b","expiration_ttl":30}]`, 400, 10034},
			{"past expiration", `[{"key":"new1","value":"a"},{"key":"x","value":"b","expiration":5}]`, 400, 10033},
			{"big metadata", `[{"key":"new1","value":"a"},{"key":"x","value":"b","metadata":` + bigMeta + `}]`, 413, 10047},
			{"no value", `[{"key":"new1","value":"a"},{"key":"x"}]`, 400, 10012},
			{"null value", `[{"key":"new1","value":"a"},{"key":"x","value":null}]`, 400, 10012},
			{"no value, base64", `[{"key":"new1","value":"a"},{"key":"x","base64":true}]`, 400, 10012},
			{"string metadata", `[{"key":"new1","value":"a"},{"key":"x","value":"b","metadata":"m"}]`, 400, 10047},
			{"number metadata", `[{"key":"new1","value":"a"},{"key":"x","value":"b","metadata":1}]`, 400, 10047},
			{"array metadata", `[{"key":"new1","value":"a"},{"key":"x","value":"b","metadata":[{}]}]`, 400, 10047},
			{"bool metadata", `[{"key":"new1","value":"a"},{"key":"x","value":"b","metadata":true}]`, 400, 10047},
			{"space in key", `[{"key":"new1","value":"a"},{"key":"a b","value":"b"}]`, 400, 10042},
			{"NUL in key", `[{"key":"new1","value":"a"},{"key":"a\u0000","value":"b"}]`, 400, 10042},
			{"half a second", `[{"key":"new1","value":"a"},{"key":"x","value":"b","expiration_ttl":300.5}]`, 400, 10034},
			{"ttl as string", `[{"key":"new1","value":"a"},{"key":"x","value":"b","expiration_ttl":"300"}]`, 400, 10034},
			{"expiration as string", `[{"key":"new1","value":"a"},{"key":"x","value":"b","expiration":"soon"}]`, 400, 10033},
			{"fractional expiration", `[{"key":"new1","value":"a"},{"key":"x","value":"b","expiration":` + fmt.Sprint(now+200) + `.5}]`, 400, 10033},
		} {
			t.Run(c.name, func(t *testing.T) {
				fails(t, a.do("PUT", base+"/bulk", strings.NewReader(c.body)), c.status, c.code)
				fails(t, a.do("GET", base+"/values/new1", nil), 404, 10009)
			})
		}
		for _, c := range []struct {
			name, body string
			code       int
		}{
			{"objects", `[{"key":"a"}]`, 10029},
			{"empty key", `["dup",""]`, 10042},
			{"space in key", `["dup","a b"]`, 10042},
			{"NUL in key", `["dup","a\u0000b"]`, 10042},
			{"tab in key", `["dup","\t"]`, 10042},
			{"not JSON", `[dup]`, 10029},
		} {
			t.Run("delete "+c.name, func(t *testing.T) {
				fails(t, a.do("DELETE", base+"/bulk", strings.NewReader(c.body)), 400, c.code)
				fails(t, a.do("POST", base+"/bulk/delete", strings.NewReader(c.body)), 400, c.code)
				if rec := a.do("GET", base+"/values/dup", nil); rec.Code != 200 {
					t.Fatal("a refused bulk delete deleted dup")
				}
			})
		}
		missing := nsBase(account) + "/" + strings.Repeat("b", 32)
		fails(t, a.do("PUT", missing+"/bulk", strings.NewReader(`[{"key":"a","value":"b"}]`)), 404, 10013)
		fails(t, a.do("PUT", missing+"/bulk", strings.NewReader(`[]`)), 404, 10013)
		fails(t, a.do("POST", missing+"/bulk/delete", strings.NewReader(`["a"]`)), 404, 10013)
	})
}

func bulkOf(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"key":"n%05d","value":"v"}`, i)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func keysOf(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"n%05d"`, i)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func TestRouting(t *testing.T) {
	each(t, kv.Options{}, func(t *testing.T, a api, _ *kv.Server) {
		id := a.createNS(account, "r")
		base := nsBase(account) + "/" + id
		for _, c := range []struct {
			method, path string
			status       int
			code         int
			allow        string
		}{
			{"GET", "/", 404, 10025, ""},
			{"GET", "/client/v4/accounts/a", 404, 10025, ""},
			{"GET", "/client/v4/accounts/a/storage/kv", 404, 10025, ""},
			{"GET", base + "/values", 404, 10025, ""},
			{"GET", base + "/other", 404, 10025, ""},
			{"GET", base + "/keys/x", 404, 10025, ""},
			{"GET", nsBase(account) + "x", 404, 10025, ""},
			{"PATCH", nsBase(account), 405, 10025, "GET, POST"},
			{"POST", base, 405, 10025, "GET, PUT, DELETE"},
			{"POST", base + "/values/k", 405, 10025, "GET, PUT, DELETE"},
			{"PUT", base + "/metadata/k", 405, 10025, "GET"},
			{"DELETE", base + "/keys", 405, 10025, "GET"},
			{"GET", base + "/bulk", 405, 10025, "PUT, DELETE"},
			{"GET", base + "/bulk/delete", 405, 10025, "POST"},
			{"POST", "/_catch22/health", 405, 10025, "GET"},
		} {
			rec := a.do(c.method, c.path, nil)
			fails(t, rec, c.status, c.code)
			if got := rec.Header().Get("Allow"); got != c.allow {
				t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
			}
		}
		var h map[string]string
		ok(t, a.do("GET", "/_catch22/health", nil), &h)
		if h["status"] != "ok" || h["store"] != t.Name()[len("TestRouting/"):] {
			t.Fatalf("health %v", h)
		}
	})
}

func TestToken(t *testing.T) {
	each(t, kv.Options{Token: "s3cret"}, func(t *testing.T, a api, _ *kv.Server) {
		id := a.createNS(account, "t")
		base := nsBase(account) + "/" + id
		for _, auth := range []string{"-", "Bearer wrong", "Bearer s3cret2", "s3cret", "Basic s3cret", "Bearer "} {
			header := []string{"Authorization", auth}
			if auth == "-" {
				header = []string{"X-None", "1"}
				a.token = ""
			}
			for _, p := range []string{nsBase(account), base + "/values/k", base + "/keys", "/_catch22/faults", "/nowhere"} {
				rec := api{t: t, h: a.h}.do("GET", p, nil, header...)
				fails(t, rec, 401, 10000)
				if rec.Header().Get("WWW-Authenticate") == "" {
					t.Fatal("401 without WWW-Authenticate")
				}
			}
			a.token = "s3cret"
		}
		ok(t, api{t: t, h: a.h}.do("GET", "/_catch22/health", nil), nil) // health stays open
		ok(t, a.do("PUT", base+"/values/k", strings.NewReader("v")), nil)
		if rec := a.do("GET", base+"/values/k", nil); rec.Body.String() != "v" {
			t.Fatal("authorised read failed")
		}
	})
}

// TestAfterClose: a closed server answers 503 in the envelope, not a 500
// or a panic.
func TestAfterClose(t *testing.T) {
	each(t, kv.Options{}, func(t *testing.T, a api, s *kv.Server) {
		id := a.createNS(account, "c")
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		fails(t, a.do("GET", nsBase(account)+"/"+id+"/values/k", nil), 503, 10001)
		fails(t, a.do("PUT", nsBase(account)+"/"+id+"/values/k", strings.NewReader("v")), 503, 10001)
		fails(t, a.do("GET", nsBase(account), nil), 503, 10001)
	})
}

func TestReopen(t *testing.T) {
	path := t.TempDir() + "/kv.db"
	s := newServer(t, "bbolt", kv.Options{Path: path})
	a := api{t: t, h: s.Handler()}
	id := a.createNS(account, "durable")
	ok(t, a.do("PUT", nsBase(account)+"/"+id+"/values/k?expiration_ttl=600", strings.NewReader("kept")), nil)
	if _, err := kv.New(kv.Options{Path: path}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open of a database in use: %v", err)
	}
	s.Close()
	s = newServer(t, "bbolt", kv.Options{Path: path})
	a = api{t: t, h: s.Handler()}
	if rec := a.do("GET", nsBase(account)+"/"+id+"/values/k", nil); rec.Body.String() != "kept" {
		t.Fatalf("after reopen: %d %q", rec.Code, rec.Body.String())
	}
	var ns []kv.Namespace
	ok(t, a.do("GET", nsBase(account), nil), &ns)
	if len(ns) != 1 || ns[0].ID != id || ns[0].Title != "durable" {
		t.Fatalf("namespaces after reopen: %v", ns)
	}
	if _, err := kv.New(kv.Options{}); err == nil {
		t.Fatal("New without a path or Memory succeeded")
	}
}

var _ = http.StatusOK
