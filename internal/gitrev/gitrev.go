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

	"github.com/catch22/catch22/manifest"
)

// Errors a caller may tell apart with errors.Is.
var (
	ErrNoGit           = errors.New("git is not installed (not found on PATH)")
	ErrNotRepository   = errors.New("not a git repository")
	ErrUnknownRevision = errors.New("unknown revision")
)

// Read returns the manifest files that paths select at revision rev of the
// git repository holding dir ("" is the current directory).
//
// paths are read as manifest.Load reads them, relative to dir: a file is
// taken whatever its name, except catch22.toml; a directory is walked for
// *.toml files, skipping files named catch22.toml and sub-directories whose
// names start with "."; a file reached twice is read once, under the name it
// was first reached by. Symbolic links are followed when they lead to a file
// inside the repository at rev; others are skipped, since git cannot read
// outside the repository at a past revision.
//
// File names are spelled from the path as the user typed it
// (filepath.Join(path, rel)), as manifest.Load spells them, so that findings
// name the same files as in the work tree. Files come back in tree order.
//
// A path that did not exist at rev is an input error, returned as a
// manifest.ErrorList with every such path; a bad revision, a directory
// outside any repository and a missing git binary wrap ErrUnknownRevision,
// ErrNotRepository and ErrNoGit.
func Read(ctx context.Context, dir, rev string, paths []string) ([]manifest.File, error) {
	g, err := newGit(dir)
	if err != nil {
		return nil, err
	}
	commit, prefix, err := g.resolve(ctx, rev)
	if err != nil {
		return nil, err
	}
	args, err := g.place(prefix, paths)
	if err != nil {
		return nil, err
	}
	entries, err := g.lsTree(ctx, commit, args)
	if err != nil {
		return nil, err
	}
	chosen, err := choose(args, entries, rev)
	if err != nil {
		return nil, err
	}
	return g.catFiles(ctx, commit, chosen)
}

// git runs the git binary in one directory.
type git struct {
	bin string
	dir string // "" for the current directory
}

func newGit(dir string) (*git, error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return nil, ErrNoGit
	}
	return &git{bin: bin, dir: dir}, nil
}

// command prepares a git command. Messages are in English so that they can
// be recognised, and optional locks are off: nothing here writes to the
// repository, and git must not refresh the index on our behalf either.
// Pathspecs are literal, so that a path such as ":x" or "*.toml" means
// itself.
func (g *git) command(ctx context.Context, args ...string) *exec.Cmd {
	pre := []string{"--literal-pathspecs"}
	if g.dir != "" {
		pre = append(pre, "-C", g.dir)
	}
	cmd := exec.CommandContext(ctx, g.bin, append(pre, args...)...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANGUAGE=C", "GIT_OPTIONAL_LOCKS=0")
	return cmd
}

// resolve turns rev into a commit ID, so that listing and reading see the
// same commit even if a branch moves meanwhile, and returns the directory's
// place in the repository ("" at its top, "svc/" below it).
func (g *git) resolve(ctx context.Context, rev string) (commit, prefix string, err error) {
	// A revision that looks like an option would be read as one.
	if rev == "" || strings.HasPrefix(rev, "-") || strings.ContainsAny(rev, "\x00\n") {
		return "", "", fmt.Errorf("%w %q", ErrUnknownRevision, rev)
	}
	cmd := g.command(ctx, "rev-parse", "--show-prefix", "--verify", "--quiet", rev+"^{commit}")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var exit *exec.ExitError
	switch {
	case runErr == nil:
	case errors.As(runErr, &exit) && strings.Contains(stderr.String(), "not a git repository"):
		return "", "", fmt.Errorf("%w: %s", ErrNotRepository, g.where())
	case errors.As(runErr, &exit) && exit.ExitCode() == 1:
		// --verify --quiet: the revision names no commit.
		return "", "", fmt.Errorf("%w %q", ErrUnknownRevision, rev)
	default:
		return "", "", gitError("rev-parse", runErr, &stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != 2 || lines[1] == "" {
		return "", "", fmt.Errorf("git rev-parse: unexpected output %q", stdout.String())
	}
	return lines[1], lines[0], nil
}

// where names the directory for messages: absolute, since "." says little.
func (g *git) where() string {
	d := g.dir
	if d == "" {
		d = "."
	}
	if abs, err := filepath.Abs(d); err == nil {
		return abs
	}
	return d
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
	rel   string // slash-separated, cleaned, relative to the directory
	top   string // slash-separated, from the top of the repository; "." for the top
}

// place finds each path in the repository. Relative paths are relative to
// the directory, as for manifest.Load; absolute ones are made relative to it
// first, lexically, so that a symbolic link in the directory's own path
// cannot make them look outside.
func (g *git) place(prefix string, paths []string) ([]arg, error) {
	base := g.where()
	var (
		out  []arg
		errs manifest.ErrorList
	)
	for _, p := range paths {
		rel := p
		if filepath.IsAbs(p) {
			var err error
			if rel, err = filepath.Rel(base, p); err != nil {
				errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: p}, Msg: "outside the git repository"})
				continue
			}
		}
		rel = path.Clean(filepath.ToSlash(rel))
		top := path.Clean(path.Join(prefix, rel))
		if top == ".." || strings.HasPrefix(top, "../") {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: p}, Msg: "outside the git repository"})
			continue
		}
		out = append(out, arg{typed: p, rel: rel, top: top})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
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
		cmdArgs = append(cmdArgs, a.rel) // git reads pathspecs from the directory
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
// by argument, and reports every argument that names nothing at rev.
func choose(args []arg, entries []entry, rev string) ([]chosen, error) {
	var (
		out  []chosen
		errs manifest.ErrorList
		seen = make(map[string]bool)
	)
	for _, a := range args {
		found := a.top == "."
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
			found = true
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
		if !found {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: a.typed}, Msg: "no such file or directory at " + rev})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
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
