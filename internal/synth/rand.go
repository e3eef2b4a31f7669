package synth

// rng is SplitMix64. It is defined here, not taken from math/rand, so that a
// Config keeps naming the same files across Go releases: benchmark corpora
// and failing property-test seeds stay reproducible.
type rng struct{ s uint64 }

func newRNG(seed int64) *rng { return &rng{s: uint64(seed) ^ 0x6a09e667f3bcc909} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a number in [0, n); n must be positive. The modulo bias is
// below 2^-40 for the sizes used here.
func (r *rng) intn(n int) int { return int((r.next() >> 1) % uint64(n)) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return p > 0 && r.float() < p }

// count draws a non-negative integer with mean m, spread uniformly over
// [0, 2m] and rounded stochastically.
func (r *rng) count(m float64) int {
	if m <= 0 {
		return 0
	}
	x := 2 * m * r.float()
	k := int(x)
	if r.chance(x - float64(k)) {
		k++
	}
	return k
}

// skewed returns an index in [0, n) where small indices are more likely:
// index = n·u^power. power 1 is uniform.
func (r *rng) skewed(n int, power int) int {
	u := r.float()
	x := u
	for i := 1; i < power; i++ {
		x *= u
	}
	k := int(float64(n) * x)
	if k >= n {
		k = n - 1
	}
	return k
}

// pick returns an index into weights, chosen in proportion to the weights.
// It returns -1 when every weight is zero.
func (r *rng) pick(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	if total <= 0 {
		return -1
	}
	x := r.float() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	for i := len(weights) - 1; i >= 0; i-- {
		if weights[i] > 0 {
			return i
		}
	}
	return -1
}
