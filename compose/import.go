package compose

import (
	"cmp"
	"fmt"

	"github.com/catch22/catch22/importer"
	"github.com/catch22/catch22/manifest"
)

// Tool is how the Compose import signs the files it writes.
var Tool = importer.Tool{
	Name:       "compose",
	Marker:     "compose",
	Input:      "the Compose project",
	RenameHint: "rename the service",
}

// Options control an import.
type Options struct {
	importer.Options
	Env string // env of every node; default production
}

// Import reads the Compose project paths make and writes one catch22
// manifest per node under o.Out, merging with what a previous import wrote
// there (see package importer).
//
// Nothing is written when the input has an error: the error is then a
// manifest.ErrorList of every problem, positioned, together with those of
// the generated files already in o.Out. Warnings (an unset variable, a
// host no service answers to) are returned in either case.
func Import(paths []string, o Options) (*importer.Result, error) {
	o.Env = cmp.Or(o.Env, manifest.DefaultEnv)
	res := &importer.Result{DryRun: o.DryRun, ReadNoun: "Compose service"}
	if !manifest.ValidName(o.Env) {
		return res, manifest.ErrorList{{Msg: fmt.Sprintf("--env: want a name matching [a-z0-9][a-z0-9._-]*, got %q", o.Env)}}
	}
	p, errs, warnings := load(paths)
	res.Read = len(p.services)
	services, derrs, dwarnings := derive(p, o.Env)
	errs = append(errs, derrs...)
	res.Warnings = importer.SortErrors(append(warnings, dwarnings...))
	if len(errs) > 0 {
		return res, importer.SortErrors(append(errs, importer.CheckOut(Tool, o.Out)...))
	}
	w, err := importer.Write(Tool, services, o.Options)
	w.Read, w.ReadNoun, w.Warnings = res.Read, res.ReadNoun, res.Warnings
	return w, err
}
