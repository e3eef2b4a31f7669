package synth

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

// File is one generated manifest: a slash-separated path relative to the
// root of the tree, and its TOML text.
type File struct {
	Name string
	Data []byte
}

// Stats counts what a generated set contains. References are counted as
// written, one per [[dependency]] entry, via element and monitored_by
// element; Unknown counts those among them that name no declared node.
type Stats struct {
	Files        int
	Dependencies int // [[dependency]] entries, hard and soft
	Hard         int
	Soft         int
	Via          int // via elements over all procedures
	MonitoredBy  int // monitored_by elements
	Unknown      int // references to undeclared nodes (included above)
	Procedures   int
	Breakglass   int
	Recoverable  int // services declaring at least one procedure
	Closures     int // hard dependencies added to close a cycle (CycleDensity)
	SelfEdges    int // hard self-dependencies
	NonProd      int // services outside env "production"
}

// Edges is the number of graph edges the set declares: every reference that
// names a declared node (SPEC §1: unknown references make no edge).
func (s Stats) Edges() int { return s.Dependencies + s.Via + s.MonitoredBy - s.Unknown }

// Generate returns the manifests described by cfg, in a fixed order. It runs
// in time linear in cfg.Services (about a second per 100,000 services).
func Generate(cfg Config) []File {
	files, _ := GenerateStats(cfg)
	return files
}

// GenerateStats is Generate that also counts what it generated.
func GenerateStats(cfg Config) ([]File, Stats) {
	if cfg.Services <= 0 {
		return nil, Stats{}
	}
	if cfg.Now.IsZero() {
		cfg.Now = DefaultNow()
	}
	g := &gen{cfg: cfg, r: newRNG(cfg.Seed), ids: make(map[string]int, cfg.Services)}
	g.assignNodes()
	g.chooseMonitors()
	g.forwardDeps()
	g.closeCycles()
	g.addMonitors()
	g.addRecoveries()
	return g.render(), g.stats
}

// envNames are the envs nodes are put in: the default order of SPEC §2, then
// two envs outside it that share the lowest rank.
var envNames = [...]string{"production", "staging", "development", "qa", "sandbox"}

const (
	layerNetwork = iota
	layerDatastore
	layerPlatform
	layerTools
	layerServices
	numLayers
)

// layer describes one layer of the Layered shape. Layers are numbered
// bottom-up and nodes are numbered layer by layer, so a dependency on a
// lower layer, or on an earlier node of the same layer, never closes a cycle.
type layer struct {
	dir       string
	prefix    string
	kind      string
	share     float64
	wellKnown []string
	deps      [numLayers]float64 // where this layer's dependencies go
	depKinds  []string           // dependency kinds of edges into this layer
	skew      int                // popularity of early nodes as targets
}

var layers = [numLayers]layer{
	layerNetwork: {
		dir: "network", prefix: "net", kind: "network", share: 0.01,
		wellKnown: []string{"edge", "backbone", "dns", "lb", "vpn", "firewall"},
		deps:      [numLayers]float64{1, 0, 0, 0, 0},
		depKinds:  []string{"network"},
		skew:      2,
	},
	layerDatastore: {
		dir: "datastores", prefix: "db", kind: "datastore", share: 0.04,
		wellKnown: []string{"postgres", "redis", "kafka", "etcd", "object-store", "clickhouse", "memcached"},
		deps:      [numLayers]float64{0.8, 0.2, 0, 0, 0},
		depKinds:  []string{"data"},
		skew:      2,
	},
	layerPlatform: {
		dir: "platform", prefix: "plat", kind: "service", share: 0.05,
		wellKnown: []string{"auth", "kv", "secrets", "config", "flags", "turnstile", "iam", "queue", "service-mesh", "cert-manager"},
		deps:      [numLayers]float64{0.3, 0.4, 0.3, 0, 0},
		depKinds:  []string{"auth", "config", "runtime", "data"},
		skew:      3,
	},
	layerTools: {
		dir: "tools", prefix: "tool", kind: "tool", share: 0.03,
		wellKnown: []string{"ci", "deploy", "dashboard", "alerting", "metrics", "pager", "logs", "tracing", "bastion", "runbooks"},
		deps:      [numLayers]float64{0.1, 0.2, 0.5, 0.2, 0},
		depKinds:  []string{"deploy", "observability", "runtime"},
		skew:      3,
	},
	layerServices: {
		dir: "services", prefix: "svc", kind: "service", share: 0,
		deps:     [numLayers]float64{0.07, 0.2, 0.25, 0.03, 0.45},
		depKinds: []string{"runtime"},
		skew:     3,
	},
}

