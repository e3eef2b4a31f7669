package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/catch22/catch22/kv"
)

// account is the account id the emulation uses in KV API paths.
const account = "catch22"

// canaryKey is what a KV node reads from its own store to know it works.
const canaryKey = "catch22-canary"

// kvNode is the reference KV that plays a node with emulate = "kv": its own
// server on its own port, one namespace per environment of the graph.
type kvNode struct {
	srv        *kv.Server
	base       string            // http://127.0.0.1:PORT of the KV API
	namespaces map[string]string // environment → namespace id
	env        string            // the node's environment
	done       chan struct{}     // closed when the server has stopped
}

// startKV starts an in-memory reference KV on a loopback port and creates
// one namespace per environment through its API.
func startKV(ctx context.Context, client *http.Client, env string, envs []string) (*kvNode, error) {
	srv, err := kv.New(kv.Options{Memory: true, PurgeInterval: -1})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, err
	}
	k := &kvNode{srv: srv, base: "http://" + ln.Addr().String(), namespaces: map[string]string{}, env: env, done: make(chan struct{})}
	go func() {
		defer close(k.done)
		srv.Serve(ctx, ln)
	}()
	for _, e := range envs {
		var res struct {
			ID string `json:"id"`
		}
		if err := k.api(ctx, client, http.MethodPost, "", []byte(fmt.Sprintf(`{"title":%q}`, e)), &res); err != nil {
			return k, fmt.Errorf("create namespace %s: %w", e, err)
		}
		k.namespaces[e] = res.ID
	}
	return k, k.put(ctx, client, canaryKey)
}

// valueURL is where a key of the node's own environment is read, through
// base (the KV itself, or the front of the node that it plays).
func (k *kvNode) valueURL(base, key string) string {
	return fmt.Sprintf("%s/client/v4/accounts/%s/storage/kv/namespaces/%s/values/%s", base, account, k.namespaces[k.env], url.PathEscape(key))
}

// put seeds a key in the node's own environment.
func (k *kvNode) put(ctx context.Context, client *http.Client, key string) error {
	return call(ctx, client, http.MethodPut, k.valueURL(k.base, key), []byte("seeded by catch22 validate"))
}

// call makes one request and wants 200 back; the body is drained.
func call(ctx context.Context, client *http.Client, method, u string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", method, u, resp.Status)
	}
	return nil
}

// api calls the namespaces endpoint and decodes the envelope's result.
func (k *kvNode) api(ctx context.Context, client *http.Client, method, path string, body []byte, result any) error {
	u := fmt.Sprintf("%s/client/v4/accounts/%s/storage/kv/namespaces%s", k.base, account, path)
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Success bool            `json:"success"`
		Result  json.RawMessage `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return err
	}
	if !env.Success {
		return fmt.Errorf("%s %s: %s", method, u, resp.Status)
	}
	return json.Unmarshal(env.Result, result)
}

// canary reads the canary key from the KV itself.
func (k *kvNode) canary(ctx context.Context, client *http.Client, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := call(ctx, client, http.MethodGet, k.valueURL(k.base, canaryKey), nil); err != nil {
		return fmt.Errorf("read %s: %w", canaryKey, err)
	}
	return nil
}

// setFault injects a node's fault into the KV itself, so that every read
// through it fails for real.
func (k *kvNode) setFault(f Fault) {
	switch f.Mode {
	case FaultDown:
		k.srv.SetFault(kv.Fault{Mode: kv.FaultDown})
	case FaultError:
		k.srv.SetFault(kv.Fault{Mode: kv.FaultError, Status: http.StatusServiceUnavailable})
	case FaultLatency:
		k.srv.SetFault(kv.Fault{Mode: kv.FaultLatency, Latency: f.Latency})
	default:
		k.srv.SetFault(kv.Fault{Mode: kv.FaultNone})
	}
}

// front serves a KV node: /health like any node, and the KV API, passed to
// the reference KV only while the node is up (it may be down because of
// its own dependencies).
func (n *node) front() http.Handler {
	target, _ := url.Parse(n.store.base)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	proxy.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, err error) {
		http.Error(w, "reference KV: "+err.Error(), http.StatusBadGateway)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", n.health)
	mux.HandleFunc("/client/v4/", func(w http.ResponseWriter, r *http.Request) {
		if a, ok := n.check(r); !ok || !a.Status.IsUp() {
			answer{Node: n.id, Status: Down, Because: a.Because}.write(w)
			return
		}
		r.Header.Del(headerProbe)
		r.Header.Del(headerTrace)
		proxy.ServeHTTP(w, r)
	})
	return mux
}
