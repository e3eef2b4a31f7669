package kv

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server.
type Options struct {
	// Path is the bbolt database file, created when missing. Required
	// unless Memory is set.
	Path string
	// Memory keeps everything in memory instead, lost on Close.
	Memory bool
	// Token, when set, must be sent as "Authorization: Bearer <Token>"
	// on every request except GET /_catch22/health.
	Token string
	// AllowHosts are the names, besides localhost and loopback addresses,
	// that a request may carry in its Host header (see CheckAllowHost):
	// the names clients use when the service listens beyond loopback.
	// Other names are refused, as DNS rebinding would send them.
	AllowHosts []string
	// Logger receives one record per request (method, path, status,
	// duration, bytes) at info level, the cause of every 500 at error
	// level, and the service's own events. nil discards.
	Logger *slog.Logger
	// Now is the clock for expirations; nil means time.Now. Tests set it
	// to expire keys without sleeping.
	Now func() time.Time
	// PurgeInterval is how often expired keys are removed from storage
	// (they are invisible from the moment they expire). 0 means
	// DefaultPurgeInterval; negative turns the purge off.
	PurgeInterval time.Duration
}

// DefaultPurgeInterval is how often expired keys are purged by default.
const DefaultPurgeInterval = 30 * time.Second

// shutdownGrace bounds how long Serve waits for in-flight requests once its
// context is cancelled; connections still busy after it are closed.
const shutdownGrace = 30 * time.Second

// Server is the reference KV service: storage, the HTTP API and faults.
// Its methods are safe for concurrent use.
type Server struct {
	store      store
	token      []byte
	allowHosts hostSet
	log        *slog.Logger
	logging    bool
	now        func() time.Time
	fault      atomic.Pointer[Fault]

	quit      chan struct{} // closed when shutting down
	quitOnce  sync.Once
	closeOnce sync.Once
	closeErr  error
	wg        sync.WaitGroup // the purge loop
}

// New opens the store and starts the background purge. Close releases both.
func New(o Options) (*Server, error) {
	hosts, err := newHostSet(o.AllowHosts)
	if err != nil {
		return nil, fmt.Errorf("kv: %w", err)
	}
	var st store
	switch {
	case o.Memory:
		st = newMemoryStore()
	case o.Path == "":
		return nil, errors.New("kv: no database path (set Options.Path, or Options.Memory)")
	default:
		b, err := openBolt(o.Path)
		if err != nil {
			return nil, fmt.Errorf("kv: %w", err)
		}
		st = b
	}
	s := &Server{store: st, allowHosts: hosts, log: o.Logger, now: o.Now, quit: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.logging = s.log.Enabled(context.Background(), slog.LevelInfo)
	if s.now == nil {
		s.now = time.Now
	}
	if o.Token != "" {
		s.token = []byte(o.Token)
	}
	s.fault.Store(&Fault{Mode: FaultNone})
	every := o.PurgeInterval
	if every == 0 {
		every = DefaultPurgeInterval
	}
	if every > 0 {
		s.wg.Add(1)
		go s.purgeLoop(every)
	}
	return s, nil
}

// Store names the storage engine: "bbolt" or "memory".
func (s *Server) Store() string { return s.store.kind() }

// Handler is the HTTP API, for in-process use (httptest, a larger mux).
// Requests after Close are answered 503.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Close stops the purge and closes the store. It is safe to call more than
// once; in-flight requests should be finished first (Serve does that).
func (s *Server) Close() error {
	s.quitOnce.Do(func() { close(s.quit) })
	s.wg.Wait()
	s.closeOnce.Do(func() { s.closeErr = s.store.close() })
	return s.closeErr
}

// CheckBind refuses to serve a non-loopback address without a token: the
// service would otherwise hand anyone on the network write access.
// "localhost", 127.0.0.0/8 and ::1 count as loopback; an empty host (all
// interfaces) and other host names do not.
func CheckBind(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: want HOST:PORT, as in 127.0.0.1:8787", addr)
	}
	if token != "" || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("refusing to listen on %s without a token: only loopback addresses (127.0.0.1, ::1, localhost) may be served without one", addr)
}

// ListenAndServe listens on addr (after CheckBind), calls ready with the
// bound address (the real port for ":0"), and serves until ctx is
// cancelled; see Serve. Like Serve it closes the server when it returns,
// also when it could not listen.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	if err := CheckBind(addr, string(s.token)); err != nil {
		s.Close()
		return fmt.Errorf("kv: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.Close()
		return fmt.Errorf("kv: %w", err)
	}
	if ready != nil {
		ready(ln.Addr())
	}
	return s.Serve(ctx, ln)
}

// Serve answers requests on ln until ctx is cancelled, then stops
// accepting, lets in-flight requests finish (at most shutdownGrace; a
// latency fault stops delaying at once) and closes the server, database
// included. It returns only after all of that.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // a whole request, a 25 MiB body included
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	var err error
	select {
	case err = <-served:
	case <-ctx.Done():
		s.quitOnce.Do(func() { close(s.quit) })
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		if err = hs.Shutdown(sctx); err != nil {
			hs.Close()
			err = fmt.Errorf("kv: shutdown: %w", err)
		}
		cancel()
		if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	}
	if cerr := s.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("kv: close: %w", cerr))
	}
	return err
}

