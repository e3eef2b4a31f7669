package backstage

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/catch22/catch22/manifest"
)

// Options control an import.
type Options struct {
	Out    string // the output directory, created when missing
	DryRun bool   // compute and report the changes, write nothing
	Prune  bool   // remove generated files whose entity left the catalog
}

// Action is what an import does to one file.
type Action string

const (
	Created   Action = "created"
	Updated   Action = "updated"
	Unchanged Action = "unchanged"
	Moved     Action = "moved"   // the service's path changed (system, name or env)
	Stale     Action = "stale"   // its entity left the catalog; kept without --prune
	Removed   Action = "removed" // its entity left the catalog; removed with --prune
)

// Change is what an import does to one file. Path is relative to the
// output directory, slash-separated.
type Change struct {
	Action  Action
	Path    string
	From    string   // the previous path of a moved file
	Details []string // what changed and what was kept, for updated and moved files
}

// String is the line printed for the change, e.g.
// "updated payments/payments-api.toml: +dependency ledger, kept 1 recovery procedure".
func (c Change) String() string {
	s := string(c.Action) + " " + c.Path
	if c.Action == Moved {
		s = string(c.Action) + " " + c.From + " → " + c.Path
	}
	if len(c.Details) > 0 {
		s += ": " + strings.Join(c.Details, ", ")
	}
	return s
}

// Result is what an import did (or, with DryRun, would do).
type Result struct {
	Changes  []Change           // sorted by path
	Warnings manifest.ErrorList // positioned, "warning: " in the message; sorted
	Services int                // manifests generated
	Entities int                // entities read (of the kinds the importer reads)
	Skipped  map[string]int     // kind → documents skipped (User, Domain, Location…)
	DryRun   bool
}

