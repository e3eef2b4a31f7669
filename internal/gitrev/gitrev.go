package gitrev

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/manifest"
)

// Errors a caller may tell apart with errors.Is.
var (
	ErrNoGit           = errors.New("git is not installed (not found on PATH)")
	ErrNotRepository   = errors.New("not a git repository")
	ErrUnknownRevision = errors.New("unknown revision")
)

// Read returns the manifest files that paths select at revision rev of the
// git repository that holds them.
//
// paths are read as manifest.Load reads them, relative to dir ("" is the
// current directory): a file is taken whatever its name, except
// catch22.toml; a directory is walked for *.toml files, skipping files named
// catch22.toml and sub-directories whose names start with "."; a file
// reached twice is read once, under the name it was first reached by.
// Symbolic links are followed when they lead to a file inside the
// repository at rev; others are skipped, since git cannot read outside the
// repository at a past revision.
//
// The repository is found from the paths, not from dir: each path's nearest
// directory that exists in the work tree (the path itself, or the closest
// one above it, for a path that is not there) must belong to a repository,
// the same one for every path. So `catch22 diff --since REV ../repo/svc`
// works from outside the repository, and a path added since rev still
// places itself in it.
//
// File names are spelled from the path as the user typed it
// (filepath.Join(path, rel)), as manifest.Load spells them, so that findings
// name the same files as in the work tree. Files come back in tree order.
//
// A path that did not exist at rev selects nothing: the first pull request
// that adds a directory of manifests compares them with an empty set. (The
// work tree's own load reports a path that exists nowhere.) Paths in two
// repositories are an input error, returned as a manifest.ErrorList; a bad
// revision, a path outside any repository and a missing git binary wrap
// ErrUnknownRevision, ErrNotRepository and ErrNoGit.
func Read(ctx context.Context, dir, rev string, paths []string) ([]manifest.File, error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return nil, ErrNoGit
	}
	g, args, err := locate(ctx, bin, dir, paths)
	if err != nil {
		return nil, err
	}
	commit, err := g.resolve(ctx, rev)
	if err != nil {
		return nil, err
	}
	entries, err := g.lsTree(ctx, commit, args)
	if err != nil {
		return nil, err
	}
	return g.catFiles(ctx, commit, choose(args, entries))
}

// git runs the git binary at the top of one repository.
type git struct {
	bin string
	dir string // the top of the work tree
}

// command prepares a git command. Messages are in English so that they can
// be recognised, and optional locks are off: nothing here writes to the
// repository, and git must not refresh the index on our behalf either.
// Pathspecs are literal, so that a path such as ":x" or "*.toml" means
// itself.
func (g *git) command(ctx context.Context, args ...string) *exec.Cmd {
	return gitCommand(ctx, g.bin, g.dir, args...)
}

