package validate

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/catch22/catch22/graph"
	"github.com/catch22/catch22/manifest"
)

// A production node wired to a staging KV reads the staging namespace of
// that KV, for real: the founding incident's misconfiguration, live.
func TestProductionNodeReadsStagingNamespace(t *testing.T) {
	var ms []*manifest.Manifest
	for name, text := range map[string]string{
		"api.toml":   "[service]\nname = \"api\"\n[[dependency]]\non = \"cache@staging\"\n",
		"cache.toml": "[service]\nname = \"cache\"\nenv = \"staging\"\nkind = \"datastore\"\nemulate = \"kv\"\n",
		"other.toml": "[service]\nname = \"other\"\n",
	} {
		m, errs := manifest.Parse(name, []byte(text))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		ms = append(ms, m)
	}
	g := graph.Build(ms)
	api, _ := g.Lookup("api@production")
	cache, _ := g.Lookup("cache@staging")
	o := Options{Timeout: testTimeout}
	s, err := start(context.Background(), g, &o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.stop()
	store := s.nodes[cache].store
	read := s.nodes[api].deps[0].url
	if !strings.Contains(read, "/namespaces/"+store.namespaces["staging"]+"/values/api@production") {
		t.Fatalf("api reads %s, not its key in the staging namespace %s", read, store.namespaces["staging"])
	}
	// The key is there, in staging and only there.
	for env, want := range map[string]int{"staging": http.StatusOK, "production": http.StatusNotFound} {
		u := store.base + "/client/v4/accounts/" + account + "/storage/kv/namespaces/" + store.namespaces[env] + "/values/api@production"
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s namespace: %s, want %d", env, resp.Status, want)
		}
	}
	l := &live{s: s, order: probeOrder(g)}
	if err := l.settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.status[api] != Up {
		t.Fatalf("api is %s after reading its key from the staging KV", l.status[api])
	}
	// Break the staging KV: the production api goes down with it.
	s.nodes[cache].setFault(Fault{Mode: FaultDown})
	if err := l.settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.status[api] != Down {
		t.Fatalf("api is %s with its staging KV down", l.status[api])
	}
}
