package importer

import "testing"

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:            `"plain"`,
		`say "hi" \ bye`:   `"say \"hi\" \\ bye"`,
		"line\nnext\ttab":  `"line\nnext\ttab"`,
		"bell\x07":         `"bell\u0007"`,
		"bad \xff utf-8":   "\"bad \uFFFD utf-8\"",
		"ünïcödé → arrows": `"ünïcödé → arrows"`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}
