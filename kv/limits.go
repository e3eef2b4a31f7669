package kv

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The limits of Workers KV, and the ones this service adds where Cloudflare
// states none. Each is enforced while the request is read: a body is read
// through http.MaxBytesReader (and refused at once when its Content-Length
// is already too large), so an oversized body is never buffered whole.
const (
	MaxKeyBytes      = 512            // a key name, URL-decoded, in bytes
	MaxValueBytes    = 25 << 20       // one value (25 MiB)
	MaxMetadataBytes = 1024           // metadata, serialised as compact JSON
	MinTTLSeconds    = 60             // expiration_ttl, and how far ahead an expiration must be
	MinListLimit     = 10             // keys?limit=
	MaxListLimit     = 1000           // keys?limit=, also the default
	MaxBulkPairs     = 10000          // pairs in one bulk write, keys in one bulk delete
	MaxBulkBodyBytes = 100 << 20      // one bulk request body (Cloudflare: "100 megabytes")
	MaxTitleBytes    = 512            // a namespace title
	MinPerPage       = 5              // namespaces?per_page=
	MaxPerPage       = 100            // namespaces?per_page=
	defaultPerPage   = 20             // namespaces?per_page= when absent
	maxJSONBodyBytes = 64 << 10       // small JSON bodies: titles, faults
	multipartSlack   = 64 << 10       // multipart headers and boundaries around value and metadata
	maxMetadataInput = 16 * (1 << 10) // a metadata part before compaction
)

// validateKey checks a decoded key name against the rules of Workers KV:
// 1..512 bytes, not "." or "..", and, as Cloudflare's API reference puts
// it, "all printable, non-whitespace characters are valid": valid UTF-8
// without control characters (NUL among them) or whitespace of any kind.
func validateKey(key string) *apiError {
	switch {
	case key == "":
		return errorf(http.StatusBadRequest, codeIllegalKey, "illegal key name: key names must not be empty")
	case key == "." || key == "..":
		return errorf(http.StatusBadRequest, codeIllegalKey, "illegal key name %q: please use a different name", key)
	case len(key) > MaxKeyBytes:
		return errorf(http.StatusRequestURITooLong, codeKeyTooLong, "key too long: %d bytes, at most %d", len(key), MaxKeyBytes)
	case !utf8.ValidString(key):
		return errorf(http.StatusBadRequest, codeIllegalKey, "illegal key name: not valid UTF-8")
	case strings.ContainsFunc(key, illegalKeyRune):
		return errorf(http.StatusBadRequest, codeIllegalKey, "illegal key name %q: whitespace and control characters are not allowed", key)
	}
	return nil
}

// illegalKeyRune reports a rune no key may hold: Unicode whitespace (space,
// tab, line breaks, no-break and ideographic spaces...) and control
// characters (C0, DEL, C1). Format characters such as the zero-width
// joiner of emoji sequences are printable enough and stay allowed.
func illegalKeyRune(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// decimalNumber is the form a number of seconds may take: a JSON number
// (a leading "+" too, as strconv.ParseInt has always taken one here).
var decimalNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// maxExactFloat bounds the whole numbers a float64 holds exactly: from
// 2^53 on, neighbours round together (2^53+1 reads as 2^53), so a number
// in fractional form is trusted to the second only below it.
const maxExactFloat = 1 << 53

// wholeSeconds reads an expiration or expiration_ttl. Cloudflare's schema
// types both as JSON numbers, so 300, 300.0 and 3e2 all mean 300 seconds;
// 300.5 is refused rather than rounded, as expiries are whole seconds.
func wholeSeconds(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if !decimalNumber.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= maxExactFloat {
		return 0, false
	}
	return int64(f), true
}

// expiry resolves the expiration of a write to unix seconds (0 = never).
// A TTL wins over an absolute expiration, as Cloudflare documents for bulk
// writes. Both must put the expiry at least MinTTLSeconds ahead of now.
func expiry(now, expiration, ttl int64, hasExp, hasTTL bool) (int64, *apiError) {
	if hasTTL {
		if ttl < MinTTLSeconds || ttl > math.MaxInt64-now {
			return 0, errorf(http.StatusBadRequest, codeInvalidTTL,
				"invalid expiration_ttl of %d: it must be at least %d seconds", ttl, MinTTLSeconds)
		}
		return now + ttl, nil
	}
	if hasExp {
		if expiration < now+MinTTLSeconds {
			return 0, errorf(http.StatusBadRequest, codeInvalidExpiration,
				"invalid expiration of %d: it must be at least %d seconds after the current time (%d)", expiration, MinTTLSeconds, now)
		}
		return expiration, nil
	}
	return 0, nil
}

// queryExpiry reads the expiration and expiration_ttl query parameters.
func queryExpiry(r *http.Request, now int64) (int64, *apiError) {
	q := r.URL.Query()
	var exp, ttl int64
	hasExp, hasTTL := q.Has("expiration"), q.Has("expiration_ttl")
	if hasExp {
		v, ok := wholeSeconds(q.Get("expiration"))
		if !ok {
			return 0, errorf(http.StatusBadRequest, codeInvalidExpiration, "invalid expiration %q: want whole unix seconds", q.Get("expiration"))
		}
		exp = v
	}
	if hasTTL {
		v, ok := wholeSeconds(q.Get("expiration_ttl"))
		if !ok {
			return 0, errorf(http.StatusBadRequest, codeInvalidTTL, "invalid expiration_ttl %q: want whole seconds", q.Get("expiration_ttl"))
		}
		ttl = v
	}
	return expiry(now, exp, ttl, hasExp, hasTTL)
}

// tooLarge is the answer for a body over its limit.
func tooLarge(what string, limit int64) *apiError {
	return errorf(http.StatusRequestEntityTooLarge, codePayloadTooLarge, "payload too large: %s is limited to %s", what, byteSize(limit))
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
