//go:build unix

package kv_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestCrashDurability runs `catch22 kv serve` as a child process, writes to
// it from several clients at once and kills it with SIGKILL at a random
// moment, again and again. After each restart every acknowledged write
// must be there with exactly its value, and an unacknowledged one (at most
// one per client: the request in flight at the kill) must be there whole or
// not at all; a bulk write counts as one, all its keys or none.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds catch22 and crashes it 20 times")
	}
	const rounds, writers, keysPerWriter = 20, 8, 16
	bin := buildCatch22(t)
	db := filepath.Join(t.TempDir(), "crash.db")
	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 1)) // when to kill
	t.Logf("kill timing seed %d", seed)

	// committed[w] is what writer w's keys hold after its acknowledged
	// writes (absent keys missing); pending[w] the write in flight when
	// the server died, applied over committed, or nil.
	committed := make([]map[string]string, writers)
	pending := make([]map[string]*string, writers)
	for w := range writers {
		committed[w] = map[string]string{}
	}
	var ns string
	acked, lost := 0, 0
	for round := 0; round <= rounds; round++ {
		child := startServe(t, bin, db)
		if round == 0 {
			ns = createNamespaceHTTP(t, child.url, "crash")
		}
		base := child.url + nsBase(account) + "/" + ns

		// Verify, then take what is there as the new truth.
		observed := fetchAll(t, base)
		for w := range writers {
			mine := map[string]string{}
			for k, v := range observed {
				if strings.HasPrefix(k, fmt.Sprintf("w%d/", w)) {
					mine[k] = v
				}
			}
			after := maps.Clone(committed[w])
			for k, v := range pending[w] {
				if v == nil {
					delete(after, k)
				} else {
					after[k] = *v
				}
			}
			switch {
			case maps.Equal(mine, committed[w]):
				if pending[w] != nil {
					lost++
				}
			case pending[w] != nil && maps.Equal(mine, after):
			default:
				t.Fatalf("round %d, writer %d: stored state matches neither the acknowledged writes nor them plus the one in flight\n stored    %s\n acked     %s\n +inflight %s",
					round, w, summary(mine), summary(committed[w]), summary(after))
			}
			committed[w], pending[w] = mine, nil
		}
		for k := range observed {
			if !regexp.MustCompile(`^w\d+/k\d+$`).MatchString(k) {
				t.Fatalf("round %d: a key nobody wrote: %q", round, k)
			}
		}
		if round == rounds {
			child.stop(t) // the last start only verifies, then shuts down gracefully
			break
		}

		// Write from every writer until the kill.
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: writers}}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				for seq := 0; ; seq++ {
					op := randomOp(r, w, round, seq, keysPerWriter)
					mu.Lock()
					pending[w] = op
					mu.Unlock()
					if err := apply(client, base, op); err != nil {
						return // the server is gone: op stays pending
					}
					mu.Lock()
					for k, v := range op {
						if v == nil {
							delete(committed[w], k)
						} else {
							committed[w][k] = *v
						}
					}
					pending[w] = nil
					acked++
					mu.Unlock()
				}
			}()
		}
		time.Sleep(time.Duration(50+rnd.IntN(350)) * time.Millisecond)
		child.kill(t)
		wg.Wait()
		client.CloseIdleConnections()
	}
	t.Logf("%d acknowledged writes survived %d kills; %d in-flight writes were lost, the rest landed whole", acked, rounds, lost)
	if acked < rounds*10 {
		t.Fatalf("only %d writes acknowledged in %d rounds: the test did not exercise much", acked, rounds)
	}
}

// randomOp is one write of writer w: a put (of 100 B to 256 KiB, so a torn
// write would show), a delete, or a bulk put of several keys.
func randomOp(r *rand.Rand, w, round, seq, keys int) map[string]*string {
	key := func() string { return fmt.Sprintf("w%d/k%d", w, r.IntN(keys)) }
	value := func(k string) *string {
		head := fmt.Sprintf("%s r%d s%d|", k, round, seq)
		body := make([]byte, 100+r.IntN(256<<10))
		for i := range body {
			body[i] = byte('a' + r.IntN(26))
		}
		v := head + string(body)
		return &v
	}
	switch n := r.IntN(10); {
	case n < 6:
		k := key()
		return map[string]*string{k: value(k)}
	case n < 8:
		return map[string]*string{key(): nil}
	default:
		op := map[string]*string{}
		for range 2 + r.IntN(3) {
			k := key()
			op[k] = value(k)
		}
		return op
	}
}