// firstMonitorTool is the position in the tools layer of "alerting": the
// Layered shape's monitors are alerting, metrics, pager….
const firstMonitorTool = 3

// opsTools is how many tools lead the tools layer as the operators' tools
// (ci, deploy, dashboard): most Layered recovery procedures go through them.
const opsTools = 3

// viaLayers is where the Layered shape's other via nodes are drawn: mostly
// tools, some platform (auth, secrets).
var viaLayers = []float64{0.03, 0.07, 0.3, 0.6, 0}

// flatNames is the Flat shape's name pool. It reuses names across envs (the
// same service deployed twice) and includes names that sort differently as
// names and as IDs ("kv-2@…" < "kv@…" < "kv_c@…" byte-wise), so that "the
// smallest ID" is tested for real.
var flatNames = []string{
	"kv", "kv-2", "kv.b", "kv_c", "db", "db0", "a", "a.b", "a-b",
	"access", "auth", "ci", "deploy", "dash",
	"turnstile", "flags", "dns", "0db", "queue", "alerting",
	"pager", "secrets", "api", "web", "edge", "cache", "billing", "search",
	"z9", "x_y-z.1",
}

// prefixFamilies is how many flatNames lead the pool as families of names
// that are prefixes of one another; they are drawn more often so that
// cycles through several of them are common.
const prefixFamilies = 9

var (
	flatKinds       = []string{"service", "tool", "datastore", "network", "external", "human"}
	flatKindWeights = []float64{0.45, 0.15, 0.1, 0.1, 0.1, 0.1}
	depKinds        = []string{"runtime", "data", "config", "auth", "network", "observability", "deploy"}
	procNames       = []string{"rollback", "restart", "failover", "restore", "redeploy", "breakglass-console", "manual_fix", "v2.revert"}
	owners          = []string{"core", "platform-team", "sre", "payments", "edge.ops"}
	systems         = []string{"zero-trust", "storage", "delivery", "billing", "observability"}
)

// ref is a reference as written in a manifest.
type ref struct {
	node     int // index of the node it names; -1 when none is declared
	name     string
	env      string
	explicit bool // written "name@env" even though env is the referrer's
}

type dep struct {
	on   ref
	kind string
	soft bool
	note bool
}

type proc struct {
	name       string
	via        []ref
	breakglass bool
	drilled    bool
	age        int // days before Now
	runbook    bool
}

type node struct {
	name, env string
	envIdx    int
	layer     int // always 0 in the flat shape
	pos       int // position within its layer
	kind      string
	tier      int
	hasTier   bool
	owner     string
	system    string
	desc      bool
	monitors  []ref
	deps      []dep
	procs     []proc
}

type gen struct {
	cfg        Config
	r          *rng
	nodes      []node
	ids        map[string]int
	byLayer    [numLayers][]int                // node indices, ascending
	byLayerEnv [numLayers][len(envNames)][]int // node indices, ascending
	monitors   []int
	rev, fwd   [][]int32 // hard dependents and dependencies of each node, before closeCycles
	stats      Stats
}

func id(name, env string) string { return name + "@" + env }

func (g *gen) drawEnv() int {
	c := g.cfg
	x := g.r.float()
	switch {
	case x < c.Staging:
		return 1
	case x < c.Staging+c.Development:
		return 2
	case x < c.Staging+c.Development+c.OtherEnv:
		return 3 + g.r.intn(2)
	}
	return 0
}

