package kv

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// getValue: GET .../values/{key} answers the raw bytes.
func (s *Server) getValue(w http.ResponseWriter, r *http.Request, rt route) {
	rec, err := s.store.get(rt.account, rt.ns, rt.key, s.now().Unix())
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(rec.value)))
	w.WriteHeader(http.StatusOK)
	w.Write(rec.value)
}

// putValue: PUT .../values/{key}?expiration=&expiration_ttl= with the raw
// value as body, or a multipart/form-data body with parts "value" and
// (optionally) "metadata". It answers only after the write is durable.
func (s *Server) putValue(w http.ResponseWriter, r *http.Request, rt route) {
	now := s.now().Unix()
	exp, e := queryExpiry(r, now)
	if e != nil {
		writeError(w, e)
		return
	}
	var rec record
	if isMultipart(r) {
		rec, e = readMultipartValue(w, r)
	} else {
		rec.value, e = readBody(w, r, MaxValueBytes, "a value")
	}
	if e != nil {
		writeError(w, e)
		return
	}
	rec.expiration = exp
	if err := s.store.put(rt.account, rt.ns, []write{{key: rt.key, rec: rec}}); err != nil {
		s.storeFailed(w, r, err)
		return
	}
	writeResult(w, struct{}{}, nil)
}

// deleteValue: DELETE .../values/{key}; deleting a missing key succeeds.
func (s *Server) deleteValue(w http.ResponseWriter, r *http.Request, rt route) {
	if err := s.store.remove(rt.account, rt.ns, []string{rt.key}); err != nil {
		s.storeFailed(w, r, err)
		return
	}
	writeResult(w, struct{}{}, nil)
}

func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// readMultipartValue reads the parts "value" and "metadata" of a
// multipart/form-data body; other parts are skipped. Every part is read
// through its own limit inside the limit of the whole body.
func readMultipartValue(w http.ResponseWriter, r *http.Request) (record, *apiError) {
	const limit = MaxValueBytes + maxMetadataInput + multipartSlack
	body, e := limitBody(w, r, limit, "a multipart value")
	if e != nil {
		return record{}, e
	}
	r.Body = io.NopCloser(body)
	mr, err := r.MultipartReader()
	if err != nil {
		return record{}, errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: %v", err)
	}
	var rec record
	hasValue := false
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return record{}, bodyError(err, "a multipart value", limit)
		}
		switch p.FormName() {
		case "value":
			if hasValue {
				return record{}, errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: more than one value part")
			}
			b, e := readPart(p, MaxValueBytes, "a value", limit)
			if e != nil {
				return record{}, e
			}
			rec.value, hasValue = b, true
		case "metadata":
			b, e := readPart(p, maxMetadataInput, "metadata", limit)
			if e != nil {
				return record{}, e
			}
			if rec.metadata, e = checkMetadata(b); e != nil {
				return record{}, e
			}
		default:
			if _, err := io.Copy(io.Discard, p); err != nil {
				return record{}, bodyError(err, "a multipart value", limit)
			}
		}
	}
	if !hasValue {
		return record{}, errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: the multipart body has no part named value")
	}
	return rec, nil
}

func readPart(p io.Reader, max int64, what string, bodyLimit int64) ([]byte, *apiError) {
	b, err := io.ReadAll(io.LimitReader(p, max+1))
	if err != nil {
		return nil, bodyError(err, "a multipart value", bodyLimit)
	}
	if int64(len(b)) > max {
		return nil, tooLarge(what, max)
	}
	return b, nil
}

// checkMetadata validates metadata JSON and returns it compacted; JSON null
// and empty input mean no metadata. Metadata must be a JSON object, as in
// Cloudflare's schema (and as a Worker's list() hands it back): a string,
// number or array is refused.
func checkMetadata(m []byte) ([]byte, *apiError) {
	if len(strings.TrimSpace(string(m))) == 0 {
		return nil, nil
	}
	c, ok := compactMetadata(m)
	if !ok {
		return nil, errorf(http.StatusBadRequest, codeInvalidMetadata, "invalid metadata: not JSON")
	}
	if string(c) == "null" {
		return nil, nil
	}
	if c[0] != '{' {
		return nil, errorf(http.StatusBadRequest, codeInvalidMetadata, "invalid metadata %.40s: want a JSON object", c)
	}
	if len(c) > MaxMetadataBytes {
		return nil, errorf(http.StatusRequestEntityTooLarge, codeInvalidMetadata, "invalid metadata: %d bytes serialised, at most %d", len(c), MaxMetadataBytes)
	}
	return c, nil
}
