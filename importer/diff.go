package importer

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/catch22/catch22/manifest"
)

// diff lists the differences between the old and new manifest of a
// service, then what was kept of the hand-written parts.
func (t Tool) diff(old, cur *manifest.Manifest, oldData, curData []byte) []string {
	var out []string
	field := func(name, a, b string) {
		if a != b {
			out = append(out, fmt.Sprintf("%s %s → %s", name, cmp.Or(a, `""`), cmp.Or(b, `""`)))
		}
	}
	o, n := old.Service, cur.Service
	field("name", o.Name, n.Name)
	field("env", o.Env, n.Env)
	field("owner", o.Owner, n.Owner)
	field("system", o.System, n.System)
	field("tier", tierText(o), tierText(n))
	field("kind", string(o.Kind), string(n.Kind))
	field("emulate", o.Emulate, n.Emulate)
	if o.Description != n.Description {
		out = append(out, "description")
	}
	if !slices.Equal(refIDs(o.MonitoredBy), refIDs(n.MonitoredBy)) {
		out = append(out, "monitored_by")
	}

	oldMarked, curMarked := markedLines(oldData, t.marker()), markedLines(curData, t.marker())
	oldDeps := map[string]manifest.Dependency{}
	for _, d := range old.Dependencies {
		oldDeps[d.TargetKey()] = d
	}
	curDeps := map[string]bool{}
	keptDeps, notes := 0, 0
	for _, d := range cur.Dependencies {
		curDeps[d.TargetKey()] = true
		name := refText(d.On, n.Env)
		od, had := oldDeps[d.TargetKey()]
		switch {
		case !curMarked[d.Pos.Line]:
			keptDeps++
		case !had:
			out = append(out, "+dependency "+name)
		case !oldMarked[od.Pos.Line]:
			out = append(out, "dependency "+name+" now from the source")
		default:
			if od.Kind != d.Kind {
				out = append(out, fmt.Sprintf("dependency %s: kind %s → %s", name, od.Kind, d.Kind))
			}
			if od.Mode != d.Mode {
				out = append(out, fmt.Sprintf("dependency %s: mode %s → %s", name, od.Mode, d.Mode))
			}
			if od.Phase != d.Phase {
				out = append(out, fmt.Sprintf("dependency %s: phase %s → %s", name, od.Phase, d.Phase))
			}
		}
		if curMarked[d.Pos.Line] && d.Note != "" {
			notes++
		}
	}
	for _, d := range old.Dependencies {
		if !curDeps[d.TargetKey()] {
			out = append(out, "-dependency "+refText(d.On, o.Env))
		}
	}

	oldRecs := map[string]manifest.Recovery{}
	for _, r := range old.Recoveries {
		oldRecs[r.Name] = r
	}
	curRecs := map[string]bool{}
	keptRecs := 0
	for _, r := range cur.Recoveries {
		curRecs[r.Name] = true
		or, had := oldRecs[r.Name]
		switch {
		case !curMarked[r.Pos.Line]:
			keptRecs++
		case !had:
			out = append(out, "+recovery "+r.Name)
		case !sameRecovery(or, r):
			out = append(out, "recovery "+r.Name+" changed")
		}
	}
	for _, r := range old.Recoveries {
		if !curRecs[r.Name] {
			out = append(out, "-recovery "+r.Name)
		}
	}

	var kept []string
	if keptRecs > 0 {
		kept = append(kept, Plural(keptRecs, "recovery procedure"))
	}
	if keptDeps > 0 {
		kept = append(kept, Plural(keptDeps, "hand-written dependency"))
	}
	if notes > 0 {
		kept = append(kept, Plural(notes, "dependency note"))
	}
	if len(kept) > 0 {
		out = append(out, "kept "+strings.Join(kept, ", "))
	}
	return out
}

// markedLines returns the lines that carry the marker.
func markedLines(data []byte, marker string) map[int]bool {
	out := map[int]bool{}
	n := 0
	for line := range bytes.Lines(data) {
		n++
		if bytes.Contains(line, []byte(marker)) {
			out[n] = true
		}
	}
	return out
}

func tierText(s manifest.Service) string {
	if !s.HasTier {
		return ""
	}
	return fmt.Sprint(s.Tier)
}

func refIDs(rs []manifest.Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID()
	}
	return out
}

func sameRecovery(a, b manifest.Recovery) bool {
	return slices.Equal(refIDs(a.Via), refIDs(b.Via)) && a.Breakglass == b.Breakglass && a.Rebuilds == b.Rebuilds &&
		a.Tested.Equal(b.Tested) && a.Runbook == b.Runbook
}