func (g *gen) assignNodes() {
	n := g.cfg.Services
	g.nodes = make([]node, n)
	if g.cfg.Layered {
		counts := layerCounts(n)
		i := 0
		for l := range numLayers {
			L := &layers[l]
			for p := range counts[l] {
				nd := &g.nodes[i]
				nd.layer, nd.pos = l, p
				if p < len(L.wellKnown) {
					nd.name = L.wellKnown[p] // well-known services live in production
				} else {
					nd.name = L.prefix + "-" + pad6(i)
					nd.envIdx = g.drawEnv()
				}
				nd.env = envNames[nd.envIdx]
				nd.kind = L.kind
				if l == layerServices && g.r.chance(0.01) {
					nd.kind = "external"
				}
				nd.hasTier = g.r.chance(g.cfg.Tiers)
				nd.tier = g.layeredTier(l)
				nd.owner = L.dir + "-team-" + strconv.Itoa(p/40)
				nd.system = L.dir
				if l == layerServices {
					nd.system = "system-" + strconv.Itoa(p/2000)
				}
				nd.desc = g.r.chance(0.3)
				i++
			}
		}
	} else {
		for i := range g.nodes {
			nd := &g.nodes[i]
			nd.envIdx = g.drawEnv()
			nd.env = envNames[nd.envIdx]
			nd.name = "n" + strconv.Itoa(i) // fallback; the pool never holds n<digits>
			for range 8 {
				name := flatNames[g.r.intn(len(flatNames))]
				if g.r.chance(0.4) {
					name = flatNames[g.r.intn(prefixFamilies)]
				}
				if _, dup := g.ids[id(name, nd.env)]; !dup {
					nd.name = name
					break
				}
			}
			g.ids[id(nd.name, nd.env)] = i
			nd.pos = i
			nd.kind = flatKinds[g.r.pick(flatKindWeights)]
			nd.hasTier = g.r.chance(g.cfg.Tiers)
			nd.tier = g.r.intn(4)
			if g.r.chance(0.5) {
				nd.owner = owners[g.r.intn(len(owners))]
			}
			if g.r.chance(0.5) {
				nd.system = systems[g.r.intn(len(systems))]
			}
			nd.desc = g.r.chance(0.3)
		}
	}
	for i := range g.nodes {
		nd := &g.nodes[i]
		g.ids[id(nd.name, nd.env)] = i
		g.byLayer[nd.layer] = append(g.byLayer[nd.layer], i)
		g.byLayerEnv[nd.layer][nd.envIdx] = append(g.byLayerEnv[nd.layer][nd.envIdx], i)
	}
}

// layerCounts splits n nodes over the layers by share, keeping at least one
// node in each lower layer when n allows it; services take the rest.
func layerCounts(n int) [numLayers]int {
	var c [numLayers]int
	rest := n
	for l := range layerServices {
		k := int(float64(n)*layers[l].share + 0.5)
		if k < 1 && n >= 2*numLayers {
			k = 1
		}
		if k > rest {
			k = rest
		}
		c[l] = k
		rest -= k
	}
	c[layerServices] = rest
	return c
}

func (g *gen) layeredTier(l int) int {
	x := g.r.float()
	switch l {
	case layerNetwork, layerDatastore, layerPlatform:
		if x < 0.8 {
			return 0
		}
		return 1
	case layerTools:
		if x < 0.7 {
			return 1
		}
		return 2
	}
	switch {
	case x < 0.02:
		return 0
	case x < 0.12:
		return 1
	case x < 0.5:
		return 2
	}
	return 3
}

func (g *gen) chooseMonitors() {
	if g.cfg.Monitors <= 0 {
		return
	}
	if g.cfg.Layered {
		tools := g.byLayer[layerTools]
		start := firstMonitorTool
		if start+g.cfg.Monitors > len(tools) {
			start = max(0, len(tools)-g.cfg.Monitors)
		}
		for k := start; k < len(tools) && k < start+g.cfg.Monitors; k++ {
			g.monitors = append(g.monitors, tools[k])
		}
		return
	}
	seen := make(map[int]bool)
	for len(g.monitors) < min(g.cfg.Monitors, len(g.nodes)) {
		m := g.r.intn(len(g.nodes))
		if !seen[m] {
			seen[m] = true
			g.monitors = append(g.monitors, m)
		}
	}
}

