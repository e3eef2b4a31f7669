package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/catch22/catch22/internal/parallel"
	"github.com/catch22/catch22/internal/tomlpos"
)

// ConfigFile is the name of catch22's configuration file. Files of this name
// are never manifests, even when named explicitly, so that `catch22 check .`
// can run over a directory that holds its own configuration.
const ConfigFile = "catch22.toml"

// Options are the settings of a load beyond the files themselves. The zero
// value loads with no estate-wide defaults.
type Options struct {
	// Defaults apply to every manifest loaded, below (that is, overridden
	// by) every _defaults.toml: the [defaults] table of the run's
	// catch22.toml. Nil for none.
	Defaults *Defaults
}

// Load reads the manifests named by paths with no estate-wide defaults: see
// Options.Load.
func Load(paths []string) ([]*Manifest, error) { return Options{}.Load(paths) }

// LoadFiles parses manifests held in memory with no estate-wide defaults:
// see Options.LoadFiles.
func LoadFiles(files []File) ([]*Manifest, error) { return Options{}.LoadFiles(files) }

// Load reads the manifests named by paths. Each path is a file or a
// directory walked recursively for *.toml files.
//
// Files named _defaults.toml are not manifests but the shared defaults of
// their directory: they apply to every manifest loaded from that directory
// or below it, the nearest winning (see Defaults). Only the files the run
// reads count: those in the directories walked, and those named as paths,
// so a _defaults.toml above every path is not read.
//
// Walking skips sub-directories whose names start with "." (.git, .cache…):
// they hold tooling state, never the architecture under review. A directory
// named explicitly is always walked, even ".". Symbolic links to files are
// followed; links to directories are not, which keeps the walk finite.
//
// A file reached through several paths is loaded once, under the name it was
// first reached by. Names in positions are the path as reached from the
// argument (filepath.Join(arg, rel)), never made absolute, so messages match
// what the user typed.
//
// Files are parsed in parallel by runtime.GOMAXPROCS workers; defaults are
// applied once every file is parsed, so the result does not depend on the
// order in which files are found. On success the manifests are sorted by
// file name. Otherwise the error is an ErrorList holding every problem of
// every file, sorted, including node IDs declared by more than one file
// (also when either file has other errors, as long as its name and env could
// be read), and no manifests are returned.
func (o Options) Load(paths []string) ([]*Manifest, error) {
	// Walking and parsing overlap: the walk feeds file names to the
	// parsing workers as it finds them, a batch at a time.
	names := make(chan []fileName, 16)
	var (
		found    int
		walkErrs ErrorList
		walked   = make(chan struct{})
	)
	go func() {
		defer close(walked)
		defer close(names)
		found, walkErrs = collect(paths, names)
	}()
	set := parseAll(names)
	<-walked

	errs := append(set.errs, walkErrs...)
	if found == 0 && len(walkErrs) == 0 {
		msg := "no manifests found"
		if len(paths) > 0 {
			msg += " in " + strings.Join(paths, ", ")
		}
		errs = append(errs, &Error{Msg: msg})
	}
	ms, rerrs := o.resolve(set)
	errs = append(errs, rerrs...)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return ms, nil
}

// File is a manifest held in memory rather than on disk, such as one read
// from a git revision. Name is used in positions, as a file name would be.
type File struct {
	Name string
	Data []byte
}

// LoadFiles parses manifests held in memory with the same rules as Load: the
// caller has already chosen the files (LoadFiles applies no name filter
// beyond telling _defaults.toml files, which apply to the manifests named
// below their directory, from manifests), every problem of every file is
// reported at once, node IDs declared twice are input errors, and on success
// the manifests are sorted by name. No files, or only defaults, is an input
// error, as a walk that finds nothing is for Load.
//
// Files are parsed in parallel, each result kept at its file's index, so the
// outcome does not depend on scheduling.
func (o Options) LoadFiles(files []File) ([]*Manifest, error) {
	units := make([]parsedFile, len(files))
	parallel.ForScratch(len(files), 16, func() *tomlpos.Scanner { return new(tomlpos.Scanner) }, func(sc *tomlpos.Scanner, lo, hi int) {
		for i := lo; i < hi; i++ {
			f := files[i]
			units[i] = parseFile(fileName{name: f.Name, key: filepath.Clean(f.Name)}, f.Data, sc)
		}
	})

	var set parsedSet
	for _, u := range units {
		set.add(u)
	}
	errs := set.errs
	if set.manifests == 0 {
		errs = append(errs, &Error{Msg: "no manifests found"})
	}
	ms, rerrs := o.resolve(set)
	errs = append(errs, rerrs...)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return ms, nil
}

