// Command kvload measures the reference KV service (package kv): many
// clients doing GETs or durable PUTs of one value size for a while, then
// throughput and latency percentiles.
//
//	go run ./internal/cmd/kvload -op get                       # in-process server, bbolt in a temp dir
//	go run ./internal/cmd/kvload -op put -duration 20s
//	go run ./internal/cmd/kvload -addr 127.0.0.1:8787 -op get  # a running `catch22 kv serve`
//
// Without -addr it starts the service in this process on a loopback port,
// so client and server share the machine's cores, as they do with -addr on
// the same machine. It creates a namespace of its own and deletes it after.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/catch22/catch22/kv"
)

type config struct {
	addr        string
	data        string
	memory      bool
	token       string
	duration    time.Duration
	concurrency int
	valueSize   int
	keys        int
	op          string
	cpuprofile  string
}

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "", "HOST:PORT of a running service (default: start one in this process)")
	flag.StringVar(&c.data, "data", "", "in-process server: bbolt file (default: a temporary one)")
	flag.BoolVar(&c.memory, "memory", false, "in-process server: memory store instead of bbolt")
	flag.StringVar(&c.token, "token", os.Getenv("CATCH22_KV_TOKEN"), "bearer token")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "how long to measure")
	flag.IntVar(&c.concurrency, "concurrency", 32, "concurrent clients")
	flag.IntVar(&c.valueSize, "value-size", 1024, "value size in bytes")
	flag.IntVar(&c.keys, "keys", 1000, "distinct keys")
	flag.StringVar(&c.op, "op", "get", "operation: get|put")
	flag.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the measured part (client and in-process server) to `FILE`")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "kvload:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	switch {
	case c.op != "get" && c.op != "put":
		return fmt.Errorf("-op %q: want get or put", c.op)
	case c.concurrency < 1 || c.keys < 1 || c.valueSize < 0 || c.duration <= 0:
		return errors.New("-concurrency, -keys and -duration must be positive, -value-size not negative")
	case c.duration > time.Hour:
		return errors.New("-duration: at most 1h")
	}
	addr, where := c.addr, "at "+c.addr
	if addr == "" {
		stop, a, desc, err := startServer(c)
		if err != nil {
			return err
		}
		defer stop()
		addr, where = a, desc
	}
	base := "http://" + addr + "/client/v4/accounts/kvload/storage/kv/namespaces"
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns:        c.concurrency,
		MaxIdleConnsPerHost: c.concurrency,
		DisableCompression:  true,
	}}
	cl := kvClient{c: client, token: c.token}
	ns, err := cl.createNamespace(base, fmt.Sprintf("kvload-%d", time.Now().UnixNano()))
	if err != nil {
		return err
	}
	defer cl.do("DELETE", base+"/"+ns, nil)
	nsURL := base + "/" + ns
	value := bytes.Repeat([]byte{'v'}, c.valueSize)
	if c.op == "get" {
		if err := cl.preload(nsURL, c.keys, value); err != nil {
			return err
		}
	}

	fmt.Printf("kvload: %s of %d-byte values, %d keys, %d clients, %v, service %s, %d CPUs, %s\n",
		strings.ToUpper(c.op), c.valueSize, c.keys, c.concurrency, c.duration, where, runtime.NumCPU(), runtime.Version())
	lat := make([][]time.Duration, c.concurrency)
	errs := make([]int, c.concurrency)
	var firstErr error
	var errOnce sync.Once
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	deadline := time.Now().Add(c.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range c.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for time.Now().Before(deadline) {
				u := fmt.Sprintf("%s/values/k%d", nsURL, r.IntN(c.keys))
				var body []byte
				method := "GET"
				if c.op == "put" {
					method, body = "PUT", value
				}
				t0 := time.Now()
				_, err := cl.do(method, u, body)
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil {
					errs[w]++
					errOnce.Do(func() { firstErr = err })
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	nerr := 0
	for _, e := range errs {
		nerr += e
	}
	if len(all) == 0 {
		return errors.New("no request completed")
	}
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(float64(len(all))*p))] }
	fmt.Printf("requests %d, errors %d, %.0f req/s\n", len(all), nerr, float64(len(all))/elapsed.Seconds())
	fmt.Printf("latency p50 %v, p90 %v, p99 %v, max %v\n",
		pct(0.50).Round(time.Microsecond), pct(0.90).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), all[len(all)-1].Round(time.Microsecond))
	if firstErr != nil {
		return fmt.Errorf("%d requests failed, the first: %w", nerr, firstErr)
	}
	return nil
}

// startServer runs the service in this process on a loopback port.
func startServer(c config) (stop func(), addr, desc string, err error) {
	o := kv.Options{Memory: c.memory, Path: c.data, Token: c.token}
	cleanup := func() {}
	if !c.memory && c.data == "" {
		dir, err := os.MkdirTemp("", "kvload-")
		if err != nil {
			return nil, "", "", err
		}
		o.Path = filepath.Join(dir, "kv.db")
		cleanup = func() { os.RemoveAll(dir) }
	}
	s, err := kv.New(o)
	if err != nil {
		cleanup()
		return nil, "", "", err
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { ready <- a }) }()
	select {
	case a := <-ready:
		desc = "in process (" + s.Store() + ")"
		return func() { cancel(); <-done; cleanup() }, a.String(), desc, nil
	case err := <-done:
		cancel()
		cleanup()
		return nil, "", "", err
	}
}

type kvClient struct {
	c     *http.Client
	token string
}

// do sends one request and reads the whole answer; a status other than
// 200 is an error.
func (k kvClient) do(method, u string, body []byte) ([]byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		// JSON endpoints refuse other types; value writes take any.
		req.Header.Set("Content-Type", "application/json")
	}
	if k.token != "" {
		req.Header.Set("Authorization", "Bearer "+k.token)
	}
	resp, err := k.c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s %s: %s: %.200s", method, u, resp.Status, b)
	}
	return b, err
}

func (k kvClient) createNamespace(base, title string) (string, error) {
	body, _ := json.Marshal(map[string]string{"title": title})
	b, err := k.do("POST", base, body)
	if err != nil {
		return "", fmt.Errorf("create namespace: %w", err)
	}
	var env struct {
		Result struct{ ID string } `json:"result"`
	}
	if err := json.Unmarshal(b, &env); err != nil || env.Result.ID == "" {
		return "", fmt.Errorf("create namespace: unexpected answer %.200s", b)
	}
	return env.Result.ID, nil
}

// preload writes every key once, 1,000 to a bulk request.
func (k kvClient) preload(nsURL string, keys int, value []byte) error {
	for from := 0; from < keys; from += 1000 {
		var pairs []map[string]any
		for i := from; i < min(keys, from+1000); i++ {
			pairs = append(pairs, map[string]any{"key": fmt.Sprintf("k%d", i), "value": string(value)})
		}
		body, _ := json.Marshal(pairs)
		if _, err := k.do("PUT", nsURL+"/bulk", body); err != nil {
			return fmt.Errorf("preload: %w", err)
		}
	}
	return nil
}