// pickTarget draws a node for node i to reference: from a layer drawn by
// weights (ignored in the flat shape), among nodes with index < below,
// preferring early (popular) nodes, in i's env unless cross is set. When the
// env has no candidate it finally accepts any env. It returns -1 when there
// is no candidate at all.
func (g *gen) pickTarget(i int, weights []float64, skew, below int, cross bool) int {
	src := &g.nodes[i]
	for try := range 4 {
		l := 0
		if g.cfg.Layered {
			l = g.r.pick(weights)
			if l < 0 {
				return -1
			}
		}
		cand := g.byLayer[l]
		if !cross && try < 3 {
			cand = g.byLayerEnv[l][src.envIdx]
		}
		n := len(cand)
		if below < len(g.nodes) {
			n = sort.SearchInts(cand, below)
		}
		if n == 0 {
			continue
		}
		if !g.cfg.Layered {
			skew = 1
		}
		return cand[g.r.skewed(n, skew)]
	}
	return -1
}

// refTo makes node i's reference to node t, or, with probability
// UnknownRefs, to something undeclared instead.
func (g *gen) refTo(i, t int) ref {
	if g.r.chance(g.cfg.UnknownRefs) {
		return g.unknownRef(i)
	}
	src, dst := &g.nodes[i], &g.nodes[t]
	explicitP := 0.25
	if g.cfg.Layered {
		explicitP = 0.02
	}
	return ref{node: t, name: dst.name, env: dst.env, explicit: dst.env != src.env || g.r.chance(explicitP)}
}

// unknownRef makes a reference from node i that names no declared node: an
// invented name, a near miss of a real name (for "did you mean"), or a real
// name in an env where it is not declared (a bare name from another env is
// the classic).
func (g *gen) unknownRef(i int) ref {
	src := &g.nodes[i]
	name, env := "ghost-"+strconv.Itoa(g.r.intn(1000)), src.env
	switch g.r.intn(3) {
	case 1:
		j := &g.nodes[g.r.intn(len(g.nodes))]
		name, env = j.name+[]string{"2", "s", "x"}[g.r.intn(3)], j.env
	case 2:
		j := &g.nodes[g.r.intn(len(g.nodes))]
		name, env = j.name, envNames[g.r.intn(len(envNames))]
	}
	if _, ok := g.ids[id(name, env)]; ok {
		name = "ghost-" + strconv.Itoa(i) // never declared: no pool or layer name starts with "ghost"
	}
	g.stats.Unknown++
	return ref{node: -1, name: name, env: env, explicit: env != src.env || g.r.chance(0.3)}
}

func (g *gen) depKind(t int) string {
	if !g.cfg.Layered || t < 0 {
		return depKinds[g.r.intn(len(depKinds))]
	}
	ks := layers[g.nodes[t].layer].depKinds
	return ks[g.r.intn(len(ks))]
}

func (g *gen) addDep(i int, r ref, soft bool) {
	nd := &g.nodes[i]
	nd.deps = append(nd.deps, dep{on: r, kind: g.depKind(r.node), soft: soft, note: g.r.chance(0.1)})
	g.stats.Dependencies++
	if soft {
		g.stats.Soft++
	} else {
		g.stats.Hard++
	}
}

func (g *gen) hasDep(i, t int) bool {
	for _, d := range g.nodes[i].deps {
		if d.on.node == t {
			return true
		}
	}
	return false
}