// Summary is the last line printed: counts of services, entities, actions
// and skipped kinds.
func (r *Result) Summary() string {
	counts := map[Action]int{}
	for _, c := range r.Changes {
		counts[c.Action]++
	}
	var parts []string
	for _, a := range []Action{Created, Updated, Moved, Unchanged, Stale, Removed} {
		if counts[a] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[a], a))
		}
	}
	s := fmt.Sprintf("%s from %s", plural(r.Services, "service"), plural(r.Entities, "entity"))
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	if len(r.Skipped) > 0 {
		kinds := make([]string, 0, len(r.Skipped))
		for k := range r.Skipped {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for i, k := range kinds {
			kinds[i] = fmt.Sprintf("%d %s", r.Skipped[k], k)
		}
		s += "; skipped " + strings.Join(kinds, ", ")
	}
	if r.DryRun {
		s += " (dry run: nothing written)"
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// planned is one file to write.
type planned struct {
	s    *service
	old  *existing // nil when created
	data []byte
	mode fs.FileMode
	m    *manifest.Manifest
}

// Import reads the Backstage catalog files under paths and writes one
// catch22 manifest per Component and Resource under o.Out, merging with
// the manifests a previous import wrote there.
//
// Everything is validated before anything is written: on any input error
// the result is an ErrorList holding every problem (of the catalog and of
// the existing generated manifests), and the output directory is left as
// it was. Warnings are returned in either case.
func Import(paths []string, o Options) (*Result, error) {
	res := &Result{DryRun: o.DryRun, Skipped: map[string]int{}}
	cat, errs := readCatalog(paths)
	res.Skipped = cat.skipped
	res.Entities = len(cat.entities)
	if cat.unreadable {
		// Resolving references now would report every reference to an
		// entity of the unreadable file as unknown.
		return res, sortErrors(errs)
	}
	services, rerrs, warnings := resolve(cat)
	errs = append(errs, rerrs...)
	res.Warnings = sortErrors(warnings)
	res.Services = len(services)

	files, oerrs := scanOut(o.Out)
	errs = append(errs, oerrs...)
	if len(errs) > 0 {
		return res, sortErrors(errs)
	}
	plan, stale, errs := match(services, files, o.Out)
	if len(errs) > 0 {
		return res, sortErrors(errs)
	}
	for _, p := range plan {
		res.Changes = append(res.Changes, describe(p))
	}
	for _, x := range stale {
		c := Change{Action: Stale, Path: x.rel,
			Details: []string{x.entity + " is no longer in the catalog (kept; --prune removes it)"}}
		if o.Prune {
			c = Change{Action: Removed, Path: x.rel, Details: []string{x.entity + " is no longer in the catalog"}}
		}
		res.Changes = append(res.Changes, c)
	}
	slices.SortFunc(res.Changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	if o.DryRun {
		return res, nil
	}
	return res, apply(o, plan, stale)
}

// match pairs each service with the generated file of its previous import
// (by entity, then by node ID, so that renaming the entity or changing its
// env both keep the hand-written parts), renders the new files and checks
// that none overwrites a hand-written manifest.
func match(services []*service, files []*existing, out string) ([]*planned, []*existing, manifest.ErrorList) {
	var errs manifest.ErrorList
	byEntity := map[string]*existing{}
	byPath := map[string]*existing{}
	for _, x := range files {
		byPath[x.rel] = x
		if x.entity == "" {
			continue
		}
		if first, dup := byEntity[x.entity]; dup {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: x.name, Line: 1, Col: 1},
				Msg: fmt.Sprintf("also generated from %s: %s (remove one of the two files)", x.entity, first.name)})
			continue
		}
		byEntity[x.entity] = x
	}
	olds := make([]*existing, len(services))
	for i, s := range services {
		if x := byEntity[s.e.ref.String()]; x != nil && x.m != nil {
			olds[i], x.taken = x, true
		}
	}
	// Files are indexed by node ID so that matching stays linear in the
	// size of the estate.
	genByID := map[string]*existing{}
	handByID := map[string][]*existing{}
	for _, x := range files {
		switch {
		case x.m == nil:
		case x.entity == "":
			handByID[x.m.ID()] = append(handByID[x.m.ID()], x)
		case !x.taken:
			if _, dup := genByID[x.m.ID()]; !dup {
				genByID[x.m.ID()] = x
			}
		}
	}
	for i, s := range services {
		if olds[i] != nil {
			continue
		}
		if x := genByID[s.id()]; x != nil && !x.taken {
			olds[i], x.taken = x, true
		}
	}
	targets := map[string]bool{}
	var plan []*planned
	for i, s := range services {
		p := &planned{s: s, old: olds[i], mode: 0o644}
		rel := s.path()
		targets[rel] = true
		if x := byPath[rel]; x != nil && x != p.old {
			switch {
			case x.entity == "":
				errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: x.name},
					Msg: fmt.Sprintf("%s would be written here, but the file was not generated by catch22 import backstage: move it away or set %sname", s.e.ref, annotationPrefix)})
			case !x.taken:
				errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: x.name},
					Msg: fmt.Sprintf("%s would be written here, over the file generated from %s: remove that file", s.e.ref, x.entity)})
			}
		}
		for _, x := range handByID[s.id()] {
			errs = append(errs, &manifest.Error{Pos: x.m.Service.Pos,
				Msg: fmt.Sprintf("node %q is declared by hand here and generated from %s: remove one", s.id(), s.e.ref)})
		}
		k := keep(p.old)
		errs = append(errs, adopt(s, k)...)
		if p.old != nil {
			p.mode = p.old.mode
		}
		p.data = render(s, k)
		m, perrs := manifest.Parse(filepath.Join(out, filepath.FromSlash(rel)), p.data)
		if len(perrs) > 0 {
			// A hand-written entry kept verbatim can only break the file
			// by clashing with a generated one; say where it came from.
			for _, e := range perrs {
				errs = append(errs, &manifest.Error{Pos: e.Pos, Msg: "generated manifest: " + e.Msg})
			}
			continue
		}
		p.m = m
		plan = append(plan, p)
	}
	var stale []*existing
	for _, x := range files {
		if x.entity != "" && !x.taken && !targets[x.rel] {
			stale = append(stale, x)
		}
	}
	return plan, stale, errs
}

