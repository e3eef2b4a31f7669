package kv

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
)

// store is what the HTTP layer needs of a storage engine; bbolt
// (store_bolt.go) and memory (store_memory.go) implement it. Every method is
// safe for concurrent use. A method returns only after its change is
// durable as far as the engine is durable at all.
//
// Namespaces belong to one account: a namespace id named under another
// account is errNamespaceNotFound. Times are unix seconds; a record whose
// expiration is at or before now is treated as absent by every read.
type store interface {
	kind() string // "bbolt" or "memory", for health and the CLI
	createNamespace(account, title string) (Namespace, error)
	namespaces(account string) ([]Namespace, error) // sorted by title
	namespace(account, id string) (Namespace, error)
	renameNamespace(account, id, title string) (Namespace, error)
	deleteNamespace(account, id string) error

	get(account, ns, key string, now int64) (record, error)
	put(account, ns string, writes []write) error // all or nothing
	remove(account, ns string, keys []string) error
	list(account, ns string, q listQuery, now int64) ([]record, bool, error) // bool: more follow
	purge(now int64) (int, error)                                            // removes expired records
	close() error
}

var (
	errNamespaceNotFound = errors.New("namespace not found")
	errNamespaceExists   = errors.New("namespace already exists")
	errKeyNotFound       = errors.New("key not found")
	errClosed            = errors.New("store is closed")
)

// Namespace is a Workers KV namespace as the API shows it.
type Namespace struct {
	ID                  string `json:"id"`
	Title               string `json:"title"`
	SupportsURLEncoding bool   `json:"supports_url_encoding"`
}

// record is one stored key. Metadata is compact JSON or nil.
type record struct {
	key        string
	value      []byte
	metadata   []byte
	expiration int64 // unix seconds, 0 = never
}

func (r record) expired(now int64) bool { return r.expiration != 0 && r.expiration <= now }

// write is one key to set.
type write struct {
	key string
	rec record
}

// listQuery selects keys with prefix, strictly after `after` (the key the
// previous page ended on, "" for the first page), at most limit of them.
type listQuery struct {
	prefix string
	after  string
	limit  int
}

// newNamespaceID returns 32 random lowercase hex digits, like Cloudflare's.
func newNamespaceID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// validNamespaceID reports whether id has the shape of a namespace id.
func validNamespaceID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// encodeRecord lays a record out as stored by bbolt:
//
//	expiration (8 bytes, big endian) | uvarint len(metadata) | metadata | value
func encodeRecord(r record) []byte {
	b := make([]byte, 8, 8+binary.MaxVarintLen64+len(r.metadata)+len(r.value))
	binary.BigEndian.PutUint64(b, uint64(r.expiration))
	b = binary.AppendUvarint(b, uint64(len(r.metadata)))
	b = append(b, r.metadata...)
	return append(b, r.value...)
}

// decodeRecord reads what encodeRecord wrote. The slices returned alias b;
// callers copy them when b belongs to a bbolt transaction.
func decodeRecord(b []byte) (rec record, ok bool) {
	if len(b) < 9 {
		return record{}, false
	}
	rec.expiration = int64(binary.BigEndian.Uint64(b))
	n, w := binary.Uvarint(b[8:])
	if w <= 0 || n > uint64(len(b)-8-w) {
		return record{}, false
	}
	off := 8 + w
	if n > 0 {
		rec.metadata = b[off : off+int(n)]
	}
	rec.value = b[off+int(n):]
	return rec, true
}

// recordExpiration reads only the expiration of an encoded record.
func recordExpiration(b []byte) int64 {
	if len(b) < 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(b))
}

// compactMetadata reports whether m is one JSON value and returns it
// compacted, which is the form whose size MaxMetadataBytes limits.
func compactMetadata(m []byte) ([]byte, bool) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, m); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}
