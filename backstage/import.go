package backstage

import (
	"slices"

	"github.com/catch22/catch22/importer"
)

// tool is how the Backstage import writes and recognises its manifests.
var tool = importer.Tool{Name: "backstage", Marker: "catalog", Input: "the catalog", RenameHint: "set " + annotationPrefix + "name"}

// Import reads the Backstage catalog files under paths and writes one
// catch22 manifest per Component and Resource (and per external API: see
// resolver.external) under o.Out, merging with
// the manifests a previous import wrote there (see package importer).
//
// Everything is validated before anything is written: on any input error
// the result is a manifest.ErrorList holding every problem (of the catalog
// and of the existing generated manifests), and the output directory is
// left as it was. Warnings are returned in either case.
func Import(paths []string, o importer.Options) (*importer.Result, error) {
	res := &importer.Result{DryRun: o.DryRun, ReadNoun: "entity"}
	cat, errs := readCatalog(paths)
	res.Skipped = cat.skipped
	// Libraries are read, for the references to them, but reported as
	// skipped: they become no manifest.
	res.Read = len(cat.entities) - cat.libraries
	res.Warnings = importer.SortErrors(slices.Clone(cat.warnings))
	if cat.unreadable {
		// Resolving references now would report every reference to an
		// entity of the unreadable file as unknown.
		return res, importer.SortErrors(errs)
	}
	services, rerrs, warnings := resolve(cat)
	errs = append(errs, rerrs...)
	res.Warnings = importer.SortErrors(append(slices.Clone(cat.warnings), warnings...))
	res.Services = len(services)
	if len(errs) > 0 {
		return res, importer.SortErrors(append(errs, importer.CheckOut(tool, o.Out)...))
	}
	w, err := importer.Write(tool, export(services), o)
	w.Read, w.ReadNoun, w.Skipped, w.Warnings = res.Read, res.ReadNoun, res.Skipped, res.Warnings
	return w, err
}

// export turns the resolved services into the importer's.
func export(services []*service) []*importer.Service {
	out := make([]*importer.Service, len(services))
	of := make(map[*service]*importer.Service, len(services))
	for i, s := range services {
		out[i] = &importer.Service{Source: s.e.ref.String(), Name: s.name, Env: s.env, Description: s.description,
			Owner: s.owner, System: s.system, Tier: s.tier, HasTier: s.hasTier, Kind: s.kind, Emulate: s.emulate,
			Pos: s.e.namePos}
		of[s] = out[i]
	}
	list := func(ss []*service) []*importer.Service {
		l := make([]*importer.Service, len(ss))
		for i, t := range ss {
			l[i] = of[t]
		}
		return l
	}
	for i, s := range services {
		x := out[i]
		x.MonitoredBy = list(s.monitoredBy)
		for _, d := range s.deps {
			x.Deps = append(x.Deps, &importer.Dep{To: of[d.to], Kind: d.kind, Mode: d.mode, Source: d.source})
		}
		for _, p := range s.recs {
			x.Recs = append(x.Recs, &importer.Rec{Name: p.name, Via: list(p.via), Breakglass: p.breakglass,
				Tested: p.tested, Runbook: p.runbook, Source: annotationPrefix + "recovery." + p.name, Pos: p.pos})
		}
	}
	return out
}
