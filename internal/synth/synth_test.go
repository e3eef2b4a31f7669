package synth

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/google/go-cmp/cmp"
)

func TestGenerateIsDeterministic(t *testing.T) {
	cfgs := []Config{Large(3000, 1), Large(3000, 2)}
	for seed := range int64(50) {
		cfgs = append(cfgs, Small(seed))
	}
	for _, cfg := range cfgs {
		a, sa := GenerateStats(cfg)
		b, sb := GenerateStats(cfg)
		if !sameFiles(a, b) {
			t.Fatalf("seed %d: two runs differ (-first +second):\n%s", cfg.Seed, cmp.Diff(a, b))
		}
		if sa != sb {
			t.Fatalf("seed %d: stats differ: %+v vs %+v", cfg.Seed, sa, sb)
		}
	}
	if sameFiles(Generate(Small(1)), Generate(Small(2))) {
		t.Error("Small(1) and Small(2) generate the same files")
	}
	if sameFiles(Generate(Large(500, 1)), Generate(Large(500, 2))) {
		t.Error("Large(500, 1) and Large(500, 2) generate the same files")
	}
}

// sameFiles is cmp.Equal for file lists, without reflection (much faster).
func sameFiles(a, b []File) bool {
	return slices.EqualFunc(a, b, func(x, y File) bool { return x.Name == y.Name && bytes.Equal(x.Data, y.Data) })
}

// TestGenerateIsStable pins a digest of one Small and one Large set, so that
// a change to the generator that would silently renumber every property-test
// seed and benchmark corpus is noticed. Update the constants deliberately.
func TestGenerateIsStable(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Small(7), smallDigest},
		{Large(2000, 7), largeDigest},
	} {
		var all bytes.Buffer
		for _, f := range Generate(tc.cfg) {
			fmt.Fprintf(&all, "%s\n%s", f.Name, f.Data)
		}
		if got := digest(all.Bytes()); got != tc.want {
			t.Errorf("seed %d, %d services: digest %s, want %s", tc.cfg.Seed, tc.cfg.Services, got, tc.want)
		}
	}
}

const (
	smallDigest = "aa965e600b455923"
	largeDigest = "6c8520ca4a51461b"
)

// digest is FNV-1a 64, enough to notice change.
func digest(b []byte) string {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return fmt.Sprintf("%016x", h)
}

// manifest is what the validity check reads back from one file.
type manifest struct {
	file     string
	id       string
	env      string
	deps     []parsedDep
	via      []string // resolved IDs over all procedures
	monitors []string // resolved IDs
	procs    int
	tested   int
}

type parsedDep struct {
	on   string // resolved ID
	hard bool
}

