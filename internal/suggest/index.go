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
// bits, so that the ten digits fall apart), 4 bits a bucket; a count that
// reaches 15 stays there. nonASCII means "unknown".
type signature struct {
	counts   uint64
	nonASCII bool
}

func signatureOf(s string) signature {
	var sig signature
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return signature{nonASCII: true}
		}
		shift := uint(s[i]&15) * 4
		if (sig.counts>>shift)&15 != 15 {
			sig.counts += 1 << shift
		}
	}
	return sig
}

// bound is a lower bound on the edit distance between the strings of two
// signatures: an edit changes at most one letter each way, so each of the
// letters one string has beyond the other, and the letters it lacks, need
// an edit; a bucket merges letters, which only lowers the counts. A
// saturated bucket counts nothing.
func (a signature) bound(b signature) int {
	if a.nonASCII || b.nonASCII {
		return 0
	}
	more, fewer := 0, 0
	for shift := uint(0); shift < 64; shift += 4 {
		x, y := int((a.counts>>shift)&15), int((b.counts>>shift)&15)
		if x == 15 || y == 15 {
			continue
		}
		if x > y {
			more += x - y
		} else {
			fewer += y - x
		}
	}
	return max(more, fewer)
}
