package kubernetes

import (
	"cmp"
	"fmt"
	"io"

	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/manifest"
)

// Tool is how the Kubernetes import signs the files it writes.
var Tool = importer.Tool{
	Name:       "kubernetes",
	Marker:     "kubernetes",
	Input:      "the Kubernetes manifests",
	RenameHint: "rename the workload or give it another namespace",
}

// Options control an import.
type Options struct {
	importer.Options
	Env       string    // env of every node; default production
	Cluster   string    // name of the cluster's node; default DefaultCluster
	Namespace string    // namespace of objects that name none; default "default"
	Stdin     io.Reader // read for the path "-"
}

// DefaultCluster names the cluster's node when Options.Cluster is empty.
const DefaultCluster = "kubernetes"

// Import reads the Kubernetes manifests under paths and writes one catch22
// manifest per node under o.Out, merging with what a previous import wrote
// there (see package importer).
//
// Nothing is written when the input has an error: the error is then a
// manifest.ErrorList of every problem, positioned, together with those of
// the generated files already in o.Out. Warnings (a Service that selects
// nothing, a host no Service answers to) are returned in either case.
func Import(paths []string, o Options) (*importer.Result, error) {
	o.Env = cmp.Or(o.Env, manifest.DefaultEnv)
	o.Cluster = cmp.Or(o.Cluster, DefaultCluster)
	o.Namespace = cmp.Or(o.Namespace, defaultNamespace)
	res := &importer.Result{DryRun: o.DryRun, ReadNoun: "Kubernetes object"}
	var errs manifest.ErrorList
	for _, f := range []struct{ flag, val string }{{"env", o.Env}, {"cluster", o.Cluster}, {"namespace", o.Namespace}} {
		if !manifest.ValidName(f.val) {
			errs = append(errs, &manifest.Error{Msg: fmt.Sprintf("--%s: want a name matching [a-z0-9][a-z0-9._-]*, got %q", f.flag, f.val)})
		}
	}
	if len(errs) > 0 {
		return res, errs
	}
	in, errs := readPaths(paths, o.Stdin, o.Namespace)
	res.Read, res.Skipped = in.read, in.skipped
	services, derrs, warnings := derive(in, o)
	errs = append(errs, derrs...)
	warnings = append(warnings, in.warnings...)
	res.Warnings = importer.SortErrors(warnings)
	if len(errs) > 0 {
		return res, importer.SortErrors(append(errs, importer.CheckOut(Tool, o.Out)...))
	}
	w, err := importer.Write(Tool, services, o.Options)
	w.Read, w.ReadNoun, w.Skipped, w.Warnings = res.Read, res.ReadNoun, res.Skipped, res.Warnings
	return w, err
}
