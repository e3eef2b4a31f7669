package importer

import (
	"cmp"
	"maps"
	"slices"

	"github.com/catch22/catch22/manifest"
)

// DepSet collects the dependencies of one service as an importer finds
// them, keeping the strongest evidence per target: a runtime dependency
// beats a start-time one, a stated one beats a guess, hard beats soft;
// between equals the first found stays, so the result follows the input.
type DepSet map[*Service]*Dep

// Add records d unless a stronger dependency on its target is known.
func (ds DepSet) Add(d *Dep) {
	old, ok := ds[d.To]
	if !ok || strength(d) > strength(old) {
		ds[d.To] = d
	}
}

func strength(d *Dep) int {
	n := 0
	if d.Phase != manifest.PhaseStart {
		n += 4
	}
	if !d.Guess {
		n += 2
	}
	if d.Mode == manifest.Hard {
		n++
	}
	return n
}

// Sorted returns the dependencies ordered by target ID.
func (ds DepSet) Sorted() []*Dep {
	out := slices.Collect(maps.Values(ds))
	slices.SortFunc(out, func(a, b *Dep) int { return cmp.Compare(a.To.ID(), b.To.ID()) })
	return out
}
