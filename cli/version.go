package cli

import (
	"runtime/debug"
	"strings"
	"time"
)

// versionString is what `catch22 --version` prints after "catch22 version":
// the version of the module the binary was built from, and the commit it
// was built at as the Go toolchain recorded it, e.g.
//
//	v0.2.0
//	v0.0.0-20261206101112-abc1234def56+dirty (commit abc1234def56, 2026-12-06, modified)
//	0.1.0 (commit abc1234def56, 2026-12-06)
//
// The module version is the one `go install …@v0.2.0` or a build inside a
// git checkout stamps; without one ("(devel)", or no build information at
// all, as in tests) it is the Version constant. The commit, its date (UTC)
// and "modified" (uncommitted changes in the work tree) come from the vcs.*
// settings that `go build` records in a checkout; a module download has
// none, and then the parenthesis is left out.
func versionString(info *debug.BuildInfo) string {
	if info == nil {
		return Version
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = Version
	}
	var revision, date string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
				date = t.UTC().Format(time.DateOnly)
			}
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return v
	}
	// Twelve hex digits, as in Go's pseudo-versions.
	if len(revision) > 12 {
		revision = revision[:12]
	}
	parts := []string{"commit " + revision}
	if date != "" {
		parts = append(parts, date)
	}
	if modified {
		parts = append(parts, "modified")
	}
	return v + " (" + strings.Join(parts, ", ") + ")"
}
