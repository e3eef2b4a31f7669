package graph

import "math/bits"

// columnSums adds up, for every bit position of a chunk's rows, the weights
// of the rows that have that bit set: the size of a heavy target's down
// set is the sum of the sizes of the components whose rows name it.
// Visiting each set bit would cost as much as the down sets are large
// (billions at a million services); instead rows are added eight at a time
// with carry-save adders into bit-sliced counters (plane k holds bit k of
// every counter), a few word operations per row word. Counters are flushed
// into plain integers before they can overflow their eight planes.
type columnSums struct {
	w       int
	pending [8][]uint64 // rows of weight 1 waiting to be added, at most 8
	n       int
	planes  [8][]uint64 // bit-sliced counts since the last flush, below 256
	inPlane int         // rows counted in planes since the last flush
	total   []int       // per bit, the sums flushed so far
}

// reset starts the sums of a chunk whose rows are w words, of which the
// first bits are in use.
func (s *columnSums) reset(w, bitsUsed int) {
	s.w, s.n, s.inPlane = w, 0, 0
	for k := range s.planes {
		if cap(s.planes[k]) < w {
			s.planes[k] = make([]uint64, w)
		}
		s.planes[k] = s.planes[k][:w]
		clear(s.planes[k])
	}
	if cap(s.total) < bitsUsed {
		s.total = make([]int, bitsUsed)
	}
	s.total = s.total[:bitsUsed]
	clear(s.total)
}

// add counts row with the given weight. The row must not change until the
// sums are read: rows of weight 1 are batched, not copied.
func (s *columnSums) add(row []uint64, weight int) {
	if weight != 1 { // a cycle of several nodes: rare, so one bit at a time
		for j, w := range row {
			for w != 0 {
				s.total[j*64+bits.TrailingZeros64(w)] += weight
				w &= w - 1
			}
		}
		return
	}
	s.pending[s.n] = row
	if s.n++; s.n == len(s.pending) {
		s.addPending()
	}
}

// addPending adds the batched rows into the planes.
func (s *columnSums) addPending() {
	if s.n == 0 {
		return
	}
	if s.inPlane+s.n > 255 {
		s.flush()
	}
	var r [8]uint64
	for j := range s.w {
		for i := range r {
			r[i] = 0
			if i < s.n {
				r[i] = s.pending[i][j]
			}
		}
		// The count of each bit over the eight rows, as four planes.
		t1, o1 := csa(r[0], r[1], r[2])
		t2, o2 := csa(r[3], r[4], r[5])
		t3, ones := csa(o1, o2, r[6])
		t4 := ones & r[7]
		ones ^= r[7]
		f1, twos := csa(t1, t2, t3)
		f2 := twos & t4
		twos ^= t4
		eights, fours := f1&f2, f1^f2
		// Add them into the counters: a ripple of full adders.
		var carry uint64
		for k, x := range [4]uint64{ones, twos, fours, eights} {
			p := s.planes[k][j]
			s.planes[k][j] = p ^ x ^ carry
			carry = p&x | carry&(p^x)
		}
		for k := 4; carry != 0; k++ {
			p := s.planes[k][j]
			s.planes[k][j] = p ^ carry
			carry &= p
		}
	}
	s.inPlane += s.n
	s.n = 0
}

// csa is a carry-save adder: for each bit, the sum of a, b and c as a
// two-bit number (hi, lo).
func csa(a, b, c uint64) (hi, lo uint64) {
	u := a ^ b
	return a&b | u&c, u ^ c
}

// flush moves the planes' counts into total and clears them.
func (s *columnSums) flush() {
	for k := range s.planes {
		for j, w := range s.planes[k] {
			for w != 0 {
				s.total[j*64+bits.TrailingZeros64(w)] += 1 << k
				w &= w - 1
			}
		}
		clear(s.planes[k])
	}
	s.inPlane = 0
}

// addTo adds the sum of bit b to out[targets[b]], for every target.
func (s *columnSums) addTo(out []int, targets []int32) {
	s.addPending()
	s.flush()
	for b, t := range targets {
		out[t] += s.total[b]
	}
}
