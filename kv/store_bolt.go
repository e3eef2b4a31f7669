package kv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// boltStore keeps everything in one bbolt file:
//
//	namespaces/<id>/            one bucket per namespace
//	    meta                    uvarint len(account) | account | title
//	    values/<key>            encodeRecord
//	    expiry/<exp><key>       8-byte big-endian expiration, then the key: the purge index
//	titles/<uvarint len(account)><account><title> = <id>   unique titles per account
//
// bbolt syncs the file on every commit, so a write is durable once its
// transaction commits; every method returns only after that. Single-key
// writes go through db.Batch: concurrent writers share one commit and one
// fsync, and each still returns only after the batch holding its write has
// committed.
type boltStore struct {
	db *bolt.DB
}

var (
	bktNamespaces = []byte("namespaces")
	bktTitles     = []byte("titles")
	bktValues     = []byte("values")
	bktExpiry     = []byte("expiry")
	keyMeta       = []byte("meta")
)

// Batching: a batch starts its commit when it holds batchSize writes or
// batchDelay after its first write, whichever comes first. A commit (two
// fdatasyncs) took 1.5 to 4 ms on the 2-core machine measured. A delay near
// that lets the next batch fill while one commits; a much shorter one
// splits batches at high concurrency (more fsyncs per write: 0.1 ms halved
// PUT/s at 32 clients), a longer one only adds to a lone writer's latency.
const (
	batchSize  = 256
	batchDelay = 1 * time.Millisecond
)

func openBolt(path string) (*boltStore, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         time.Second, // another process holding the file lock
		InitialMmapSize: 64 << 20,    // fewer remaps, which block readers, while the file grows
		NoStatistics:    true,        // one mutex less on every transaction
		FreelistType:    bolt.FreelistMapType,
	})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("open %s: the database is in use by another process", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.MaxBatchSize = batchSize
	db.MaxBatchDelay = batchDelay
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bktNamespaces, bktTitles} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &boltStore{db: db}, nil
}

func (s *boltStore) kind() string { return "bbolt" }

func titleKey(account, title string) []byte {
	b := binary.AppendUvarint(nil, uint64(len(account)))
	b = append(b, account...)
	return append(b, title...)
}

func metaValue(account, title string) []byte { return titleKey(account, title) }

// parseMeta splits a namespace's meta value. The slices alias b.
func parseMeta(b []byte) (account, title []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, nil, false
	}
	return b[w : w+int(n)], b[w+int(n):], true
}

// nsBucket returns the bucket of namespace id, and its title, if account
// owns it. It allocates nothing: it runs on every request.
func nsBucket(tx *bolt.Tx, account, id string) (*bolt.Bucket, []byte, error) {
	b := tx.Bucket(bktNamespaces).Bucket([]byte(id))
	if b == nil {
		return nil, nil, errNamespaceNotFound
	}
	owner, title, ok := parseMeta(b.Get(keyMeta))
	if !ok || string(owner) != account {
		return nil, nil, errNamespaceNotFound
	}
	return b, title, nil
}

func mapClosed(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return errClosed
	}
	return err
}

func (s *boltStore) createNamespace(account, title string) (Namespace, error) {
	id := newNamespaceID()
	err := s.db.Update(func(tx *bolt.Tx) error {
		titles := tx.Bucket(bktTitles)
		tk := titleKey(account, title)
		if titles.Get(tk) != nil {
			return errNamespaceExists
		}
		b, err := tx.Bucket(bktNamespaces).CreateBucket([]byte(id))
		if err != nil {
			return err // a clash of 128 random bits
		}
		if err := b.Put(keyMeta, metaValue(account, title)); err != nil {
			return err
		}
		if _, err := b.CreateBucket(bktValues); err != nil {
			return err
		}
		if _, err := b.CreateBucket(bktExpiry); err != nil {
			return err
		}
		return titles.Put(tk, []byte(id))
	})
	if err != nil {
		return Namespace{}, mapClosed(err)
	}
	return Namespace{ID: id, Title: title, SupportsURLEncoding: true}, nil
}

func (s *boltStore) namespaces(account string) ([]Namespace, error) {
	var out []Namespace
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := titleKey(account, "")
		c := tx.Bucket(bktTitles).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			out = append(out, Namespace{ID: string(v), Title: string(k[len(prefix):]), SupportsURLEncoding: true})
		}
		return nil
	})
	return out, mapClosed(err)
}

func (s *boltStore) namespace(account, id string) (Namespace, error) {
	var ns Namespace
	err := s.db.View(func(tx *bolt.Tx) error {
		_, title, err := nsBucket(tx, account, id)
		ns = Namespace{ID: id, Title: string(title), SupportsURLEncoding: true}
		return err
	})
	return ns, mapClosed(err)
}

func (s *boltStore) renameNamespace(account, id, title string) (Namespace, error) {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, old, err := nsBucket(tx, account, id)
		if err != nil {
			return err
		}
		if string(old) == title {
			return nil
		}
		titles := tx.Bucket(bktTitles)
		tk := titleKey(account, title)
		if titles.Get(tk) != nil {
			return errNamespaceExists
		}
		if err := titles.Delete(titleKey(account, string(old))); err != nil {
			return err
		}
		if err := titles.Put(tk, []byte(id)); err != nil {
			return err
		}
		return b.Put(keyMeta, metaValue(account, title))
	})
	if err != nil {
		return Namespace{}, mapClosed(err)
	}
	return Namespace{ID: id, Title: title, SupportsURLEncoding: true}, nil
}

