package kv

import (
	"slices"
	"strings"
	"sync"
)

// memoryStore keeps everything in maps, for throwaway runs and tests.
// One RWMutex guards it all: reads share it, writes hold it alone.
// Records are never changed in place, so a read may hand out their slices.
type memoryStore struct {
	mu     sync.RWMutex
	closed bool
	ns     map[string]*memNamespace // by id
}

type memNamespace struct {
	account, title string
	records        map[string]record
	keys           []string // sorted, the keys of records
}

func newMemoryStore() *memoryStore { return &memoryStore{ns: map[string]*memNamespace{}} }

func (m *memoryStore) kind() string { return "memory" }

func (m *memoryStore) lookup(account, id string) (*memNamespace, error) {
	if m.closed {
		return nil, errClosed
	}
	n := m.ns[id]
	if n == nil || n.account != account {
		return nil, errNamespaceNotFound
	}
	return n, nil
}

func (m *memoryStore) titleTaken(account, title, except string) bool {
	for id, n := range m.ns {
		if id != except && n.account == account && n.title == title {
			return true
		}
	}
	return false
}

func (m *memoryStore) createNamespace(account, title string) (Namespace, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return Namespace{}, errClosed
	}
	if m.titleTaken(account, title, "") {
		return Namespace{}, errNamespaceExists
	}
	id := newNamespaceID()
	m.ns[id] = &memNamespace{account: account, title: title, records: map[string]record{}}
	return Namespace{ID: id, Title: title, SupportsURLEncoding: true}, nil
}

func (m *memoryStore) namespaces(account string) ([]Namespace, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, errClosed
	}
	var out []Namespace
	for id, n := range m.ns {
		if n.account == account {
			out = append(out, Namespace{ID: id, Title: n.title, SupportsURLEncoding: true})
		}
	}
	slices.SortFunc(out, func(a, b Namespace) int { return strings.Compare(a.Title, b.Title) })
	return out, nil
}

func (m *memoryStore) namespace(account, id string) (Namespace, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	n, err := m.lookup(account, id)
	if err != nil {
		return Namespace{}, err
	}
	return Namespace{ID: id, Title: n.title, SupportsURLEncoding: true}, nil
}

func (m *memoryStore) renameNamespace(account, id, title string) (Namespace, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, err := m.lookup(account, id)
	if err != nil {
		return Namespace{}, err
	}
	if m.titleTaken(account, title, id) {
		return Namespace{}, errNamespaceExists
	}
	n.title = title
	return Namespace{ID: id, Title: title, SupportsURLEncoding: true}, nil
}

func (m *memoryStore) deleteNamespace(account, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.lookup(account, id); err != nil {
		return err
	}
	delete(m.ns, id)
	return nil
}

func (m *memoryStore) get(account, ns, key string, now int64) (record, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	n, err := m.lookup(account, ns)
	if err != nil {
		return record{}, err
	}
	r, ok := n.records[key]
	if !ok || r.expired(now) {
		return record{}, errKeyNotFound
	}
	return r, nil
}

func (m *memoryStore) put(account, ns string, writes []write) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, err := m.lookup(account, ns)
	if err != nil {
		return err
	}
	for _, w := range writes {
		if _, ok := n.records[w.key]; !ok {
			i, _ := slices.BinarySearch(n.keys, w.key)
			n.keys = slices.Insert(n.keys, i, w.key)
		}
		r := w.rec
		r.key = w.key
		n.records[w.key] = r
	}
	return nil
}

func (m *memoryStore) remove(account, ns string, keys []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, err := m.lookup(account, ns)
	if err != nil {
		return err
	}
	for _, k := range keys {
		n.drop(k)
	}
	return nil
}

func (n *memNamespace) drop(key string) {
	if _, ok := n.records[key]; !ok {
		return
	}
	delete(n.records, key)
	if i, found := slices.BinarySearch(n.keys, key); found {
		n.keys = slices.Delete(n.keys, i, i+1)
	}
}

func (m *memoryStore) list(account, ns string, q listQuery, now int64) ([]record, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	n, err := m.lookup(account, ns)
	if err != nil {
		return nil, false, err
	}
	start := q.prefix
	if q.after >= start {
		start = q.after + "\x00"
	}
	i, _ := slices.BinarySearch(n.keys, start)
	var out []record
	for ; i < len(n.keys); i++ {
		k := n.keys[i]
		if !strings.HasPrefix(k, q.prefix) {
			break
		}
		r := n.records[k]
		if r.expired(now) {
			continue
		}
		if len(out) == q.limit {
			return out, true, nil
		}
		out = append(out, r)
	}
	return out, false, nil
}

func (m *memoryStore) purge(now int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, errClosed
	}
	purged := 0
	for _, n := range m.ns {
		for k, r := range n.records {
			if r.expired(now) {
				n.drop(k)
				purged++
			}
		}
	}
	return purged, nil
}

func (m *memoryStore) close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.ns = nil
	return nil
}
