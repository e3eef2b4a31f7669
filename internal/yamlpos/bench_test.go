package yamlpos

import (
	"fmt"
	"strings"
	"testing"
)

// sizeLimit is internal/safeio.YAMLLimit, the largest file Parse is given.
const sizeLimit = 4 << 20

// catalogHead is the catalog entity the hostile files of
// internal/cmd/hostile hang their payload from, under spec.x; it counts 12
// towards maxValues: 9 values, and 3 for its document.
const catalogHead = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: service\n  owner: team\n  x:\n"

// nested is the hostile catalog of internal/cmd/hostile: lines of flow
// sequences nested just within maxDepth, 60 values each, two bytes a
// value, repeated while the file holds at most values values and limit
// bytes.
func nested(values, limit int) []byte {
	line := "    - " + strings.Repeat("[", maxDepth-5) + "1" + strings.Repeat("]", maxDepth-5) + "\n"
	return fill(catalogHead, limit, func(i int) string {
		if 12+60*(i+1) > values {
			return ""
		}
		return line
	})
}

// pairs is one mapping of distinct 11-character keys, as many as the file
// may hold values: the costliest file the bounds let through (a value and
// a key for 16 bytes; shorter keys make cheaper files, longer ones fewer
// values within the size limit).
func pairs(values int) []byte {
	return fill("", sizeLimit, func(i int) string {
		if 4+i+1 > values { // the document 3, the mapping 1
			return ""
		}
		return fmt.Sprintf("%011x: 1\n", i)
	})
}

// kubernetesStream is a `kustomize build` stream of the size limit:
// Deployments, Services and ConfigMaps, and now and then a
// CustomResourceDefinition whose schema nests 30 levels.
func kubernetesStream() []byte {
	return fill("", sizeLimit, func(i int) string {
		s := fmt.Sprintf(deployment, i) + fmt.Sprintf(service, i) + fmt.Sprintf(configMap, i)
		if i%20 == 0 {
			s += crd(i, 13)
		}
		return s
	})
}

// fill writes head, then chunks from part(0), part(1)… while they fit in
// limit bytes, and part returns one.
func fill(head string, limit int, part func(int) string) []byte {
	b := []byte(head)
	for i := 0; ; i++ {
		p := part(i)
		if p == "" || len(b)+len(p) > limit {
			return b
		}
		b = append(b, p...)
	}
}

const deployment = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-%[1]d
  namespace: shop
  labels:
    app.kubernetes.io/name: svc-%[1]d
    app.kubernetes.io/part-of: storefront
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: svc-%[1]d
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-%[1]d
    spec:
      serviceAccountName: svc-%[1]d
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      containers:
      - name: server
        image: registry.example.com/shop/svc-%[1]d:v1.4.2
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: UPSTREAM_URL
          value: "http://svc-%[1]d-upstream.shop.svc.cluster.local:8080/v1"
        - name: LOG_LEVEL
          value: info
        - name: DATABASE_URL
          valueFrom:
            secretKeyRef:
              name: svc-%[1]d-secrets
              key: DATABASE_URL
        envFrom:
        - configMapRef:
            name: svc-%[1]d-config-8t5hm2c7b4
        readinessProbe:
          periodSeconds: 5
          httpGet:
            path: /healthz
            port: 8080
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 200m, memory: 128Mi}
`

const service = `---
apiVersion: v1
kind: Service
metadata:
  name: svc-%[1]d
  namespace: shop
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: svc-%[1]d
  ports:
  - name: http
    port: 80
    targetPort: 8080
`

const configMap = `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: svc-%[1]d-config-8t5hm2c7b4
  namespace: shop
data:
  CATALOG_URL: http://catalog.shop.svc.cluster.local:8080/v1
  FEATURES: |
    checkout=true
    recommendations=false
`

// crd is a CustomResourceDefinition whose schema nests properties levels
// of objects, two YAML levels each, under the eight of its envelope.
func crd(i, properties int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets%d.example.com\n"+
		"spec:\n  group: example.com\n  versions:\n  - name: v1\n    served: true\n    schema:\n      openAPIV3Schema:\n", i)
	indent := "        "
	for range properties {
		fmt.Fprintf(&b, "%stype: object\n%sdescription: one level of the widget's configuration, [with] brackets in prose.\n%sproperties:\n%s  field:\n", indent, indent, indent, indent)
		indent += "    "
	}
	fmt.Fprintf(&b, "%stype: string\n%senum: [a, b, c]\n", indent, indent)
	return b.String()
}

// BenchmarkParse measures Parse on the costliest files the bounds let
// through, on the hostile file of internal/cmd/hostile (refused at
// maxValues), and on a realistic file of the size limit:
//
//	go test ./internal/yamlpos -run '^$' -bench Parse -benchmem -cpuprofile cpu.out -memprofile mem.out
func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct {
		name    string
		data    []byte
		refused bool
	}{
		{"nested-at-bound", nested(maxValues, sizeLimit), false},
		{"pairs-at-bound", pairs(maxValues), false},
		{"nested-4MiB", nested(sizeLimit, sizeLimit), true},
		{"kubernetes-4MiB", kubernetesStream(), false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			for b.Loop() {
				docs, errs := Parse("f.yaml", bc.data)
				if (errs != nil) != bc.refused || len(docs) == 0 && !bc.refused {
					b.Fatalf("%d documents, errors: %v", len(docs), errs)
				}
			}
		})
	}
}

// TestBenchmarkInputs: the benchmark's files are what they claim: the
// Kubernetes stream is read whole and its CRD schema nests as deep as real
// ones do; the files at the bound are read, one value more is refused.
func TestBenchmarkInputs(t *testing.T) {
	docs, errs := Parse("f.yaml", kubernetesStream())
	if errs != nil {
		t.Fatal(errs)
	}
	depth, values := 0, 0
	var walk func(v *Value, d int)
	walk = func(v *Value, d int) {
		depth, values = max(depth, d), values+1
		for _, c := range append(v.Vals, v.Items...) {
			walk(c, d+1)
		}
	}
	for _, d := range docs {
		walk(d.Body, 1)
	}
	if len(docs) < 3000 || depth < 30 || 3*len(docs)+values > maxValues*17/20 {
		t.Errorf("%d documents, %d values nesting %d deep, want a stream of thousands with a CRD 30 deep, within 85%% of maxValues", len(docs), values, depth)
	}
	for _, tc := range []struct {
		name      string
		at, above []byte
	}{
		{"nested", nested(maxValues, sizeLimit), nested(maxValues+60, sizeLimit)},
		{"pairs", pairs(maxValues), pairs(maxValues + 1)},
	} {
		if docs, errs := Parse("f.yaml", tc.at); errs != nil || len(docs) != 1 {
			t.Errorf("%s at the bound: %d documents, errors %v", tc.name, len(docs), errs)
		}
		if _, errs := Parse("f.yaml", tc.above); len(errs) != 1 || !strings.Contains(errs[0].Msg, "more than 262144 values in one file") {
			t.Errorf("%s above the bound: errors %v", tc.name, errs)
		}
	}
}
