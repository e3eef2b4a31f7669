package compose

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzProject feeds arbitrary bytes through reading a Compose file and a
// .env file and deriving: whatever the input, the importer reports errors
// and never panics.
//
//	go test ./compose -run '^$' -fuzz FuzzProject -fuzztime 1m
func FuzzProject(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.yml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data, []byte("A=1\nB=${A:-x}\n"))
		}
	}
	f.Add([]byte("services: {a: {image: '${X:-${Y:?e}}', environment: [A_URL=$$x, B_HOST], depends_on: {a: {condition: service_healthy}}, links: ['a:b']}}\n"),
		[]byte("export B_HOST=\"a\\\"b\" # c\nC='x\n"))
	f.Fuzz(func(t *testing.T, compose, dotenv []byte) {
		env, _, _ := parseEnvFile(".env", dotenv, nil)
		p := &project{byName: map[string]*svc{}, dotenv: env, name: "p"}
		d := &decoder{p: p}
		d.readFile("compose.yaml", compose)
		derive(p, "production")
	})
}