// fileName is a file to load: its name as positions spell it, and a key
// that is the same for every spelling of the same file (the cleaned path,
// made absolute by Load), whose directory places it below the
// _defaults.toml files that apply to it.
type fileName struct{ name, key string }

// parsedFile is the outcome of parsing one file: a manifest's draft, or a
// _defaults.toml file's defaults, and the problems found.
type parsedFile struct {
	fileName
	draft      *draft    // nil for defaults and after a syntax error
	defaults   *Defaults // for a _defaults.toml that is valid
	isDefaults bool
	errs       ErrorList
}

// parseFile parses the contents of one file, as a manifest or, by its
// name, as defaults. sc is the worker's scanner.
func parseFile(f fileName, data []byte, sc *tomlpos.Scanner) parsedFile {
	u := parsedFile{fileName: f}
	if filepath.Base(f.name) == DefaultsFile {
		u.isDefaults = true
		u.defaults, u.errs = ParseDefaults(f.name, data, "")
		return u
	}
	u.draft, u.errs = parseDraft(f.name, data, sc)
	return u
}

// parsedSet gathers the parsed files of a load.
type parsedSet struct {
	drafts    []parsedFile // manifests that parsed, possibly with errors
	layers    map[string]*Defaults
	broken    map[string]bool // directories whose _defaults.toml has errors
	manifests int             // manifest files read, whatever their fate
	errs      ErrorList
}

func (s *parsedSet) add(u parsedFile) {
	s.errs = append(s.errs, u.errs...)
	dir := filepath.Dir(u.key)
	switch {
	case u.isDefaults && u.defaults != nil:
		if s.layers == nil {
			s.layers = make(map[string]*Defaults)
		}
		s.layers[dir] = u.defaults
	case u.isDefaults:
		if s.broken == nil {
			s.broken = make(map[string]bool)
		}
		s.broken[dir] = true
	default:
		s.manifests++
		if u.draft != nil {
			s.drafts = append(s.drafts, u)
		}
	}
}

// resolve applies the defaults to every draft and returns the manifests
// that have no problem, sorted by file name, with the problems found now:
// those of resolving and node IDs declared twice. Drafts are resolved on
// all cores, each independently, after one sort by file name.
func (o Options) resolve(s parsedSet) ([]*Manifest, ErrorList) {
	var base chain // the chain of every file when no _defaults.toml was read
	if o.Defaults != nil {
		base.layers = []*Defaults{o.Defaults}
	}
	drafts := s.drafts
	slices.SortFunc(drafts, func(a, b parsedFile) int { return strings.Compare(a.name, b.name) })
	chainOf := make([]chain, len(drafts))
	memo := make(map[string]chain)
	for i, u := range drafts {
		chainOf[i] = base
		if len(s.layers) > 0 || len(s.broken) > 0 {
			chainOf[i] = o.chainOf(filepath.Dir(u.key), s, memo)
		}
	}
	type resolved struct {
		m     *Manifest
		known bool // its node ID is what the file means (idKnown)
		errs  ErrorList
	}
	out := make([]resolved, len(drafts))
	parallel.For(len(drafts), 512, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			c := chainOf[i]
			r := &out[i]
			r.known = idKnown(drafts[i].draft, c.broken) // before resolve fills in the env
			r.m, r.errs = drafts[i].draft.resolve(c.layers, c.broken)
		}
	})
	var (
		ms       []*Manifest
		errs     ErrorList
		declared []*Manifest // every manifest whose node ID is known, valid or not
	)
	for i, r := range out {
		errs = append(errs, r.errs...)
		if len(drafts[i].errs) == 0 && len(r.errs) == 0 {
			ms = append(ms, r.m)
		}
		if r.known {
			declared = append(declared, r.m)
		}
	}
	errs = append(errs, duplicates(declared)...)
	return ms, errs
}

// idKnown reports whether a draft's node ID is what its file means, even
// when the file has other errors: its name is valid, and so is its env when
// written, or, when not written, every _defaults.toml that could set it
// loaded (broken is false). Duplicates are looked for among all such
// drafts, so that a node declared twice is reported at once, with the other
// problems of either file, rather than once those are fixed; a draft whose
// ID is not known is left out, so that a guessed ID never reports a
// duplicate that is not there.
func idKnown(d *draft, broken bool) bool {
	s := &d.m.Service
	if !ValidName(s.Name) {
		return false
	}
	if d.set&setEnv != 0 {
		return ValidName(s.Env) // "" when env is not a string
	}
	return !broken
}

// chain is the defaults that cover a directory, outermost first, and
// whether one that would apply did not load.
type chain struct {
	layers []*Defaults
	broken bool
}

