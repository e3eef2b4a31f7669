package kubernetes

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/internal/yamlpos"
	"github.com/catch22/catch22/manifest"
)

// stdinName is the path argument that reads standard input, so that
// `kustomize build overlays/prod | catch22 import kubernetes - --out DIR`
// works; positions in it are reported against "<stdin>".
const (
	stdinArg  = "-"
	stdinName = "<stdin>"
)

// input is every object read, by kind.
type input struct {
	workloads  []*workload
	services   []*service
	configMaps map[string]*configMap // "ns/name" → ConfigMap
	namespaces map[string]bool       // every namespace an object is in
	read       int                   // objects of the kinds the importer reads
	skipped    map[string]int        // kind → objects skipped
	warnings   manifest.ErrorList
}

// group is the API group of an apiVersion: "" for "v1", "apps" for
// "apps/v1".
func group(apiVersion string) string {
	g, _, found := strings.Cut(apiVersion, "/")
	if !found {
		return ""
	}
	return g
}

// readKinds maps each kind the importer reads to the API groups it is
// read from. A kind of the same name in another group (a Knative Service,
// say) is someone else's and is skipped.
var readKinds = map[string][]string{
	"Deployment":  {"apps", "extensions"},
	"StatefulSet": {"apps"},
	"DaemonSet":   {"apps", "extensions"},
	"Job":         {"batch"},
	"CronJob":     {"batch"},
	"Rollout":     {"argoproj.io"},
	"Service":     {""},
	"ConfigMap":   {""},
}

// readPaths reads the objects of every path: "-" for standard input, a
// file, or a directory walked recursively for *.yaml and *.yml (hidden
// directories skipped). A file reached twice is read once.
//
// A file named on the command line (or standard input) must hold
// Kubernetes objects only. A file found by walking is read only when one
// of its documents has an apiVersion and a kind, so that a values.yaml, a
// CI workflow or a compose file next to the manifests is passed over;
// an unrendered Helm template found by walking is skipped with a warning.
func readPaths(paths []string, stdin io.Reader, defaultNS string) (*input, manifest.ErrorList) {
	in := &input{configMaps: map[string]*configMap{}, namespaces: map[string]bool{}, skipped: map[string]int{}}
	var errs manifest.ErrorList
	seen := map[string]bool{}
	read := func(name string, named bool) {
		key := name
		if a, err := filepath.Abs(name); err == nil {
			key = a
		}
		if seen[key] {
			return
		}
		seen[key] = true
		data, err := safeio.ReadFile(name, safeio.YAMLLimit)
		if err != nil {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: name}, Msg: manifest.Describe(err)})
			return
		}
		errs = append(errs, in.readFile(name, data, named, defaultNS)...)
	}
	for _, arg := range paths {
		if arg == stdinArg {
			if stdin == nil || seen[stdinArg] {
				continue
			}
			seen[stdinArg] = true
			data, err := io.ReadAll(io.LimitReader(stdin, safeio.YAMLLimit+1))
			if err == nil && len(data) > safeio.YAMLLimit {
				err = &safeio.TooLargeError{Limit: safeio.YAMLLimit}
			}
			if err != nil {
				errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: stdinName}, Msg: err.Error()})
				continue
			}
			errs = append(errs, in.readFile(stdinName, data, true, defaultNS)...)
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: arg}, Msg: manifest.Describe(err)})
			continue
		}
		if !info.IsDir() {
			read(filepath.Clean(arg), true)
			continue
		}
		errs = append(errs, importer.WalkFiles(arg, func(path string, _ fs.DirEntry) {
			if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" {
				read(path, false)
			}
		})...)
	}
	if in.read == 0 && len(errs) == 0 {
		errs = append(errs, &manifest.Error{Msg: "no Kubernetes objects found in " + strings.Join(paths, ", ")})
	}
	return in, errs
}