// forwardDeps draws each node's dependencies among earlier nodes, so that
// they form no cycle by themselves; self-edges are the exception.
func (g *gen) forwardDeps() {
	g.rev = make([][]int32, len(g.nodes))
	g.fwd = make([][]int32, len(g.nodes))
	for i := range g.nodes {
		w := layers[g.nodes[i].layer].deps[:]
		skew := layers[g.nodes[i].layer].skew
		nh, ns := g.r.count(g.cfg.HardDeps), g.r.count(g.cfg.SoftDeps)
		selfAt := -1
		if g.r.chance(g.cfg.SelfEdges) {
			selfAt = g.r.intn(nh + 1)
		}
		for k := range nh + ns + 1 {
			if k == selfAt {
				g.addDep(i, ref{node: i, name: g.nodes[i].name, env: g.nodes[i].env, explicit: g.r.chance(0.3)}, false)
				g.stats.SelfEdges++
			}
			if k == nh+ns {
				break
			}
			soft := k >= nh
			t := -1
			for range 3 {
				t = g.pickTarget(i, w, skew, i, g.r.chance(g.cfg.CrossEnv))
				if t < 0 || !g.cfg.Layered || !g.hasDep(i, t) {
					break
				}
				t = -1 // the layered shape keeps one entry per target
			}
			if t < 0 {
				continue
			}
			r := g.refTo(i, t)
			g.addDep(i, r, soft)
			if !soft && r.node >= 0 && r.node != i {
				g.rev[r.node] = append(g.rev[r.node], int32(i))
				g.fwd[i] = append(g.fwd[i], int32(r.node))
			}
		}
	}
}

// closeCycles picks each node i with probability CycleDensity and closes a
// cycle through it: i gets a hard dependency on a node found 1–3 steps up
// its hard dependents (that node already reaches i), or, when nothing
// depends on i, a node found 1–3 steps down its hard dependencies gets a
// hard dependency on i.
func (g *gen) closeCycles() {
	if g.cfg.CycleDensity <= 0 {
		return
	}
	for i := range g.nodes {
		if !g.r.chance(g.cfg.CycleDensity) {
			continue
		}
		from, to, adj := i, i, g.rev
		if len(g.rev[i]) == 0 {
			adj = g.fwd
		}
		cur := i
		for range 1 + g.r.intn(3) {
			next := adj[cur]
			if len(next) == 0 {
				break
			}
			cur = int(next[g.r.intn(len(next))])
		}
		if cur == i {
			continue
		}
		if len(g.rev[i]) == 0 {
			from = cur
		} else {
			to = cur
		}
		src, dst := &g.nodes[from], &g.nodes[to]
		g.addDep(from, ref{node: to, name: dst.name, env: dst.env, explicit: dst.env != src.env}, false)
		g.stats.Closures++
	}
}

func (g *gen) addMonitors() {
	if len(g.monitors) == 0 {
		return
	}
	for i := range g.nodes {
		if !g.r.chance(g.cfg.Monitored) {
			continue
		}
		nd := &g.nodes[i]
		for range 1 + g.r.intn(min(2, len(g.monitors))) {
			m := g.monitors[g.r.intn(len(g.monitors))]
			nd.monitors = append(nd.monitors, g.refTo(i, m))
			g.stats.MonitoredBy++
		}
	}
}

func (g *gen) addRecoveries() {
	maxProcs, maxVia := max(1, g.cfg.MaxProcedures), max(1, g.cfg.MaxVia)
	for i := range g.nodes {
		if !g.r.chance(g.cfg.Recovery) {
			continue
		}
		nd := &g.nodes[i]
		g.stats.Recoverable++
		np := 1 + g.r.intn(maxProcs)
		first := g.r.intn(len(procNames))
		for p := range np {
			pr := proc{name: procNames[(first+p)%len(procNames)]} // distinct within the service
			for range 1 + g.r.intn(maxVia) {
				r := g.drawVia(i)
				for try := 0; g.cfg.Layered && try < 2 && r.node >= 0 && hasVia(pr.via, r.node); try++ {
					r = g.drawVia(i) // the layered shape keeps via nodes distinct
				}
				pr.via = append(pr.via, r)
			}
			g.stats.Via += len(pr.via)
			pr.breakglass = g.r.chance(g.cfg.Breakglass)
			if pr.breakglass {
				g.stats.Breakglass++
			}
			if pr.drilled = g.r.chance(g.cfg.Drilled); pr.drilled {
				if g.r.chance(g.cfg.BoundaryDrills) {
					pr.age = 89 + g.r.intn(3)
				} else {
					pr.age = g.r.intn(g.cfg.MaxDrillAge + 1)
				}
			}
			pr.runbook = g.r.chance(0.3)
			nd.procs = append(nd.procs, pr)
		}
		g.stats.Procedures += np
	}
}

