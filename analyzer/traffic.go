package analyzer

import (
	"math"
	"strings"

	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/observed"
	"github.com/catch22/catch22/rules"
)

// mapTraffic names observed services as nodes: through the alias table
// first, then as written when it holds "@", else NAME@production. Pairs
// seen zero times are left out. nil calls (no --observed) give nil
// traffic, and the traffic rules stay quiet.
func mapTraffic(calls []observed.Call, aliases map[string]string) *rules.Traffic {
	if calls == nil {
		return nil
	}
	t := &rules.Traffic{Calls: map[string]map[string]int64{}}
	for _, c := range calls {
		if c.Count <= 0 {
			continue // a series at zero saw no call
		}
		from, to := nodeOf(c.Client, aliases), nodeOf(c.Server, aliases)
		if t.Calls[from] == nil {
			t.Calls[from] = map[string]int64{}
		}
		t.Calls[from][to] += int64(math.Ceil(c.Count))
	}
	return t
}

// nodeOf maps a service name seen in traffic to a node ID.
func nodeOf(name string, aliases map[string]string) string {
	if a, ok := aliases[name]; ok {
		name = a
	}
	if strings.Contains(name, "@") {
		return name
	}
	return name + "@" + manifest.DefaultEnv
}