// readFile reads the objects of one file; named says the user named it.
func (in *input) readFile(file string, data []byte, named bool, defaultNS string) manifest.ErrorList {
	docs, errs := yamlpos.Parse(file, data)
	if len(errs) > 0 {
		if pos, ok := helmTemplate(file, data); ok {
			e := &manifest.Error{Pos: pos, Msg: "an unrendered Helm template, not Kubernetes YAML: import the output of `helm template` instead"}
			if named {
				return manifest.ErrorList{e}
			}
			e.Msg = "warning: skipped " + e.Msg
			in.warnings = append(in.warnings, e)
			return nil
		}
		if !named && !slices.ContainsFunc(docs, isObject) {
			// Not even the readable part of the file holds a Kubernetes
			// object: some other YAML that happens to be broken.
			return nil
		}
		return errs
	}
	if !named && !slices.ContainsFunc(docs, isObject) {
		return nil
	}
	for _, doc := range docs {
		errs = append(errs, in.readObject(doc.Body, defaultNS, 0)...)
	}
	return errs
}

// isObject reports whether a document has an apiVersion and a kind.
func isObject(d yamlpos.Document) bool {
	return field(d.Body, "apiVersion") != nil && field(d.Body, "kind") != nil
}

// helmTemplate reports whether a file that failed to parse is a Helm
// template, and where its first action ({{ … }}) is. A well-formed YAML
// file may hold "{{" in a string (a Go template in an annotation), so only
// files that do not parse are suspected.
func helmTemplate(file string, data []byte) (manifest.Pos, bool) {
	line := 1
	for l := range bytes.Lines(data) {
		if i := bytes.Index(l, []byte("{{")); i >= 0 {
			return manifest.Pos{File: file, Line: line, Col: i + 1}, true
		}
		line++
	}
	return manifest.Pos{}, false
}

// maxListDepth bounds nested Lists, which real input never nests.
const maxListDepth = 8

// readObject reads one object, or the items of a List.
func (in *input) readObject(obj *yamlpos.Value, defaultNS string, depth int) manifest.ErrorList {
	d := &decoder{}
	if obj.Kind != yamlpos.Map {
		d.errorf(obj.Pos, "want a Kubernetes object (a mapping with apiVersion, kind and metadata), got %s", obj.TypeName())
		return d.errs
	}
	apiVersion, _, okV := d.str(obj, "apiVersion", "apiVersion")
	kind, _, okK := d.str(obj, "kind", "kind")
	if !okV || !okK {
		if len(d.errs) == 0 {
			missing := "apiVersion"
			if okV {
				missing = "kind"
			}
			d.errorf(obj.Pos, "not a Kubernetes object: missing %s", missing)
		}
		return d.errs
	}
	if items := field(obj, "items"); items != nil && strings.HasSuffix(kind, "List") {
		// kubectl get -o yaml, and some generators, wrap objects in a
		// List (kind: List, DeploymentList…).
		if depth >= maxListDepth {
			d.errorf(items.Pos, "items: Lists nested more than %d deep", maxListDepth)
			return d.errs
		}
		var errs manifest.ErrorList
		for _, item := range d.list(obj, "items", "items") {
			errs = append(errs, in.readObject(item, defaultNS, depth+1)...)
		}
		return append(d.errs, errs...)
	}
	groups, ok := readKinds[kind]
	if !ok || !slices.Contains(groups, group(apiVersion)) {
		label := kind
		if ok {
			label += " (" + group(apiVersion) + ")"
		}
		in.skipped[label]++
		return nil
	}
	m, ok := d.readMeta(obj, kind, defaultNS)
	if !ok {
		return d.errs
	}
	in.read++
	in.namespaces[m.ns] = true
	switch kind {
	case "Service":
		in.services = append(in.services, d.readService(obj, m))
	case "ConfigMap":
		c := d.readConfigMap(obj, m)
		in.configMaps[m.ns+"/"+m.name] = c
	default:
		if w := d.readWorkload(obj, m); w != nil {
			in.workloads = append(in.workloads, w)
		}
	}
	return d.errs
}
