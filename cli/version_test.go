package cli

import (
	"runtime/debug"
	"testing"
)

// versionString, on the build information Go records. (A test binary
// records no vcs.* settings, so they are made up here.)
func TestVersionString(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	const rev = "abc1234def567890abc1234def567890abc12345"
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build information", nil, Version},
		{"a test or go run", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, Version},
		{"go install at a tag", &debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}}, "v0.2.0"},
		{"a clean checkout", &debug.BuildInfo{
			Main:     debug.Module{Version: "v0.0.0-20261206101112-abc1234def56"},
			Settings: vcs("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-12-06T10:11:12Z", "vcs.modified", "false"),
		}, "v0.0.0-20261206101112-abc1234def56 (commit abc1234def56, 2026-12-06)"},
		{"a modified checkout", &debug.BuildInfo{
			Main:     debug.Module{Version: "v0.0.0-20261206101112-abc1234def56+dirty"},
			Settings: vcs("vcs.revision", rev, "vcs.time", "2026-12-06T10:11:12Z", "vcs.modified", "true"),
		}, "v0.0.0-20261206101112-abc1234def56+dirty (commit abc1234def56, 2026-12-06, modified)"},
		{"no module version, a commit late in the day elsewhere", &debug.BuildInfo{
			Main:     debug.Module{Version: "(devel)"},
			Settings: vcs("vcs.revision", rev, "vcs.time", "2026-12-06T23:30:00-05:00", "vcs.modified", "true"),
		}, Version + " (commit abc1234def56, 2026-12-07, modified)"},
		{"a short revision and no time", &debug.BuildInfo{
			Settings: vcs("vcs.revision", "abc1234"),
		}, Version + " (commit abc1234)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionString(tc.info); got != tc.want {
				t.Errorf("versionString = %q, want %q", got, tc.want)
			}
		})
	}
}
