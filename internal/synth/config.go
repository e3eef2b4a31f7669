package synth

import "time"

// Config says what to generate. The zero value of every knob means "none of
// that": start from Small or Large and adjust. Fractions and probabilities are
// in [0, 1]; means are per service.
type Config struct {
	Services int   // number of manifests (nodes)
	Seed     int64 // same Config, same bytes

	// Now is the date drills are dated against ("tested" = Now minus an age
	// in days). Zero means DefaultNow().
	Now time.Time

	// Layered builds an estate in layers (network, datastores, platform,
	// tools, leaf services) whose dependencies point down the layers, with
	// well-known names (edge, postgres, auth, kv, ci, deploy, dashboard,
	// alerting…). Otherwise every node is alike and draws its targets
	// uniformly, the names come from a small pool reused across envs, and
	// kinds and tiers are uniform.
	Layered bool

	HardDeps float64 // mean hard [[dependency]] entries per service
	SoftDeps float64 // mean soft [[dependency]] entries per service

	// CycleDensity is the probability that a service has a cycle closed
	// through it by one extra hard dependency: on a node 1–3 steps up its
	// hard dependents, or, when nothing depends on it, from a node 1–3
	// steps down its hard dependencies. Dependencies are otherwise acyclic.
	CycleDensity float64
	// SelfEdges is the probability that a service hard-depends on itself;
	// the same probability adds the service to its own via list and (in
	// the flat shape) makes it its own monitor candidate.
	SelfEdges float64
	// UnknownRefs is the probability that a reference (dependency, via or
	// monitored_by element) names no declared node: an invented name, a
	// near-miss of a real one, or a real name in an env where it is not
	// declared.
	UnknownRefs float64
	// CrossEnv is the probability that a reference may target a node of
	// any env; otherwise it targets the referrer's env when it can.
	CrossEnv float64

	Recovery       float64 // fraction of services declaring [[recovery]]
	MaxProcedures  int     // each such service declares 1..MaxProcedures (0 means 1)
	MaxVia         int     // each procedure has 1..MaxVia via nodes (0 means 1)
	Breakglass     float64 // fraction of procedures with breakglass = true
	Drilled        float64 // fraction of procedures with a tested date
	MaxDrillAge    int     // tested is Now minus 0..MaxDrillAge days
	BoundaryDrills float64 // fraction of drills dated 89, 90 or 91 days before Now

	Monitors  int     // number of nodes that serve as monitors
	Monitored float64 // fraction of services with monitored_by (1–2 monitors)

	Staging     float64 // fraction of nodes in env "staging"
	Development float64 // fraction of nodes in env "development"
	OtherEnv    float64 // fraction in envs outside the default order ("qa", "sandbox")

	Tiers float64 // fraction of services declaring a tier

	// FilesPerDir groups files into sub-directories of this many files
	// (nested two deep), to exercise recursive walks. 0 puts every file at
	// the root.
	FilesPerDir int
	// Variants is the probability that a file uses another valid TOML
	// spelling: dotted service keys, the [service] table last, literal
	// strings, comments, multi-line arrays, explicitly written defaults.
	Variants float64
}

// DefaultNow is the date drills are dated against when Config.Now is zero:
// 2024-03-01 UTC.
func DefaultNow() time.Time { return time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC) }

// Small returns a preset for property tests: 4–25 services in a flat, dense,
// tangled graph where every rule of SPEC §3 fires often. The knobs themselves
// are drawn from seed, so that across seeds the sets range from sparse to
// thick, acyclic to knotted, single-env to five envs. Now is DefaultNow().
func Small(seed int64) Config {
	r := newRNG(seed ^ 0x5ca1ab1e)
	return Config{
		Services:       4 + r.intn(22),
		Seed:           seed,
		Now:            DefaultNow(),
		HardDeps:       0.4 + 1.8*r.float(),
		SoftDeps:       0.1 + 0.8*r.float(),
		CycleDensity:   0.3 * r.float(),
		SelfEdges:      0.06 * r.float(),
		UnknownRefs:    0.08 * r.float(),
		CrossEnv:       0.5 * r.float(),
		Recovery:       0.3 + 0.6*r.float(),
		MaxProcedures:  3,
		MaxVia:         3,
		Breakglass:     0.4 * r.float(),
		Drilled:        0.7,
		MaxDrillAge:    200,
		BoundaryDrills: 0.4,
		Monitors:       1 + r.intn(3),
		Monitored:      0.6 * r.float(),
		Staging:        0.25 * r.float(),
		Development:    0.15 * r.float(),
		OtherEnv:       0.1 * r.float(),
		Tiers:          0.3 + 0.7*r.float(),
		FilesPerDir:    1 + r.intn(6),
		Variants:       0.2,
	}
}

// Large returns a preset for benchmarks: n services in a realistic layered
// estate, mostly production. Per service: about 3 hard and 1 soft
// dependencies; 20% declare a recovery procedure (1–2 of them, 1–3 via nodes
// each, mostly ci/deploy/dashboard); half are watched by one of 3 monitors;
// 2% staging and 1% development. About 5 services per 100,000 close a
// cycle. Files are grouped 500 to a directory.
func Large(n int, seed int64) Config {
	return Config{
		Services:      n,
		Seed:          seed,
		Now:           DefaultNow(),
		Layered:       true,
		HardDeps:      3,
		SoftDeps:      1,
		CycleDensity:  5e-5,
		UnknownRefs:   2e-5,
		CrossEnv:      0.01,
		Recovery:      0.2,
		MaxProcedures: 2,
		MaxVia:        3,
		Breakglass:    0.05,
		Drilled:       0.8,
		MaxDrillAge:   365,
		Monitors:      3,
		Monitored:     0.5,
		Staging:       0.02,
		Development:   0.01,
		Tiers:         0.7,
		FilesPerDir:   500,
	}
}