var (
	namePat = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	refPat  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*(@[a-z0-9][a-z0-9._-]*)?$`)
	// tested must be written as an unquoted TOML local date.
	testedPat = regexp.MustCompile(`(?m)^tested = \d{4}-\d{2}-\d{2}$`)
)

var allowed = map[string][]string{
	"":           {"service", "dependency", "recovery"},
	"service":    {"name", "env", "description", "owner", "system", "tier", "kind", "monitored_by", "emulate"},
	"dependency": {"on", "kind", "mode", "note"},
	"recovery":   {"name", "via", "breakglass", "tested", "runbook"},
}

var enums = map[string][]string{
	"service.kind":    {"service", "tool", "datastore", "network", "external", "human"},
	"dependency.kind": {"runtime", "data", "config", "auth", "network", "observability", "deploy"},
	"dependency.mode": {"hard", "soft"},
}

// parse checks one file against SPEC §1 independently of package manifest
// and returns what it declares.
func parse(name string, data []byte) (manifest, error) {
	m := manifest{file: name}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return m, fmt.Errorf("%s: %v", name, err)
	}
	bad := func(format string, args ...any) (manifest, error) {
		return m, fmt.Errorf("%s: %s\n%s", name, fmt.Sprintf(format, args...), data)
	}
	keysOK := func(table string, t map[string]any) error {
		for k := range t {
			if !slices.Contains(allowed[table], k) {
				return fmt.Errorf("unknown key %q in %q", k, table)
			}
		}
		return nil
	}
	str := func(table string, t map[string]any, key string, required bool) (string, error) {
		v, ok := t[key]
		if !ok {
			if required {
				return "", fmt.Errorf("%s.%s missing", table, key)
			}
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("%s.%s is %T, not a string", table, key, v)
		}
		if e, ok := enums[table+"."+key]; ok && !slices.Contains(e, s) {
			return "", fmt.Errorf("%s.%s = %q is not one of %v", table, key, s, e)
		}
		return s, nil
	}
	refs := func(table, key string, v any, env string, nonEmpty bool) ([]string, error) {
		arr, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s.%s is %T, not an array", table, key, v)
		}
		if nonEmpty && len(arr) == 0 {
			return nil, fmt.Errorf("%s.%s is empty", table, key)
		}
		var ids []string
		for _, e := range arr {
			s, ok := e.(string)
			if !ok || !refPat.MatchString(s) {
				return nil, fmt.Errorf("%s.%s element %v is not a reference", table, key, e)
			}
			ids = append(ids, resolve(s, env))
		}
		return ids, nil
	}
	if err := keysOK("", doc); err != nil {
		return bad("%v", err)
	}
	svc, ok := doc["service"].(map[string]any)
	if !ok {
		return bad("no [service] table")
	}
	if err := keysOK("service", svc); err != nil {
		return bad("%v", err)
	}
	svcName, err := str("service", svc, "name", true)
	if err != nil {
		return bad("%v", err)
	}
	env, err := str("service", svc, "env", false)
	if err != nil {
		return bad("%v", err)
	}
	if env == "" {
		env = "production"
	}
	if !namePat.MatchString(svcName) || !namePat.MatchString(env) {
		return bad("bad name or env %q@%q", svcName, env)
	}
	m.id, m.env = svcName+"@"+env, env
	for _, k := range []string{"description", "owner", "system", "kind", "emulate"} {
		if _, err := str("service", svc, k, false); err != nil {
			return bad("%v", err)
		}
	}
	if v, ok := svc["tier"]; ok {
		if n, ok := v.(int64); !ok || n < 0 || n > 3 {
			return bad("tier %v is not an integer 0–3", v)
		}
	}
	if v, ok := svc["monitored_by"]; ok {
		if m.monitors, err = refs("service", "monitored_by", v, env, false); err != nil {
			return bad("%v", err)
		}
	}
	if v, ok := doc["dependency"]; ok {
		arr, ok := v.([]map[string]any)
		if !ok {
			return bad("dependency is %T, not an array of tables", v)
		}
		for _, d := range arr {
			if err := keysOK("dependency", d); err != nil {
				return bad("%v", err)
			}
			on, err := str("dependency", d, "on", true)
			if err != nil {
				return bad("%v", err)
			}
			if !refPat.MatchString(on) {
				return bad("dependency on %q is not a reference", on)
			}
			mode, err := str("dependency", d, "mode", false)
			if err != nil {
				return bad("%v", err)
			}
			for _, k := range []string{"kind", "note"} {
				if _, err := str("dependency", d, k, false); err != nil {
					return bad("%v", err)
				}
			}
			m.deps = append(m.deps, parsedDep{on: resolve(on, env), hard: mode != "soft"})
		}
	}
	if v, ok := doc["recovery"]; ok {
		arr, ok := v.([]map[string]any)
		if !ok {
			return bad("recovery is %T, not an array of tables", v)
		}
		names := map[string]bool{}
		for _, p := range arr {
			if err := keysOK("recovery", p); err != nil {
				return bad("%v", err)
			}
			pn, err := str("recovery", p, "name", true)
			if err != nil {
				return bad("%v", err)
			}
			if names[pn] {
				return bad("duplicate procedure %q", pn)
			}
			names[pn] = true
			via, err := refs("recovery", "via", p["via"], env, true)
			if err != nil {
				return bad("%v", err)
			}
			m.via = append(m.via, via...)
			if v, ok := p["breakglass"]; ok {
				if _, ok := v.(bool); !ok {
					return bad("breakglass is %T", v)
				}
			}
			if v, ok := p["tested"]; ok {
				tm, ok := v.(time.Time)
				if !ok || tm.Hour()+tm.Minute()+tm.Second()+tm.Nanosecond() != 0 {
					return bad("tested = %v is not a date", v)
				}
				m.tested++
			}
			if _, err := str("recovery", p, "runbook", false); err != nil {
				return bad("%v", err)
			}
			m.procs++
		}
	}
	if n := len(testedPat.FindAll(data, -1)); n != m.tested {
		return bad("%d tested dates, %d of them written as bare local dates", m.tested, n)
	}
	return m, nil
}

func resolve(ref, env string) string {
	if strings.Contains(ref, "@") {
		return ref
	}
	return ref + "@" + env
}

// parseSet checks every file and the set as a whole: unique file names,
// unique node IDs, no configuration file.
func parseSet(t *testing.T, seed int64, files []File) []manifest {
	t.Helper()
	var ms []manifest
	names := map[string]bool{}
	ids := map[string]string{}
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".toml") || filepath.Base(f.Name) == "catch22.toml" || names[f.Name] {
			t.Fatalf("seed %d: bad or duplicate file name %q", seed, f.Name)
		}
		names[f.Name] = true
		m, err := parse(f.Name, f.Data)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if other, dup := ids[m.id]; dup {
			t.Fatalf("seed %d: node %s declared in %s and %s", seed, m.id, other, f.Name)
		}
		ids[m.id] = f.Name
		ms = append(ms, m)
	}
	return ms
}

func TestSmallIsValid(t *testing.T) {
	for seed := range int64(300) {
		cfg := Small(seed)
		files := Generate(cfg)
		if n := len(files); n < 4 || n > 25 || n != cfg.Services {
			t.Fatalf("seed %d: %d files, want Services = %d in 4..25", seed, n, cfg.Services)
		}
		parseSet(t, seed, files)
	}
}

func TestLargeIsValidAndCounted(t *testing.T) {
	cfg := Large(5000, 3)
	files, st := GenerateStats(cfg)
	ms := parseSet(t, cfg.Seed, files)
	declared := map[string]bool{}
	for _, m := range ms {
		declared[m.id] = true
	}
	var got Stats
	got.Files = len(files)
	for _, m := range ms {
		got.Dependencies += len(m.deps)
		for _, d := range m.deps {
			if d.hard {
				got.Hard++
			} else {
				got.Soft++
			}
			if !declared[d.on] {
				got.Unknown++
			}
		}
		got.Via += len(m.via)
		got.MonitoredBy += len(m.monitors)
		for _, r := range slices.Concat(m.via, m.monitors) {
			if !declared[r] {
				got.Unknown++
			}
		}
		got.Procedures += m.procs
		if m.procs > 0 {
			got.Recoverable++
		}
		if m.env != "production" {
			got.NonProd++
		}
	}
	got.Breakglass, got.Closures, got.SelfEdges = st.Breakglass, st.Closures, st.SelfEdges // not read back
	if got != st {
		t.Errorf("Stats disagree with the files:\n got from files %+v\n reported       %+v", got, st)
	}
}

// TestLargeShape checks the benchmark preset's promises on the real size.
func TestLargeShape(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 20_000
	}
	_, st := GenerateStats(Large(n, 1))
	perService := func(k int) float64 { return float64(k) / float64(n) }
	checks := []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"dependencies per service", perService(st.Dependencies), 3.8, 4.2},
		{"hard dependencies per service", perService(st.Hard), 2.8, 3.2},
		{"fraction with recovery", perService(st.Recoverable), 0.18, 0.22},
		{"via per procedure", float64(st.Via) / float64(st.Procedures), 1.5, 2.5},
		{"fraction outside production", perService(st.NonProd), 0.02, 0.04},
		{"unknown references per service", perService(st.Unknown), 0, 0.001},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s = %.3f, want %.2f..%.2f (%+v)", c.what, c.got, c.lo, c.hi, st)
		}
	}
}

// hardSCCs counts the strongly connected sets of hard edges between declared
// nodes that are cyclic (more than one node, or a self-edge). Tarjan.
func hardSCCs(ms []manifest) int {
	idx := map[string]int{}
	for i, m := range ms {
		idx[m.id] = i
	}
	adj := make([][]int, len(ms))
	self := make([]bool, len(ms))
	for i, m := range ms {
		for _, d := range m.deps {
			if j, ok := idx[d.on]; ok && d.hard {
				adj[i] = append(adj[i], j)
				self[i] = self[i] || i == j
			}
		}
	}
	index, low := make([]int, len(ms)), make([]int, len(ms))
	on := make([]bool, len(ms))
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next, cyclic := 0, 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		on[v] = true
		for _, w := range adj[v] {
			if index[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			size := 0
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				size++
				if w == v {
					break
				}
			}
			if size > 1 || self[v] {
				cyclic++
			}
		}
	}
	for v := range ms {
		if index[v] < 0 {
			visit(v)
		}
	}
	return cyclic
}

// TestCyclesOnlyWhereAsked checks that the layered dependencies are acyclic
// by construction and that CycleDensity and SelfEdges are what make cycles.
func TestCyclesOnlyWhereAsked(t *testing.T) {
	acyclic := Large(5000, 4)
	acyclic.CycleDensity, acyclic.SelfEdges = 0, 0
	if n := hardSCCs(parseSet(t, 4, Generate(acyclic))); n != 0 {
		t.Errorf("CycleDensity = SelfEdges = 0: %d cyclic sets, want 0", n)
	}
	dense := acyclic
	dense.CycleDensity = 0.004
	if n := hardSCCs(parseSet(t, 4, Generate(dense))); n < 3 {
		t.Errorf("CycleDensity = %v over %d services: %d cyclic sets, want several", dense.CycleDensity, dense.Services, n)
	}
	selfish := acyclic
	selfish.SelfEdges = 0.002
	if n := hardSCCs(parseSet(t, 4, Generate(selfish))); n < 3 {
		t.Errorf("SelfEdges = %v over %d services: %d cyclic sets, want several", selfish.SelfEdges, selfish.Services, n)
	}
}

func TestWriteTree(t *testing.T) {
	dir := t.TempDir()
	cfg := Small(11)
	cfg.FilesPerDir = 2
	if err := WriteTree(dir, cfg); err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, f := range Generate(cfg) {
		want[f.Name] = f.Data
	}
	got := map[string][]byte{}
	deepest := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		deepest = max(deepest, strings.Count(rel, "/"))
		got[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree differs from Generate (-want +got):\n%s", diff)
	}
	if deepest < 2 {
		t.Errorf("deepest file is %d directories down, want 2 to exercise recursive walks", deepest)
	}
}

func BenchmarkGenerateLarge(b *testing.B) {
	for b.Loop() {
		Generate(Large(100_000, 1))
	}
}
