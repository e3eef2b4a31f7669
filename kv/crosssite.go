package kv

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// The service sets no cookies, but a browser on the same machine can still
// reach it without a token: a foreign page may send a "simple" cross-site
// POST (text/plain, form or multipart body; no preflight), and with DNS
// rebinding the attacker's own name resolves to 127.0.0.1, so that the
// browser treats the service as the attacker's origin and lets the page
// read the answers too. checkSite refuses both, for every request but
// health, before faults and the token. A browser always names the site it
// thinks it talks to in Host, and sends Origin with every POST, PUT and
// DELETE (Sec-Fetch-Site too, in current browsers); clients that are not
// browsers send neither Origin nor Sec-Fetch-Site, and a loopback Host.

// hostSet holds the names besides the loopback ones that Host may carry,
// as normalHost writes them.
type hostSet map[string]bool

// newHostSet checks and normalises Options.AllowHosts.
func newHostSet(names []string) (hostSet, error) {
	set := hostSet{}
	for _, n := range names {
		if err := CheckAllowHost(n); err != nil {
			return nil, err
		}
		set[normalHost(n)] = true
	}
	return set, nil
}

// CheckAllowHost checks one Options.AllowHosts entry: a host name or an IP
// address, without scheme, port or path ("kv.internal", "192.0.2.7",
// "2001:db8::7" or "[2001:db8::7]").
func CheckAllowHost(name string) error {
	bad := fmt.Errorf("allowed host %q: want a host name or an IP address, without scheme or port (as in kv.internal)", name)
	switch {
	case name == "":
		return fmt.Errorf("allowed host %q: empty", name)
	case strings.HasPrefix(name, "["): // an IPv6 literal, as Host carries it
		ip, err := netip.ParseAddr(strings.TrimSuffix(name[1:], "]"))
		if !strings.HasSuffix(name, "]") || err != nil || !ip.Is6() {
			return bad
		}
	case isIP(name):
	case strings.ContainsAny(name, ":/@[]?#%\\") || strings.ContainsFunc(name, illegalKeyRune):
		return bad
	}
	return nil
}

func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// unbracket strips the brackets of an IPv6 literal in a Host.
func unbracket(h string) string {
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

// normalHost lower-cases a host name and writes an IP address in its
// canonical form, without IPv6 brackets, so that each has one spelling.
func normalHost(h string) string {
	h = unbracket(h)
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Unmap().String()
	}
	return strings.ToLower(h)
}

// checkSite refuses a request that a browser sent on behalf of another
// site. The answer is 403 with code 10000, what Cloudflare's API answers
// a request it will not serve.
func (s *Server) checkSite(r *http.Request) *apiError {
	if !s.hostAllowed(r.Host) {
		return errorf(http.StatusForbidden, codeAuth,
			"forbidden: the Host %q is not a name of this service (localhost or a loopback address; more with --allow-host NAME)", r.Host)
	}
	if o, sent := r.Header["Origin"]; sent && (len(o) != 1 || !sameOrigin(o[0], r.Host)) {
		return errorf(http.StatusForbidden, codeAuth, "forbidden: cross-origin request from %q", strings.Join(o, ", "))
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none": // none: typed in the address bar
	default:
		return errorf(http.StatusForbidden, codeAuth, "forbidden: %s request (Sec-Fetch-Site)", site)
	}
	return nil
}

// hostAllowed reports whether a Host header names this service: localhost,
// a loopback address or an allowed host. The port is not compared: DNS
// rebinding is about the name, and port forwards and reverse proxies
// (validate's node fronts among them) keep the port the client used.
// Subdomains of localhost are not accepted unless allowed: nothing here
// needs them, and not every resolver keeps them on loopback. The common
// case, a loopback Host, costs no allocation.
func (s *Server) hostAllowed(hostport string) bool {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = unbracket(h)
	if strings.EqualFold(h, "localhost") {
		return true
	}
	if ip, err := netip.ParseAddr(h); err == nil && ip.Unmap().IsLoopback() {
		return true
	}
	return len(s.allowHosts) > 0 && s.allowHosts[normalHost(h)]
}

// sameOrigin reports whether an Origin header is the origin of a request
// for host: http or https, the same host and port. A browser serialises an
// origin exactly so (no path, no user, a default port left out, as in
// Host); "null" and everything else is another origin.
func sameOrigin(origin, host string) bool {
	return host != "" && (strings.EqualFold(origin, "http://"+host) || strings.EqualFold(origin, "https://"+host))
}
