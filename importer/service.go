package importer

import (
	"cmp"
	"time"

	"github.com/catch22/catch22/manifest"
)

// Service is one manifest to generate.
type Service struct {
	// Source is what the service is derived from, in the source's own
	// terms ("component:default/payments", "Deployment shop/frontend"). It
	// is written in the file's first line, and re-import matches files to
	// services by it first.
	Source      string
	Name, Env   string // names, envs and systems match [a-z0-9][a-z0-9._-]*
	Description string
	Owner       string
	System      string // "" when none
	Tier        int
	HasTier     bool
	Kind        manifest.Kind
	MonitoredBy []*Service
	Emulate     string
	Deps        []*Dep
	Recs        []*Rec
	Pos         manifest.Pos // where the source declares it, for messages
}

// ID is the node ID of the service.
func (s *Service) ID() string { return s.Name + "@" + s.Env }

// refFrom spells a reference to s from a service of env env.
func (s *Service) refFrom(env string) string {
	if s.Env == env {
		return s.Name
	}
	return s.ID()
}

// Path is where s is written, relative to the output directory and
// slash-separated: <system>/<name>.toml, with "@<env>" before ".toml"
// outside production and "no-system" for services of no system. Names,
// envs and system labels all match [a-z0-9][a-z0-9._-]*, so a path never
// leaves the output directory.
func (s *Service) Path() string {
	dir := cmp.Or(s.System, "no-system")
	file := s.Name
	if s.Env != manifest.DefaultEnv {
		file += "@" + s.Env
	}
	return dir + "/" + file + ".toml"
}

// Dep is one dependency of a service.
type Dep struct {
	To    *Service
	Kind  manifest.DepKind
	Mode  manifest.Mode
	Phase manifest.Phase // "" or manifest.PhaseRun for a runtime dependency
	// Source says where the input states the dependency; it follows the
	// marker on the entry's header line.
	Source string
	// Guess marks a dependency derived by a heuristic (an environment
	// variable that names a host, say). Its entry asks a person to review
	// it, and a hand-written dependency on the same target replaces it.
	Guess bool
}

// Rec is one recovery procedure.
type Rec struct {
	Name       string
	Via        []*Service
	Breakglass bool
	Tested     time.Time // zero when never drilled
	Runbook    string
	Source     string       // follows the marker on the entry's header line
	Pos        manifest.Pos // where the source declares it, for messages
}
