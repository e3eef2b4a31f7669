package kv

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Error codes of the Cloudflare v4 API for Workers KV, as its public clients
// list them, and one of the API's front (6003). doc.go says which answer
// uses which.
const (
	codeInvalidHeaders    = 6003  // invalid request headers (a wrong Content-Type)
	codeAuth              = 10000 // authentication error
	codeUnavailable       = 10001 // service temporarily unavailable
	codeMalformedAccount  = 10006 // malformed account tag
	codeMalformedPage     = 10007 // malformed page argument
	codeMalformedPerPage  = 10008 // malformed per_page argument
	codeKeyNotFound       = 10009 // key not found
	codeMalformedNSID     = 10011 // malformed namespace ID
	codeMalformedValue    = 10012 // malformed value
	codeNamespaceNotFound = 10013 // namespace not found
	codeNamespaceExists   = 10014 // namespace already exists
	codeMissingTitle      = 10019 // missing title
	codePayloadTooLarge   = 10024 // payload too large
	codeNoEndpoint        = 10025 // endpoint does not exist
	codeInvalidLimit      = 10028 // invalid limit argument
	codeInvalidRequest    = 10029 // invalid request
	codeKeyTooLong        = 10030 // key too long
	codeInvalidExpiration = 10033 // invalid expiration
	codeInvalidTTL        = 10034 // invalid expiration ttl
	codeInvalidCursor     = 10041 // invalid "list keys" cursor
	codeIllegalKey        = 10042 // illegal key name
	codeInvalidOrder      = 10043 // invalid order
	codeInvalidDirection  = 10044 // invalid direction
	codeInvalidMetadata   = 10047 // invalid metadata
)

// apiError is an answer other than success: an HTTP status and one
// Cloudflare error.
type apiError struct {
	status int
	code   int
	msg    string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %d: %s", e.status, e.code, e.msg) }

func errorf(status, code int, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

// ErrorItem is one entry of an envelope's errors.
type ErrorItem struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Envelope is the shape of every JSON answer of the Cloudflare v4 API.
// Errors and Messages are always arrays, never null.
type Envelope struct {
	Success    bool            `json:"success"`
	Errors     []ErrorItem     `json:"errors"`
	Messages   []string        `json:"messages"`
	Result     any             `json:"result"`
	ResultInfo json.RawMessage `json:"result_info,omitempty"`
}

// writeResult answers 200 with result (and result_info when not nil).
func writeResult(w http.ResponseWriter, result, info any) {
	env := Envelope{Success: true, Errors: []ErrorItem{}, Messages: []string{}, Result: result}
	if info != nil {
		b, err := json.Marshal(info)
		if err != nil {
			writeError(w, errorf(http.StatusInternalServerError, codeUnavailable, "encode result: %v", err))
			return
		}
		env.ResultInfo = b
	}
	writeEnvelope(w, http.StatusOK, env)
}

// writeError answers with e in the envelope.
func writeError(w http.ResponseWriter, e *apiError) {
	writeEnvelope(w, e.status, Envelope{
		Errors:   []ErrorItem{{Code: e.code, Message: e.msg}},
		Messages: []string{},
	})
}

func writeEnvelope(w http.ResponseWriter, status int, env Envelope) {
	b, err := json.Marshal(env)
	if err != nil {
		// Only a result that cannot be encoded gets here; results are
		// built by this package from plain types.
		status = http.StatusInternalServerError
		b = []byte(`{"success":false,"errors":[{"code":10001,"message":"encode result"}],"messages":[],"result":null}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
