package kv

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// bulkPair is one element of a bulk write. Expiration and ExpirationTTL of
// 0 mean unset; when both are set the TTL wins.
type bulkPair struct {
	Key           string          `json:"key"`
	Value         string          `json:"value"`
	Base64        bool            `json:"base64"`
	Expiration    int64           `json:"expiration"`
	ExpirationTTL int64           `json:"expiration_ttl"`
	Metadata      json.RawMessage `json:"metadata"`
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
		rec := record{value: []byte(p.Value)}
		if p.Base64 {
			v, err := base64.StdEncoding.DecodeString(p.Value)
			if err != nil {
				return inBulk(i, errorf(http.StatusBadRequest, codeMalformedValue, "malformed value: invalid base64: %v", err))
			}
			rec.value = v
		}
		if len(rec.value) > MaxValueBytes {
			return inBulk(i, tooLarge("a value", MaxValueBytes))
		}
		var e *apiError
		if rec.expiration, e = expiry(now, p.Expiration, p.ExpirationTTL, p.Expiration != 0, p.ExpirationTTL != 0); e != nil {
			return inBulk(i, e)
		}
		if rec.metadata, e = checkMetadata(p.Metadata); e != nil {
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
			writeError(w, storeError(err))
			return
		}
	} else if _, err := s.store.namespace(rt.account, rt.ns); err != nil {
		writeError(w, storeError(err))
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
			writeError(w, storeError(err))
			return
		}
	} else if _, err := s.store.namespace(rt.account, rt.ns); err != nil {
		writeError(w, storeError(err))
		return
	}
	writeResult(w, bulkResult{SuccessfulKeyCount: len(keys), UnsuccessfulKeys: []string{}}, nil)
}
