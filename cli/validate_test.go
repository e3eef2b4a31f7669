package cli_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catch22/catch22/cli"
)

// freeLoopbackAddr returns an address on 127.0.0.1 nothing listens on.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestValidateCatchesARealServiceThatFailsHard: the manifest says the api
// survives without the database (a soft dependency), but the real api,
// standing in through --endpoint, fails whenever the database does.
// validate must report the mismatch and exit 1; with the manifest telling
// the truth (hard), the same service agrees and validate exits 0.
func TestValidateCatchesARealServiceThatFailsHard(t *testing.T) {
	dbAddr := freeLoopbackAddr(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get("http://" + dbAddr + "/health")
		if err != nil {
			http.Error(w, "no database", http.StatusServiceUnavailable)
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			http.Error(w, "no database", http.StatusServiceUnavailable)
		}
	}))
	defer api.Close()

	for _, tc := range []struct {
		mode string
		code int
		want string
	}{
		{"soft", cli.ExitFindings, "1 of 3 observations differ from the prediction"},
		{"hard", cli.ExitOK, "all 3 observations match the prediction"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name, text string) {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("db.toml", "[service]\nname = \"db\"\nkind = \"datastore\"\n[[recovery]]\nname = \"restore\"\nvia = [\"console\"]\n")
			write("api.toml", "[service]\nname = \"api\"\n[[dependency]]\non = \"db\"\nmode = \""+tc.mode+"\"\n")
			write("console.toml", "[service]\nname = \"console\"\nkind = \"tool\"\n")
			var out, errOut bytes.Buffer
			code := cli.Run(context.Background(), []string{"catch22", "validate", "--fail", "db",
				"--endpoint", "api=" + api.URL + "/health", "--addr", "db=" + dbAddr, dir}, nil, &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out.String(), errOut.String())
			}
			t.Log(out.String())
			if !strings.Contains(out.String(), tc.want) {
				t.Fatalf("output lacks %q:\n%s", tc.want, out.String())
			}
		})
	}
}
