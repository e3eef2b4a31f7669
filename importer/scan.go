package importer

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/manifest"
)

// existing is a manifest already in the output directory.
type existing struct {
	rel    string // slash-separated, relative to the output directory
	name   string // as positions spell it: the output directory joined with rel
	data   []byte
	mode   fs.FileMode
	m      *manifest.Manifest // nil for a hand-written file that does not parse
	source string             // the source of a file this tool generated; "" for any other file
	taken  bool               // matched to a service of this import
}

// author says who wrote a file this tool did not generate: "by hand", or
// "by `catch22 import kubernetes`" for a file of another importer.
func (x *existing) author() string {
	first, _, _ := bytes.Cut(x.data, []byte("\n"))
	if rest, ok := bytes.CutPrefix(first, []byte(generatedPrefix)); ok {
		if tool, _, ok := bytes.Cut(rest, []byte("`")); ok {
			return "by `catch22 import " + string(tool) + "`"
		}
	}
	return "by hand"
}

// scanOut reads the manifests under out. Generated files (recognised by
// their first line) must parse, since their hand-written parts are to be
// kept; other .toml files are only read to detect node IDs declared twice.
func (t Tool) scanOut(out string) ([]*existing, manifest.ErrorList) {
	info, err := os.Stat(out)
	switch {
	case os.IsNotExist(err):
		return nil, nil
	case err != nil:
		return nil, manifest.ErrorList{{Pos: manifest.Pos{File: out}, Msg: manifest.Describe(err)}}
	case !info.IsDir():
		return nil, manifest.ErrorList{{Pos: manifest.Pos{File: out}, Msg: "--out: not a directory"}}
	}
	var (
		files []*existing
		errs  manifest.ErrorList
	)
	walkErrs := WalkFiles(out, func(path string, d fs.DirEntry) {
		if !strings.HasSuffix(d.Name(), ".toml") || d.Name() == manifest.ConfigFile || !d.Type().IsRegular() {
			return
		}
		rel, err := filepath.Rel(out, path)
		if err != nil {
			return
		}
		data, err := safeio.ReadFile(path, safeio.ManifestLimit)
		if err != nil {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: path}, Msg: manifest.Describe(err)})
			return
		}
		x := &existing{rel: filepath.ToSlash(rel), name: path, data: data, mode: 0o644}
		if info, err := d.Info(); err == nil {
			x.mode = info.Mode().Perm()
		}
		first, _, _ := bytes.Cut(data, []byte("\n"))
		if src, ok := strings.CutPrefix(string(first), t.headerPrefix()); ok {
			x.source = strings.TrimSuffix(strings.TrimSpace(src), ".")
		}
		m, perrs := manifest.Parse(path, data)
		if x.source != "" {
			errs = append(errs, perrs...)
		}
		x.m = m
		files = append(files, x)
	})
	errs = append(errs, walkErrs...)
	return files, errs
}