// adopt settles clashes between the catalog and hand-written entries: a
// hand-written dependency on a node the catalog now names is taken over by
// the catalog (its note is kept), a hand-written procedure named like a
// catalog one is an error, since replacing it would lose hand-written work.
func adopt(s *service, k *kept) manifest.ErrorList {
	var errs manifest.ErrorList
	k.deps = slices.DeleteFunc(k.deps, func(h handEntry) bool {
		for _, d := range s.deps {
			if d.to.id() == h.key {
				return true
			}
		}
		return false
	})
	k.recs = slices.DeleteFunc(k.recs, func(h handEntry) bool {
		for _, p := range s.recs {
			if h.key == p.name {
				errs = append(errs, &manifest.Error{Pos: p.pos, Msg: fmt.Sprintf(
					"recovery procedure %q is also written by hand at %s:%d:1: rename or remove one", p.name, k.fromFile, h.line)})
				return true
			}
		}
		return false
	})
	return errs
}

// describe says what writing p changes.
func describe(p *planned) Change {
	rel := p.s.path()
	if p.old == nil {
		return Change{Action: Created, Path: rel}
	}
	c := Change{Action: Updated, Path: rel}
	if p.old.rel != rel {
		c.Action, c.From = Moved, p.old.rel
	} else if bytes.Equal(p.old.data, p.data) {
		return Change{Action: Unchanged, Path: rel}
	}
	c.Details = diff(p.old.m, p.m, p.old.data, p.data)
	if len(c.Details) == 0 && c.Action == Updated {
		c.Details = []string{"rewritten"}
	}
	return c
}

// diff lists the differences between the old and new manifest of a
// service, then what was kept of the hand-written parts.
func diff(old, cur *manifest.Manifest, oldData, curData []byte) []string {
	var out []string
	field := func(name, a, b string) {
		if a != b {
			out = append(out, fmt.Sprintf("%s %s → %s", name, cmp.Or(a, `""`), cmp.Or(b, `""`)))
		}
	}
	o, n := old.Service, cur.Service
	field("name", o.Name, n.Name)
	field("env", o.Env, n.Env)
	field("owner", o.Owner, n.Owner)
	field("system", o.System, n.System)
	field("tier", tierText(o), tierText(n))
	field("kind", string(o.Kind), string(n.Kind))
	field("emulate", o.Emulate, n.Emulate)
	if o.Description != n.Description {
		out = append(out, "description")
	}
	if !slices.Equal(refIDs(o.MonitoredBy), refIDs(n.MonitoredBy)) {
		out = append(out, "monitored_by")
	}

	oldMarked, curMarked := markedLines(oldData), markedLines(curData)
	oldDeps := map[string]manifest.Dependency{}
	for _, d := range old.Dependencies {
		oldDeps[d.On.ID()] = d
	}
	curDeps := map[string]bool{}
	keptDeps, notes := 0, 0
	for _, d := range cur.Dependencies {
		curDeps[d.On.ID()] = true
		name := refText(d.On, n.Env)
		od, had := oldDeps[d.On.ID()]
		switch {
		case !curMarked[d.Pos.Line]:
			keptDeps++
		case !had:
			out = append(out, "+dependency "+name)
		case !oldMarked[od.Pos.Line]:
			out = append(out, "dependency "+name+" now from the catalog")
		default:
			if od.Kind != d.Kind {
				out = append(out, fmt.Sprintf("dependency %s: kind %s → %s", name, od.Kind, d.Kind))
			}
			if od.Mode != d.Mode {
				out = append(out, fmt.Sprintf("dependency %s: mode %s → %s", name, od.Mode, d.Mode))
			}
		}
		if curMarked[d.Pos.Line] && d.Note != "" {
			notes++
		}
	}
	for _, d := range old.Dependencies {
		if !curDeps[d.On.ID()] {
			out = append(out, "-dependency "+refText(d.On, o.Env))
		}
	}

	oldRecs := map[string]manifest.Recovery{}
	for _, r := range old.Recoveries {
		oldRecs[r.Name] = r
	}
	curRecs := map[string]bool{}
	keptRecs := 0
	for _, r := range cur.Recoveries {
		curRecs[r.Name] = true
		or, had := oldRecs[r.Name]
		switch {
		case !curMarked[r.Pos.Line]:
			keptRecs++
		case !had:
			out = append(out, "+recovery "+r.Name)
		case !sameRecovery(or, r):
			out = append(out, "recovery "+r.Name+" changed")
		}
	}
	for _, r := range old.Recoveries {
		if !curRecs[r.Name] {
			out = append(out, "-recovery "+r.Name)
		}
	}

	var kept []string
	if keptRecs > 0 {
		kept = append(kept, plural(keptRecs, "recovery procedure"))
	}
	if keptDeps > 0 {
		kept = append(kept, plural(keptDeps, "hand-written dependency"))
	}
	if notes > 0 {
		kept = append(kept, plural(notes, "dependency note"))
	}
	if len(kept) > 0 {
		out = append(out, "kept "+strings.Join(kept, ", "))
	}
	return out
}

