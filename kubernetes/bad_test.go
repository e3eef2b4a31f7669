package kubernetes_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catch22/catch22/kubernetes"
)

// TestBadInput checks that mistakes are reported with their positions,
// all at once, and that nothing is written.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		want        []string
	}{{
		name:  "bad YAML",
		input: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [web\n",
		want:  []string{"in.yaml:4:"},
	}, {
		name: "wrong types",
		input: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: web:1
        env:
        - name: PORT
          value: 8080
        - name: CART_ADDR
          value: {host: cart}
        - value: "x"
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      containers: postgres
`,
		want: []string{
			`in.yaml:13:18: spec.template.spec.containers[0].env[0].value: want a string, got an integer (quote it: "8080")`,
			`in.yaml:15:19: spec.template.spec.containers[0].env[1].value: want a string, got a mapping`,
			`in.yaml:16:11: spec.template.spec.containers[0].env[2]: missing name`,
			`in.yaml:25:19: spec.template.spec.containers: want a list, got a string`,
		},
	}, {
		name:  "no name",
		input: "apiVersion: v1\nkind: Service\nmetadata:\n  labels: {app: x}\n",
		want:  []string{"in.yaml:4:3: Service: missing metadata.name"},
	}, {
		name:  "not an object",
		input: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {containers: [{name: a, image: a}]}}}\n---\nreplicas: 3\n",
		want:  []string{"in.yaml:6:1: not a Kubernetes object: missing apiVersion"},
	}, {
		name:  "Helm template",
		input: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\n",
		want:  []string{"in.yaml:4:9: an unrendered Helm template, not Kubernetes YAML: import the output of `helm template` instead"},
	}, {
		name:  "no workload",
		input: "# nothing\n",
		want:  []string{"no Kubernetes objects found in "},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "in.yaml")
			write(t, in, tc.input)
			out := filepath.Join(dir, "out")
			res, err := kubernetes.Import([]string{in}, options(out))
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

// TestWalking checks what a directory walk passes over: YAML that holds
// no Kubernetes object (values.yaml, a CI workflow) silently, and an
// unrendered Helm template with a warning; a named file of either kind is
// an error (see TestBadInput).
func TestWalking(t *testing.T) {
	dir := t.TempDir()
	write(t, dir+"/values.yaml", "replicaCount: 1\nimage: {repository: web}\n")
	write(t, dir+"/broken-values.yaml", "a: [\n")
	write(t, dir+"/web.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: web, image: web}]}}}\n")
	if err := os.MkdirAll(dir+"/chart/templates", 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir+"/chart/templates/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include \"x\" . | nindent 4 }}\n")
	res, err := kubernetes.Import([]string{dir}, options(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Error(), "svc.yaml:4:9: warning: skipped an unrendered Helm template") {
		t.Errorf("warnings: %v", res.Warnings)
	}
	if res.Read != 1 || res.Services != 3 {
		t.Errorf("read %d objects into %d services, want 1 into 3 (web, the cluster, docker.io)", res.Read, res.Services)
	}
}

// TestStdin reads `kustomize build` output piped in as "-".
func TestStdin(t *testing.T) {
	data, err := os.ReadFile("testdata/shop-kustomize-build.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o := options(t.TempDir())
	o.Stdin = strings.NewReader(string(data))
	res, err := kubernetes.Import([]string{"-"}, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Services != 11 || !strings.HasPrefix(res.Warnings[0].Error(), "<stdin>:82:9: ") {
		t.Errorf("%d services, warnings %v", res.Services, res.Warnings)
	}
}