// keep extracts what re-import keeps of the existing manifest x: the notes
// of its dependencies and its hand-written entries, as written (comments
// included) when the file uses [[dependency]] and [[recovery]] headers.
func (t Tool) keep(x *existing) *kept {
	k := &kept{notes: map[string]string{}, settled: map[string]bool{}}
	if x == nil || x.m == nil {
		return k
	}
	k.fromFile = x.name
	m := x.m
	lines := strings.SplitAfter(string(x.data), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	header := func(p manifest.Pos, table string) bool {
		if p.Line < 1 || p.Line > len(lines) {
			return false
		}
		return strings.HasPrefix(strings.ReplaceAll(strings.TrimSpace(lines[p.Line-1]), " ", ""), "[["+table+"]]")
	}
	marked := func(p manifest.Pos) bool {
		return p.Line >= 1 && p.Line <= len(lines) && strings.Contains(lines[p.Line-1], t.marker())
	}
	verbatim := true
	starts := []int{m.Service.Pos.Line}
	for _, d := range m.Dependencies {
		verbatim = verbatim && header(d.Pos, "dependency")
		starts = append(starts, d.Pos.Line)
	}
	for _, r := range m.Recoveries {
		verbatim = verbatim && header(r.Pos, "recovery")
		starts = append(starts, r.Pos.Line)
	}
	slices.Sort(starts)
	// section returns the lines of the entry whose header is on line:
	// from the comment lines right above it to the line before the next
	// entry's, without trailing blank lines.
	section := func(line int) string {
		i := slices.Index(starts, line)
		begin := leadingComments(lines, line, prevStart(starts, i))
		end := len(lines)
		if i+1 < len(starts) {
			end = leadingComments(lines, starts[i+1], line) - 1
		}
		text := strings.Join(lines[begin-1:end], "")
		return strings.TrimRight(text, " \t\r\n") + "\n"
	}
	for _, d := range m.Dependencies {
		if d.Note != "" {
			k.notes[d.TargetKey()] = d.Note
		}
		if marked(d.Pos) {
			continue
		}
		text := ""
		if verbatim {
			text = section(d.Pos.Line)
		} else {
			text = renderDependency(d, m.Service.Env)
		}
		k.deps = append(k.deps, handEntry{key: d.TargetKey(), text: text, line: d.Pos.Line})
	}
	for _, r := range m.Recoveries {
		if marked(r.Pos) {
			continue
		}
		text := ""
		if verbatim {
			text = section(r.Pos.Line)
		} else {
			text = renderRecovery(r, m.Service.Env)
		}
		k.recs = append(k.recs, handEntry{key: r.Name, text: text, line: r.Pos.Line})
	}
	return k
}

func prevStart(starts []int, i int) int {
	if i > 0 {
		return starts[i-1]
	}
	return 0
}

// leadingComments returns the first line of the run of comment lines
// directly above line (line itself when there is none), never reaching
// back to floor.
func leadingComments(lines []string, line, floor int) int {
	for line-1 > floor && strings.HasPrefix(strings.TrimSpace(lines[line-2]), "#") {
		line--
	}
	return line
}

// renderDependency and renderRecovery write a hand-written entry of a
// file that does not use [[table]] headers (inline tables), in the
// standard layout; its comments cannot be kept.
func renderDependency(d manifest.Dependency, env string) string {
	var b strings.Builder
	b.WriteString("[[dependency]]\n")
	if d.AnyOf != nil {
		alts := make([]string, len(d.AnyOf))
		for i, r := range d.AnyOf {
			alts[i] = quote(refText(r, env))
		}
		kv(&b, "any_of", "["+strings.Join(alts, ", ")+"]")
		kv(&b, "quorum", strconv.Itoa(d.Quorum))
	} else {
		kv(&b, "on", quote(refText(d.On, env)))
	}
	kv(&b, "kind", quote(string(d.Kind)))
	kv(&b, "mode", quote(string(d.Mode)))
	if d.Phase == manifest.PhaseStart {
		kv(&b, "phase", quote(string(d.Phase)))
	}
	if d.Note != "" {
		kv(&b, "note", quote(d.Note))
	}
	return b.String()
}

func renderRecovery(r manifest.Recovery, env string) string {
	var b strings.Builder
	b.WriteString("[[recovery]]\n")
	kv(&b, "name", quote(r.Name))
	via := make([]string, len(r.Via))
	for i, v := range r.Via {
		via[i] = quote(refText(v, env))
	}
	kv(&b, "via", "["+strings.Join(via, ", ")+"]")
	kv(&b, "breakglass", fmt.Sprint(r.Breakglass))
	if r.Rebuilds {
		kv(&b, "rebuilds", "true")
	}
	if !r.Tested.IsZero() {
		kv(&b, "tested", r.Tested.Format(time.DateOnly))
	}
	if r.Runbook != "" {
		kv(&b, "runbook", quote(r.Runbook))
	}
	return b.String()
}

// refText spells a reference from a manifest of env env.
func refText(r manifest.Ref, env string) string {
	if r.Env == env {
		return r.Name
	}
	return r.ID()
}