// markedLines returns the lines that carry the "from catalog" marker.
func markedLines(data []byte) map[int]bool {
	out := map[int]bool{}
	n := 0
	for line := range bytes.Lines(data) {
		n++
		if bytes.Contains(line, []byte(marker)) {
			out[n] = true
		}
	}
	return out
}

func tierText(s manifest.Service) string {
	if !s.HasTier {
		return ""
	}
	return fmt.Sprint(s.Tier)
}

func refIDs(rs []manifest.Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID()
	}
	return out
}

func sameRecovery(a, b manifest.Recovery) bool {
	return slices.Equal(refIDs(a.Via), refIDs(b.Via)) && a.Breakglass == b.Breakglass &&
		a.Tested.Equal(b.Tested) && a.Runbook == b.Runbook
}

// apply writes the plan. Each file is written to a temporary file in its
// directory and renamed over the target, so that a reader (or a crash)
// never sees half a manifest. Files moved away from and pruned files are
// removed last, except where another file is now written.
func apply(o Options, plan []*planned, stale []*existing) error {
	written := map[string]bool{}
	var dirs []string
	for _, p := range plan {
		rel := p.s.path()
		written[rel] = true
		if p.old != nil && p.old.rel == rel && bytes.Equal(p.old.data, p.data) {
			continue
		}
		path := filepath.Join(o.Out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := writeAtomic(path, p.data, p.mode); err != nil {
			return err
		}
	}
	var remove []*existing
	for _, p := range plan {
		if p.old != nil && !written[p.old.rel] {
			remove = append(remove, p.old)
		}
	}
	if o.Prune {
		remove = append(remove, stale...)
	}
	for _, x := range remove {
		if err := os.Remove(x.name); err != nil {
			return fmt.Errorf("remove %s: %w", x.name, err)
		}
		dirs = append(dirs, filepath.Dir(x.name))
	}
	// Directories emptied by moves and pruning go too; os.Remove leaves
	// any directory that still holds something.
	slices.Sort(dirs)
	for _, d := range slices.Compact(dirs) {
		if filepath.Clean(d) != filepath.Clean(o.Out) {
			_ = os.Remove(d)
		}
	}
	return nil
}

// writeAtomic replaces path with data through a temporary file in the
// same directory and a rename.
func writeAtomic(path string, data []byte, mode fs.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// sortErrors orders errors by file, line, column and message, dropping
// repeats, as manifest.Load does, so output is deterministic.
func sortErrors(l manifest.ErrorList) manifest.ErrorList {
	slices.SortFunc(l, func(a, b *manifest.Error) int {
		return cmp.Or(strings.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col), strings.Compare(a.Msg, b.Msg))
	})
	return slices.CompactFunc(l, func(a, b *manifest.Error) bool { return a.Pos == b.Pos && a.Msg == b.Msg })
}
