package kv

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultMode is how the service misbehaves on purpose.
type FaultMode string

// The fault modes. Fault endpoints and /_catch22/health are never faulted.
const (
	FaultNone    FaultMode = "none"    // serve normally
	FaultDown    FaultMode = "down"    // close the connection without an answer
	FaultError   FaultMode = "error"   // answer the envelope with Status (5xx)
	FaultLatency FaultMode = "latency" // wait Latency, then serve
)

// MaxFaultLatency bounds the delay of a latency fault.
const MaxFaultLatency = 10 * time.Minute

// Fault is the injected misbehaviour. Namespace, when set, limits it to
// requests naming that namespace id; otherwise every API request is hit.
type Fault struct {
	Mode      FaultMode
	Status    int           // FaultError: 500..599, 0 means 503
	Latency   time.Duration // FaultLatency: > 0, at most MaxFaultLatency
	Namespace string        // optional scope: a namespace id
}

// faultJSON is Fault on the wire: {"mode","status","latency":"250ms","namespace"}.
type faultJSON struct {
	Mode      FaultMode `json:"mode"`
	Status    int       `json:"status,omitempty"`
	Latency   string    `json:"latency,omitempty"`
	Namespace string    `json:"namespace,omitempty"`
}

// MarshalJSON writes the wire form, latency as a Go duration string.
func (f Fault) MarshalJSON() ([]byte, error) {
	j := faultJSON{Mode: f.Mode, Status: f.Status, Namespace: f.Namespace}
	if f.Mode == "" {
		j.Mode = FaultNone
	}
	if f.Latency != 0 {
		j.Latency = f.Latency.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the wire form; Normalize checks it.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var j faultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = Fault{Mode: j.Mode, Status: j.Status, Namespace: j.Namespace}
	if j.Latency != "" {
		d, err := time.ParseDuration(j.Latency)
		if err != nil {
			return fmt.Errorf("latency %q: want a duration such as 250ms", j.Latency)
		}
		f.Latency = d
	}
	return nil
}

// Normalize checks f and fills in defaults: an empty mode is none, an error
// fault without status answers 503. Fields the mode does not use are
// dropped so the fault reads back as it acts.
func (f Fault) Normalize() (Fault, error) {
	if f.Namespace != "" && !validNamespaceID(f.Namespace) {
		return Fault{}, fmt.Errorf("namespace %q: want a namespace id (32 hex digits)", f.Namespace)
	}
	switch f.Mode {
	case "", FaultNone:
		return Fault{Mode: FaultNone}, nil
	case FaultDown:
		return Fault{Mode: FaultDown, Namespace: f.Namespace}, nil
	case FaultError:
		if f.Status == 0 {
			f.Status = http.StatusServiceUnavailable
		}
		if f.Status < 500 || f.Status > 599 {
			return Fault{}, fmt.Errorf("status %d: want a 5xx status", f.Status)
		}
		return Fault{Mode: FaultError, Status: f.Status, Namespace: f.Namespace}, nil
	case FaultLatency:
		if f.Latency <= 0 || f.Latency > MaxFaultLatency {
			return Fault{}, fmt.Errorf("latency %v: want a duration above 0 and at most %v", f.Latency, MaxFaultLatency)
		}
		return Fault{Mode: FaultLatency, Latency: f.Latency, Namespace: f.Namespace}, nil
	}
	return Fault{}, fmt.Errorf("mode %q: want none, down, error or latency", f.Mode)
}

// ParseFault reads the command-line form MODE[:ARG]: none, down, error,
// error:503, latency:200ms.
func ParseFault(s string) (Fault, error) {
	mode, arg, hasArg := strings.Cut(s, ":")
	f := Fault{Mode: FaultMode(mode)}
	switch f.Mode {
	case FaultError:
		if hasArg {
			n, err := strconv.Atoi(arg)
			if err != nil {
				return Fault{}, fmt.Errorf("%q: error takes a status, as in error:503", s)
			}
			f.Status = n
		}
	case FaultLatency:
		if !hasArg {
			return Fault{}, fmt.Errorf("%q: latency takes a duration, as in latency:200ms", s)
		}
		d, err := time.ParseDuration(arg)
		if err != nil {
			return Fault{}, fmt.Errorf("%q: latency takes a duration, as in latency:200ms", s)
		}
		f.Latency = d
	case FaultNone, FaultDown:
		if hasArg {
			return Fault{}, fmt.Errorf("%q: %s takes no argument", s, mode)
		}
	default:
		return Fault{}, fmt.Errorf("%q: want none, down, error[:STATUS] or latency:DURATION", s)
	}
	return f.Normalize()
}

// SetFault makes f the current fault; Fault{} clears it.
func (s *Server) SetFault(f Fault) error {
	f, err := f.Normalize()
	if err != nil {
		return err
	}
	s.fault.Store(&f)
	return nil
}

// Fault returns the current fault.
func (s *Server) Fault() Fault { return *s.fault.Load() }

// injectFault applies the current fault to an API request. It reports
// whether the request was answered (or its connection dropped) already.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request, rt route) bool {
	f := s.fault.Load()
	if f.Mode == FaultNone || (f.Namespace != "" && f.Namespace != rt.ns) {
		return false
	}
	switch f.Mode {
	case FaultDown:
		dropConnection(w)
		return true
	case FaultError:
		writeError(w, errorf(f.Status, codeUnavailable, "service temporarily unavailable (injected fault)"))
		return true
	case FaultLatency:
		t := time.NewTimer(f.Latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true // the client left; nothing to answer
		case <-s.quit:
			// Shutting down: serve now rather than hold the drain up.
		}
	}
	return false
}

// dropConnection closes the client's connection without a response. A
// writer that cannot be hijacked (HTTP/2, httptest.ResponseRecorder) gets
// a panic with http.ErrAbortHandler instead, which net/http servers turn
// into an aborted response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// handleFaults serves GET and POST /_catch22/faults.
func (s *Server) handleFaults(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		writeResult(w, s.Fault(), nil)
		return
	}
	var f Fault
	if e := decodeJSONBody(w, r, maxJSONBodyBytes, &f); e != nil {
		writeError(w, e)
		return
	}
	if err := s.SetFault(f); err != nil {
		writeError(w, errorf(http.StatusBadRequest, codeInvalidRequest, "invalid fault: %v", err))
		return
	}
	s.log.Info("fault set", "fault", s.Fault().String())
	writeResult(w, s.Fault(), nil)
}

// String is the command-line form of f, plus its scope.
func (f Fault) String() string {
	var s string
	switch f.Mode {
	case FaultError:
		s = fmt.Sprintf("error:%d", f.Status)
	case FaultLatency:
		s = "latency:" + f.Latency.String()
	case "":
		s = string(FaultNone)
	default:
		s = string(f.Mode)
	}
	if f.Namespace != "" {
		s += " (namespace " + f.Namespace + ")"
	}
	return s
}
