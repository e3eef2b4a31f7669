package kv

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// endpoint is one resource of the API.
type endpoint int

const (
	epUnknown    endpoint = iota
	epNamespaces          // .../namespaces
	epNamespace           // .../namespaces/{ns}
	epValue               // .../namespaces/{ns}/values/{key}
	epMetadata            // .../namespaces/{ns}/metadata/{key}
	epKeys                // .../namespaces/{ns}/keys
	epBulk                // .../namespaces/{ns}/bulk
	epBulkDelete          // .../namespaces/{ns}/bulk/delete
	epHealth              // /_catch22/health
	epFaults              // /_catch22/faults
)

// methods lists the methods each endpoint answers, for 405 and Allow.
var methods = map[endpoint][]string{
	epNamespaces: {http.MethodGet, http.MethodPost},
	epNamespace:  {http.MethodGet, http.MethodPut, http.MethodDelete},
	epValue:      {http.MethodGet, http.MethodPut, http.MethodDelete},
	epMetadata:   {http.MethodGet},
	epKeys:       {http.MethodGet},
	epBulk:       {http.MethodPut, http.MethodDelete},
	epBulkDelete: {http.MethodPost},
	epHealth:     {http.MethodGet},
	epFaults:     {http.MethodGet, http.MethodPost},
}

const (
	apiPrefix      = "/client/v4/accounts/"
	namespacesPath = "/storage/kv/namespaces"
	healthPath     = "/_catch22/health"
	faultsPath     = "/_catch22/faults"
)

// route is a parsed request path; err is set when a part is malformed.
type route struct {
	ep      endpoint
	account string
	ns      string
	key     string
	err     *apiError
}

// parseRoute reads the escaped path, so that an escaped "/" (%2F) stays
// inside the segment it was sent in. The namespace and account segments
// end at the first "/"; a key is everything after values/ or metadata/,
// "/" included, URL-decoded exactly once. No path cleaning happens: a key
// "../x" is just a key name inside its namespace.
func parseRoute(escaped string) route {
	switch escaped {
	case healthPath:
		return route{ep: epHealth}
	case faultsPath:
		return route{ep: epFaults}
	}
	rest, ok := strings.CutPrefix(escaped, apiPrefix)
	if !ok {
		return route{}
	}
	rawAccount, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return route{}
	}
	rest, ok = strings.CutPrefix("/"+rest, namespacesPath)
	if !ok {
		return route{}
	}
	var r route
	if rest == "" {
		r.ep = epNamespaces
	} else {
		if rest[0] != '/' {
			return route{}
		}
		rawNS, tail, hasTail := strings.Cut(rest[1:], "/")
		var rawKey string
		switch {
		case !hasTail:
			r.ep = epNamespace
		case tail == "keys":
			r.ep = epKeys
		case tail == "bulk":
			r.ep = epBulk
		case tail == "bulk/delete":
			r.ep = epBulkDelete
		case strings.HasPrefix(tail, "values/"):
			r.ep, rawKey = epValue, tail[len("values/"):]
		case strings.HasPrefix(tail, "metadata/"):
			r.ep, rawKey = epMetadata, tail[len("metadata/"):]
		default:
			return route{}
		}
		ns, err := url.PathUnescape(rawNS)
		r.ns = ns
		if err != nil || !validNamespaceID(ns) {
			r.err = errorf(http.StatusBadRequest, codeMalformedNSID, "malformed namespace ID %q: want 32 hex digits", rawNS)
		}
		if r.ep == epValue || r.ep == epMetadata {
			key, err := url.PathUnescape(rawKey)
			if err != nil {
				r.err = errorf(http.StatusBadRequest, codeIllegalKey, "illegal key name: %v", err)
			} else if e := validateKey(key); e != nil {
				r.err = e
			}
			r.key = key
		}
	}
	account, err := url.PathUnescape(rawAccount)
	if err != nil || account == "" || !utf8.ValidString(account) {
		r.err = errorf(http.StatusBadRequest, codeMalformedAccount, "malformed account tag %q", rawAccount)
	}
	r.account = account
	return r
}
