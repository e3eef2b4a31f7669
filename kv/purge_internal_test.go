package kv

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// stored counts what a store really holds for namespace ns, expired or
// not, and (for bbolt) the entries of its purge index.
func stored(t *testing.T, st store, ns string) (records, index int) {
	t.Helper()
	switch st := st.(type) {
	case *memoryStore:
		st.mu.RLock()
		defer st.mu.RUnlock()
		n := st.ns[ns]
		if len(n.records) != len(n.keys) {
			t.Fatalf("memory store: %d records, %d sorted keys", len(n.records), len(n.keys))
		}
		return len(n.records), -1
	case *boltStore:
		st.db.View(func(tx *bolt.Tx) error {
			b := tx.Bucket(bktNamespaces).Bucket([]byte(ns))
			records = b.Bucket(bktValues).Stats().KeyN
			index = b.Bucket(bktExpiry).Stats().KeyN
			return nil
		})
		return records, index
	}
	t.Fatalf("unknown store %T", st)
	return 0, 0
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestPurge(t *testing.T) {
	for _, kind := range []string{"memory", "bbolt"} {
		t.Run(kind, func(t *testing.T) {
			clk := &testClock{t: time.Unix(1_800_000_000, 0)}
			o := Options{Now: clk.now, PurgeInterval: 5 * time.Millisecond, Memory: kind == "memory"}
			if kind == "bbolt" {
				o.Path = filepath.Join(t.TempDir(), "kv.db")
			}
			s, err := New(o)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			h := s.Handler()
			ns, err := s.store.createNamespace("a", "t")
			if err != nil {
				t.Fatal(err)
			}
			base := "/client/v4/accounts/a/storage/kv/namespaces/" + ns.ID + "/values/"
			do := func(method, path, body string) int {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(method, path, strings.NewReader(body))
				req.Host = "127.0.0.1:8787" // httptest's example.com is refused
				h.ServeHTTP(rec, req)
				return rec.Code
			}
			for _, q := range []string{"k1?expiration_ttl=60", "k2?expiration_ttl=120", "k3", "k4?expiration_ttl=60"} {
				if code := do("PUT", base+q, "v"); code != 200 {
					t.Fatalf("PUT %s: %d", q, code)
				}
			}
			// k4 is rewritten with a later expiry: the purge at its old
			// expiry must not take it.
			if code := do("PUT", base+"k4?expiration_ttl=600", "v2"); code != 200 {
				t.Fatal(code)
			}
			if r, idx := stored(t, s.store, ns.ID); r != 4 || (kind == "bbolt" && idx != 3) {
				t.Fatalf("before expiry: %d records, %d index entries", r, idx)
			}
			clk.add(60 * time.Second)
			waitFor(t, func() bool { r, _ := stored(t, s.store, ns.ID); return r == 3 })
			clk.add(60 * time.Second)
			waitFor(t, func() bool { r, _ := stored(t, s.store, ns.ID); return r == 2 })
			if code := do("GET", base+"k4", ""); code != 200 {
				t.Fatalf("k4 purged at its old expiry: %d", code)
			}
			if r, idx := stored(t, s.store, ns.ID); r != 2 || (kind == "bbolt" && idx != 1) {
				t.Fatalf("after purge: %d records, %d index entries", r, idx)
			}
			// Deleting a key drops its index entry too.
			if code := do("DELETE", base+"k4", ""); code != 200 {
				t.Fatal(code)
			}
			if r, idx := stored(t, s.store, ns.ID); r != 1 || (kind == "bbolt" && idx != 0) {
				t.Fatalf("after delete: %d records, %d index entries", r, idx)
			}
		})
	}
}

func TestPurgeChunks(t *testing.T) {
	s, err := New(Options{Path: filepath.Join(t.TempDir(), "kv.db"), PurgeInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ns, _ := s.store.createNamespace("a", "t")
	var writes []write
	for i := range purgeChunk*2 + 10 {
		writes = append(writes, write{key: strings.Repeat("k", 1+i%7) + string(rune('a'+i%26)) + itoa(i), rec: record{value: []byte("v"), expiration: 100 + int64(i%3)}})
	}
	writes = append(writes, write{key: "stays", rec: record{value: []byte("v"), expiration: 1000}})
	if err := s.store.put("a", ns.ID, writes); err != nil {
		t.Fatal(err)
	}
	n, err := s.store.purge(500)
	if err != nil || n != len(writes)-1 {
		t.Fatalf("purge: %d, %v; want %d", n, err, len(writes)-1)
	}
	if r, idx := stored(t, s.store, ns.ID); r != 1 || idx != 1 {
		t.Fatalf("left %d records, %d index entries", r, idx)
	}
}

func itoa(i int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
		if i == 0 {
			return string(b)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestRecordEncoding(t *testing.T) {
	for _, r := range []record{
		{value: []byte("v"), expiration: 0},
		{value: []byte{}, metadata: []byte(`{"a":1}`), expiration: 1 << 40},
		{value: make([]byte, 300), metadata: make([]byte, 200), expiration: 5},
	} {
		got, ok := decodeRecord(encodeRecord(r))
		if !ok || string(got.value) != string(r.value) || string(got.metadata) != string(r.metadata) || got.expiration != r.expiration {
			t.Fatalf("round trip of %+v: %+v %v", r, got, ok)
		}
	}
	for _, b := range [][]byte{nil, make([]byte, 8), append(make([]byte, 8), 0x05)} {
		if _, ok := decodeRecord(b); ok {
			t.Fatalf("decoded garbage %v", b)
		}
	}
}
