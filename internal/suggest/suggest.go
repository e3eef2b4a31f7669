// Package suggest finds the "did you mean" candidate for a misspelt word.
//
// Both the manifest loader (unknown keys, bad enum values) and the rules
// (unknown-service) use it, so that every hint in catch22 follows one rule.
package suggest

import (
	"fmt"
	"unicode/utf8"
)

// Closest returns the candidate nearest to word, or "" when none is close
// enough to be a plausible typo.
//
// Distance is the Levenshtein distance in runes, where swapping two adjacent
// runes also counts as a single edit (optimal string alignment), because
// transpositions ("teir" for "tier") are among the commonest typos. A
// candidate is close enough when its distance is at most max(1, n/3), n being
// the rune length of word: one typo in a short word, proportionally more in a
// long one. Ties go to the byte-wise smallest candidate, so the answer does
// not depend on the order of candidates. Empty candidates are never
// suggested.
//
// Cost is O(len(word)·len(c)) per candidate c in the worst case; cheap
// lower bounds (length difference, letter counts) skip most candidates
// without running the dynamic programme, and the programme stops as soon as
// a row exceeds the best distance so far. That keeps a search through
// 100,000 service names to milliseconds.
func Closest(word string, candidates []string) string { return closest(word, candidates, nil) }

// closest is Closest, with the index of the candidates when there is one.
func closest(word string, candidates []string, ix *Index) string {
	limit := max(1, utf8.RuneCountInString(word)/3)
	best, bestDist := "", limit
	m := newMatcher(word)
	var sig signature
	if ix != nil {
		sig = signatureOf(word)
	}
	for i, c := range candidates {
		if c == "" {
			continue
		}
		// Only a strictly closer candidate, or an equally close one that
		// sorts first, can replace best.
		skip := func(lb int) bool { return lb > bestDist || lb == bestDist && best != "" && c > best }
		n := -1 // c's length in runes, when known
		if ix != nil {
			n = int(ix.lens[i])
			if skip(max(abs(n-len(m.word)), sig.bound(ix.sigs[i]))) {
				continue
			}
		}
		if skip(m.lowerBound(c, n)) {
			continue
		}
		d := m.distanceWithin(c, bestDist)
		if d < bestDist || (d == bestDist && (best == "" || c < best)) {
			best, bestDist = c, d
		}
	}
	return best
}

// matcher holds one word and the scratch space to compare it with many
// candidates without allocating per candidate.
type matcher struct {
	word             []rune
	ascii            bool
	counts           [128]int16 // letter counts of an ASCII word
	cand             []rune
	prev2, prev, cur []int
	candCounts       [128]int16
}

func newMatcher(word string) *matcher {
	m := &matcher{word: []rune(word), ascii: isASCII(word)}
	if m.ascii {
		for i := 0; i < len(word); i++ {
			m.counts[word[i]]++
		}
	}
	return m
}

// lowerBound is a quick lower bound on the distance to c: the difference in
// length, and for ASCII strings the letters one has and the other lacks. n
// is c's length in runes, or -1 to count it.
func (m *matcher) lowerBound(c string, n int) int {
	if n < 0 {
		n = utf8.RuneCountInString(c)
	}
	lb := abs(n - len(m.word))
	if !m.ascii || !isASCII(c) {
		return lb
	}
	m.candCounts = m.counts
	common, fewer := 0, 0 // letters of c the word has too, letters it lacks
	for i := 0; i < len(c); i++ {
		if m.candCounts[c[i]] > 0 {
			m.candCounts[c[i]]--
			common++
		} else {
			fewer++
		}
	}
	more := len(m.word) - common
	// A substitution fixes at most one surplus and one missing letter, an
	// insertion or deletion one of either, a transposition none.
	return max(lb, more, fewer)
}

// distanceWithin is the optimal string alignment distance between the word
// and c when it is at most limit, and some value above limit otherwise.
func (m *matcher) distanceWithin(c string, limit int) int {
	m.cand = append(m.cand[:0], []rune(c)...)
	a, b := m.word, m.cand
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	if cap(m.prev) < len(b)+1 {
		m.prev2, m.prev, m.cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	prev2, prev, cur := m.prev2[:len(b)+1], m.prev[:len(b)+1], m.cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		// Cells only grow along any alignment path, except that a
		// transposition looks two rows back: require two rows over limit.
		if rowMin > limit && i > 1 && minOf(prev) > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// distance is the optimal string alignment distance between a and b.
func distance(a, b []rune) int {
	m := &matcher{word: a}
	return m.distanceWithin(string(b), len(a)+len(b))
}

func minOf(row []int) int {
	v := row[0]
	for _, x := range row[1:] {
		v = min(v, x)
	}
	return v
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Hint is the ` (did you mean "x"?)` suffix of an error message, or "" when
// no candidate is close.
func Hint(word string, candidates []string) string {
	if c := Closest(word, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}
