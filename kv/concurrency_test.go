package kv_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/catch22/catch22/kv"
)

// entry is the model of one key.
type entry struct {
	value    string
	metadata string // compact JSON, "" for none
}

// TestConcurrentMix: 64 goroutines run every operation against one server
// at once. Each goroutine owns its keys (prefix gNN/) and its namespaces,
// keeps a model of them, and checks every read of its own keys against
// it; reads of others' keys only check they answer sanely. At the end the
// stored state must equal the union of the models.
func TestConcurrentMix(t *testing.T) {
	const goroutines, ops = 64, 120
	for _, kind := range stores {
		t.Run(kind, func(t *testing.T) {
			s := newServer(t, kind, kv.Options{})
			srv := httptest.NewServer(s.Handler())
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: goroutines}}
			shared := api{t: t, h: s.Handler()}.createNS(account, "shared")
			base := srv.URL + nsBase(account) + "/" + shared

			models := make([]map[string]entry, goroutines)
			errs := make(chan error, goroutines)
			for g := range goroutines {
				go func() {
					w := &worker{g: g, c: client, srv: srv.URL, base: base, rnd: rand.New(rand.NewPCG(uint64(g), 7)), model: map[string]entry{}}
					err := w.run(ops)
					models[g] = w.model
					errs <- err
				}()
			}
			for range goroutines {
				if err := <-errs; err != nil {
					t.Error(err)
				}
			}
			if t.Failed() {
				return
			}
			want := map[string]entry{}
			for _, m := range models {
				maps.Copy(want, m)
			}
			a := api{t: t, h: s.Handler()}
			items := a.listAll(nsBase(account)+"/"+shared, "", 1000)
			if got, wantKeys := names(items), slices.Sorted(maps.Keys(want)); !slices.Equal(got, wantKeys) {
				t.Fatalf("final keys: %d, model: %d\n got %v\nwant %v", len(got), len(wantKeys), got, wantKeys)
			}
			for _, it := range items {
				e := want[it.Name]
				if string(it.Metadata) != e.metadata && !(e.metadata == "" && it.Metadata == nil) {
					t.Fatalf("%s: metadata %s, model %q", it.Name, it.Metadata, e.metadata)
				}
				rec := a.do("GET", nsBase(account)+"/"+shared+"/values/"+url.PathEscape(it.Name), nil)
				if rec.Body.String() != e.value {
					t.Fatalf("%s: value %q, model %q", it.Name, rec.Body.String(), e.value)
				}
			}
			var all []kv.Namespace
			ok(t, a.do("GET", nsBase(account)+"?per_page=100", nil), &all)
			if len(all) != 1 || all[0].ID != shared {
				t.Fatalf("namespaces left: %v", all) // every worker deletes its own
			}
		})
	}
}

type worker struct {
	g     int
	c     *http.Client
	srv   string
	base  string
	rnd   *rand.Rand
	model map[string]entry
	ns    string // the worker's own namespace id, "" when it has none
	title string
}

func (w *worker) key() string { return fmt.Sprintf("g%02d/k%d", w.g, w.rnd.IntN(12)) }

func (w *worker) req(method, u string, body io.Reader, ctype string) (int, []byte, error) {
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		return 0, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := w.c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// want runs a request and fails unless it answers status.
func (w *worker) want(status int, method, u string, body io.Reader, ctype string) ([]byte, error) {
	code, b, err := w.req(method, u, body, ctype)
	if err == nil && code != status {
		err = fmt.Errorf("%s %s: %d, want %d: %s", method, u, code, status, b)
	}
	return b, err
}

func result(b []byte, v any) error {
	var e struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return err
	}
	return json.Unmarshal(e.Result, v)
}

func (w *worker) run(ops int) error {
	for i := range ops {
		if err := w.step(i); err != nil {
			return fmt.Errorf("worker %d, op %d: %w", w.g, i, err)
		}
	}
	if w.ns != "" {
		_, err := w.want(200, "DELETE", w.srv+nsBase(account)+"/"+w.ns, nil, "")
		return err
	}
	return nil
}

