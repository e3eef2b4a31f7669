package compose_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catch22/catch22/compose"
)

// TestBadInput checks that mistakes are reported with their positions,
// all at once, and that nothing is written.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, input, dotenv string
		want                []string
	}{{
		name:  "bad YAML",
		input: "services:\n  web:\n    image: [web\n",
		want:  []string{"compose.yaml:3:"},
	}, {
		name: "wrong shapes",
		input: `services:
  web:
    image: web
    depends_on:
      db:
        condition: service_ready
      cache:
        required: "no"
    environment:
      - {A: b}
    links: [nowhere]
  db: postgres
  Bad/Name:
    image: x
`,
		want: []string{
			`compose.yaml:6:20: services.web.depends_on.db.condition: want service_started, service_healthy, service_completed_successfully, got "service_ready"`,
			`compose.yaml:7:7: depends_on: no service "cache" in the project`,
			`compose.yaml:8:19: services.web.depends_on.cache.required: want true or false, got a string`,
			`compose.yaml:10:10: services.web.environment[0]: want a KEY=VALUE string, got a mapping`,
			`compose.yaml:11:13: links: no service "nowhere" in the project`,
			`compose.yaml:12:7: services.db: want a mapping, got a string`,
			`compose.yaml:13:3: services.Bad/Name: want a service name matching [a-zA-Z0-9][a-zA-Z0-9._-]*, got "Bad/Name"`,
		},
	}, {
		name:   "required variable",
		input:  "services:\n  web:\n    image: web:${TAG:?set TAG to the release}\n",
		dotenv: "OTHER=1\nnot a line\n",
		want: []string{
			".env:2:1: want KEY=VALUE, got \"not a line\"",
			"compose.yaml:3:12: TAG is required: set TAG to the release",
		},
	}, {
		name:  "no services",
		input: "volumes:\n  data:\n",
		want:  []string{"compose.yaml: no services in the Compose project"},
	}, {
		name:  "missing env_file",
		input: "services:\n  web:\n    image: web\n    env_file: [web.env, {path: opt.env, required: false}]\n",
		want:  []string{"compose.yaml:4:16: env_file web.env: no such file or directory"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "compose.yaml"), tc.input)
			if tc.dotenv != "" {
				write(t, filepath.Join(dir, ".env"), tc.dotenv)
			}
			out := filepath.Join(dir, "out")
			res, err := compose.Import([]string{dir}, options(out))
			if err == nil {
				t.Fatalf("no error; changes %v", res.Changes)
			}
			got := strings.ReplaceAll(errorLines(err), dir+string(filepath.Separator), "")
			lines := strings.Split(strings.TrimSpace(got), "\n")
			if len(lines) != len(tc.want) {
				t.Errorf("got %d errors, want %d:\n%s", len(lines), len(tc.want), got)
			}
			for i, w := range tc.want {
				if i < len(lines) && !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d:\n%s\nwant prefix\n%s", i, lines[i], w)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("an import with errors wrote %s", out)
			}
		})
	}
}
