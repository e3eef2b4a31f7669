package suggest

import "unicode/utf8"

// Index holds candidates searched many times, such as every service name of
// an estate, searched once per unknown reference. Each candidate's length
// in runes and a letter signature are computed once, and the bound they
// give skips most candidates in a few instructions, before the exact bound
// and the dynamic programme; without it, a million names searched by a
// hundred misspelt references cost seconds. Answers are Closest's.
type Index struct {
	cands []string
	lens  []int32
	sigs  []signature
}

// NewIndex indexes candidates, which it keeps (the caller must not change
// them).
func NewIndex(candidates []string) *Index {
	ix := &Index{cands: candidates, lens: make([]int32, len(candidates)), sigs: make([]signature, len(candidates))}
	for i, c := range candidates {
		ix.lens[i] = int32(utf8.RuneCountInString(c))
		ix.sigs[i] = signatureOf(c)
	}
	return ix
}

// Closest is Closest(word, candidates) of the indexed candidates.
func (ix *Index) Closest(word string) string { return closest(word, ix.cands, ix) }

// signature counts an ASCII string's bytes in 16 buckets (by their low four
// bits, so that the ten digits fall apart), one byte a bucket in two words.
// total is the string's length in bytes. A string that is not ASCII, or
// that has more than 127 bytes in a bucket, has no signature (ok false).
type signature struct {
	lo, hi uint64 // buckets 0–7 and 8–15
	total  int
	ok     bool
}

func signatureOf(s string) signature {
	var counts [16]int
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return signature{}
		}
		counts[s[i]&15]++
	}
	sig := signature{total: len(s), ok: true}
	for b, n := range counts {
		if n > 127 {
			return signature{}
		}
		if b < 8 {
			sig.lo |= uint64(n) << (8 * b)
		} else {
			sig.hi |= uint64(n) << (8 * (b - 8))
		}
	}
	return sig
}

// bound is a lower bound on the edit distance between the strings of two
// signatures: an edit changes at most one letter each way, so each of the
// letters one string has beyond the other, and each it lacks, needs an
// edit; a bucket merges letters, which only lowers those counts. With more
// and fewer the two sums, more − fewer = a.total − b.total and more + fewer
// = Σ |a − b| over the buckets, so max(more, fewer) is half the sum of the
// two; the buckets' differences are taken a word at a time.
func (a signature) bound(b signature) int {
	if !a.ok || !b.ok {
		return 0
	}
	diffs := absDiffSum(a.lo, b.lo) + absDiffSum(a.hi, b.hi)
	return (diffs + abs(a.total-b.total)) / 2
}

// absDiffSum is Σ |x_i − y_i| over the eight byte lanes of x and y, each
// below 128.
func absDiffSum(x, y uint64) int {
	const high = 0x8080808080808080
	ge := ((((x | high) - y) & high) >> 7) * 0xff // 0xff in the lanes where x ≥ y
	d := (x&ge | y&^ge) - (y&ge | x&^ge)          // max − min, lane by lane
	d = d&0x00ff00ff00ff00ff + d>>8&0x00ff00ff00ff00ff
	return int((d * 0x0001000100010001) >> 48)
}