// chainOf returns the chain of dir, memoised in chains: its parent's, then
// the _defaults.toml of dir itself when the load read one. Keys are
// cleaned paths, so the walk up ends at "." or at the root.
func (o Options) chainOf(dir string, s parsedSet, chains map[string]chain) chain {
	if c, ok := chains[dir]; ok {
		return c
	}
	var c chain
	if parent := filepath.Dir(dir); parent != dir {
		c = o.chainOf(parent, s, chains)
	} else if o.Defaults != nil {
		c.layers = []*Defaults{o.Defaults} // the root: only catch22.toml's
	}
	if l := s.layers[dir]; l != nil {
		c.layers = append(slices.Clip(c.layers), l)
	}
	c.broken = c.broken || s.broken[dir]
	chains[dir] = c
	return c
}

// collect sends the manifest and defaults files named by paths to out, each
// once, and returns how many manifests it sent.
func collect(paths []string, out chan<- []fileName) (int, ErrorList) {
	var (
		errs  ErrorList
		seen  = make(map[string]bool)
		found int
		batch []fileName
	)
	// One Getwd for the run: filepath.Abs would call it per file.
	cwd, err := os.Getwd()
	if err != nil {
		cwd = ""
	}
	add := func(name string) {
		key := filepath.Clean(name)
		if !filepath.IsAbs(key) && cwd != "" {
			key = filepath.Join(cwd, key)
		}
		if !seen[key] {
			seen[key] = true
			if filepath.Base(name) != DefaultsFile {
				found++
			}
			if batch = append(batch, fileName{name: name, key: key}); len(batch) == walkBatch {
				out <- batch
				batch = nil
			}
		}
	}
	for _, arg := range paths {
		info, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, &Error{Pos: Pos{File: arg}, Msg: Describe(err)})
			continue
		}
		if !info.IsDir() {
			if filepath.Base(arg) != ConfigFile {
				add(filepath.Clean(arg)) // as filepath.Join(arg, ".") would name it
			}
			continue
		}
		// The walk callback never returns an error: problems are collected
		// so that one unreadable directory does not hide the others.
		_ = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &Error{Pos: Pos{File: path}, Msg: Describe(err)})
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if path != arg && strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(name, ".toml") || name == ConfigFile {
				return nil
			}
			if !d.Type().IsRegular() {
				// A symlink counts when it leads to a regular file; a
				// dangling one (an editor's lock file) is ignored.
				if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
					return nil
				}
			}
			add(path)
			return nil
		})
	}
	if len(batch) > 0 {
		out <- batch
	}
	return found, errs
}

// walkBatch is how many file names the walk hands the workers at a time,
// so that 32 files share one channel operation and the wakeup it brings.
const walkBatch = 32

// Describe drops the operation and path that os errors repeat, since the
// path is already the position of the error.
func Describe(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "no such file or directory"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// parseAll reads and parses the files sent on names, in batches, with one
// worker per processor, until names is closed. Files come back in no particular order.
func parseAll(names <-chan []fileName) parsedSet {
	var wg sync.WaitGroup
	// Results stay local to each worker until the end, so workers never
	// contend.
	locals := make([][]parsedFile, runtime.GOMAXPROCS(0))
	for w := range locals {
		wg.Go(func() {
			var (
				local []parsedFile
				buf   []byte
				sc    tomlpos.Scanner
			)
			defer func() { locals[w] = local }()
			for batch := range names {
				for _, f := range batch {
					var err error
					if buf, err = readFile(f.name, buf[:0]); err != nil {
						u := parsedFile{fileName: f, isDefaults: filepath.Base(f.name) == DefaultsFile}
						u.errs = ErrorList{{Pos: Pos{File: f.name}, Msg: Describe(err)}}
						local = append(local, u)
						continue
					}
					local = append(local, parseFile(f, buf, &sc))
				}
			}
		})
	}
	wg.Wait()
	var set parsedSet
	n := 0
	for _, l := range locals {
		n += len(l)
	}
	set.drafts = make([]parsedFile, 0, n)
	for _, l := range locals {
		for _, u := range l {
			set.add(u)
		}
	}
	return set
}

// duplicates reports every manifest that declares a node ID already declared
// by a manifest earlier in ms (sorted by file), naming the earlier one.
func duplicates(ms []*Manifest) ErrorList {
	ids := make([]string, len(ms)) // spelt out on all cores; the map is serial
	parallel.For(len(ms), 4096, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ids[i] = ms[i].ID()
		}
	})
	var errs ErrorList
	first := make(map[string]*Manifest, len(ms))
	for i, m := range ms {
		id := ids[i]
		if f, dup := first[id]; dup {
			errs = append(errs, &Error{Pos: m.Service.Pos,
				Msg: "duplicate node \"" + id + "\": also declared at " + f.Service.Pos.String()})
			continue
		}
		first[id] = m
	}
	return errs
}
