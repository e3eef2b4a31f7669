package manifest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Pos is a place in a manifest file. Line and Col are 1-based; Col counts
// bytes, as the TOML parser does.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// DefaultEnv is the environment of a service or reference that names none.
const DefaultEnv = "production"

// Kind says what sort of thing a node is; reports draw kinds differently and
// some rules (missing-recovery) skip external and human nodes.
type Kind string

const (
	KindService   Kind = "service"
	KindTool      Kind = "tool"
	KindDatastore Kind = "datastore"
	KindNetwork   Kind = "network"
	KindExternal  Kind = "external"
	KindHuman     Kind = "human"
)

// Kinds lists every valid Kind in the order help text and errors show them.
var Kinds = []Kind{KindService, KindTool, KindDatastore, KindNetwork, KindExternal, KindHuman}

// DepKind says what a dependency is used for; it labels witness edges.
type DepKind string

const (
	DepRuntime       DepKind = "runtime"
	DepData          DepKind = "data"
	DepConfig        DepKind = "config"
	DepAuth          DepKind = "auth"
	DepNetwork       DepKind = "network"
	DepObservability DepKind = "observability"
	DepDeploy        DepKind = "deploy"
)

// DepKinds lists every valid DepKind in documentation order.
var DepKinds = []DepKind{DepRuntime, DepData, DepConfig, DepAuth, DepNetwork, DepObservability, DepDeploy}

// Mode says whether a dependency's failure fails the dependent (hard) or only
// degrades it (soft). Only hard edges propagate failure.
type Mode string

const (
	Hard Mode = "hard"
	Soft Mode = "soft"
)

// Modes lists every valid Mode.
var Modes = []Mode{Hard, Soft}

// Phase says when a dependency is needed: to keep serving (run, the
// default) or only to start, restart or redeploy the node (start: an image
// registry, configuration or a secret read once at boot). A start-phase
// dependency never takes a running node down; it gates the node's
// recovery and its place in a cold start.
type Phase string

const (
	PhaseRun   Phase = "run"
	PhaseStart Phase = "start"
)

// Phases lists every valid Phase.
var Phases = []Phase{PhaseRun, PhaseStart}

// Ref is a reference to a node as written in a manifest: "name" (the
// referrer's env) or "name@env". Pos is where the reference is written.
type Ref struct {
	Name string
	Env  string
	Pos  Pos
}

// ID is the node ID the reference names, always "name@env".
func (r Ref) ID() string { return r.Name + "@" + r.Env }

// Manifest is one service file, fully validated and with defaults applied:
// the built-in ones and those of _defaults.toml files and catch22.toml.
// Entries inherited from shared defaults keep the positions of the file that
// declares them, so Pos.File is not always File.
type Manifest struct {
	File         string
	Service      Service
	Dependencies []Dependency
	Recoveries   []Recovery
}

// ID is the node ID of the service this manifest declares.
func (m *Manifest) ID() string { return m.Service.Name + "@" + m.Service.Env }

// Service is the [service] table.
type Service struct {
	Name        string
	Env         string
	Description string
	Owner       string
	System      string
	Tier        int  // meaningful only when HasTier
	HasTier     bool // tier was written or inherited
	Kind        Kind
	MonitoredBy []Ref
	Emulate     string
	Pos         Pos // the [service] header (or its first key when no header is written)
}

// Dependency is one [[dependency]] entry: on one node (On), or on
// redundant alternatives (AnyOf, with On zero), of which Quorum must be up
// for the dependency to hold.
type Dependency struct {
	On     Ref   // On.Pos is where the `on` value is written
	AnyOf  []Ref // each Ref.Pos is where that alternative is written
	Quorum int   // with AnyOf: how many alternatives must be up (1 to len(AnyOf))
	Kind   DepKind
	Mode   Mode
	Phase  Phase
	Note   string
	Pos    Pos // the [[dependency]] header, in a _defaults.toml when inherited
}

// Targets lists the nodes the dependency names: its alternatives, or On.
func (d Dependency) Targets() []Ref {
	if d.AnyOf != nil {
		return d.AnyOf
	}
	return []Ref{d.On}
}

// TargetKey names what the dependency depends on, so that two entries on
// the same target can be matched (an inherited one replaced, a hand-written
// one kept on re-import): its node ID, or its alternatives, sorted, for
// any_of.
func (d Dependency) TargetKey() string {
	if d.AnyOf == nil {
		return d.On.ID()
	}
	ids := make([]string, len(d.AnyOf))
	for i, r := range d.AnyOf {
		ids[i] = r.ID()
	}
	slices.Sort(ids)
	return "any_of " + strings.Join(ids, ", ")
}

// Recovery is one [[recovery]] procedure.
type Recovery struct {
	Name       string
	Via        []Ref // each Ref.Pos is where that element of `via` is written
	Breakglass bool
	// Rebuilds says the procedure recreates the node empty (a cluster
	// rebuilt from scratch) rather than restoring it in place: the nodes
	// running on it (its direct hard run-time dependents) come back only
	// once each is redeployed through a procedure of its own.
	Rebuilds  bool
	Tested    time.Time // zero when never drilled; a UTC midnight otherwise
	TestedPos Pos       // where `tested` is written; zero when absent
	Runbook   string
	Pos       Pos // the [[recovery]] header
	// Use is the procedure template the entry names ("" for none). The
	// keys the entry does not write come from the template, with the
	// template's positions.
	Use string
}
