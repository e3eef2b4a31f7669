package suggest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestClosest(t *testing.T) {
	keys := []string{"on", "kind", "mode", "note"}
	services := []string{"workers-kv", "access", "dashboard", "turnstile"}
	tests := []struct {
		word       string
		candidates []string
		want       string
	}{
		{"onn", keys, "on"},
		{"o", keys, "on"},
		{"mod", keys, "mode"},
		{"mote", keys, "mode"}, // tie between mode and note (1 edit each): smallest wins
		{"nose", keys, "note"},
		{"kidn", keys, "kind"}, // transposition is one edit
		{"zzzz", keys, ""},
		{"", keys, ""},
		{"acess", services, "access"},
		{"Access", services, "access"},
		{"workerskv", services, "workers-kv"},
		{"worker-kb", services, "workers-kv"}, // 2 edits, 9/3 = 3 allowed
		{"wrkrs-k", services, ""},             // 3 edits, 7/3 = 2 allowed
		{"dashbaord", services, "dashboard"},  // transposition
		{"dependencies", []string{"dependency", "recovery", "service"}, "dependency"},
		{"recoveries", []string{"dependency", "recovery", "service"}, "recovery"},
		{"x", []string{"", "kv"}, ""}, // the empty candidate is never suggested
		{"kb", []string{"", "kv"}, "kv"},
		{"kv", []string{"kv"}, "kv"},
		{"ключ", []string{"клуч", "key"}, "клуч"}, // runes, not bytes
		{"a", nil, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", tt.word, tt.candidates, got, tt.want)
		}
	}
}

func TestClosestOrderIndependent(t *testing.T) {
	a := Closest("mote", []string{"note", "mode"})
	b := Closest("mote", []string{"mode", "note"})
	if a != "mode" || b != "mode" {
		t.Errorf("tie broken by order: got %q and %q, want \"mode\" both times", a, b)
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"ab", "ba", 1},
		{"ca", "abc", 3}, // OSA, unlike full Damerau, cannot edit a transposed pair again
		{"flaw", "lawn", 2},
	}
	for _, tt := range tests {
		if got := distance([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestClosestAgreesWithPlainSearch checks the pruned search against the
// definition on many generated words: same answer as computing every
// distance in full.
func TestClosestAgreesWithPlainSearch(t *testing.T) {
	var cands []string
	for i := 0; i < 400; i++ {
		cands = append(cands, fmt.Sprintf("svc-%04d", (i*7919)%10000), fmt.Sprintf("db%d", i%37))
	}
	words := []string{"svc-0001", "svc-001", "svc-00001", "sv-1234", "db7", "db-7", "svc0042", "x", "svc-9999", "dbb12"}
	for _, w := range words {
		limit := max(1, len([]rune(w))/3)
		want, wantD := "", limit+1
		for _, c := range cands {
			if d := distance([]rune(w), []rune(c)); d < wantD || d == wantD && c < want {
				want, wantD = c, d
			}
		}
		if got := Closest(w, cands); got != want {
			t.Errorf("Closest(%q) = %q, plain search says %q", w, got, want)
		}
	}
}

func BenchmarkClosest(b *testing.B) {
	var cands []string
	for i := 0; i < 100_000; i++ {
		cands = append(cands, fmt.Sprintf("svc-%06d", i))
	}
	for range b.N {
		Closest("svc-0x1234", cands)
	}
}

// TestIndexAgrees: the index gives Closest's answer, whatever the words:
// ASCII and not, letters that share a signature bucket, runs long enough to
// saturate one.
func TestIndexAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	alphabet := []rune("abcikqsy09-é")
	word := func() string {
		var b []rune
		for range rng.IntN(12) {
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
		return string(b)
	}
	cands := []string{"", strings.Repeat("a", 300), strings.Repeat("a", 299) + "i"}
	for range 3000 {
		cands = append(cands, word())
	}
	ix := NewIndex(cands)
	hits := 0
	for range 2000 {
		w := word()
		if rng.IntN(10) == 0 {
			w = strings.Repeat("a", 290+rng.IntN(20))
		}
		got, want := ix.Closest(w), Closest(w, cands)
		if got != want {
			t.Fatalf("Index.Closest(%q) = %q, Closest = %q", w, got, want)
		}
		if want != "" {
			hits++
		}
	}
	if hits < 500 {
		t.Fatalf("only %d of 2000 words had a suggestion: the test compares too little", hits)
	}
}

// TestAbsDiffSum: the word-at-a-time sum of byte differences is the plain
// one, over random lanes and the extremes 0 and 127.
func TestAbsDiffSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	lane := func() uint64 {
		switch rng.IntN(4) {
		case 0:
			return 0
		case 1:
			return 127
		}
		return uint64(rng.IntN(128))
	}
	for range 10000 {
		var x, y uint64
		want := 0
		for i := range 8 {
			a, b := lane(), lane()
			x |= a << (8 * i)
			y |= b << (8 * i)
			want += abs(int(a) - int(b))
		}
		if got := absDiffSum(x, y); got != want {
			t.Fatalf("absDiffSum(%#x, %#x) = %d, want %d", x, y, got, want)
		}
	}
}
