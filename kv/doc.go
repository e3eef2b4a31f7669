// Package kv is catch22's embedded reference KV service: a key-value HTTP
// service that speaks the Cloudflare v4 REST API for Workers KV, stores its
// data durably in a bbolt file (or in memory), and misbehaves on request
// (faults) for live validation and chaos drills.
//
// It owns the storage, the HTTP API and the faults. It must not know
// anything else of catch22: it imports only the standard library and
// bbolt, so validate and the CLI can use it and nothing flows back.
//
// # Use
//
//	s, err := kv.New(kv.Options{Path: "catch22-kv.db"}) // or Memory: true
//	defer s.Close()
//	err = s.ListenAndServe(ctx, "127.0.0.1:8787", func(a net.Addr) { ... })
//
// or mount s.Handler() in-process. A Workers KV client works when given
// http://ADDR/client/v4 as its base URL.
//
// # API
//
// Under /client/v4/accounts/{account_id}/storage/kv/namespaces:
//
//	GET    ?page=&per_page=&order=id|title&direction=asc|desc   list namespaces (default title asc, 20 a page, 5..100)
//	POST   {"title"}                        create; titles are unique per account
//	GET    /{ns}                            get one
//	PUT    /{ns} {"title"}                  rename
//	DELETE /{ns}                            delete, with its keys
//	GET    /{ns}/values/{key}               the raw value (application/octet-stream)
//	PUT    /{ns}/values/{key}?expiration=&expiration_ttl=
//	                                        raw body, or multipart/form-data with parts value and metadata
//	DELETE /{ns}/values/{key}               (a missing key is no error)
//	GET    /{ns}/metadata/{key}             the metadata as result (null when none)
//	GET    /{ns}/keys?prefix=&limit=&cursor=
//	                                        [{name, expiration?, metadata?}] in byte order;
//	                                        result_info {count, cursor}, cursor "" on the last page
//	PUT    /{ns}/bulk                       [{key, value, base64, expiration, expiration_ttl, metadata}]
//	DELETE /{ns}/bulk                       ["key", ...]
//	POST   /{ns}/bulk/delete                ["key", ...]
//
// Any account id string is an account; namespace ids are 32 lowercase hex
// digits, random. Every JSON answer is the envelope
// {"success","errors":[{"code","message"}],"messages":[],"result"} (plus
// result_info for lists); errors and messages are always arrays.
//
// Service endpoints, outside the Cloudflare API:
//
//	GET  /_catch22/health   200 {"status":"ok","store":"bbolt"|"memory"}; never needs the token
//	GET  /_catch22/faults   the current fault
//	POST /_catch22/faults   {"mode":"none|down|error|latency","status":503,"latency":"250ms","namespace":"<id>"}
//
// # Keys
//
// A key is taken from the escaped request path (everything after values/
// or metadata/, "/" included) and URL-decoded exactly once: %2F is a "/"
// inside the key name, "a/b" and "a%2Fb" name the same key, "%252F" is the
// key "%2F". The path is never cleaned, so "../x" is merely a key called
// "../x" in its namespace; no key can reach another namespace or account.
// A key must be 1..512 bytes once decoded, valid UTF-8 (a percent-escape
// decoding to invalid UTF-8, such as %FF, is refused, not stored as bytes),
// and not "." or "..". A path with a broken escape (%zz) is refused by
// net/http itself with a plain-text 400 before it reaches this package.
//
// # Limits
//
// Workers KV's: key 512 bytes, value 25 MiB, metadata 1024 bytes as
// compact JSON, expiration_ttl at least 60 s and an absolute expiration at
// least 60 s ahead (as Cloudflare), list limit 10..1000 (default 1000),
// 10,000 pairs or keys in one bulk request. Added here: a bulk body is at
// most 100 MiB (Cloudflare's documented bulk request size), namespace and
// fault bodies 64 KiB, a multipart value body 25 MiB + 80 KiB, a
// namespace title 512 bytes. Bodies are read through http.MaxBytesReader,
// and a Content-Length over the limit is refused before reading, so an
// oversized body is never buffered; the answer is a 4xx envelope, never a
// 500. With both expiration and expiration_ttl, the TTL wins.
//
// Expired keys disappear from every read at the second of their expiry
// (Options.Now is the clock) and are removed from storage by a background
// purge (Options.PurgeInterval, 30 s by default; an index ordered by
// expiry makes it proportional to what expired).
//
// # Error codes
//
// The codes are those Cloudflare's public API clients list for Workers KV;
// the HTTP statuses follow Cloudflare and its local simulator where they are
// known, and are this package's choice otherwise:
//
//	401 10000 authentication error (missing or wrong bearer token)
//	5xx 10001 service temporarily unavailable: an injected error fault (its status),
//	          503 after Close, 500 for a storage failure
//	400 10006 malformed account tag (empty, or not UTF-8)
//	400 10007 malformed page argument
//	400 10008 malformed per_page argument
//	404 10009 key not found (also an expired key)
//	400 10011 malformed namespace ID
//	400 10012 malformed value (bad base64 in a bulk write)
//	404 10013 namespace not found (also another account's namespace)
//	400 10014 namespace already exists (title taken in the account)
//	400 10019 missing title
//	413 10024 payload too large (value, body, more than 10,000 bulk elements)
//	404 10025 endpoint does not exist; 405 with it for a wrong method, with Allow
//	400 10028 invalid limit argument
//	400 10029 invalid request (malformed JSON or multipart, title too long, invalid fault)
//	414 10030 key too long (400 inside a bulk body)
//	400 10033 invalid expiration
//	400 10034 invalid expiration ttl
//	400 10041 invalid "list keys" cursor
//	400 10042 illegal key name ("", ".", "..", not UTF-8)
//	400 10043 invalid order, 10044 invalid direction (namespace list)
//	400 10047 invalid metadata (not JSON); 413 with it when over 1024 bytes
//
// # Durability and throughput
//
// bbolt syncs its file on every commit and a write is answered only after
// its commit, so an acknowledged write survives a crash of the process or
// the machine. Single-key writes go through bbolt's db.Batch: concurrent
// writers share one transaction and one fsync (group commit), each still
// answered only after its batch committed. A batch starts after 256 writes
// or 1 ms. Bulk writes and deletes are one transaction each: all or
// nothing. A bulk write holds its decoded pairs in memory until it
// commits: up to about three times its body (at most 100 MiB).
//
// Measured on the 2-core development machine (1 KiB values, 1,000 keys,
// bbolt, client and server on the same machine, 10 s runs):
//
//	go run ./internal/cmd/kvload -op get -concurrency 32    31,500-35,900 GET/s, p99 2.9-3.3 ms
//	go run ./internal/cmd/kvload -op get -concurrency 8     28,800-29,100 GET/s, p99 1.4-1.5 ms
//	go run ./internal/cmd/kvload -op put -concurrency 32    8,600-9,000 durable PUT/s, p99 5.5-5.8 ms
//	go run ./internal/cmd/kvload -op put -concurrency 8     3,800-3,900 durable PUT/s, p99 3.0 ms
//	catch22 kv serve --quiet, then kvload -addr 127.0.0.1:8787:
//	    -op get -concurrency 32    24,800-28,800 GET/s, p99 5.5-5.8 ms
//	    -op get -concurrency 16    27,700-27,900 GET/s, p99 3.7-4.0 ms
//	    -op get -concurrency 8     26,300-29,800 GET/s, p99 2.2 ms
//	    -op put -concurrency 32    9,100-9,400 durable PUT/s, p99 5.7-6.2 ms
//
// With 32 clients and the server in two processes on two cores, requests
// queue for the CPU and the GET p99 passes 5 ms; at 16 clients or fewer it
// stays under. go test ./kv -run '^$' -bench . runs the same as benchmarks.
//
// # Faults
//
// down closes the connection without an answer (hijack and close), error
// answers the envelope with the chosen 5xx, latency waits and then serves.
// A fault may be scoped to one namespace id. It applies before the token
// is checked, as a service that is down checks nothing. Fault endpoints and
// health are never faulted; shutting down stops latency waits at once. (*Server).SetFault
// is the same for in-process use.
//
// # Security
//
// The server binds 127.0.0.1:8787 by default and refuses a non-loopback
// address without a token (CheckBind). With a token every request but
// GET /_catch22/health needs "Authorization: Bearer <token>"; health stays
// open so that probes need no secret.
package kv
