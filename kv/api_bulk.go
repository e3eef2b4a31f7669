package kv

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// bulkPair is one element of a bulk write. Value is required, as
// Cloudflare documents ("a key and a value are required for each KV
// pair"): absent or null is refused, not stored as "". The expirations are
// kept raw to be read as whole seconds in any number form; absent, null
// and 0 mean unset, and when both are set the TTL wins.
type bulkPair struct {
	Key           string          `json:"key"`
	Value         *string         `json:"value"`
	Base64        bool            `json:"base64"`
	Expiration    json.RawMessage `json:"expiration"`
	ExpirationTTL json.RawMessage `json:"expiration_ttl"`
	Metadata      json.RawMessage `json:"metadata"`
}

// record checks the pair, key aside, and turns it into what is stored.
func (p bulkPair) record(now int64) (record, *apiError) {
	if p.Value == nil {
		return record{}, errorf(http.StatusBadRequest, codeMalformedValue, "malformed value: a pair needs a value (a string)")
	}
	rec := record{value: []byte(*p.Value)}
	if p.Base64 {
		v, err := base64.StdEncoding.DecodeString(*p.Value)
		if err != nil {
			return record{}, errorf(http.StatusBadRequest, codeMalformedValue, "malformed value: invalid base64: %v", err)
		}
		rec.value = v
	}
	if len(rec.value) > MaxValueBytes {
		return record{}, tooLarge("a value", MaxValueBytes)
	}
	exp, ok := jsonSeconds(p.Expiration)
	if !ok {
		return record{}, errorf(http.StatusBadRequest, codeInvalidExpiration, "invalid expiration %.40s: want whole unix seconds", p.Expiration)
	}
	ttl, ok := jsonSeconds(p.ExpirationTTL)
	if !ok {
		return record{}, errorf(http.StatusBadRequest, codeInvalidTTL, "invalid expiration_ttl %.40s: want whole seconds", p.ExpirationTTL)
	}
	var e *apiError
	if rec.expiration, e = expiry(now, exp, ttl, exp != 0, ttl != 0); e != nil {
		return record{}, e
	}
	if rec.metadata, e = checkMetadata(p.Metadata); e != nil {
		return record{}, e
	}
	return rec, nil
}

// jsonSeconds reads a raw expiration field: absent and null are 0 (unset),
// a number must be whole seconds, anything else (a string) is refused.
func jsonSeconds(raw json.RawMessage) (int64, bool) {
	s := string(raw)
	if s == "" || s == "null" {
		return 0, true
	}
	return wholeSeconds(s)
}

// bulkResult is the result of both bulk operations.
type bulkResult struct {
	SuccessfulKeyCount int      `json:"successful_key_count"`
	UnsuccessfulKeys   []string `json:"unsuccessful_keys"`
}

// decodeBulk streams a JSON array of at most MaxBulkPairs elements from a
// body of at most MaxBulkBodyBytes, calling each for every element, so the
// count limit holds without decoding what lies past it. each gets the
// element's index.
func decodeBulk(w http.ResponseWriter, r *http.Request, each func(i int, dec *json.Decoder) *apiError) *apiError {
	if e := requireJSON(r); e != nil {
		return e
	}
	body, e := limitBody(w, r, MaxBulkBodyBytes, "a bulk body")
	if e != nil {
		return e
	}
	dec := json.NewDecoder(body)
	bad := func(err error) *apiError {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return tooLarge("a bulk body", MaxBulkBodyBytes)
		}
		return errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: want a JSON array: %v", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return bad(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: want a JSON array")
	}
	i := 0
	for ; dec.More(); i++ {
		if i == MaxBulkPairs {
			return errorf(http.StatusRequestEntityTooLarge, codePayloadTooLarge, "payload too large: more than %d elements in one bulk request", MaxBulkPairs)
		}
		if e := each(i, dec); e != nil {
			return e
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ]
		return bad(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: data after the JSON array")
	}
	return nil
}

// inBulk turns a per-key error into one that names the element; a key too
// long is a 400 here, as the key is not in the URL.
func inBulk(i int, e *apiError) *apiError {
	status := e.status
	if status == http.StatusRequestURITooLong {
		status = http.StatusBadRequest
	}
	return errorf(status, e.code, "element %d: %s", i, e.msg)
}

// bulkWrite: PUT .../bulk with a JSON array of pairs. Every pair is checked
// before anything is written, then all are written in one transaction: the
// request succeeds or changes nothing.
func (s *Server) bulkWrite(w http.ResponseWriter, r *http.Request, rt route) {
	now := s.now().Unix()
	var writes []write
	e := decodeBulk(w, r, func(i int, dec *json.Decoder) *apiError {
		var p bulkPair
		if err := dec.Decode(&p); err != nil {
			return jsonError(err, MaxBulkBodyBytes)
		}
		if e := validateKey(p.Key); e != nil {
			return inBulk(i, e)
		}
		rec, e := p.record(now)
		if e != nil {
			return inBulk(i, e)
		}
		writes = append(writes, write{key: p.Key, rec: rec})
		return nil
	})
	if e != nil {
		writeError(w, e)
		return
	}
	if len(writes) > 0 {
		if err := s.store.put(rt.account, rt.ns, writes); err != nil {
			s.storeFailed(w, r, err)
			return
		}
	} else if _, err := s.store.namespace(rt.account, rt.ns); err != nil {
		s.storeFailed(w, r, err)
		return
	}
	writeResult(w, bulkResult{SuccessfulKeyCount: len(writes), UnsuccessfulKeys: []string{}}, nil)
}

// bulkDelete: DELETE .../bulk or POST .../bulk/delete with a JSON array of
// key names, removed in one transaction. Missing keys count as deleted.
func (s *Server) bulkDelete(w http.ResponseWriter, r *http.Request, rt route) {
	var keys []string
	e := decodeBulk(w, r, func(i int, dec *json.Decoder) *apiError {
		var k string
		if err := dec.Decode(&k); err != nil {
			return jsonError(err, MaxBulkBodyBytes)
		}
		if e := validateKey(k); e != nil {
			return inBulk(i, e)
		}
		keys = append(keys, k)
		return nil
	})
	if e != nil {
		writeError(w, e)
		return
	}
	if len(keys) > 0 {
		if err := s.store.remove(rt.account, rt.ns, keys); err != nil {
			s.storeFailed(w, r, err)
			return
		}
	} else if _, err := s.store.namespace(rt.account, rt.ns); err != nil {
		s.storeFailed(w, r, err)
		return
	}
	writeResult(w, bulkResult{SuccessfulKeyCount: len(keys), UnsuccessfulKeys: []string{}}, nil)
}
