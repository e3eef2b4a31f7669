package kv

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// keyItem is one entry of a key listing.
type keyItem struct {
	Name       string          `json:"name"`
	Expiration int64           `json:"expiration,omitempty"`
	Metadata   json.RawMessage `json:"metadata,omitempty"`
}

// cursorInfo is result_info of a key listing; Cursor is "" on the last page.
type cursorInfo struct {
	Count  int    `json:"count"`
	Cursor string `json:"cursor"`
}

// The cursor is the last key of the page, base64url-encoded: opaque to
// clients, and valid across writes (the next page starts after that key).
func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

func decodeCursor(c string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 || len(b) > MaxKeyBytes || !utf8.Valid(b) {
		return "", false
	}
	return string(b), true
}

// listKeys: GET .../keys?prefix=&limit=&cursor= lists live keys in byte
// order, limit (10..1000, default 1000) at a time.
func (s *Server) listKeys(w http.ResponseWriter, r *http.Request, rt route) {
	q := r.URL.Query()
	lq := listQuery{prefix: q.Get("prefix"), limit: MaxListLimit}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < MinListLimit || n > MaxListLimit {
			writeError(w, errorf(http.StatusBadRequest, codeInvalidLimit, "invalid limit argument %q: want %d to %d", v, MinListLimit, MaxListLimit))
			return
		}
		lq.limit = n
	}
	if c := q.Get("cursor"); c != "" {
		after, ok := decodeCursor(c)
		if !ok {
			writeError(w, errorf(http.StatusBadRequest, codeInvalidCursor, "invalid \"list keys\" cursor %q", c))
			return
		}
		lq.after = after
	}
	recs, more, err := s.store.list(rt.account, rt.ns, lq, s.now().Unix())
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	items := make([]keyItem, len(recs))
	for i, rec := range recs {
		items[i] = keyItem{Name: rec.key, Expiration: rec.expiration, Metadata: rec.metadata}
	}
	info := cursorInfo{Count: len(items)}
	if more {
		info.Cursor = encodeCursor(recs[len(recs)-1].key)
	}
	writeResult(w, items, info)
}

// getMetadata: GET .../metadata/{key} answers the key's metadata as result
// (null when it has none).
func (s *Server) getMetadata(w http.ResponseWriter, r *http.Request, rt route) {
	rec, err := s.store.get(rt.account, rt.ns, rt.key, s.now().Unix())
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	var result json.RawMessage
	if rec.metadata != nil {
		result = rec.metadata
	}
	writeResult(w, result, nil)
}