// drawVia draws one via node for a procedure of node i. The layered shape
// goes through the operators' tools most of the time.
func (g *gen) drawVia(i int) ref {
	tools := g.byLayer[layerTools]
	switch {
	case g.r.chance(g.cfg.SelfEdges):
		return g.refTo(i, i)
	case g.cfg.Layered && len(tools) >= opsTools && g.r.chance(0.6):
		return g.refTo(i, tools[g.r.intn(opsTools)])
	}
	cross := g.r.chance(g.cfg.CrossEnv)
	t := g.pickTarget(i, viaLayers, 3, len(g.nodes), cross)
	for try := 0; t == i && try < 2; try++ {
		t = g.pickTarget(i, viaLayers, 3, len(g.nodes), cross) // SelfEdges governs self-recovery
	}
	if t < 0 {
		t = i
	}
	return g.refTo(i, t)
}

func hasVia(via []ref, t int) bool {
	for _, r := range via {
		if r.node == t {
			return true
		}
	}
	return false
}

func pad6(i int) string {
	s := strconv.Itoa(i)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

// fileName is where node i is written: svc-<index>.toml, grouped in
// directories nested two deep when FilesPerDir is set.
func (g *gen) fileName(i int) string {
	base := "svc-" + pad6(i) + ".toml"
	per := g.cfg.FilesPerDir
	if per <= 0 {
		return base
	}
	nd := &g.nodes[i]
	if g.cfg.Layered {
		return fmt.Sprintf("%s/d%03d/%s", layers[nd.layer].dir, nd.pos/per, base)
	}
	switch d := i / per; {
	case d == 0:
		return base
	case d%2 == 1:
		return fmt.Sprintf("d%d/sub/%s", d, base)
	default:
		return fmt.Sprintf("d%d/%s", d, base)
	}
}

func (g *gen) render() []File {
	files := make([]File, len(g.nodes))
	buf := make([]byte, 0, 4096)
	for i := range g.nodes {
		buf = g.renderNode(buf[:0], i)
		files[i] = File{Name: g.fileName(i), Data: append([]byte(nil), buf...)}
	}
	g.stats.Files = len(files)
	for i := range g.nodes {
		if g.nodes[i].envIdx != 0 {
			g.stats.NonProd++
		}
	}
	return files
}

// spelling is how one file is written; see Config.Variants.
type spelling struct {
	dotted    bool // service.name = … before any table
	last      bool // the [service] table after the other tables
	literal   bool // 'single-quoted' strings
	comments  bool
	multiline bool // arrays one element per line, with a trailing comma
	defaults  bool // write env, kind, mode, breakglass even when default
}

func (g *gen) spelling() spelling {
	var s spelling
	if !g.r.chance(g.cfg.Variants) {
		return s
	}
	s.dotted = g.r.chance(0.3)
	s.last = !s.dotted && g.r.chance(0.3)
	s.literal = g.r.chance(0.3)
	s.comments = g.r.chance(0.5)
	s.multiline = g.r.chance(0.5)
	s.defaults = g.r.chance(0.5)
	return s
}

func (s spelling) str(b []byte, v string) []byte {
	if s.literal {
		b = append(b, '\'')
		b = append(b, v...)
		return append(b, '\'')
	}
	b = append(b, '"')
	for i := range len(v) {
		if v[i] == '"' || v[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, v[i])
	}
	return append(b, '"')
}

func (s spelling) refText(srcEnv string, r ref) string {
	if r.explicit || r.env != srcEnv {
		return r.name + "@" + r.env
	}
	return r.name
}

func (s spelling) refs(b []byte, srcEnv string, rs []ref) []byte {
	if s.multiline {
		b = append(b, "[\n"...)
		for _, r := range rs {
			b = append(b, "  "...)
			b = s.str(b, s.refText(srcEnv, r))
			b = append(b, ",\n"...)
		}
		return append(b, "]\n"...)
	}
	b = append(b, '[')
	for k, r := range rs {
		if k > 0 {
			b = append(b, ", "...)
		}
		b = s.str(b, s.refText(srcEnv, r))
	}
	return append(b, "]\n"...)
}

func (s spelling) kv(b []byte, prefix, key, v string) []byte {
	b = append(b, prefix...)
	b = append(b, key...)
	b = append(b, " = "...)
	b = s.str(b, v)
	return append(b, '\n')
}

func (g *gen) renderService(b []byte, s spelling, nd *node) []byte {
	prefix := ""
	if s.dotted {
		prefix = "service."
	} else {
		b = append(b, "[service]\n"...)
	}
	b = s.kv(b, prefix, "name", nd.name)
	if nd.env != "production" || s.defaults || (!g.cfg.Layered && g.r.chance(0.2)) {
		b = s.kv(b, prefix, "env", nd.env)
	}
	if nd.desc {
		b = s.kv(b, prefix, "description", "synthetic "+nd.kind+" "+nd.name)
	}
	if nd.owner != "" {
		b = s.kv(b, prefix, "owner", nd.owner)
	}
	if nd.system != "" {
		b = s.kv(b, prefix, "system", nd.system)
	}
	if nd.hasTier {
		b = append(b, prefix...)
		b = append(b, "tier = "...)
		b = strconv.AppendInt(b, int64(nd.tier), 10)
		if s.comments {
			b = append(b, " # 0 = most critical"...)
		}
		b = append(b, '\n')
	}
	if nd.kind != "service" || s.defaults || (!g.cfg.Layered && g.r.chance(0.2)) {
		b = s.kv(b, prefix, "kind", nd.kind)
	}
	if len(nd.monitors) > 0 {
		b = append(b, prefix...)
		b = append(b, "monitored_by = "...)
		b = s.refs(b, nd.env, nd.monitors)
	}
	return b
}

func (g *gen) renderNode(b []byte, i int) []byte {
	nd := &g.nodes[i]
	s := g.spelling()
	if s.comments {
		b = append(b, "# synthetic manifest, generated by internal/synth\n"...)
	}
	if !s.last {
		b = g.renderService(b, s, nd)
	}
	for _, d := range nd.deps {
		b = append(b, "\n[[dependency]]\n"...)
		b = s.kv(b, "", "on", s.refText(nd.env, d.on))
		if d.kind != "runtime" || s.defaults || g.r.chance(0.3) {
			b = s.kv(b, "", "kind", d.kind)
		}
		switch {
		case d.soft:
			b = s.kv(b, "", "mode", "soft")
		case s.defaults || g.r.chance(0.2):
			b = s.kv(b, "", "mode", "hard")
		}
		if d.note {
			b = s.kv(b, "", "note", "needed for "+d.kind)
		}
	}
	for _, p := range nd.procs {
		if s.comments {
			b = append(b, "\n# how an operator repairs "...)
			b = append(b, nd.name...)
		}
		b = append(b, "\n[[recovery]]\n"...)
		b = s.kv(b, "", "name", p.name)
		b = append(b, "via = "...)
		b = s.refs(b, nd.env, p.via)
		if p.breakglass {
			b = append(b, "breakglass = true\n"...)
		} else if s.defaults {
			b = append(b, "breakglass = false\n"...)
		}
		if p.drilled {
			b = append(b, "tested = "...)
			b = g.cfg.Now.AddDate(0, 0, -p.age).AppendFormat(b, time.DateOnly)
			b = append(b, '\n')
		}
		if p.runbook {
			b = s.kv(b, "", "runbook", "https://runbooks.example/"+nd.name+"/"+p.name)
		}
	}
	if s.last {
		b = append(b, '\n')
		b = g.renderService(b, s, nd)
	}
	return b
}