func gitCommand(ctx context.Context, bin, dir string, args ...string) *exec.Cmd {
	pre := []string{"--literal-pathspecs"}
	if dir != "" {
		pre = append(pre, "-C", dir)
	}
	cmd := exec.CommandContext(ctx, bin, append(pre, args...)...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANGUAGE=C", "GIT_OPTIONAL_LOCKS=0")
	return cmd
}

// resolve turns rev into a commit ID, so that listing and reading see the
// same commit even if a branch moves meanwhile.
func (g *git) resolve(ctx context.Context, rev string) (commit string, err error) {
	// A revision that looks like an option would be read as one.
	if rev == "" || strings.HasPrefix(rev, "-") || strings.ContainsAny(rev, "\x00\n") {
		return "", fmt.Errorf("%w %q", ErrUnknownRevision, rev)
	}
	cmd := g.command(ctx, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var exit *exec.ExitError
	switch {
	case runErr == nil:
	case errors.As(runErr, &exit) && exit.ExitCode() == 1:
		// --verify --quiet: the revision names no commit.
		return "", fmt.Errorf("%w %q", ErrUnknownRevision, rev)
	default:
		return "", gitError("rev-parse", runErr, &stderr)
	}
	commit = strings.TrimSuffix(stdout.String(), "\n")
	if commit == "" || strings.Contains(commit, "\n") {
		return "", fmt.Errorf("git rev-parse: unexpected output %q", stdout.String())
	}
	return commit, nil
}

// gitError reports a failed git command with the first line of what it
// said.
func gitError(sub string, err error, stderr *bytes.Buffer) error {
	msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
	msg = strings.TrimPrefix(msg, "fatal: ")
	if msg == "" {
		return fmt.Errorf("git %s: %w", sub, err)
	}
	return fmt.Errorf("git %s: %s", sub, msg)
}

// arg is one path argument, placed in the repository.
type arg struct {
	typed string // as the user typed it
	top   string // slash-separated, from the top of the repository; "." for the top
}

// place is where a directory of the work tree is in its repository.
type place struct {
	top    string // the top of the work tree, as git spells it
	prefix string // the directory from the top: "" at the top, "svc/" below it
}

// locate finds the repository that holds paths, and each path's place in
// it. A path is placed through its nearest existing directory, which git
// places (so that symbolic links in the directory's own path are git's
// business); the rest of the path, below that directory, is appended as
// written. One git call per distinct directory.
func locate(ctx context.Context, bin, dir string, paths []string) (*git, []arg, error) {
	var (
		out    []arg
		errs   manifest.ErrorList
		places = make(map[string]place)
		first  string // the first path, and its repository
		repo   string
	)
	for _, p := range paths {
		full := filepath.Clean(p)
		if !filepath.IsAbs(full) && dir != "" {
			full = filepath.Join(dir, full)
		}
		anchor, rest := nearestDir(full)
		pl, ok := places[anchor]
		if !ok {
			var err error
			if pl, err = placeDir(ctx, bin, anchor); err != nil {
				return nil, nil, err
			}
			places[anchor] = pl
		}
		switch {
		case repo == "":
			first, repo = p, pl.top
		case pl.top != repo:
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: p},
				Msg: fmt.Sprintf("in another git repository than %s (%s, not %s)", first, pl.top, repo)})
			continue
		}
		top := path.Clean(pl.prefix + path.Join(rest...)) // "." at the top
		out = append(out, arg{typed: p, top: top})
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return &git{bin: bin, dir: repo}, out, nil
}

