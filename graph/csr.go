package graph

import "slices"

// csr is a compressed sparse row adjacency: the neighbours of u are
// targets[offsets[u]:offsets[u+1]], sorted and without duplicates. It keeps
// 400,000 edges in a few megabytes, where maps of maps would take hundreds.
type csr struct {
	offsets []int32
	targets []int32
}

// newCSR builds the adjacency of edges (from, to), or of the reversed edges
// when reverse is set.
func newCSR(n int, edges [][2]int, reverse bool) csr {
	a, b := 0, 1
	if reverse {
		a, b = 1, 0
	}
	c := csr{offsets: make([]int32, n+1)}
	for _, e := range edges {
		c.offsets[e[a]+1]++
	}
	for i := 0; i < n; i++ {
		c.offsets[i+1] += c.offsets[i]
	}
	c.targets = make([]int32, len(edges))
	fill := make([]int32, n)
	for _, e := range edges {
		u := e[a]
		c.targets[c.offsets[u]+fill[u]] = int32(e[b])
		fill[u]++
	}
	// Sort and deduplicate each row in place, then compact.
	w := int32(0)
	for u := 0; u < n; u++ {
		row := c.targets[c.offsets[u]:c.offsets[u+1]]
		slices.Sort(row)
		start := w
		for i, v := range row {
			if i > 0 && v == row[i-1] {
				continue
			}
			c.targets[w] = v
			w++
		}
		c.offsets[u] = start
	}
	c.offsets[n] = w
	c.targets = c.targets[:w:w]
	return c
}

func (c csr) row(u int) []int {
	r := c.targets[c.offsets[u]:c.offsets[u+1]]
	out := make([]int, len(r))
	for i, v := range r {
		out[i] = int(v)
	}
	return out
}

func (c csr) raw(u int) []int32 { return c.targets[c.offsets[u]:c.offsets[u+1]] }