func (s *Server) purgeLoop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
			n, err := s.store.purge(s.now().Unix())
			switch {
			case err != nil:
				s.log.Warn("purge expired keys", "err", err)
			case n > 0:
				s.log.Debug("purged expired keys", "count", n)
			}
		}
	}
}

// statusWriter remembers the status and size of an answer for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Hijack and Flush.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.logging {
		s.route(w, r)
		return
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		// A dropped connection (down fault, aborted handler) has no status.
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.EscapedPath()),
			slog.Int("status", sw.status),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("bytes", sw.n))
	}()
	s.route(sw, r)
}

// route answers one request. The order matters: health answers anyone;
// cross-site checks come before everything else, faults before the token
// (a service that is down checks nothing), and the token before anything
// that tells whether a resource exists.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	rt := parseRoute(r.URL.EscapedPath())
	if rt.ep == epHealth {
		s.health(w, r)
		return
	}
	if e := s.checkSite(r); e != nil {
		writeError(w, e)
		return
	}
	if rt.ep == epFaults {
		switch {
		case !s.authorized(r):
			unauthorized(w)
		case !slices.Contains(methods[rt.ep], r.Method):
			notAllowed(w, rt.ep)
		default:
			s.handleFaults(w, r)
		}
		return
	}
	if s.injectFault(w, r, rt) {
		return
	}
	switch {
	case !s.authorized(r):
		unauthorized(w)
		return
	case rt.ep == epUnknown:
		writeError(w, errorf(http.StatusNotFound, codeNoEndpoint, "endpoint does not exist: %s", r.URL.EscapedPath()))
		return
	case !slices.Contains(methods[rt.ep], r.Method):
		notAllowed(w, rt.ep)
		return
	case rt.err != nil:
		writeError(w, rt.err)
		return
	}
	switch rt.ep {
	case epNamespaces:
		if r.Method == http.MethodGet {
			s.listNamespaces(w, r, rt)
		} else {
			s.createNamespace(w, r, rt)
		}
	case epNamespace:
		switch r.Method {
		case http.MethodGet:
			s.getNamespace(w, r, rt)
		case http.MethodPut:
			s.renameNamespace(w, r, rt)
		default:
			s.deleteNamespace(w, r, rt)
		}
	case epValue:
		switch r.Method {
		case http.MethodGet:
			s.getValue(w, r, rt)
		case http.MethodPut:
			s.putValue(w, r, rt)
		default:
			s.deleteValue(w, r, rt)
		}
	case epMetadata:
		s.getMetadata(w, r, rt)
	case epKeys:
		s.listKeys(w, r, rt)
	case epBulk:
		if r.Method == http.MethodPut {
			s.bulkWrite(w, r, rt)
		} else {
			s.bulkDelete(w, r, rt)
		}
	case epBulkDelete:
		s.bulkDelete(w, r, rt)
	}
}

// health serves GET /_catch22/health. It needs neither the token nor a
// loopback Host: probes send whatever Host they were configured with, and
// the answer tells nothing worth protecting.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		notAllowed(w, epHealth)
		return
	}
	writeResult(w, map[string]string{"status": "ok", "store": s.store.kind()}, nil)
}

func (s *Server) authorized(r *http.Request) bool {
	if s.token == nil {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), s.token) == 1
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="catch22 kv"`)
	writeError(w, errorf(http.StatusUnauthorized, codeAuth, "authentication error: send Authorization: Bearer <token>"))
}

func notAllowed(w http.ResponseWriter, ep endpoint) {
	w.Header().Set("Allow", strings.Join(methods[ep], ", "))
	writeError(w, errorf(http.StatusMethodNotAllowed, codeNoEndpoint, "method not allowed; this endpoint answers %s", strings.Join(methods[ep], ", ")))
}

// storeFailed answers a failed store call. A 500 (a full disk, an I/O
// error, a damaged file) is the operator's to fix, so its cause goes to
// the log with the request; the answer does not carry it, as it may name
// the database file.
func (s *Server) storeFailed(w http.ResponseWriter, r *http.Request, err error) {
	e := storeError(err)
	if e.status == http.StatusInternalServerError {
		s.log.LogAttrs(r.Context(), slog.LevelError, "storage failure",
			slog.String("method", r.Method),
			slog.String("path", r.URL.EscapedPath()),
			slog.Int("status", e.status),
			slog.String("err", err.Error()))
	}
	writeError(w, e)
}

// storeError maps a store error to its answer.
func storeError(err error) *apiError {
	switch {
	case errors.Is(err, errNamespaceNotFound):
		return errorf(http.StatusNotFound, codeNamespaceNotFound, "namespace not found")
	case errors.Is(err, errKeyNotFound):
		return errorf(http.StatusNotFound, codeKeyNotFound, "key not found")
	case errors.Is(err, errNamespaceExists):
		return errorf(http.StatusBadRequest, codeNamespaceExists, "a namespace with this account ID and title already exists")
	case errors.Is(err, errClosed):
		return errorf(http.StatusServiceUnavailable, codeUnavailable, "service temporarily unavailable: shutting down")
	}
	return errorf(http.StatusInternalServerError, codeUnavailable, "service temporarily unavailable: storage failure (the cause is in the server log)")
}
