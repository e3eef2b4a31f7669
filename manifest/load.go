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
)

// ConfigFile is the name of catch22's configuration file. Files of this name
// are never manifests, even when named explicitly, so that `catch22 check .`
// can run over a directory that holds its own configuration.
const ConfigFile = "catch22.toml"

// Load reads the manifests named by paths. Each path is a file or a
// directory walked recursively for *.toml files.
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
// Files are parsed in parallel by runtime.GOMAXPROCS workers. On success the
// manifests are sorted by file name. Otherwise the error is an ErrorList
// holding every problem of every file, sorted, including node IDs declared
// by more than one file, and no manifests are returned.
func Load(paths []string) ([]*Manifest, error) {
	// Walking and parsing overlap: the walk feeds file names to the
	// parsing workers as it finds them.
	names := make(chan string, 256)
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
	ms, errs := parseAll(names)
	<-walked

	errs = append(errs, walkErrs...)
	if found == 0 && len(walkErrs) == 0 {
		msg := "no manifests found"
		if len(paths) > 0 {
			msg += " in " + strings.Join(paths, ", ")
		}
		errs = append(errs, &Error{Msg: msg})
	}
	slices.SortFunc(ms, func(a, b *Manifest) int { return strings.Compare(a.File, b.File) })
	errs = append(errs, duplicates(ms)...)
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
// caller has already chosen the files (LoadFiles applies no name filter),
// every problem of every file is reported at once, node IDs declared twice
// are input errors, and on success the manifests are sorted by name. An empty
// files is an input error, as a walk that finds nothing is for Load.
//
// Files are parsed in parallel, each result kept at its file's index, so the
// outcome does not depend on scheduling.
func LoadFiles(files []File) ([]*Manifest, error) {
	parsed := make([]*Manifest, len(files))
	perrs := make([]ErrorList, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := range next {
				parsed[i], perrs[i] = Parse(files[i].Name, files[i].Data)
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()

	var (
		ms   []*Manifest
		errs ErrorList
	)
	for i := range files {
		if parsed[i] != nil {
			ms = append(ms, parsed[i])
		}
		errs = append(errs, perrs[i]...)
	}
	if len(files) == 0 {
		errs = append(errs, &Error{Msg: "no manifests found"})
	}
	slices.SortFunc(ms, func(a, b *Manifest) int { return strings.Compare(a.File, b.File) })
	errs = append(errs, duplicates(ms)...)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return ms, nil
}

// collect sends the manifest files named by paths to out, each once, and
// returns how many it sent.
func collect(paths []string, out chan<- string) (int, ErrorList) {
	var (
		errs  ErrorList
		seen  = make(map[string]bool)
		found int
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
			found++
			out <- name
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
	return found, errs
}

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

// parseAll reads and parses the files sent on names, with one worker per
// processor, until names is closed. Manifests come back in no particular
// order.
func parseAll(names <-chan string) ([]*Manifest, ErrorList) {
	var (
		mu   sync.Mutex
		ms   []*Manifest
		errs ErrorList
		wg   sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			// Results stay local until the end, so workers never contend.
			var (
				local     []*Manifest
				localErrs ErrorList
				buf       []byte
			)
			for name := range names {
				var err error
				if buf, err = readFile(name, buf[:0]); err != nil {
					localErrs = append(localErrs, &Error{Pos: Pos{File: name}, Msg: Describe(err)})
					continue
				}
				m, perrs := Parse(name, buf)
				if m != nil {
					local = append(local, m)
				}
				localErrs = append(localErrs, perrs...)
			}
			mu.Lock()
			defer mu.Unlock()
			ms = append(ms, local...)
			errs = append(errs, localErrs...)
		})
	}
	wg.Wait()
	return ms, errs
}

// duplicates reports every manifest that declares a node ID already declared
// by a manifest earlier in ms (sorted by file), naming the earlier one.
func duplicates(ms []*Manifest) ErrorList {
	var errs ErrorList
	first := make(map[string]*Manifest, len(ms))
	for _, m := range ms {
		id := m.ID()
		if f, dup := first[id]; dup {
			errs = append(errs, &Error{Pos: m.Service.Pos,
				Msg: "duplicate node \"" + id + "\": also declared at " + f.Service.Pos.String()})
			continue
		}
		first[id] = m
	}
	return errs
}