// nearestDir returns the nearest directory of the work tree at or above
// the cleaned path p, and the names that lead from it to p.
func nearestDir(p string) (dir string, rest []string) {
	for {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			break
		}
		parent := filepath.Dir(p)
		if parent == p {
			break // the root, or "." when the current directory is gone
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
	for i, r := range rest {
		rest[i] = filepath.ToSlash(r)
	}
	return p, rest
}

// placeDir asks git where the directory dir is: the top of its work tree,
// and its place below that top.
func placeDir(ctx context.Context, bin, dir string) (place, error) {
	cmd := gitCommand(ctx, bin, dir, "rev-parse", "--show-toplevel", "--show-prefix")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && strings.Contains(stderr.String(), "not a git repository") {
			return place{}, fmt.Errorf("%w: %s", ErrNotRepository, absolute(dir))
		}
		return place{}, gitError("rev-parse", err, &stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != 2 || lines[0] == "" {
		return place{}, fmt.Errorf("git rev-parse: unexpected output %q", stdout.String())
	}
	return place{top: lines[0], prefix: lines[1]}, nil
}

// absolute names a directory for messages: absolute, since "." says little.
func absolute(d string) string {
	if abs, err := filepath.Abs(d); err == nil {
		return abs
	}
	return d
}

// entry is one file of the tree at the revision.
type entry struct {
	mode, typ, oid string
	path           string // slash-separated, from the top of the repository
}

// lsTree lists every file under the arguments at commit, recursively, in
// tree order.
func (g *git) lsTree(ctx context.Context, commit string, args []arg) ([]entry, error) {
	cmdArgs := []string{"ls-tree", "-r", "-z", "--full-name", commit, "--"}
	for _, a := range args {
		cmdArgs = append(cmdArgs, a.top) // git runs at the top of the repository
	}
	cmd := g.command(ctx, cmdArgs...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, gitError("ls-tree", err, &stderr)
	}
	var entries []entry
	for rec := range bytes.SplitSeq(stdout.Bytes(), []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		// "<mode> SP <type> SP <object> TAB <file>"
		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		f := strings.Fields(string(meta))
		if !ok || len(f) != 3 {
			return nil, fmt.Errorf("git ls-tree: unexpected output %q", rec)
		}
		entries = append(entries, entry{mode: f[0], typ: f[1], oid: f[2], path: string(name)})
	}
	return entries, nil
}

// chosen is a file to read and the name to give it.
type chosen struct {
	entry
	name string
}

// choose applies manifest.Load's selection to the listed entries, argument
// by argument. An argument that names nothing at the revision selects
// nothing.
func choose(args []arg, entries []entry) []chosen {
	var (
		out  []chosen
		seen = make(map[string]bool)
	)
	for _, a := range args {
		for _, e := range entries {
			var rest string // the entry's path below the argument
			switch {
			case a.top == ".":
				rest = e.path
			case e.path == a.top:
				// A file named explicitly.
			case strings.HasPrefix(e.path, a.top+"/"):
				rest = e.path[len(a.top)+1:]
			default:
				continue
			}
			if e.typ != "blob" || path.Base(e.path) == manifest.ConfigFile || seen[e.path] {
				continue // submodules, configuration, files already chosen
			}
			name := filepath.Clean(a.typed) // as filepath.Join(arg, ".") would name it
			if rest != "" {
				if !strings.HasSuffix(rest, ".toml") || hidden(rest) {
					continue
				}
				name = filepath.Join(a.typed, filepath.FromSlash(rest))
			}
			seen[e.path] = true
			out = append(out, chosen{entry: e, name: name})
		}
	}
	return out
}

// hidden reports whether a path below a walked directory passes through a
// directory whose name starts with ".", which manifest.Load does not enter.
func hidden(rest string) bool {
	dirs := strings.Split(rest, "/")
	for _, d := range dirs[:len(dirs)-1] {
		if strings.HasPrefix(d, ".") {
			return true
		}
	}
	return false
}

// catFiles reads the chosen files through one `git cat-file --batch`.
// Regular files are asked for by object ID. Symbolic links are asked for by
// "commit:path" with --follow-symlinks, so that git resolves them inside
// the tree; one that leads outside the repository, nowhere, or to a
// directory is skipped, as manifest.Load skips links it cannot read as a
// file.
func (g *git) catFiles(ctx context.Context, commit string, files []chosen) ([]manifest.File, error) {
	var requests bytes.Buffer
	var asked []chosen
	for _, f := range files {
		switch {
		case f.mode != "120000":
			fmt.Fprintln(&requests, f.oid)
		case strings.Contains(f.path, "\n"):
			continue // cannot be asked for on a line of its own
		default:
			fmt.Fprintf(&requests, "%s:%s\n", commit, f.path)
		}
		asked = append(asked, f)
	}
	if len(asked) == 0 {
		return nil, nil
	}

	cmd := g.command(ctx, "cat-file", "--batch", "--follow-symlinks", "--buffer")
	cmd.Stdin = &requests
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	out, readErr := readBatch(bufio.NewReader(stdout), asked)
	if readErr != nil {
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	switch {
	case readErr != nil && waitErr != nil && stderr.Len() > 0:
		return nil, gitError("cat-file", waitErr, &stderr)
	case readErr != nil:
		return nil, fmt.Errorf("git cat-file: %w", readErr)
	case waitErr != nil:
		return nil, gitError("cat-file", waitErr, &stderr)
	}
	return out, nil
}

// readBatch reads one cat-file --batch answer per request, in order.
func readBatch(r *bufio.Reader, asked []chosen) ([]manifest.File, error) {
	var out []manifest.File
	for _, f := range asked {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.path, err)
		}
		header = strings.TrimSuffix(header, "\n")
		if strings.HasSuffix(header, " missing") || strings.HasSuffix(header, " ambiguous") {
			if f.mode == "120000" {
				continue // a link whose target is not in the tree
			}
			return nil, fmt.Errorf("%s: object %s is %s", f.path, f.oid, header[strings.LastIndexByte(header, ' ')+1:])
		}
		fields := strings.Fields(header)
		var typ, size string
		switch {
		case len(fields) == 3: // "<oid> <type> <size>"
			typ, size = fields[1], fields[2]
		case len(fields) == 2: // "symlink|dangling|loop|notdir <size>": a link not followed
			typ, size = fields[0], fields[1]
		default:
			return nil, fmt.Errorf("unexpected answer %q for %s", header, f.path)
		}
		n, err := strconv.Atoi(size)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("unexpected answer %q for %s", header, f.path)
		}
		if typ == "blob" && n > safeio.ManifestLimit {
			// As for a file on disk: a manifest this large is refused
			// before it is read, so no revision can cost unbounded memory.
			return nil, fmt.Errorf("%s: %w", f.path, &safeio.TooLargeError{Limit: safeio.ManifestLimit})
		}
		data := make([]byte, n+1) // the contents and a newline
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.path, err)
		}
		if typ == "blob" {
			out = append(out, manifest.File{Name: f.name, Data: data[:n]})
		}
	}
	return out, nil
}