func (w *worker) step(i int) error {
	k := w.key()
	u := w.base + "/values/" + url.PathEscape(k)
	switch op := w.rnd.IntN(12); op {
	case 0, 1: // raw put
		v := fmt.Sprintf("raw %d/%d %s", w.g, i, strings.Repeat("x", w.rnd.IntN(2000)))
		if _, err := w.want(200, "PUT", u+"?expiration_ttl=3600", strings.NewReader(v), ""); err != nil {
			return err
		}
		w.model[k] = entry{value: v}
	case 2: // multipart put with metadata
		v, m := fmt.Sprintf("mp %d/%d", w.g, i), fmt.Sprintf(`{"g":%d,"i":%d}`, w.g, i)
		var b bytes.Buffer
		mw := newMultipart(&b, map[string]string{"value": v, "metadata": m})
		if _, err := w.want(200, "PUT", u, &b, mw); err != nil {
			return err
		}
		w.model[k] = entry{value: v, metadata: m}
	case 3, 4: // get own key
		code, b, err := w.req("GET", u, nil, "")
		if err != nil {
			return err
		}
		e, ok := w.model[k]
		switch {
		case ok && (code != 200 || string(b) != e.value):
			return fmt.Errorf("GET %s: %d %.40q, model %.40q", k, code, b, e.value)
		case !ok && code != 404:
			return fmt.Errorf("GET %s: %d, model: absent", k, code)
		}
	case 5: // metadata
		code, b, err := w.req("GET", w.base+"/metadata/"+url.PathEscape(k), nil, "")
		if err != nil {
			return err
		}
		e, ok := w.model[k]
		if !ok {
			if code != 404 {
				return fmt.Errorf("metadata of absent %s: %d", k, code)
			}
			break
		}
		var m json.RawMessage
		if err := result(b, &m); err != nil || code != 200 {
			return fmt.Errorf("metadata %s: %d %s %v", k, code, b, err)
		}
		if want := cmpOr(e.metadata, "null"); string(m) != want {
			return fmt.Errorf("metadata %s: %s, model %s", k, m, want)
		}
	case 6: // delete
		if _, err := w.want(200, "DELETE", u, nil, ""); err != nil {
			return err
		}
		delete(w.model, k)
	case 7: // list own prefix
		b, err := w.want(200, "GET", w.base+"/keys?limit=10&prefix="+url.QueryEscape(fmt.Sprintf("g%02d/", w.g)), nil, "")
		if err != nil {
			return err
		}
		var items []keyItem
		if err := result(b, &items); err != nil {
			return err
		}
		want := slices.Sorted(maps.Keys(w.model))
		if got := names(items); !slices.Equal(got, want[:min(10, len(want))]) {
			return fmt.Errorf("list: %v, model %v", got, want)
		}
	case 8: // bulk write
		var pairs []map[string]any
		for range 1 + w.rnd.IntN(5) {
			k := w.key()
			v := fmt.Sprintf("bulk %d/%d %s", w.g, i, k)
			pairs = append(pairs, map[string]any{"key": k, "value": v, "metadata": map[string]string{"k": k}})
			m, _ := json.Marshal(map[string]string{"k": k})
			w.model[k] = entry{value: v, metadata: string(m)}
		}
		body, _ := json.Marshal(pairs)
		if _, err := w.want(200, "PUT", w.base+"/bulk", bytes.NewReader(body), "application/json"); err != nil {
			return err
		}
	case 9: // bulk delete, both forms
		keys := []string{w.key(), w.key()}
		body, _ := json.Marshal(keys)
		method, u := "DELETE", w.base+"/bulk"
		if i%2 == 0 {
			method, u = "POST", w.base+"/bulk/delete"
		}
		if _, err := w.want(200, method, u, bytes.NewReader(body), "application/json"); err != nil {
			return err
		}
		for _, k := range keys {
			delete(w.model, k)
		}
	case 10: // someone else's key: any consistent answer
		other := fmt.Sprintf("g%02d/k%d", w.rnd.IntN(64), w.rnd.IntN(12))
		code, _, err := w.req("GET", w.base+"/values/"+url.PathEscape(other), nil, "")
		if err != nil {
			return err
		}
		if code != 200 && code != 404 {
			return fmt.Errorf("GET %s: %d", other, code)
		}
	case 11: // namespace life cycle of the worker's own namespace
		return w.namespaceStep(i)
	}
	return nil
}

func (w *worker) namespaceStep(i int) error {
	nsURL := w.srv + nsBase(account)
	switch {
	case w.ns == "":
		w.title = fmt.Sprintf("g%02d-%d", w.g, i)
		b, err := w.want(200, "POST", nsURL, strings.NewReader(`{"title":"`+w.title+`"}`), "application/json")
		if err != nil {
			return err
		}
		var ns kv.Namespace
		if err := result(b, &ns); err != nil {
			return err
		}
		w.ns = ns.ID
		_, err = w.want(200, "PUT", nsURL+"/"+w.ns+"/values/x", strings.NewReader("x"), "")
		return err
	case i%3 == 0:
		w.title += "r"
		_, err := w.want(200, "PUT", nsURL+"/"+w.ns, strings.NewReader(`{"title":"`+w.title+`"}`), "application/json")
		return err
	case i%3 == 1:
		b, err := w.want(200, "GET", nsURL+"/"+w.ns, nil, "")
		if err != nil {
			return err
		}
		var ns kv.Namespace
		if err := result(b, &ns); err != nil || ns.Title != w.title {
			return fmt.Errorf("namespace %s: %+v %v, model title %q", w.ns, ns, err, w.title)
		}
		return nil
	default:
		if _, err := w.want(200, "DELETE", nsURL+"/"+w.ns, nil, ""); err != nil {
			return err
		}
		_, err := w.want(404, "GET", nsURL+"/"+w.ns+"/values/x", nil, "")
		w.ns = ""
		return err
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// newMultipart writes parts to b and returns the Content-Type.
func newMultipart(b *bytes.Buffer, parts map[string]string) string {
	body, ct := multipartBody(nil, parts)
	b.Write(body.Bytes())
	return ct
}
