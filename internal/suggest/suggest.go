// Package suggest finds the "did you mean" candidate for a misspelt word.
//
// Both the manifest loader (unknown keys, bad enum values) and the rules
// (unknown-service) use it, so that every hint in catch22 follows one rule.
package suggest

import "unicode/utf8"

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
// Cost is O(len(word)·len(c)) per candidate c.
func Closest(word string, candidates []string) string {
	limit := max(1, utf8.RuneCountInString(word)/3)
	best, bestDist := "", limit+1
	w := []rune(word)
	for _, c := range candidates {
		if c == "" {
			continue
		}
		d := distance(w, []rune(c))
		if d < bestDist || (d == bestDist && best != "" && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b.
func distance(a, b []rune) int {
	// Three rows suffice: the transposition step looks two rows back.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
