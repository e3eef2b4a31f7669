package tomlpos

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPrescanRefusesHostileNesting: what takes the decoder minutes is
// refused at once, at the byte that crosses the bound.
func TestPrescanRefusesHostileNesting(t *testing.T) {
	deep := strings.Repeat("{a=", 4096) + "1" + strings.Repeat("}", 4096)
	for _, tc := range []struct{ name, src, want string }{
		{"inline tables", "[service]\nx = " + deep + "\n", "2:53: refused before decoding: nested more than 16 levels deep"},
		{"arrays", "x = " + strings.Repeat("[", 100_000), "1:21: refused before decoding: nested more than 16 levels deep"},
		{"dotted key", strings.Repeat("a.", 30_000) + "a = 1\n", "1:32: refused before decoding: a dotted key of more than 16 parts"},
		{"table header", "[" + strings.Repeat("a.", 20) + "a]\n", "1:33: refused before decoding: a dotted key of more than 16 parts"},
		{"key in an inline table", "x = {" + strings.Repeat("a.", 20) + "a = 1}\n", "1:37: refused before decoding: a dotted key of more than 16 parts"},
	} {
		start := time.Now()
		_, err := Decode([]byte(tc.src))
		if err == nil {
			t.Errorf("%s: decoded", tc.name)
			continue
		}
		line, col, msg := SyntaxError([]byte(tc.src), err)
		if got := fmt.Sprintf("%d:%d: %s", line, col, msg); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v: the scan did not stop the decoder", tc.name, d)
		}
	}
}

// TestPrescanLetsRealFilesThrough: dots, brackets and braces inside
// strings, comments and values (floats, dates, arrays of tables) are not
// nesting or key parts.
func TestPrescanLetsRealFilesThrough(t *testing.T) {
	src := `# a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r [[[[[[[[[[[[[[[[[[
[service]
name = "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{"
description = '''
[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{{{{{{{{ a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s
'''
note = """say "hi" \""" and a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r"""
version = 1.2
date = 2026-12-06T10:11:12.5Z
"quoted.key.with.dots.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o" = 1

[[dependency]]
on = "x"
matrix = [[1.5, 2.5], [3.5, 4.5]]
inline = {a.b = 1, c = {d = [1, 2]}}
`
	if _, err := Decode([]byte(src)); err != nil {
		t.Fatal(err)
	}
	if err := prescan([]byte(src)); err != nil {
		t.Fatal(err)
	}
}
