package kv

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
)

// Request bodies are read through http.MaxBytesReader: reading stops one
// byte past the limit, so an oversized body costs at most limit+1 bytes of
// memory, and a Content-Length already over the limit is refused before
// any byte is read. The server then closes the connection rather than
// drain the rest.

// limitBody refuses a body whose declared length is over limit and
// otherwise wraps it so that reading past limit fails.
func limitBody(w http.ResponseWriter, r *http.Request, limit int64, what string) (io.Reader, *apiError) {
	if r.ContentLength > limit {
		return nil, tooLarge(what, limit)
	}
	return http.MaxBytesReader(w, r.Body, limit), nil
}

// bodyError maps an error met while reading a body to its answer.
func bodyError(err error, what string, limit int64) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return tooLarge(what, limit)
	}
	return errorf(http.StatusBadRequest, codeInvalidRequest, "read %s: %v", what, err)
}

// readBody reads a whole body of at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, what string) ([]byte, *apiError) {
	body, e := limitBody(w, r, limit, what)
	if e != nil {
		return nil, e
	}
	// Start at the declared size (+1 for the read that sees EOF), but not
	// above 1 MiB: a declared length is a promise, not bytes received.
	size := 512
	if r.ContentLength > 0 {
		size = int(min(r.ContentLength+1, 1<<20))
	}
	buf := make([]byte, 0, size)
	for {
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, bodyError(err, what, limit)
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// requireJSON refuses a body not declared as application/json (parameters
// such as charset allowed). Cloudflare's API answers such a request 400
// with code 6003, and the rule also shuts out every body a browser may
// send cross-site without a preflight: text/plain, forms, multipart, or
// no Content-Type at all.
func requireJSON(r *http.Request) *apiError {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return errorf(http.StatusBadRequest, codeInvalidHeaders, "invalid request headers: Content-Type %q, want application/json", ct)
	}
	return nil
}

// decodeJSONBody decodes one JSON value of at most limit bytes into v.
func decodeJSONBody(w http.ResponseWriter, r *http.Request, limit int64, v any) *apiError {
	if e := requireJSON(r); e != nil {
		return e
	}
	body, e := limitBody(w, r, limit, "the request body")
	if e != nil {
		return e
	}
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		return jsonError(err, limit)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: data after the JSON body")
	}
	return nil
}

func jsonError(err error, limit int64) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return tooLarge("the request body", limit)
	}
	if errors.Is(err, io.EOF) {
		return errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: empty body, want JSON")
	}
	return errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: malformed JSON: %v", err)
}
