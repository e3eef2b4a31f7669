package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Health calls carry the probe round and the chain of nodes they went
// through. The round lets a node answer each round once; the trace lets a
// call that comes back to a node on its own chain stop there, so health
// checks across a dependency cycle terminate.
const (
	headerProbe = "X-Catch22-Probe"
	headerTrace = "X-Catch22-Trace"
)

// Status is what a health check says of a node.
type Status string

const (
	Up       Status = "up"
	Degraded Status = "degraded" // up, with a soft dependency down
	Down     Status = "down"
)

// IsUp reports whether dependents may count on the node.
func (s Status) IsUp() bool { return s == Up || s == Degraded }

// answer is the body of an emulated node's /health.
type answer struct {
	Node    string `json:"node"`
	Status  Status `json:"status"`
	Because string `json:"because,omitempty"` // for down and degraded: the first dependency at fault
}

func (a answer) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	if !a.Status.IsUp() {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(a)
}

// trace reads the chain of a call.
func trace(r *http.Request) []string {
	t := r.Header.Get(headerTrace)
	if t == "" {
		return nil
	}
	return strings.Split(t, ",")
}

// onTrace reports whether id is on the chain of a call.
func onTrace(r *http.Request, id string) bool { return slices.Contains(trace(r), id) }

// extend returns the chain of a call made onwards by id.
func extend(r *http.Request, id string) string {
	return strings.Join(append(trace(r), id), ",")
}

// healthCall asks a health check (or reads a KV key) within timeout, in
// probe round and with a trace: 2xx is up, and degraded when the answer
// says so; anything else, or no answer in time, is down.
func healthCall(ctx context.Context, client *http.Client, timeout time.Duration, url, round, chain string) Status {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Down
	}
	req.Header.Set(headerProbe, round)
	if chain != "" {
		req.Header.Set(headerTrace, chain)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Down
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	switch {
	case resp.StatusCode/100 != 2:
		return Down
	case bytes.Contains(body, []byte(`"status":"degraded"`)):
		return Degraded
	}
	return Up
}
