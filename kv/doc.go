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
//	                                        key and value required (value a string, "" allowed)
//	DELETE /{ns}/bulk                       ["key", ...]
//	POST   /{ns}/bulk/delete                ["key", ...]
//
// A JSON body (namespace create and rename, both bulk operations, faults)
// must be sent as Content-Type: application/json, parameters such as
// charset allowed; anything else, no Content-Type included, is refused
// with 400 and code 6003, as Cloudflare's API answers it. A value PUT
// takes any Content-Type: multipart/form-data is read as parts, anything
// else is the value's raw bytes (so curl --data-binary works as is).
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
// not "." or "..", and hold no whitespace (space, tab, line breaks, no-break
// and other Unicode spaces) and no control character (NUL, C0, DEL, C1):
// Cloudflare's API reference says "all printable, non-whitespace characters
// are valid". The same rules hold in a bulk write and a bulk delete. A
// path with a broken escape (%zz) is refused by net/http itself with a
// plain-text 400 before it reaches this package.
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
// Cloudflare types expiration and expiration_ttl as JSON numbers, so both
// (in a bulk pair and as query parameters) take a whole number in any
// decimal form: 300, 300.0 and 3e2 are 300 seconds. A fraction (300.5) is
// refused, not rounded, as is a number in fractional form from 2^53 on,
// where float64 no longer holds every second; so is a JSON string. In a
// bulk pair, null and 0 mean no expiry. Metadata, when given, must be a
// JSON object (null means none); a string, number or array is refused.
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
//	400  6003 invalid request headers: a JSON body without Content-Type: application/json
//	401 10000 authentication error (missing or wrong bearer token)
//	403 10000 forbidden: a foreign Host, Origin or Sec-Fetch-Site (see Security)
//	5xx 10001 service temporarily unavailable: an injected error fault (its status),
//	          503 after Close, 500 for a storage failure (logged with its cause)
//	400 10006 malformed account tag (empty, or not UTF-8)
//	400 10007 malformed page argument
//	400 10008 malformed per_page argument
//	404 10009 key not found (also an expired key)
//	400 10011 malformed namespace ID
//	400 10012 malformed value (bad base64 in a bulk write, a bulk pair without value)
//	404 10013 namespace not found (also another account's namespace)
//	400 10014 namespace already exists (title taken in the account)
//	400 10019 missing title
//	413 10024 payload too large (value, body, more than 10,000 bulk elements)
//	404 10025 endpoint does not exist; 405 with it for a wrong method, with Allow
//	400 10028 invalid limit argument
//	400 10029 invalid request (malformed JSON or multipart, title too long, invalid fault)
//	414 10030 key too long (400 inside a bulk body)
//	400 10033 invalid expiration (not whole seconds, too soon)
//	400 10034 invalid expiration ttl (not whole seconds, under 60)
//	400 10041 invalid "list keys" cursor
//	400 10042 illegal key name ("", ".", "..", not UTF-8, whitespace or control characters)
//	400 10043 invalid order, 10044 invalid direction (namespace list)
//	400 10047 invalid metadata (not JSON, not an object); 413 with it when over 1024 bytes
//
// A 500 answers only "storage failure": its cause (a full disk, an I/O
// error) may name the database file, so it goes to Options.Logger at error
// level instead, with the request's method and path.
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
//
// Loopback alone does not keep browsers out: a page the user opens may
// send a "simple" cross-site POST (text/plain, a form, multipart, no
// preflight), and with DNS rebinding the attacker's own name resolves to
// 127.0.0.1, making the service the page's own origin. So every request
// but health, with or without a token, and before faults and the token,
// must pass three checks, or is answered 403 with code 10000:
//
//   - Host names the service: "localhost", a loopback address (127.0.0.0/8,
//     ::1) or one of Options.AllowHosts (kv serve --allow-host NAME), case
//     and port aside. A rebinding page's requests carry the attacker's
//     name. Subdomains of localhost are not accepted unless allowed. The
//     port is not compared: rebinding is about the name, and port forwards
//     and reverse proxies (validate's node fronts among them) keep the
//     port their client used. Listening beyond loopback therefore takes
//     both a token and the names clients use, in AllowHosts.
//   - Origin, when sent, is the request's own origin: http:// or https://
//     followed by exactly the Host. Browsers send it with every POST, PUT
//     and DELETE; "null" and every other origin are refused, a page of
//     another local port included.
//   - Sec-Fetch-Site, when sent, is same-origin or none, as in the
//     standard library's http.CrossOriginProtection.
//
// Clients that are not browsers (curl, SDKs, Go) send a loopback Host and
// neither header, and pass. The JSON content type rule above is a second
// line against simple requests.
package kv