func apply(c *http.Client, base string, op map[string]*string) error {
	var req *http.Request
	if len(op) > 1 {
		var pairs []map[string]string
		for _, k := range slices.Sorted(maps.Keys(op)) {
			pairs = append(pairs, map[string]string{"key": k, "value": *op[k]})
		}
		body, _ := json.Marshal(pairs)
		req, _ = http.NewRequest("PUT", base+"/bulk", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		for k, v := range op {
			if v == nil {
				req, _ = http.NewRequest("DELETE", base+"/values/"+k, nil)
			} else {
				req, _ = http.NewRequest("PUT", base+"/values/"+k, strings.NewReader(*v))
			}
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s %s: %d", req.Method, req.URL, resp.StatusCode)
	}
	return nil
}

// fetchAll lists and reads every key of the namespace.
func fetchAll(t *testing.T, base string) map[string]string {
	t.Helper()
	out := map[string]string{}
	cursor := ""
	for {
		resp, err := http.Get(base + "/keys?limit=1000&cursor=" + cursor)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Result     []keyItem  `json:"result"`
			ResultInfo cursorInfo `json:"result_info"`
		}
		err = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("list keys: %d %v", resp.StatusCode, err)
		}
		for _, it := range e.Result {
			resp, err := http.Get(base + "/values/" + it.Name)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("get %s: %d %v", it.Name, resp.StatusCode, err)
			}
			out[it.Name] = string(b)
		}
		if cursor = e.ResultInfo.Cursor; cursor == "" {
			return out
		}
	}
}

func summary(m map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		head, _, _ := strings.Cut(v, "|")
		parts = append(parts, fmt.Sprintf("%s=%q(%d bytes)", k, head, len(v)))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// buildCatch22 builds the catch22 binary from the module root.
func buildCatch22(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(t.TempDir(), "catch22")
	build := exec.Command("go", "build", "-o", bin, "./cmd/catch22")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/catch22: %v\n%s", err, out)
	}
	return bin
}

// serveChild is a running `catch22 kv serve`.
type serveChild struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
	done   chan error
}

var listening = regexp.MustCompile(`^catch22 kv: listening on (http://127\.0\.0\.1:\d+) \(bbolt (.+)\)\n$`)

func startServe(t *testing.T, bin, db string) *serveChild {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := &serveChild{stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	c.cmd = exec.Command(bin, "kv", "serve", "--addr", "127.0.0.1:0", "--data", db, "--quiet")
	c.cmd.Stderr = c.stderr
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
		io.Copy(io.Discard, stdout)
	}()
	go func() { c.done <- c.cmd.Wait() }()
	select {
	case l := <-line:
		m := listening.FindStringSubmatch(l)
		if m == nil || m[2] != db {
			c.cmd.Process.Kill()
			t.Fatalf("first line %q; stderr: %s", l, c.stderr)
		}
		c.url = m[1]
	case <-ctx.Done():
		c.cmd.Process.Kill()
		t.Fatalf("catch22 kv serve did not start; stderr: %s", c.stderr)
	}
	t.Cleanup(func() { c.cmd.Process.Kill() })
	return c
}

func (c *serveChild) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	<-c.done
}

// stop ends the child with SIGTERM and expects a clean exit.
func (c *serveChild) stop(t *testing.T) {
	t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		if err != nil {
			t.Fatalf("catch22 kv serve after SIGTERM: %v; stderr: %s", err, c.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("catch22 kv serve ignored SIGTERM")
	}
}

func createNamespaceHTTP(t *testing.T, url, title string) string {
	t.Helper()
	resp, err := http.Post(url+nsBase(account), "application/json", strings.NewReader(`{"title":"`+title+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Result struct{ ID string } `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != 200 {
		t.Fatalf("create namespace: %d %v", resp.StatusCode, err)
	}
	return e.Result.ID
}