func (s *boltStore) deleteNamespace(account, id string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		_, title, err := nsBucket(tx, account, id)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bktTitles).Delete(titleKey(account, string(title))); err != nil {
			return err
		}
		return tx.Bucket(bktNamespaces).DeleteBucket([]byte(id))
	})
	return mapClosed(err)
}

func (s *boltStore) get(account, ns, key string, now int64) (record, error) {
	var rec record
	err := s.db.View(func(tx *bolt.Tx) error {
		b, _, err := nsBucket(tx, account, ns)
		if err != nil {
			return err
		}
		raw := b.Bucket(bktValues).Get([]byte(key))
		if raw == nil {
			return errKeyNotFound
		}
		r, ok := decodeRecord(raw)
		if !ok {
			return fmt.Errorf("key %q: corrupt record", key)
		}
		if r.expired(now) {
			return errKeyNotFound
		}
		// raw lives in the mmap only as long as the transaction.
		rec = record{key: key, value: bytes.Clone(r.value), metadata: bytes.Clone(r.metadata), expiration: r.expiration}
		if rec.value == nil {
			rec.value = []byte{}
		}
		return nil
	})
	return rec, mapClosed(err)
}

func expiryKey(exp int64, key []byte) []byte {
	b := make([]byte, 8, 8+len(key))
	binary.BigEndian.PutUint64(b, uint64(exp))
	return append(b, key...)
}

// putTx sets the writes inside tx. It only reads the state it changes, so
// running it twice (db.Batch retries a call alone when its batch fails)
// gives the same result.
func putTx(tx *bolt.Tx, account, ns string, writes []write) error {
	b, _, err := nsBucket(tx, account, ns)
	if err != nil {
		return err
	}
	values, expiry := b.Bucket(bktValues), b.Bucket(bktExpiry)
	for _, w := range writes {
		k := []byte(w.key)
		if old := values.Get(k); old != nil {
			if exp := recordExpiration(old); exp != 0 {
				if err := expiry.Delete(expiryKey(exp, k)); err != nil {
					return err
				}
			}
		}
		if err := values.Put(k, encodeRecord(w.rec)); err != nil {
			return err
		}
		if w.rec.expiration != 0 {
			if err := expiry.Put(expiryKey(w.rec.expiration, k), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func removeTx(tx *bolt.Tx, account, ns string, keys []string) error {
	b, _, err := nsBucket(tx, account, ns)
	if err != nil {
		return err
	}
	values, expiry := b.Bucket(bktValues), b.Bucket(bktExpiry)
	for _, key := range keys {
		k := []byte(key)
		old := values.Get(k)
		if old == nil {
			continue
		}
		if exp := recordExpiration(old); exp != 0 {
			if err := expiry.Delete(expiryKey(exp, k)); err != nil {
				return err
			}
		}
		if err := values.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// put commits one write through db.Batch and larger ones in a transaction
// of their own, so a 10,000-pair bulk write does not hold a shared batch.
func (s *boltStore) put(account, ns string, writes []write) error {
	fn := func(tx *bolt.Tx) error { return putTx(tx, account, ns, writes) }
	if len(writes) == 1 {
		return mapClosed(s.db.Batch(fn))
	}
	return mapClosed(s.db.Update(fn))
}

func (s *boltStore) remove(account, ns string, keys []string) error {
	fn := func(tx *bolt.Tx) error { return removeTx(tx, account, ns, keys) }
	if len(keys) == 1 {
		return mapClosed(s.db.Batch(fn))
	}
	return mapClosed(s.db.Update(fn))
}

func (s *boltStore) list(account, ns string, q listQuery, now int64) ([]record, bool, error) {
	var out []record
	more := false
	err := s.db.View(func(tx *bolt.Tx) error {
		b, _, err := nsBucket(tx, account, ns)
		if err != nil {
			return err
		}
		prefix := []byte(q.prefix)
		start := prefix
		if q.after >= q.prefix {
			start = append([]byte(q.after), 0)
		}
		c := b.Bucket(bktValues).Cursor()
		for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			r, ok := decodeRecord(v)
			if !ok {
				return fmt.Errorf("key %q: corrupt record", k)
			}
			if r.expired(now) {
				continue
			}
			if len(out) == q.limit {
				more = true
				return nil
			}
			out = append(out, record{key: string(k), metadata: bytes.Clone(r.metadata), expiration: r.expiration})
		}
		return nil
	})
	return out, more, mapClosed(err)
}

// purgeChunk bounds the deletions of one purge transaction, so a purge of
// many keys never holds the writer lock for long.
const purgeChunk = 5000

func (s *boltStore) purge(now int64) (int, error) {
	total := 0
	for {
		n := 0
		err := s.db.Update(func(tx *bolt.Tx) error {
			n = 0
			all := tx.Bucket(bktNamespaces)
			var ids [][]byte
			all.ForEachBucket(func(id []byte) error { ids = append(ids, id); return nil })
			for _, id := range ids {
				b := all.Bucket(id)
				values, expiry := b.Bucket(bktValues), b.Bucket(bktExpiry)
				c := expiry.Cursor()
				for k, _ := c.First(); k != nil && n < purgeChunk; k, _ = c.First() {
					exp := int64(binary.BigEndian.Uint64(k))
					if exp > now {
						break
					}
					key := k[8:]
					if v := values.Get(key); v != nil && recordExpiration(v) == exp {
						if err := values.Delete(key); err != nil {
							return err
						}
					}
					if err := c.Delete(); err != nil {
						return err
					}
					n++
				}
			}
			return nil
		})
		if err != nil {
			return total, mapClosed(err)
		}
		total += n
		if n < purgeChunk {
			return total, nil
		}
	}
}

func (s *boltStore) close() error { return s.db.Close() }
